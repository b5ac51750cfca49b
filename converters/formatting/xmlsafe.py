"""Parse CSL styles and locales without letting the XML reach outside itself.

A style or locale file can come from anywhere (``--style ~/Downloads/x.csl``).
XML can make a parser read local files or fetch URLs through a DTD or an
external entity (XXE). CSL never needs either, so the bytes are refused
outright when they declare a DOCTYPE or an ENTITY, and the parser is set up
to load no DTD, resolve no entity and touch no network even if that check
were bypassed. lxml < 5 resolved external entities by default; refconv
requires lxml >= 5.
"""

from __future__ import annotations

import re
from typing import Any

# XML allows white space and comments before the DOCTYPE, and the keywords are
# case-sensitive in XML; match case-insensitively anyway (a stray lower-case
# declaration is just as unwelcome).
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_UTF16 = re.compile(rb"<\x00!\x00|\x00<\x00!")

MAX_BYTES = 8 * 1024 * 1024  # the largest CSL style in the repository is < 400 KB


class UnsafeXMLError(ValueError):
    """The XML declares a DOCTYPE or ENTITY, or is too large to be a CSL file."""


def check_bytes(data: bytes, what: str) -> None:
    """Refuse XML that declares a DOCTYPE/ENTITY (or cannot be a CSL file by its size)."""
    if len(data) > MAX_BYTES:
        raise UnsafeXMLError(f"{what} is {len(data):,} bytes, too large for a CSL file")
    match = _DECLARATION.search(data)
    if match:
        keyword = match.group(1).decode("ascii").upper()
        raise UnsafeXMLError(
            f"{what} declares <!{keyword}>; CSL files never need one and refconv refuses "
            "them (they can read local files or the network)"
        )
    if _UTF16.search(data[:4096]):
        raise UnsafeXMLError(f"{what} is UTF-16 encoded; save it as UTF-8")


def make_parser(lookup: Any = None) -> Any:
    """An lxml parser that loads no DTD, resolves no entity and never uses the network."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    if lookup is not None:
        parser.set_element_class_lookup(lookup)
    return parser


def parse(data: bytes, what: str, parser: Any = None) -> Any:
    """The root element of ``data``, after :func:`check_bytes`; XML errors become ValueError."""
    from lxml import etree

    check_bytes(data, what)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return etree.fromstring(data, parser if parser is not None else make_parser())
    except etree.XMLSyntaxError as error:
        raise ValueError(f"{what} is not well-formed XML: {error}") from None
