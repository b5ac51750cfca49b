"""The RIS reader's short cuts give exactly what its general code gives: particle names
as core/names.parse_name reads them, ASCII lines as the odd-character search splits
them, and core/names.is_corporate's comma short cut as the word-edge expression."""

from __future__ import annotations

import io
import re

import pytest

from refconv.converters import ris
from refconv.converters.core import names


@pytest.mark.parametrize(
    "value",
    [
        "van der Berg, Jan",
        "de la Cruz, María José",
        "von Neumann, John",
        "van Gogh, Vincent",
        "van Berg, Jr.",
        "van Group, Jan",
        "van 2Berg, Jan",
        "van Mu\u0308ller, Jan",
        "De Luca, Giulia",
        "van der Berg, Jan, III",
        "d' Alembert, Jean",
    ],
)
def test_particle_names_as_parse_name(value: str) -> None:
    assert ris._ris_name(value) == names.parse_name(value)


def _lines_reference(stream):
    """_physical_lines without its ASCII short cut: every line searched for odd characters."""
    number = 0
    for raw in stream:
        number += 1
        line = raw.rstrip("\r\n")
        if ris._ODD.search(line) is None:
            yield number, line
            continue
        line = line.replace("\ufeff", "").replace("\u2028", " ").replace("\u2029", " ")
        pieces = line.split("\r")
        for offset, piece in enumerate(pieces):
            yield number + offset, piece
        number += len(pieces) - 1


@pytest.mark.parametrize(
    "text",
    [
        "TY  - JOUR\nAU  - Smith, A\nER  - \n",
        "TY  - JOUR\r\nAU  - Smith, A\r\nER  - \r\n",
        "TY  - JOUR\rAU  - old Mac\rER  - \r",
        "\ufeffTY  - JOUR\nTI  - caf\u00e9\u2028line\nER  - \n",
        "TY  - JOUR\nTI  - a\rb\u00e9\nER  - \n",
    ],
)
@pytest.mark.parametrize("newline", ["", "\n"], ids=["universal", "lf-only"])
def test_ascii_lines_as_the_odd_character_split(text: str, newline: str) -> None:
    # split at LF only, a stream leaves lone CRs (old Mac files) inside the lines
    fast = list(ris._physical_lines(io.StringIO(text, newline=newline)))
    assert fast == list(_lines_reference(io.StringIO(text, newline=newline)))


def _corporate_reference(text: str) -> bool:
    """is_corporate as it was before the comma short cut."""
    if "&" in text or re.search(r"\d", text):
        return True
    lower = text.lower()
    edge = re.compile(r"[\s,;:()\[\]/\"]+")
    words = edge.split(lower) if re.search(r"[,;:()\[\]/\"]", lower) else lower.split()
    return not names._CORPORATE_WORDS.isdisjoint(words)


@pytest.mark.parametrize(
    "text",
    [
        "Liu, Hong",
        "World Health Organization",
        "Group, Study",
        "Smith, J. (Consortium)",
        "Centre,for,Things",
        "Jones; Team",
        "A, B: C",
        "Smith, John",
        "CMS Collaboration",
    ],
)
def test_is_corporate_comma_short_cut(text: str) -> None:
    assert names.is_corporate(text) == _corporate_reference(text)
