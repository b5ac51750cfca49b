"""Our BibTeX and biblatex through the real consumers: bibtex with plain.bst, biber's data
model validation, and pandoc's BibTeX reader; plus the .bib files that ship with TeX."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from bibtex_support import (
    bib_file,
    example_items,
    load_corpus,
    read_bib,
    run_biber,
    run_bibtex,
    run_pandoc,
    write_bib,
)

from refconv.converters.bibtex.latex import latex_for_char
from refconv.converters.bibtex.mapping import CUSTOM_FIELDS
from refconv.converters.core.diagnostics import Severity

pytestmark = pytest.mark.interop


def needs(tool: str):
    return pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed")


@pytest.fixture(scope="module")
def items() -> list[dict]:
    """Every example record and the varied corpus, keyed as the writer keys them."""
    everything = example_items() + load_corpus()
    text = write_bib(everything)
    keys = re.findall(r"^@\w+\{(.*),$", text, re.MULTILINE)
    assert len(keys) == len(everything)
    return [{**item, "id": key} for item, key in zip(everything, keys, strict=True)]


def _has(item: dict, *variables: str) -> bool:
    return any(item.get(v) not in (None, "", [], {}) for v in variables)


# plain.bst's warnings, each allowed only when the item really lacks the data it names
# (or, for the last two, when plain.bst cannot print data the item has)
MISSING_DATA: dict[str, Any] = {
    "empty author": lambda i: not _has(i, "author"),
    "empty author and editor": lambda i: not _has(i, "author", "editor"),
    "to sort, need author or key": lambda i: not _has(i, "author"),
    "to sort, need author, editor, or key": lambda i: not _has(i, "author", "editor"),
    "to sort, need editor, organization, or key": lambda i: not _has(i, "editor"),
    "empty title": lambda i: not _has(i, "title"),
    "empty journal": lambda i: not _has(i, "container-title"),
    "empty booktitle": lambda i: not _has(i, "container-title"),
    "empty year": lambda i: not _has(i, "issued"),
    "empty publisher": lambda i: not _has(i, "publisher"),
    "empty school": lambda i: not _has(i, "publisher"),
    "empty institution": lambda i: not _has(i, "publisher"),
    "empty note": lambda i: not _has(i, "note"),
    "empty chapter and pages": lambda i: not _has(i, "chapter-number", "page"),
    "there's a number but no volume": lambda i: _has(i, "issue") and not _has(i, "volume"),
    "there's a number but no series": lambda i: not _has(i, "collection-title"),
    "can't use both author and editor fields": lambda i: _has(i, "author") and _has(i, "editor"),
    "can't use both volume and number fields": lambda i: _has(i, "volume"),
}


@needs("bibtex")
def test_bibtex_plain_accepts_every_record_with_only_missing_data_warnings(
    items: list[dict], tmp_path: Path
) -> None:
    text = write_bib(items)
    warnings, errors, bbl = run_bibtex(text, tmp_path)
    assert errors == []
    by_key = {item["id"]: item for item in items}
    unexplained = []
    for warning in warnings:
        match = re.match(r"^(.*) in (\S+)$", warning)
        assert match, warning
        reason, key = match.groups()
        allowed = MISSING_DATA.get(reason)
        if allowed is None or not allowed(by_key[key]):
            unexplained.append(warning)
    assert unexplained == []
    # every record is in the bibliography
    assert sorted(re.findall(r"\\bibitem\{(.*?)\}", bbl)) == sorted(by_key)


@needs("bibtex")
def test_the_corpus_alone_gives_bibtex_no_warning_at_all(tmp_path: Path) -> None:
    corpus = [i for i in load_corpus() if i["id"] not in ("chapter-of-book", "manuscript")]
    warnings, errors, _ = run_bibtex(write_bib(corpus), tmp_path)
    assert (warnings, errors) == ([], [])


@needs("bibtex")
def test_xampl_converted_back_to_bibtex_warns_no_more_than_the_original(tmp_path: Path) -> None:
    path = bib_file("xampl.bib")
    if path is None:
        pytest.skip("xampl.bib is not installed (Debian texlive-base)")
    original = path.read_text(encoding="utf-8")
    before, before_errors, _ = run_bibtex(original, tmp_path)
    items, _ = read_bib(original)
    after, after_errors, _ = run_bibtex(write_bib(items), tmp_path)
    assert before_errors == after_errors == []
    assert sorted(after) == sorted(before)


# biber's data-model warnings, each allowed only where the data is really missing or
# malformed in the source, or for data the biblatex data model has no field for in that
# entry type (kept in the file, not dropped)


def _valid_issn(text: str) -> bool:
    digits = text.replace("-", "").upper()
    if not re.fullmatch(r"\d{7}[\dX]", digits):
        return False
    total = sum(int(d) * (8 - i) for i, d in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    return digits[7] == ("X" if check == 10 else str(check))


def _valid_isbn(text: str) -> bool:
    digits = text.replace("-", "").replace(" ", "").upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"\d{13}", digits):
        return sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0
    return False


def _biber_allowed(warning: str, item: dict) -> bool:
    missing = re.search(r"Missing mandatory field '(\w+)'", warning)
    if missing:
        variable = {
            "author": "author",
            "editor": "editor",
            "title": "title",
            "journaltitle": "container-title",
            "booktitle": "container-title",
            "institution": "publisher",
            "number": "number",
        }[missing.group(1)]
        return not _has(item, variable)
    if "one of 'date, year' must be defined" in warning:
        return not _has(item, "issued") or "literal" in item["issued"]
    if "Invalid ISSN" in warning:
        return not _valid_issn(str(item.get("ISSN", "")))
    if "Invalid ISBN" in warning:
        return not _valid_isbn(str(item.get("ISBN", "")))
    invalid = re.search(r"Invalid field '(\w+)' for entrytype|Field '(\w+)' invalid", warning)
    if invalid:
        # only a field that came from a .bib input, written back as it was; the writer
        # leaves out what biblatex's data model forbids
        name = invalid.group(1) or invalid.group(2)
        return name in (item.get("custom") or {}).get(CUSTOM_FIELDS, {})
    return False


@needs("biber")
def test_biber_validates_the_biblatex_output(items: list[dict], tmp_path: Path) -> None:
    warnings, errors = run_biber(write_bib(items, "biblatex"), tmp_path)
    assert errors == []
    by_key = {item["id"]: item for item in items}
    unexplained = []
    for warning in warnings:
        if re.match(r"ISBN '.*' in entry '.*' is invalid", warning):
            continue  # the summary of an "Invalid ISBN" warning, checked on its own
        match = re.search(r"Entry '([^']+)'", warning)
        if match is None or not _biber_allowed(warning, by_key[match.group(1)]):
            unexplained.append(warning)
    assert unexplained == []


@needs("biber")
def test_biber_validates_biblatex_examples_after_a_round_trip(tmp_path: Path) -> None:
    path = bib_file("biblatex-examples.bib")
    if path is None:
        pytest.skip("biblatex-examples.bib is not installed (Debian texlive-bibtex-extra)")
    items, _ = read_bib(path.read_text(encoding="utf-8"))
    _, errors = run_biber(write_bib(items, "biblatex"), tmp_path)
    assert errors == []


# --- pandoc --------------------------------------------------------------------------------


def _pandoc_unknown_characters(characters: set[str]) -> set[str]:
    """The characters whose LaTeX form (in our bibtex output) pandoc cannot decode."""
    forms = {c: latex_for_char(c) for c in sorted(characters) if latex_for_char(c)}
    bib = "\n".join(f"@misc{{c{i}, note = {{1{form}2}}}}" for i, form in enumerate(forms.values()))
    decoded = {item["id"]: item.get("note", "") for item in run_pandoc(bib)} if forms else {}
    return {
        char
        for i, char in enumerate(forms)
        if unicodedata.normalize("NFC", decoded.get(f"c{i}", "")) != f"1{char}2"
    }


def _plain(text: Any) -> str:
    text = re.sub(r"<[^>]+>", "", str(text or ""))
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("\u00a0", " ")
    return " ".join(text.split())


def _name_words(name: dict) -> tuple[str, ...]:
    parts = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix", "literal")
    text = " ".join(str(name.get(p, "")) for p in parts)
    return tuple(sorted(_plain(text).replace(",", " ").split()))


def _pandoc_view(item: dict) -> dict[str, Any]:
    """The fields pandoc must read back, normalised for what pandoc changes on purpose:
    it sentence-cases titles in BibTeX mode and makes quotes typographic."""
    container = item.get("container-title")
    return {
        "title": _plain(item.get("title")).lower(),
        "authors": [_name_words(n) for n in item.get("author", [])],
        "container": _plain(container).lower() if container else None,
        "volume": _plain(item.get("volume")) or None,
        "issue": _plain(item.get("issue")) or None,
        "page": re.sub("[–—]", "-", _plain(item.get("page"))) or None,
        "date": (item.get("issued") or {}).get("date-parts") or None,
        "doi": item.get("DOI"),
    }


@needs("pandoc")
@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_pandoc_reads_back_what_we_wrote(items: list[dict], dialect: str) -> None:
    text = write_bib(items, dialect)
    ours, _ = read_bib(text)
    theirs = {item["id"]: item for item in run_pandoc(text, dialect)}
    entry_types = {key: kind for kind, key in re.findall(r"^@(\w+)\{(.*),$", text, re.M)}
    characters = {c for item in ours for c in str(item) if ord(c) > 127}
    unknown = _pandoc_unknown_characters(characters) if dialect == "bibtex" else set()
    unknown.add("`")  # written \textasciigrave, which pandoc does not know
    # pandoc 2.17 knows the accents and the Latin letters; its gaps are symbols
    assert not unknown & set("éüñçøåßłŁæœÆŒáàâäãőůřšž")
    compared = 0
    for item in ours:
        pandoc_item = theirs[item["id"]]
        entry_type = entry_types[item["id"]]
        if entry_type in ("misc", "online") and item.get("container-title"):
            # pandoc reads howpublished (@misc) and organization (@online) as publishers
            publishers = str(pandoc_item.get("publisher") or "").split("; ")
            found = item["container-title"] if item["container-title"] in publishers else None
            pandoc_item = {**pandoc_item, "container-title": found}
        if entry_type not in ("article", "periodical"):
            # only there is the issue in `number`; elsewhere `number` is a series or report
            # number and the issue goes in biblatex's `issue`, which pandoc does not read
            pandoc_item = {**pandoc_item, "issue": item.get("issue")}
        if pandoc_item.get("author") and pandoc_item["author"][-1] == {"literal": "others"}:
            # pandoc keeps BibTeX's "and others" as a name; we mark the list truncated
            pandoc_item = {**pandoc_item, "author": pandoc_item["author"][:-1]}
        expected, found = _pandoc_view(item), _pandoc_view(pandoc_item)
        for key in expected:
            value = str(expected[key])
            if unknown & set(value) or (key == "date" and "literal" in item.get("issued", {})):
                continue  # a character pandoc cannot decode; a date pandoc cannot parse
            assert found[key] == expected[key], (item["id"], key)
            compared += 1
    assert compared > 6 * len(ours)


# --- real-world .bib files -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["xampl.bib", "biblatex-examples.bib"])
def test_real_world_files_have_every_entry_converted_or_reported(name: str) -> None:
    path = bib_file(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian texlive-base / texlive-bibtex-extra)")
    import bibtexparser

    text = path.read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text, parse_stack=[])
    entries = len(library.entries) + len(library.failed_blocks)
    items, report = read_bib(text)
    reported = {
        d.record for d in report.collected if d.severity >= Severity.WARNING and d.record
    } | {d.record for d in report.collected if "merged" in d.message}
    converted = {item["id"] for item in items}
    assert len(converted) == len(items)
    skipped = [
        d for d in report.collected if "not converted" in d.message or d.severity is Severity.ERROR
    ]
    assert len(items) + len(skipped) + sum("merged" in d.message for d in report.collected) == (
        entries
    )
    assert reported or len(items) == entries
