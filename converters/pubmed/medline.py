"""MEDLINE text (PubMed's "PubMed format" and ``.nbib`` files) → Citations.

A record is a run of ``TAG - value`` lines (the tag left-justified in four
columns: ``PMID- ``, ``TI  - ``, ``FAU - ``); a value continues on lines indented
by six spaces; records are separated by a blank line. The input is read one
record at a time.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from typing import NamedTuple, TextIO

from ..core.diagnostics import Report
from ..core.identifiers import normalise_doi, pmcid_from_text
from ..core.limits import size_text
from ..core.model import Name
from ..core.text import collapse_space
from .record import (
    Citation,
    article_number_from_pii,
    compact_date,
    given_name,
    language_tag,
    medline_date,
    person,
)

_FIELD = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")
_IDENTIFIER = re.compile(r"^(.*?)\s*\[([a-z-]+)\]$")
_ISSN_NOTE = re.compile(r"\s*\([^)]*\)\s*$")
_SUFFIX_WORDS = frozenset("jr sr ii iii iv 2nd 3rd 4th".split())
_INITIALS = re.compile(r"^[A-Z]{1,4}$")
_ABSTRACT_PARAGRAPHS = re.compile(r"(?<=[.?!]) (?=[A-Z][A-Z ,&/'-]{2,40}: )")

Field = tuple[str, str, int]  # tag, value, line


def _lines(first: str, stream: TextIO, limit: int) -> Iterator[tuple[str, bool]]:
    """The input's lines (``first``, the text already read, then ``stream``), each with
    whether it is longer than ``limit`` characters (0: no bound). A longer line is cut
    there and the rest of it is read past, never held whole."""
    pending = ""
    for line in io.StringIO(first):
        if not line.endswith("\n"):
            pending = line  # first ends inside this line; the rest is in stream
            break
        yield line, bool(limit) and len(line) - 1 > limit
    read = stream.readline
    while True:
        line = pending + (read(limit + 1) if limit else read())
        pending = ""
        if not line:
            return
        if line.endswith("\n"):
            yield line, bool(limit) and len(line) - 1 > limit
        elif limit and len(line) > limit:
            while (rest := read(limit + 1)) and not rest.endswith("\n"):
                pass
            yield line[:limit], True
        else:
            yield line, False  # the last line, without a line break


class Record(NamedTuple):
    fields: list[Field]
    strays: list[str]  # lines that were not fields, as warnings
    line: int  # where the record starts
    skipped: str | None  # why the record was skipped (None: it was not)


def records(first: str, first_line: int, stream: TextIO, limit: int = 0) -> Iterator[Record]:
    """Each record's fields in order, with the lines that were not fields.

    ``first`` is the text already read, ``stream`` the rest. A record may hold at most
    ``limit`` characters (0: no bound): a longer one is skipped, its lines dropped as
    they are read.
    """
    fields: list[tuple[str, list[str], int]] = []  # tag, the value's lines, line
    strays: list[str] = []
    has_pmid = False
    start = 0  # the line the current record starts at
    held = 0  # characters of the current record so far
    too_long: str | None = None  # why the current record is skipped

    def record() -> Record:
        # a value's lines are joined only now: joining line by line takes quadratic time
        values = [(tag, " ".join(lines), line) for tag, lines, line in fields]
        return Record(values, strays, values[0][2] if values else start, too_long)

    for number, (line, cut) in enumerate(_lines(first, stream, limit), first_line):
        text = line.rstrip("\r\n")
        if not text.strip():
            if fields or too_long:
                yield record()
                fields, strays, has_pmid, held, too_long = [], [], False, 0, None
            continue
        if too_long:
            continue
        if not held:
            start = number
        held += len(line)
        if cut or (limit and held > limit):
            too_long = (
                f"record longer than {size_text(limit)} (at line {number}); skipped "
                "(--max-line raises the limit)"
            )
            fields, strays = [], []
            continue
        if text[4:6] == "- " and text[:1].isalpha():  # the fixed layout: "TI  - ", "PMID- "
            tag, value = text[:4].rstrip(), text[6:]
        elif text[0] in " \t" and fields:
            fields[-1][1].append(text.strip())
            continue
        else:
            match = _FIELD.match(text)
            if match is None:
                strays.append(f"line {number}: not a MEDLINE field, ignored: {text[:60]!r}")
                continue
            tag, value = match.group(1), match.group(2)
        if tag == "PMID":
            if has_pmid:  # records not separated by a blank line
                yield record()
                fields, strays, start, held = [], [], number, len(line)
            has_pmid = True
        value = value.strip()
        fields.append((tag, [value] if value else [], number))
    if fields or too_long:
        yield record()


def _full_name(value: str) -> Name:
    """``FAU - van der Berg, Jan A`` / ``Smith, John A, Jr`` → a CSL name."""
    family, _, given = value.partition(",")
    suffix = ""
    if "," in given:
        given, _, suffix = given.rpartition(",")
    return person(family, given, suffix)


def _short_name(value: str) -> Name:
    """``AU - Smith JA`` (no ``FAU`` line: records before 2002) → a CSL name."""
    words = value.split()
    suffix = ""
    if len(words) > 2 and words[-1].lower().rstrip(".") in _SUFFIX_WORDS:
        suffix = words.pop()
    if len(words) > 1 and _INITIALS.match(words[-1]):
        return person(" ".join(words[:-1]), given_name(words[-1]), suffix)
    return person(" ".join(words), "", suffix) if len(words) == 1 else {"literal": value}


def split_abstract_paragraphs(text: str) -> str:
    """MEDLINE's one-line structured abstract → one paragraph per ``LABEL:`` section."""
    return _ABSTRACT_PARAGRAPHS.sub("\n\n", text)


def to_citation(fields: list[Field]) -> Citation:
    citation = Citation()
    previous = ""
    languages: list[str] = []
    for tag, value, _line in fields:
        if not value:
            previous = tag
            continue
        if tag == "PMID":
            citation.pmid = value
        elif tag == "TI":
            citation.title = html.escape(value, quote=False)
        elif tag == "BTI":
            citation.book_title = html.escape(value, quote=False)
        elif tag == "TT":
            citation.vernacular_title = html.escape(value, quote=False)
        elif tag == "AB":
            citation.abstract = split_abstract_paragraphs(collapse_space(value))
        elif tag in ("FAU", "FED"):
            target = citation.authors if tag == "FAU" else citation.editors
            target.append(_full_name(value))
        elif tag in ("AU", "ED"):
            if previous != ("F" + tag):  # the short form of the full name just read
                target = citation.authors if tag == "AU" else citation.editors
                target.append(_short_name(value))
        elif tag == "CN":
            citation.authors.append({"literal": value.rstrip(".")})
        elif tag == "DP":
            citation.published = medline_date(value)
        elif tag == "DEP":
            citation.epublished = compact_date(value)
        elif tag == "VI":
            citation.volume = value
        elif tag == "IP":
            citation.issue = value
        elif tag == "PG":
            citation.pages = value
        elif tag in ("LID", "AID"):
            _identifier(value, citation)
        elif tag == "PMC":
            citation.pmcid = pmcid_from_text(value)
        elif tag == "JT":
            citation.journal = value
        elif tag == "TA":
            citation.journal_abbreviation = value
        elif tag == "IS":
            citation.issn.append(_ISSN_NOTE.sub("", value))
        elif tag == "ISBN":
            citation.isbn.append(value)
        elif tag == "LA":
            languages.append(value)
        elif tag == "PT":
            citation.publication_types.append(value)
        elif tag == "MH":
            citation.mesh.append(value.split("/", 1)[0].lstrip("*").strip())
        elif tag == "OT":
            citation.keywords.append(value)
        elif tag == "PB":
            citation.publisher = value
        elif tag == "PL":
            citation.publisher_place = value
        elif tag == "CTI":
            citation.collection_title = value
        elif tag == "EN":
            citation.edition = value
        elif tag == "RIN":
            citation.retraction_in.append(value)
        elif tag == "ROF":
            citation.retraction_of.append(value)
        elif tag == "PST":
            citation.status = value
        previous = tag
    if citation.book_title:
        citation.kind = "chapter" if citation.title else "book"
    else:
        citation.publisher_place = None  # PL of an article is the journal's country
    if citation.article_number and citation.pages:
        citation.article_number = None
    citation.language = language_tag(languages[0]) if languages else None
    return citation


def _identifier(value: str, citation: Citation) -> None:
    match = _IDENTIFIER.match(value)
    if not match:
        return
    identifier, kind = match.group(1), match.group(2)
    if kind == "doi" and not citation.doi:
        citation.doi = normalise_doi(identifier)
    elif kind == "pii" and not citation.article_number:
        citation.article_number = article_number_from_pii(identifier)
    elif kind == "pmc" and not citation.pmcid:
        citation.pmcid = pmcid_from_text(identifier)
    elif kind == "bookaccession":
        citation.bookshelf_id = identifier


def citations(
    first: str, first_line: int, stream: TextIO, report: Report
) -> Iterator[tuple[Citation, int | None, int]]:
    limit = getattr(stream, "max_record", 0)
    for index, record in enumerate(records(first, first_line, stream, limit), 1):
        if record.skipped:
            report.error(record.skipped, line=record.line, record=index)
            continue
        citation = to_citation(record.fields)
        citation.problems.extend(record.strays)
        yield citation, record.line, index
