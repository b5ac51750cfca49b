"""LaTeX ⇄ text (converters/bibtex/latex.py): the short cuts for plain text and flat
brace groups give what the general encoder and parser give."""

from __future__ import annotations

import random

import pytest

from refconv.converters.bibtex import latex


def test_protect_plain_case_as_to_latex() -> None:
    rng = random.Random(3)
    words = ["the", "The", "DNA", "mRNA", "O'Brien", "x'Y", "'B", "B'", "A", "a", "3D", "T-cell"]
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        assert latex.protect_plain_case(text) == latex.to_latex(text, protect_case=True), text


def test_long_ascii_needs_escape_exactly_when_escaping_changes_it() -> None:
    base = "word " * 40
    for extra in ["", "%", "{", "}", "\\", "$", "&", "#", "_", "~", "^", "<", ">", "|", "`"]:
        for run in ["", "--", "''", ",,", "-", "'", ","]:
            for control in ["", "\x01", "\x0b", "\t", "\n"]:
                text = base + extra + run + control + base
                needs = latex._needs_escape(text, True)
                assert needs == (latex.escape_text(text) != text), repr(text[195:215])


@pytest.mark.parametrize(
    "source",
    [
        "{RNA} sequencing",
        "{World Health Organization}",
        "{DNA} and {mRNA} and {x} and {} and {2}",
        "O'{Brien}",
        "a {B} c",
        "{a}--{b}",
        "unbalanced {brace",
        "{nested {group}}",
    ],
)
@pytest.mark.parametrize("title", [True, False])
def test_flat_groups_as_the_parser(source: str, title: bool) -> None:
    flat = latex._flat_groups(source, title)
    if flat is not None:
        assert flat == latex._Parser(source, title, None).parse()
