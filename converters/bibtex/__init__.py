"""BibTeX and biblatex: one reader for both, one writer with two dialects.

The package is split by stage, each module using only those above it:

- ``latex`` (with ``bibstrings``): LaTeX ⇄ Unicode text, for values only;
- ``mapping``: entry types and the field table (:data:`~.mapping.FIELDS`, one
  :class:`~..core.fieldmap.FieldMap` for both directions), languages, months;
- ``syntax``: a .bib file → blocks (entries, ``@string``, ``@preamble``), macro
  expansion and concatenation, ``crossref``/``xdata`` inheritance;
- ``names``: the BibTeX name grammar, both ways; ``dates``: EDTF and year/month;
- ``biblatex``: the biblatex data model's rules for the writer;
- ``reader`` and ``writer``: whole entries ⇄ CSL items.
"""

from __future__ import annotations

from ..core.options import FLAG, WriteOption
from .mapping import BIBLATEX, BIBTEX, DIALECTS
from .reader import read
from .syntax import sniff
from .writer import write

NAME = "bibtex"
ALIASES = ("bib",)
EXTENSIONS = (".bib", ".bibtex")
DESCRIPTION = "BibTeX (.bib): LaTeX-encoded, classic entry types; -O ascii=false keeps UTF-8"
WRITE_OPTIONS = (
    WriteOption(
        "ascii",
        FLAG,
        "non-ASCII as LaTeX commands (the bibtex default) or kept as UTF-8 (the biblatex default).",
        flag="--ascii/--no-ascii",
    ),
)
# write() also takes keys=, the run's KeyAllocator (see write_items)
TAKES_KEYS = True

__all__ = ["BIBLATEX", "BIBTEX", "DIALECTS", "read", "sniff", "write"]
