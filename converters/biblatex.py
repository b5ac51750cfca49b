"""biblatex: the biblatex dialect of the BibTeX converter (see the bibtex package for both).

Same reader; the writer uses biblatex's entry types (@online, @thesis, @report,
@dataset, @software, ...) and fields (journaltitle, date, location, eprint),
and keeps non-ASCII characters as UTF-8 unless ``-O ascii=true``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TextIO

from . import bibtex
from .core.diagnostics import Report
from .core.keys import KeyAllocator
from .core.model import Item
from .core.patterns import lazy_pattern

NAME = "biblatex"
ALIASES = ("biber",)
EXTENSIONS = (".bib",)
DESCRIPTION = "biblatex (.bib for biber): UTF-8, ISO dates, @online/@thesis/@report/@dataset"
WRITE_OPTIONS = bibtex.WRITE_OPTIONS
TAKES_KEYS = True

_BIBLATEX_ONLY = lazy_pattern(
    r"^\s*(?:journaltitle|location|date|urldate|eprinttype|langid|addendum|pubstate)\s*=|"
    r"^\s*@(?:online|thesis|report|dataset|software|collection|mvbook|reference)\s*[{(]",
    re.IGNORECASE | re.MULTILINE,
)


def sniff(head: str) -> float:
    score = bibtex.sniff(head)
    # the same reader reads both; claim files that use biblatex's own fields
    return min(1.0, score + 0.05) if score and _BIBLATEX_ONLY.search(head) else 0.0


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    return bibtex.read(stream, report, dialect=bibtex.BIBLATEX)


def write(
    items: Iterable[Item],
    out: TextIO,
    report: Report,
    *,
    ascii: bool | str | None = None,
    keys: KeyAllocator | None = None,
) -> None:
    bibtex.write(items, out, report, ascii=ascii, dialect=bibtex.BIBLATEX, keys=keys)
