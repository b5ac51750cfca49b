"""Whatever the item, real bibtex (plain.bst) and biber read our output without an error,
find exactly one entry per item, and complain of no name or field we wrote badly.

Hypothesis generates batches of CSL items (empty and one-part names, particles, corporate
names, every CSL type, dates in every CSL shape, hostile characters: braces, backslashes,
``%``, ``#``, ``@``, unbalanced braces, control characters, non-Latin scripts); each batch is
one .bib file, so each example costs one run of each tool."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest
from bibtex_support import run_biber_tool, run_bibtex, write_bib
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.interop

CSL_TYPES = (
    "article article-journal article-magazine article-newspaper bill book broadcast chapter "
    "classic collection dataset document entry entry-dictionary entry-encyclopedia event "
    "figure graphic hearing interview legal_case legislation manuscript map motion_picture "
    "musical_score pamphlet paper-conference patent performance periodical "
    "personal_communication post post-weblog regulation report review review-book software "
    "song speech standard thesis treaty webpage"
).split()

HOSTILE = "{}\\%#@&$_^~<>|`'\",;=-–— \t\n\x00\x07\x1b\x7f\u00a0\u200b"
SCRIPTS = "aZéñßøłçΩжЖ中文日本語한국어العربيةहिन्दीא\u0301\U0001f600"
_chars = st.sampled_from(HOSTILE + SCRIPTS) | st.characters(
    min_codepoint=32, max_codepoint=0x2FFFF, exclude_categories=("Cs",)
)
hostile_text = st.text(_chars, max_size=24)
some_text = hostile_text | st.sampled_from(
    ["", "and", "others", "}", "{", "\\", "\\input{x}", "@misc{evil,", "%", "A {B", "C} D"]
)
word = st.sampled_from(["Smith", "Müller", "García Márquez", "El-Husseini", "Li", "李", "O'Neil"])
particle = st.sampled_from(["van", "de", "von der", "De", "d'", "'t", "Van"]) | hostile_text

name = st.one_of(
    st.fixed_dictionaries({"family": word | some_text}, optional={"given": word | some_text}),
    st.fixed_dictionaries(
        {"family": word | some_text, "non-dropping-particle": particle},
        optional={"given": word | some_text, "dropping-particle": particle},
    ),
    st.fixed_dictionaries({"given": word | some_text}),
    st.fixed_dictionaries({"family": word | some_text, "suffix": st.sampled_from(["Jr.", "III"])}),
    st.fixed_dictionaries({"literal": some_text | st.just("World Health Organization")}),
    st.just({}),
)
date = st.one_of(
    st.fixed_dictionaries(
        {"date-parts": st.lists(st.lists(st.integers(-3000, 3000), max_size=3), max_size=2)}
    ),
    st.fixed_dictionaries({"raw": some_text}),
    st.fixed_dictionaries({"literal": some_text}),
    some_text,
    st.just({"date-parts": [[2020, 5, 1]], "circa": True}),
)
item = st.fixed_dictionaries(
    {"type": st.sampled_from(CSL_TYPES)},
    optional={
        "id": some_text,
        "title": some_text,
        "author": st.lists(name, max_size=4),
        "editor": st.lists(name, max_size=2),
        "director": st.lists(name, max_size=1),
        "collection-editor": st.lists(name, max_size=1),
        "container-title": some_text,
        "collection-title": some_text,
        "publisher": some_text,
        "publisher-place": some_text,
        "volume": some_text,
        "issue": some_text,
        "page": some_text,
        "number": some_text,
        "genre": some_text,
        "note": some_text,
        "abstract": some_text,
        "archive": some_text,
        "archive_location": some_text,
        "status": some_text,
        "URL": some_text,
        "DOI": some_text,
        "ISBN": some_text,
        "language": some_text,
        "issued": date,
        "accessed": date,
        "event-date": date,
        "original-date": date,
        "available-date": date,
        "custom": st.fixed_dictionaries(
            {},
            optional={
                "cited-by-count": st.integers(0, 10),
                "fulltext-url": some_text,
                "retraction": st.fixed_dictionaries({"doi": some_text, "note": some_text}),
                "publication-types": st.lists(some_text, max_size=3),
                "Odd Key{": some_text,
            },
        ),
    },
)
batches = st.lists(item, min_size=20, max_size=30)
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    # each example runs a real tool: shrinking a failing batch would take many minutes
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def needs(tool: str):
    return pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed")


def _keys(text: str) -> list[str]:
    return re.findall(r"^@\w+\{(.*),$", text, re.MULTILINE)


# plain.bst's warnings about data an item lacks (or that plain.bst cannot print): the only
# warnings allowed; anything about a name or a field's syntax is our fault
_DATA_WARNINGS = re.compile(r"^(?:empty |to sort, need |there's a number but no |can't use both )")


@needs("bibtex")
@SETTINGS
@given(items=batches)
def test_bibtex_reads_any_batch_with_no_error_and_one_entry_per_item(
    items: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = write_bib(items)
    keys = _keys(text)
    assert len(keys) == len(items)
    warnings, errors, bbl = run_bibtex(text, tmp_path_factory.mktemp("bibtex"))
    assert errors == []
    assert [w for w in warnings if not _DATA_WARNINGS.match(w)] == []
    assert sorted(re.findall(r"\\bibitem\{(.*?)\}", bbl)) == sorted(keys)


@needs("biber")
@SETTINGS
@given(items=batches)
def test_biber_reads_any_batch_with_no_error_and_one_entry_per_item(
    items: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = write_bib(items, "biblatex")
    keys = _keys(text)
    assert len(keys) == len(items)
    warnings, errors, written = run_biber_tool(text, tmp_path_factory.mktemp("biber"))
    assert errors == []
    assert [w for w in warnings if "BibTeX subsystem" in w] == []
    assert [w for w in warnings if "Invalid field" in w or "invalid in data model" in w] == []
    assert sorted(k.lower() for k in _keys(written)) == sorted(k.lower() for k in keys)
