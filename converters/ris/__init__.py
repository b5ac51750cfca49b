"""RIS (Research Information Systems) tagged records, read and written.

One declarative field map drives both directions: :mod:`.mapping` holds RIS's types
and the table, :mod:`.values` the codecs of its values, :mod:`.syntax` splits the text
into records, :mod:`.reader` and :mod:`.writer` go through the table each way.
"""

from __future__ import annotations

import re

from ..core.options import FLAG, WriteOption
from .reader import read
from .writer import write

__all__ = [
    "ALIASES",
    "DESCRIPTION",
    "EXTENSIONS",
    "NAME",
    "WRITE_OPTIONS",
    "read",
    "sniff",
    "write",
]

NAME = "ris"
ALIASES = ("refman",)
EXTENSIONS = (".ris",)
DESCRIPTION = "RIS tagged records (Zotero, EndNote, Mendeley; PubMed, Web of Science, Scopus)"
WRITE_OPTIONS = (
    WriteOption(
        "crlf",
        FLAG,
        "line ends CRLF (the RIS specification's and Zotero's; the default) or LF.",
        flag="--crlf/--lf",
        default=True,
    ),
    WriteOption(
        "bom",
        FLAG,
        "start with a UTF-8 byte-order mark (for EndNote and Windows tools).",
        flag="--bom",
        default=False,
    ),
)

_SNIFF_TY = re.compile(r"^\ufeff?TY {1,2}- ", re.MULTILINE)
_SNIFF_TAG = re.compile(r"^[A-Z][A-Z0-9]  - ", re.MULTILINE)


def sniff(head: str) -> float:
    """A ``TY`` line among the first lines (as Zotero detects RIS); else many tag lines."""
    text = head[:8192]
    first_lines = [line for line in text.splitlines()[:40] if line.strip()][:8]
    if any(_SNIFF_TY.match(line.lstrip("\ufeff")) for line in first_lines):
        return 0.95
    if _SNIFF_TY.search(text):
        return 0.7
    return 0.3 if len(_SNIFF_TAG.findall(text)) >= 3 else 0.0
