"""Hostile and broken records in the JSON, RIS and PubMed readers (#16): the bad record
fails alone with a one-line diagnostic naming it; the others are converted; no traceback."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from refconv.converters import Report, read, write
from refconv.converters.core.diagnostics import Severity

DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


def read_all(text: str, format: str) -> tuple[list[dict], list[str]]:
    report = Report()
    items = list(read(text, format, report=report))
    errors = [str(d) for d in report.collected if d.severity is Severity.ERROR]
    return items, errors


GOOD = {
    "csl-json": {"id": "good", "type": "book", "title": "Good"},
    "paper-record": {"title": "Good", "authors": "Ann Smith"},
    "crossref": {"DOI": "10.1000/good", "type": "journal-article", "title": ["Good"]},
    "openalex": {"id": "https://openalex.org/W1", "title": "Good", "type": "article"},
    "semantic-scholar": {"paperId": "abc", "title": "Good"},
}


@pytest.mark.parametrize("format", sorted(GOOD))
@pytest.mark.parametrize("deep", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
@pytest.mark.parametrize("layout", ["lines", "pretty"])
def test_json_nested_100000_deep_fails_alone(format, deep, layout):
    good = json.dumps(GOOD[format])
    # JSON Lines, or one document over several lines (read by the scanner, not by line)
    lines = f"{good}\n{deep}\n{good}\n"
    text = lines if layout == "lines" else f"[\n  {good},\n  {deep},\n  {good}\n]\n"
    items, errors = read_all(text, format)
    assert [i["title"] for i in items] == ["Good", "Good"]
    line = 2 if layout == "lines" else 3
    assert errors == [
        f"<string>: line {line} (record 2): error: "
        "invalid JSON: nested too deeply (the limit is about 900 levels)"
    ]


@pytest.mark.parametrize("format", sorted(GOOD))
def test_a_lone_surrogate_fails_its_record_alone(format):
    bad = json.dumps({**GOOD[format], "title": "Half \ud800 a character"})
    assert "\\ud800" in bad
    good = json.dumps(GOOD[format])
    items, errors = read_all(f"[\n  {good},\n  {bad},\n  {good}\n]\n", format)
    assert [i["title"] for i in items] == ["Good", "Good"]
    assert len(errors) == 1 and "(record 2)" in errors[0] and "surrogate \\ud800" in errors[0]
    for writer in ("csl-json", "bibtex", "ris"):
        write(items, writer).encode("utf-8")  # nothing unwritable got through


@pytest.mark.parametrize("value", [["book"], {"name": "book"}, 3])
def test_csl_json_type_that_is_not_a_string_fails_its_record(value):
    text = json.dumps([{"id": "a", "type": value, "title": "Bad"}, GOOD["csl-json"]])
    items, errors = read_all(text, "csl-json")
    assert [i["id"] for i in items] == ["good"]
    assert errors[0].startswith("<string>: record 1: error: 'type' must be a string, not ")


@pytest.mark.parametrize("value", ["text", [1, 2], 7])
def test_csl_json_custom_that_is_not_an_object_fails_its_record(value):
    text = json.dumps([{"id": "a", "type": "book", "custom": value}, GOOD["csl-json"]])
    items, errors = read_all(text, "csl-json")
    assert [i["id"] for i in items] == ["good"]
    assert errors[0].startswith("<string>: record 1: error: 'custom' must be an object, not ")
    assert write(items, "bibtex").startswith("@book{good,")


@pytest.mark.parametrize("types", [[["JournalArticle"]], [{"type": "Review"}], [["a"], "Review"]])
def test_semantic_scholar_nested_publication_types_are_kept_as_a_note(types):
    # not a crash and not a lost record: the value no table knows is kept beside the item
    bad = {"paperId": "bad", "title": "Bad", "publicationTypes": types}
    text = "\n".join(json.dumps(p) for p in (bad, GOOD["semantic-scholar"]))
    items, errors = read_all(text, "semantic-scholar")
    assert [i["title"] for i in items] == ["Bad", "Good"] and errors == []
    assert items[0]["custom"]["source-type"] == str(types[0])


def test_openalex_abstract_index_given_as_deep_or_broken_json_text_fails_its_record():
    bad = {**GOOD["openalex"], "abstract_inverted_index": "[" * 5000}
    half = {**GOOD["openalex"], "abstract_inverted_index": '{"a\\ud800": [0]}'}
    text = "\n".join(json.dumps(w) for w in (bad, half, GOOD["openalex"]))
    items, errors = read_all(text, "openalex")
    assert len(items) == 1 and len(errors) == 2
    assert "not JSON" in errors[0] and "surrogate" in errors[1]


def test_cli_reports_a_deep_record_and_converts_the_rest():
    good = json.dumps(GOOD["csl-json"])
    result = run_cli(
        "convert", "-", "-f", "csl-json", "-t", "csl-json", input=f"[{DEEP_ARRAY},{good}]"
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "<stdin>: line 1 (record 1): error: invalid JSON: nested too deeply" in result.stderr
    assert [i["id"] for i in json.loads(result.stdout)] == ["good"]


def test_a_deep_value_that_never_ends_stops_the_document_where_it_starts():
    good = json.dumps(GOOD["semantic-scholar"])
    items, errors = read_all(f"[\n  {good},\n  " + "[" * 5000, "semantic-scholar")
    assert [i["title"] for i in items] == ["Good"]
    assert errors == [
        "<string>: line 3 (record 2): error: invalid JSON: nested too deeply (the limit is "
        "about 900 levels) (column 3); nothing from line 3 on was read"
    ]


# --- records spread over many lines (RIS, MEDLINE) ----------------------------------------

LINE = "continued text of the abstract, wrapped at a fixed width here\n"


def _ris_record(title: str, abstract_lines: int) -> str:
    return f"TY  - JOUR\nTI  - {title}\nAB  - start\n" + LINE * abstract_lines + "ER  - \n"


def _medline_record(pmid: int, title: str, abstract_lines: int) -> str:
    return f"PMID- {pmid}\nTI  - {title}\nAB  - start\n" + ("      " + LINE) * abstract_lines + "\n"


@pytest.mark.parametrize("format", ["ris", "pubmed"])
def test_a_value_of_200000_lines_reads_in_linear_time(format):
    # joined line by line, the abstract took quadratic time: over ten minutes for 12 MB
    record = (
        _ris_record("Long", 200_000) if format == "ris" else _medline_record(1, "Long", 200_000)
    )
    result = run_cli("convert", "-", "-f", format, "-t", "csl-json", input=record, timeout=120)
    assert result.exit_code == 0, result.stderr
    [item] = json.loads(result.stdout)
    assert item["abstract"].count("continued text") == 200_000


# a RIS line over the limit stops the input (the stream refuses it); the PubMed reader is
# exempt from the line limit (for EFetch XML), so its MEDLINE reader cuts a long line itself
@pytest.mark.parametrize(
    ("format", "shape"), [("ris", "many lines"), ("pubmed", "many lines"), ("pubmed", "one line")]
)
def test_a_record_longer_than_max_line_fails_alone(format, shape):
    lines, long_line = (30_000, "") if shape == "many lines" else (0, "x" * 3_000_000)
    if format == "ris":
        text = _ris_record("Huge" + long_line, lines) + _ris_record("Next", 1)
    else:
        text = _medline_record(1, "Huge" + long_line, lines) + _medline_record(2, "Next", 1)
    result = run_cli("convert", "-", "-f", format, "-t", "csl-json", "--max-line", "1M", input=text)
    assert result.exit_code == 1
    assert [i["title"] for i in json.loads(result.stdout)] == ["Next"]
    [error] = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert error.startswith("<stdin>: line 1 (record 1): error: record longer than 1 MiB")
    assert error.endswith("skipped (--max-line raises the limit)")


def test_a_pretty_printed_paper_record_array_reads_in_linear_time():
    # `jq .` or json.dump(indent=2) output: 10,000 records over 50,000 lines were decoded
    # again at every line, and took over five minutes
    records = [{"title": f"Paper {n}", "authors": "Ann Smith", "year": 2020} for n in range(10_000)]
    result = run_cli(
        "convert", "-", "-f", "paper-record", "-t", "csl-json",
        input=json.dumps(records, indent=2), timeout=120,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert [i["title"] for i in json.loads(result.stdout)] == [f"Paper {n}" for n in range(10_000)]
