"""core/text: white-space collapsing and HTML → text, including their fast paths."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from refconv.converters.core.text import (
    collapse_space,
    html_to_plain_text,
    html_to_rich_text,
    strip_trailing_period,
)

WHITE_SPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def test_collapse_space_equals_split_and_join_for_every_white_space_character():
    rng = random.Random(7)
    pieces = [*WHITE_SPACE, "a", "B", "é", "中", "\u200d", "\xad", " ", " "]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert collapse_space(text) == " ".join(text.split()), repr(text)


def test_collapse_space_keeps_single_spaces_and_trims_ends():
    assert collapse_space("  Deep  learning\u3000for\ttext\n") == "Deep learning for text"
    assert collapse_space("Attention is all you need") == "Attention is all you need"
    assert collapse_space("Zoë\xa0Müller") == "Zoë Müller"


def test_plain_text_paragraphs_entities_and_tags():
    raw = "<p>First &amp; second.</p>\n\n<p>Third   <i>line</i>.</p>"
    assert html_to_plain_text(raw) == "First & second.\n\nThird line."
    assert html_to_plain_text("no tags\n\nat all") == "no tags\n\nat all"


def test_rich_text_drops_empty_pairs_and_unescapes():
    assert html_to_rich_text("A <i> </i>B &lt;C&gt;") == "A B <C>"
    assert html_to_rich_text("H<sub>2</sub>O") == "H<sub>2</sub>O"


def test_html_module_is_imported_only_for_entities():
    code = (
        "import sys\n"
        "from refconv.converters.core.text import html_to_plain_text, html_to_rich_text\n"
        "html_to_plain_text('<p>a</p>'); html_to_rich_text('<i>b</i>')\n"
        "assert 'html' not in sys.modules, 'html imported without an entity'\n"
        "assert html_to_rich_text('a &amp; b') == 'a & b'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plain_text_paragraph_short_cut_gives_what_the_tag_pattern_gives():
    from refconv.converters.core import text as module

    def general(raw: str) -> str:  # html_to_plain_text with every tag through the pattern
        text = module._BLANK_LINE.sub(module._PARAGRAPH_BREAK, raw)
        text = module._unescape(module._TAG.sub(module._tag_to_break, text))
        parts = text.split(module._PARAGRAPH_BREAK)
        return "\n\n".join(c for part in parts if (c := collapse_space(part)))

    for raw in [
        "<p>One.</p><p>Two &amp; three.</p>",
        "<p>One</p>\n\n<p>Two</p>",
        "<P>Upper</P> and <p>lower</p>",
        "<p>a <i>b</i></p>",
        "<!-- <p> --><p>x</p>",
        "x <p > y </p>",
        "<p>1 < 2</p>",
        "no tags",
    ]:
        assert html_to_plain_text(raw) == general(raw), raw


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ensembl Release 2.0.", "Ensembl Release 2.0"),
        ("A deletion at 7q11.23.", "A deletion at 7q11.23"),
        ("Python 3.12.1.", "Python 3.12.1"),
        ("Results for stage 3.", "Results for stage 3"),
        ("Growth in the U.S.", "Growth in the U.S."),
        ("Smith et al.", "Smith et al."),
        ("Vitamin D, e.g.", "Vitamin D, e.g."),
        ("Genus species var.", "Genus species var."),
        ("Why?", "Why?"),
        ("And so...", "And so..."),
        ("H<sub>2</sub>O levels in 2.5.", "H<sub>2</sub>O levels in 2.5"),
    ],
)
def test_one_trailing_period_dropped_unless_it_ends_an_abbreviation(title, expected):
    assert strip_trailing_period(title) == expected
