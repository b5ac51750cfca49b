"""The BibTeX/biblatex writer with hostile and odd values: dates in every CSL shape never
break out of their field, names without a given name are written as BibTeX reads them."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from bibtex_support import messages, read_bib, run_biber_tool, run_bibtex, write_bib

from refconv.converters.bibtex._biblatex_datamodel import EVERY_TYPE, TYPE_FIELDS
from refconv.converters.bibtex.latex import from_latex
from refconv.converters.bibtex.mapping import BIBTEX, FIELDS, WRITE_TYPES
from refconv.converters.bibtex.writer import (
    WriteContext,
    _encode_doi,
    _encode_list,
    _encode_pages,
    _encode_text,
    _encode_title,
)
from refconv.converters.core.diagnostics import Report, Severity

DIALECTS = ("bibtex", "biblatex")
DATE_VARIABLES = {
    "issued": ("year", "date"),
    "accessed": ("urldate",),
    "event-date": ("eventdate",),
    "original-date": ("origdate",),
}
PAYLOADS = [
    "2020}, note = {injected}}\n@misc{evil, title = {\\input{/etc/passwd}}",
    "2020-01-01}, howpublished = {\\write18{rm -rf ~}}",
    "1999--2000}, note={x",
    "}}}\n@comment{",
    "\\immediate\\write18{id} % #1 @x",
]
SHAPES = {
    "string": lambda text: text,
    "raw": lambda text: {"raw": text},
    "literal": lambda text: {"literal": text},
}


def _item(variable: str, value: object) -> dict:
    return {
        "id": "victim",
        "type": "paper-conference",  # biblatex's @inproceedings allows every date field
        "title": "Victim",
        "URL": "https://example.org/",
        variable: value,
    }


def _entries(text: str) -> list[str]:
    return re.findall(r"^\s*@(\w+)\s*\{", text, re.MULTILINE)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("variable", DATE_VARIABLES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_date_in_any_shape_stays_inside_its_field(
    dialect: str, shape: str, variable: str, payload: str
) -> None:
    text = write_bib([_item(variable, SHAPES[shape](payload))], dialect)
    assert len(_entries(text)) == 1
    assert "\\input" not in text and "\\write18" not in text and "\\immediate" not in text
    items, _ = read_bib(text)
    assert len(items) == 1
    item = items[0]
    assert item["id"] == "victim" and item["title"] == "Victim"
    assert not {"note", "publisher", "container-title"} & set(item)
    fields = set(re.findall(r"^  (\w+) = ", text, re.MULTILINE))
    assert fields - {"title", "url", "pubstate"} <= set(DATE_VARIABLES[variable])
    # the text survives as text: read back, the date holds every character given (the
    # reader decodes `year` but keeps the other date fields' LaTeX as written)
    literal = (item.get(variable) or {}).get("literal", "")
    assert " ".join(payload.split()) in (literal, from_latex(literal))


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-04", [[2021, 3, 4]]),
        ({"raw": "4 March 2021"}, [[2021, 3, 4]]),
        ({"raw": "2019/2020"}, [[2019], [2020]]),
        ({"date-parts": [["2021", "3"]]}, [[2021, 3]]),
    ],
)
def test_dates_given_as_text_are_written_as_dates(
    dialect: str, value: object, expected: list
) -> None:
    text = write_bib([_item("accessed", value)], dialect)
    assert "urldate = {" in text
    assert read_bib(text)[0][0]["accessed"]["date-parts"] == expected


def test_a_date_with_no_date_and_no_text_is_reported_not_dropped_silently() -> None:
    report = Report(keep_info=True)
    write_bib([_item("accessed", {"date-parts": [["soon"]]})], report=report)
    assert any("accessed" in m for m in messages(report, Severity.WARNING))


NO_GIVEN = [
    ({"family": "García Márquez"}, "{Garc{\\'i}a M{\\'a}rquez}"),
    ({"family": "El-Husseini"}, "{El-Husseini}"),
    ({"family": "Gogh", "non-dropping-particle": "van"}, "van Gogh"),
    ({"family": "Gogh Kim", "non-dropping-particle": "van der"}, "van der {Gogh Kim}"),
    ({"family": "Gaulle", "non-dropping-particle": "De"}, "{De Gaulle}"),
    ({"family": "Smith", "suffix": "Jr."}, "{Smith, Jr.}"),
    ({"given": "Plato"}, "Plato"),
]


@pytest.mark.parametrize(("name", "written"), NO_GIVEN)
def test_a_name_without_a_given_name_has_no_trailing_comma(name: dict, written: str) -> None:
    text = write_bib([{"id": "a", "type": "book", "title": "T", "author": [name]}])
    assert f"author = {{{written}}}" in text


@pytest.mark.interop
@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex is not installed")
def test_bibtex_reads_names_without_given_names_with_no_error(tmp_path: Path) -> None:
    items = [
        {"id": f"n{i}", "type": "book", "title": "T", "author": [name], "issued": "2020"}
        for i, (name, _) in enumerate(NO_GIVEN)
    ]
    warnings, errors, bbl = run_bibtex(write_bib(items), tmp_path)
    assert errors == [] and [w for w in warnings if "empty publisher" not in w] == []
    assert "Garc{\\'i}a M{\\'a}rquez" in bbl and "van Gogh" in bbl


@pytest.mark.interop
@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex is not installed")
@pytest.mark.parametrize("shape", SHAPES)
def test_bibtex_sees_one_entry_with_the_intended_fields(shape: str, tmp_path: Path) -> None:
    items = [
        {**_item(variable, SHAPES[shape](payload)), "id": f"v{i}{variable}"}
        for i, payload in enumerate(PAYLOADS)
        for variable in DATE_VARIABLES
    ]
    _, errors, bbl = run_bibtex(write_bib(items), tmp_path, style="plain")
    assert errors == []
    assert sorted(re.findall(r"\\bibitem\{(.*?)\}", bbl)) == sorted(i["id"] for i in items)
    assert "\\input" not in bbl and "\\write18" not in bbl


@pytest.mark.interop
@pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed")
@pytest.mark.parametrize("shape", SHAPES)
def test_biber_sees_one_entry_with_the_intended_fields(shape: str, tmp_path: Path) -> None:
    items = [
        {**_item(variable, SHAPES[shape](payload)), "id": f"v{i}{variable}"}
        for i, payload in enumerate(PAYLOADS)
        for variable in DATE_VARIABLES
    ]
    _, errors, written = run_biber_tool(write_bib(items, "biblatex"), tmp_path)
    assert errors == []
    entries = re.split(r"^@", written, flags=re.MULTILINE)[1:]
    assert sorted(re.match(r"\w+\{([^,]*),", e).group(1) for e in entries) == sorted(
        i["id"] for i in items
    )
    for entry in entries:
        fields = set(re.findall(r"^  (\w+) = ", entry, re.MULTILINE))
        assert fields <= {"TITLE", "URL", "YEAR", "DATE", "URLDATE", "EVENTDATE", "ORIGDATE"}


# --- what a round trip keeps ---------------------------------------------------------------

LOSSY_ITEM = {
    "id": "lossy",
    "type": "motion_picture",
    "title": "A Film",
    "director": [{"family": "Varda", "given": "Agnès"}],
    "composer": [{"family": "Legrand", "given": "Michel"}],
    "collection-editor": [{"family": "Smith", "given": "Ann"}],
    "available-date": {"date-parts": [[2021, 6, 1]]},
    "archive": "Cinémathèque française",
    "archive_location": "Box 12, folder 3",
    "status": "in press",
    "issued": {"date-parts": [[1962]]},
    "original-publisher": "Ciné-Tamaris",
    "custom": {
        "citation-count": 12,
        "fulltext-url": "https://example.org/film.pdf?a=1&b=%20",
        "retraction": {"doi": "10.1234/retract", "date": "2022-01-01"},
        "authors-truncated-note": "12",
        "open-access": True,
        "publication-types": ["Film", "Review"],
    },
}


def _corpus() -> list[dict]:
    from bibtex_support import FIXTURES, example_items, load_corpus

    ris = json.loads((FIXTURES.parent / "ris" / "corpus.json").read_text(encoding="utf-8"))
    return [*example_items(), *load_corpus(), *ris, LOSSY_ITEM]


def _variables(item: dict) -> dict[str, object]:
    """An item's data: its variables, and each custom key as ``custom.KEY``."""
    out: dict[str, object] = {}
    for variable, value in item.items():
        if variable in ("id", "type", "citation-key"):
            continue
        if variable == "custom":
            out.update(
                (f"custom.{key}", v)
                for key, v in value.items()
                if key not in ("bibtex-fields", "bibtex-type", "authors-truncated")
            )
        else:
            out[variable] = value
    if "status" not in item and "literal" in item.get("issued", {}):
        # a publication state in place of a date (biblatex pubstate with no date) is read
        # as the literal date, as CSL has it; written, that date is the pubstate again
        out["status"] = item["issued"]["literal"]
    return out


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_variable_survives_a_round_trip_or_is_warned_about(dialect: str) -> None:
    items = _corpus()
    report = Report(keep_info=True)
    text = write_bib(items, dialect, report)
    warned = {
        m.split(" ", 1)[0] for m in messages(report, Severity.WARNING) if " not written " in m
    }
    back, _ = read_bib(text)
    assert len(back) == len(items)
    silent = set()
    for original, read in zip(items, back, strict=True):
        after = _variables(read)
        for variable, value in _variables(original).items():
            if variable not in after and variable not in warned:
                silent.add(variable)
            elif variable.startswith("custom.") and variable not in warned:
                assert after[variable] == value, (original["id"], variable)
    assert silent == set()
    if dialect == "bibtex":  # BibTeX takes any field: nothing is lost
        assert warned == set()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_variables_issue_16_found_lost_are_carried_or_warned_about(dialect: str) -> None:
    report = Report(keep_info=True)
    text = write_bib([LOSSY_ITEM], dialect, report)
    (back,), _ = read_bib(text)
    warnings = messages(report, Severity.WARNING)
    carried = {"archive", "original-publisher", "status"}  # library, origpublisher, pubstate
    if dialect == "bibtex":
        carried |= set(_variables(LOSSY_ITEM)) - {"title", "issued"}
        assert warnings == []
    for variable in carried:
        assert _variables(back)[variable] == _variables(LOSSY_ITEM)[variable], variable
    for variable in set(_variables(LOSSY_ITEM)) - carried - {"title", "issued"}:
        assert any(w.startswith(f"{variable} not written for 1 item") for w in warnings)


# --- biblatex's data model -----------------------------------------------------------------


def _everything(csl_type: str) -> dict:
    """An item of ``csl_type`` with a value for every variable the writer knows."""
    item: dict = {"id": f"k-{csl_type}", "type": csl_type, "genre": "Some genre"}
    for row in FIELDS:
        if not row.variable or row.variable in item:
            continue
        if row.kind == "names":
            item[row.variable] = [{"family": "Doe", "given": "Jane"}]
        elif row.kind in ("date", "year", "month", "day"):
            item[row.variable] = {"date-parts": [[2020, 5, 17]]}
        else:
            item[row.variable] = {"URL": "https://example.org/", "DOI": "10.1234/x"}.get(
                row.variable, "1"
            )
    return item


@pytest.mark.parametrize("csl_type", sorted({*WRITE_TYPES, "motion_picture", "speech"}))
def test_biblatex_writes_only_fields_the_data_model_allows_and_reports_the_rest(
    csl_type: str,
) -> None:
    item = _everything(csl_type)
    report = Report(keep_info=True)
    text = write_bib([item], "biblatex", report)
    entry_type = re.match(r"@(\w+)\{", text).group(1)
    allowed = EVERY_TYPE | TYPE_FIELDS[entry_type]
    written = set(re.findall(r"^  (\w+) = ", text, re.MULTILINE))
    assert written <= allowed
    # every variable is written or named in a warning
    warned = {m.split(" ", 1)[0] for m in messages(report, Severity.WARNING)}
    (back,), _ = read_bib(text)
    assert set(item) - {"id", "type"} - set(back) <= warned


def test_a_forbidden_field_moves_to_a_field_that_carries_it() -> None:
    report_item = {"id": "r", "type": "report", "title": "T", "publisher": "Agency"}
    text = write_bib([report_item], "biblatex")
    assert "institution = {Agency}" in text and "publisher" not in text
    assert read_bib(text)[0][0]["publisher"] == "Agency"


def test_publisher_of_an_article_is_reported_once_with_the_count() -> None:
    items = [
        {"id": f"a{i}", "type": "article-journal", "title": "T", "publisher": "Springer"}
        for i in range(3)
    ]
    report = Report(keep_info=True)
    text = write_bib(items, "biblatex", report)
    assert "publisher" not in text
    assert [m for m in messages(report, Severity.WARNING) if m.startswith("publisher")] == [
        "publisher not written for 3 items: biblatex has no field for it in the entry type "
        "(--verbose names the items)"
    ]


def test_the_data_model_table_allows_nothing_the_installed_biblatex_forbids() -> None:
    """tools/biblatex_datamodel.py made the table from a blx-dm.def; the biblatex installed
    here must allow at least what the table does (a newer one may allow more)."""
    import importlib.util

    from bibtex_support import bib_file

    path = bib_file("blx-dm.def")
    if path is None:
        pytest.skip("biblatex's blx-dm.def is not installed (Debian texlive-bibtex-extra)")
    tool = Path(__file__).resolve().parents[2] / "tools" / "biblatex_datamodel.py"
    spec = importlib.util.spec_from_file_location("biblatex_datamodel", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    types, everywhere, by_type = module.read_datamodel(path.read_text(encoding="utf-8"))
    assert set(everywhere) >= EVERY_TYPE
    for entry_type, fields in TYPE_FIELDS.items():
        assert entry_type in types
        assert fields <= by_type.get(entry_type, set()) | set(everywhere), entry_type


@pytest.mark.parametrize(
    ("parts", "edtf"),
    [
        ([[-877]], "-0876"),  # 877 BCE (biblatex manual, table 5: astronomical numbering)
        ([[-1, 3]], "0000-03"),  # 1 BCE
        ([[44, 3, 15]], "0044-03-15"),
        ([[2020, 13, 5]], "2020"),  # no month 13: the year alone
        ([[2020, 22]], "2020-22"),  # summer (EDTF season)
        ([[2020, 2, 40]], "2020-02"),
    ],
)
def test_biblatex_dates_are_edtf_with_astronomical_years(parts: list, edtf: str) -> None:
    text = write_bib(
        [{"id": "d", "type": "book", "title": "T", "issued": {"date-parts": parts}}], "biblatex"
    )
    assert f"date = {{{edtf}}}" in text


@pytest.mark.parametrize(
    ("dialect", "fields"),
    [
        ("biblatex", ["date = {1999-10-14/}"]),
        ("bibtex", ["year = {1999--}", "date = {1999-10-14/}"]),
    ],
)
def test_an_open_ended_range_is_written_open_and_reads_back(dialect: str, fields: list) -> None:
    # CSL has no year 0: an end of [0] is an open end, not the year 1 BCE (EDTF "0000")
    item = {
        "id": "o",
        "type": "book",
        "title": "T",
        "issued": {"date-parts": [[1999, 10, 14], [0]]},
    }
    text = write_bib([item], dialect)
    assert all(field in text for field in fields), text
    assert read_bib(text)[0][0]["issued"] == {"date-parts": [[1999, 10, 14], [0]]}


# --- the encoders' short cuts give what their general code gives (reached with a str
# subclass, which the short cuts' ``type(value) is str`` leaves to it)


class Text(str):
    """A str the fast paths (``type(value) is str``) leave to the general code."""


TEXTS = [
    "Deep learning for single-cell RNA sequencing",
    "The Lancet",
    "PLOS ONE",
    "A study of vitamin D in T-cell response",
    "O'Brien's model: 3D mRNA maps (of HCC) [A/B] ?!",
    "x'Y and 'B and B' and ['T and Ab 'T",
    "Springer Science and Business Media LLC",
    "trailing space ",
    " leading space",
    "double  space",
    "en--dash and ''quotes'' and ,,low",
    "100% & $5 # {braces} ~tilde ^ _ \\ | ` < >",
    "Zoë Müller and Łukasz",
    "tab\there",
    "",
]


@pytest.fixture(params=[True, False], ids=["ascii", "utf8"])
def ctx(request: pytest.FixtureRequest) -> WriteContext:
    return WriteContext(BIBTEX, request.param, Report())


def _both(encode, value, ctx):
    general = WriteContext(ctx.dialect, ctx.ascii_only, Report())
    fast = encode(value, ctx, FIELDS[0], {})
    slow = encode(Text(value), general, FIELDS[0], {})
    assert fast == slow, value
    assert ctx.unknown == general.unknown


@pytest.mark.parametrize("value", TEXTS)
@pytest.mark.parametrize(
    "encode",
    [_encode_text, _encode_title, _encode_list, _encode_pages],
    ids=["text", "title", "list", "pages"],
)
def test_plain_text_short_cuts(encode, value: str, ctx) -> None:
    _both(encode, value, ctx)


@pytest.mark.parametrize(
    "value",
    [
        "Tumour <i>Mus musculus</i> models",
        "<i>E. coli</i> in DNA repair",
        "Review of <i>The Book</i>",
        "a<i> </i>b",
        "x <i>y</i>  z",
        "<i>a</i><i>b</i>",
        "<i>--</i>",
        "A <i>B</i> C",
    ],
)
def test_titles_with_one_italic_span(value: str, ctx) -> None:
    _both(_encode_title, value, ctx)


@pytest.mark.parametrize("value", ["123-140", "e1021", "12", "A1-B2", "12--14", "5 - 7", "iv–x"])
def test_pages(value: str, ctx) -> None:
    _both(_encode_pages, value, ctx)


@pytest.mark.parametrize(
    "value",
    ["10.1038/nature12373", "10.1000/x.", "10.1000/a%20b", "10.1000/{x}", "10.12/x", "10.1000/é"],
)
def test_dois(value: str, ctx) -> None:
    _both(_encode_doi, value, ctx)


def _hostile_names(count: int) -> list[dict]:
    """Names of separators, commas, braces, "and", "others" and particles in every part."""
    rng = random.Random(11)
    alphabet = [*"abXY ,.-'{}\\~", " ", ", ", "and", "others", "Jr", "von", "-", "~"]
    parts = ("family", "given", "suffix", "non-dropping-particle", "dropping-particle")
    names = [
        {"family": "a", "given": "-"},  # the RIS fuzzing finding: "a, -" (comma at the end)
        {"family": "Sm, ith", "given": "John", "suffix": "Jr"},  # three commas for biber
        {"family": "Smith", "given": "A, B", "suffix": "Jr., Sr."},
    ]
    for _ in range(count):
        word = lambda: "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))  # noqa: E731
        names.append({part: word() for part in parts if rng.random() < 0.6})
    return names


@pytest.mark.skipif(
    not (shutil.which("bibtex") and shutil.which("biber")), reason="no bibtex/biber"
)
@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_any_name_is_one_name_to_bibtex_and_biber(tmp_path: Path, dialect: str) -> None:
    # bibtex: "Name 1 in ... has a comma at the end"; biber: "has too many commas, skipping
    # entry" (it counts commas inside braces too): both lost the entry's names or the entry
    items = [
        {"id": f"n{i}", "type": "article-journal", "title": "T", "author": [name]}
        for i, name in enumerate(_hostile_names(600))
    ]
    bib = write_bib(items, dialect=dialect)
    _, bibtex_errors, _ = run_bibtex(bib, tmp_path)
    _, biber_errors, _ = run_biber_tool(bib, tmp_path)
    assert bibtex_errors == [] and biber_errors == []
