"""The BibTeX/biblatex writer with hostile and odd values: dates in every CSL shape never
break out of their field, names without a given name are written as BibTeX reads them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bibtex_support import messages, read_bib, run_bibtex, write_bib

from refconv.converters.core.diagnostics import Report, Severity
from refconv.converters.core.latex import from_latex

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


def run_biber_tool(bib: str, folder: Path) -> tuple[list[str], list[str], str]:
    """``biber --tool --validate-datamodel``: (WARN lines, ERROR lines, the .bib biber wrote)."""
    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    proc = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--nolog", "refs.bib"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    warnings = re.findall(r"^WARN - (.*)$", output, re.MULTILINE)
    errors = re.findall(r"^ERROR - (.*)$", output, re.MULTILINE)
    if proc.returncode and not errors:
        errors.append(f"biber exited with {proc.returncode}: {output[-500:]}")
    written = folder / "refs_bibertool.bib"
    return warnings, errors, written.read_text(encoding="utf-8") if written.exists() else ""


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
