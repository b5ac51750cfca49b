"""PubMed records: EFetch XML (``<PubmedArticleSet>``) and MEDLINE text (``.nbib``).

Both exports of the same database, read by one format: PubMed XML as
``efetch.fcgi?db=pubmed&retmode=xml`` returns it (journal articles and NCBI
Bookshelf books and chapters, with the ``<!DOCTYPE>`` line, which is tolerated
but never fetched), and the MEDLINE display format that PubMed's "Save →
Format: PubMed" and "Send to → Citation manager" (``.nbib``) write (``PMID- ``,
``TI  - ``, ``FAU - `` ...). Each syntax module (:mod:`.efetch_xml`, :mod:`.medline`)
turns a record into a :class:`.record.Citation`; one mapping
(:func:`.mapping.citation_to_item`) turns that into CSL, so the same article gives the
same item from either export.

Both stream: XML is parsed incrementally and each article is discarded once
converted; MEDLINE text is read record by record. Memory stays flat however
large a baseline or update file is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from ..core.diagnostics import Report
from ..core.fields import RecordError
from ..core.model import Item
from .mapping import citation_to_item

NAME = "pubmed"
ALIASES = ("medline", "nbib", "pubmed-xml", "efetch")
EXTENSIONS = (".xml", ".nbib", ".medline", ".txt")
DESCRIPTION = "PubMed records: EFetch XML (PubmedArticleSet) and MEDLINE/.nbib text"

_XML_ROOT = re.compile(r"<(?:!DOCTYPE\s+)?(?:PubmedArticleSet|PubmedArticle|PubmedBookArticle)\b")
_MEDLINE_PMID = re.compile(r"^PMID- ?\d+", re.MULTILINE)
_MEDLINE_TAGS = re.compile(r"^(FAU|JT|TA|DP|SO|OWN|STAT|LID|AID|PST|MH|PG) ?- ", re.MULTILINE)


def sniff(head: str) -> float:
    text = head.lstrip("\ufeff \t\r\n")
    window = text[:8192]
    if text.startswith("<"):
        return 0.95 if _XML_ROOT.search(window) else 0.0
    if _MEDLINE_PMID.search(window):
        return 0.95
    return 0.6 if len(set(_MEDLINE_TAGS.findall(window))) >= 3 else 0.0


_HEAD_CHARS = 8192
_LEADING_SPACE = "\ufeff \t\r\n"


# XML is read in blocks (lxml bounds each text node itself) and may be one line of
# hundreds of megabytes: no bound on line length for this reader (see pipeline.InputLimits)
LONG_LINES = True


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    """Items from PubMed XML or MEDLINE text, whichever the input is."""
    # read a block, not a line: an XML file may be one line of hundreds of megabytes
    skipped = 0
    head = ""
    while True:
        block = stream.read(_HEAD_CHARS)
        if not block:
            return
        head = block.lstrip(_LEADING_SPACE)
        skipped += block[: len(block) - len(head)].count("\n")
        if head:
            break
    if head.startswith("<"):
        from .efetch_xml import citations
    else:
        from .medline import citations
    for citation, line, record in citations(head, skipped + 1, stream, report):
        try:
            yield citation_to_item(citation, report, line=line, record=record)
        except RecordError as error:
            report.error(str(error), line=line, record=record)
