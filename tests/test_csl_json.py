"""The CSL-JSON converter: schema-valid output, every input shape, lossless round trips."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, SHARED, requires_shared, run_cli
from refconv.converters import Report, convert, read, write
from refconv.converters.core.keys import KeyAllocator


@pytest.fixture(scope="module")
def schema_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SHARED / "reference" / "csl-data.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def example_items() -> list[dict]:
    keys = KeyAllocator()  # ids unique across the three files, as in one CLI run
    items = []
    for name in ("000_499a5861f67c187d.txt", "records.jsonl", "concatenated.txt"):
        items += list(read(EXAMPLES / name, allocator=keys))
    return items


@requires_shared
def test_examples_validate_against_the_official_schema(schema_validator):
    text = write(example_items(), "csl-json")
    errors = sorted(schema_validator.iter_errors(json.loads(text)), key=str)
    assert errors == []


@requires_shared
def test_unknown_keys_are_moved_to_custom_so_output_stays_valid(schema_validator):
    item = {
        "id": "x",
        "type": "book",
        "title": "T",
        "system_id": "zotero|1",
        "author": [{"family": "F", "given": "G", "sequence": "first"}],
    }
    [back] = json.loads(write([item], "csl-json"))
    assert back["custom"] == {"system_id": "zotero|1"}
    assert back["author"] == [{"family": "F", "given": "G"}]
    assert list(schema_validator.iter_errors([back])) == []


def test_stable_key_order():
    item = {"note": "n", "custom": {"a": 1}, "title": "T", "type": "book", "id": "k", "zzz": 1}
    [back] = json.loads(write([item], "csl-json"))
    assert list(back) == ["id", "type", "title", "note", "custom"]
    assert back["custom"] == {"a": 1, "zzz": 1}


def test_indent_and_jsonl_options():
    items = [{"id": "a", "type": "book", "title": "Ä"}, {"id": "b", "type": "book", "title": "B"}]
    assert write(items, "csl-json", jsonl=True) == (
        '{"id":"a","type":"book","title":"Ä"}\n{"id":"b","type":"book","title":"B"}\n'
    )
    four = write(items[:1], "csl-json", indent=4)
    assert (
        four
        == '[\n    {\n        "id": "a",\n        "type": "book",\n        "title": "Ä"\n    }\n]\n'
    )
    assert write([], "csl-json") == "[]\n"
    assert json.loads(write(items, "csl-json", indent=0)) == items


@pytest.mark.parametrize(
    "text",
    [
        '[{"id": "a", "type": "book", "title": "A"}, {"id": "b", "type": "book", "title": "B"}]',
        '{"id": "a", "type": "book", "title": "A"}\n{"id": "b", "type": "book", "title": "B"}\n',
        '\ufeff\n\n{"id": "a", "type": "book", "title": "A"}\n\n'
        '{"id": "b", "type": "book", "title": "B"}',
    ],
)
def test_reads_array_and_json_lines(text):
    assert [i["id"] for i in read(text, "csl-json")] == ["a", "b"]


def test_reads_single_pretty_printed_object():
    text = json.dumps({"id": "a", "type": "book", "title": "A"}, indent=2)
    assert [i["title"] for i in read(text, "csl-json")] == ["A"]


def test_dates_and_names_are_normalised():
    text = json.dumps(
        [
            {
                "id": "a",
                "type": "article-journal",
                "issued": "2020-05-01",
                "accessed": {"date-parts": [["2021", "2", "0"]]},
                "submitted": {"raw": "2019"},
                "author": ["Ludwig van Beethoven", {"family": "Bach", "given": None}],
            }
        ]
    )
    [item] = read(text, "csl-json")
    assert item["issued"] == {"date-parts": [[2020, 5, 1]]}
    assert item["accessed"] == {"date-parts": [[2021, 2]]}
    assert item["submitted"] == {"date-parts": [[2019]]}
    assert item["author"] == [
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"family": "Bach"},
    ]


def test_round_trip_loses_nothing():
    items = example_items()
    text = write(items, "csl-json")
    again = list(read(text, "csl-json"))
    assert again == json.loads(text)
    assert write(again, "csl-json") == text


def test_duplicate_ids_are_renamed_with_a_warning():
    report = Report()
    text = '[{"id": "Knuth1997", "type": "book"}, {"id": "knuth1997", "type": "book"}]'
    assert [i["id"] for i in read(text, "csl-json", report=report)] == ["Knuth1997", "knuth1997a"]
    assert [d.message for d in report.collected] == [
        "duplicate id 'knuth1997' renamed to 'knuth1997a'"
    ]


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"id": "a", "type": "book"},\n  {"id": "b" "type": "book"}\n]\n')
    result = run_cli("convert", str(path), "-t", "csl-json")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}: line 3: error: invalid JSON: expected ',' or '}}'"
    )


def test_json_lines_error_keeps_the_other_lines(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "type": "book"}\n[1]\n{"id": "b", "type": "book"}\n')
    result = run_cli("convert", str(path), "-t", "csl-json", "--jsonl")
    assert result.exit_code == 1
    assert (
        f"{path}: line 2 (record 2): error: expected a CSL-JSON object, got list" in result.stderr
    )
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["a", "b"]


def test_convert_api():
    out = convert(
        EXAMPLES.joinpath("records.jsonl").read_text(encoding="utf-8"), to="csl-json", jsonl=True
    )
    assert len(out.splitlines()) == 7


def test_schema_clean_name_lists_and_number_variables():
    from refconv.converters.csl_json import schema_clean

    item = {
        "id": "k",
        "type": "book",
        "author": [{"family": "F", "given": "G"}, {"literal": "Org", "sequence": "first"}],
        "editor": [],
        "translator": ["kept as it is"],
        "volume": ["3"],
        "page": 12,
        "issue": None,
    }
    assert schema_clean(item) == {
        "id": "k",
        "type": "book",
        "author": [{"family": "F", "given": "G"}, {"literal": "Org"}],
        "editor": [],
        "translator": ["kept as it is"],
        "volume": "['3']",
        "page": 12,
    }


def test_json_lines_written_in_batches_are_the_same_lines():
    items = [{"id": f"k{i}", "type": "book", "title": f"T{i} é"} for i in range(150)]
    text = write(items, "csl-json", jsonl=True)
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 151
    assert [json.loads(line) for line in lines[:-1]] == items


def test_json_lines_read_before_an_input_failure_are_written():
    import io

    from refconv.converters import csl_json
    from refconv.converters.core.diagnostics import ConversionError, Report

    def failing_after(count):
        for i in range(count):
            yield {"id": f"k{i}", "type": "book", "title": f"T{i}"}
        raise ConversionError("damaged gzip data: unexpected end", source="in.jsonl.gz")

    out = io.StringIO()
    with pytest.raises(ConversionError):
        csl_json.write(failing_after(70), out, Report(), jsonl=True)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [
        f"k{i}" for i in range(70)
    ]
