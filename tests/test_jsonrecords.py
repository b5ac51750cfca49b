"""core/jsonrecords: records out of API JSON, with the line and number of each."""

from __future__ import annotations

import io

import pytest

from refconv.converters.core.diagnostics import Report
from refconv.converters.core.fields import json_kind
from refconv.converters.core.jsonrecords import json_records, unwrap

DATA = (("data",),)


def records(text: str, envelopes=DATA) -> tuple[list[tuple], list[str]]:
    report = Report()
    found = [(r.value, r.line, r.index) for r in json_records(io.StringIO(text), report, envelopes)]
    return found, [f"{d.line}|{d.record}|{d.message}" for d in report.collected]


def test_json_lines_of_objects_and_envelopes():
    text = '{"a": 1}\n\n{"data": [{"b": 2}, {"c": 3}]}\n[{"d": 4}, null]\n'
    found, problems = records(text)
    assert found == [
        ({"a": 1}, 1, 1),
        ({"b": 2}, 3, 2),
        ({"c": 3}, 3, 3),
        ({"d": 4}, 4, 4),
        (None, 4, 5),
    ]
    assert problems == []


def test_bad_json_line_is_reported_and_the_rest_read():
    found, problems = records('{"a": 1}\n{"b": tru\n{"c": 3}\n')
    assert [value for value, _, _ in found] == [{"a": 1}, {"c": 3}]
    assert [index for _, _, index in found] == [1, 3]
    assert problems == ["2|2|invalid JSON: invalid character"]


def test_truncated_last_line():
    found, problems = records('{"a": 1}\n{"b": "cut sho')
    assert len(found) == 1
    assert problems == ["2|2|truncated JSON: the line ends inside the record"]


def test_pretty_printed_envelope_gives_each_record_its_line():
    text = '{\n  "total": 2,\n  "data": [\n    {"a": 1},\n    {\n      "b": 2\n    }\n  ]\n}\n'
    found, problems = records(text)
    assert found == [({"a": 1}, 4, 1), ({"b": 2}, 5, 2)]
    assert problems == []


def test_nested_envelope_path():
    text = '{\n "status": "ok",\n "message": {\n  "total": 1,\n  "items": [\n   {"DOI": "x"}\n'
    text += "  ]\n }\n}"
    found, _ = records(text, (("message", "items"),))
    assert found == [({"DOI": "x"}, 6, 1)]


def test_an_object_without_envelope_is_one_record():
    text = '{\n "status": "ok",\n "message": {"DOI": "x"}\n}'
    found, _ = records(text, (("message", "items"),))
    assert found == [({"status": "ok", "message": {"DOI": "x"}}, 1, 1)]


def test_documents_written_one_after_another():
    text = '[\n {"a": 1}\n]\n{\n "data": [{"b": 2}]\n}\n{\n "c": 3\n}\n'
    found, problems = records(text)
    assert found == [({"a": 1}, 2, 1), ({"b": 2}, 5, 2), ({"c": 3}, 7, 3)]
    assert problems == []


def test_truncated_document_keeps_complete_records():
    found, problems = records('{\n "data": [\n  {"a": 1},\n  {"b": 2},\n  {"c": "x')
    assert [value for value, _, _ in found] == [{"a": 1}, {"b": 2}]
    assert problems == ["5|3|truncated JSON: the input ends inside a record"]


def test_truncated_between_records():
    found, problems = records('[\n {"a": 1},\n {"b": 2},\n')
    assert len(found) == 2
    assert problems == ["3|None|truncated JSON: the input ends after record 2"]


def test_truncated_single_object_names_its_first_line():
    _, problems = records('\n{\n "title": "A",\n "authors": [')
    assert problems == ["2|1|truncated JSON: the input ends inside a record"]


def test_damage_stops_reading_with_line_and_column():
    found, problems = records('[\n {"a": 1}\n {"b": 2}\n]')
    assert len(found) == 1
    assert problems == [
        "3|None|invalid JSON: expected ',' or ']' after record 1 (column 2); "
        "nothing from line 3 on was read"
    ]


def test_damage_inside_a_record():
    found, problems = records('[\n {"a": 1},\n {"b": 2,, "c": 3}\n]')
    assert len(found) == 1
    assert problems == [
        "3|2|invalid JSON: expecting property name enclosed in double quotes (column 10); "
        "nothing from line 3 on was read"
    ]


def test_text_after_the_documents():
    found, problems = records('{\n "a": 1\n}\nthat was all\n')
    assert len(found) == 1
    assert problems == [
        "4|None|invalid JSON: expected a JSON object or array (column 1); "
        "nothing from line 4 on was read"
    ]


def test_not_json_at_all():
    found, problems = records("PMID- 123\nTI  - A title\n")
    assert found == []
    assert problems == [
        "1|1|invalid JSON: expected a JSON object or array (column 1); "
        "nothing from line 1 on was read"
    ]


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_blank_input_has_no_records_and_no_errors(text):
    assert records(text) == ([], [])


def test_unwrap_and_kinds():
    assert unwrap({"data": [1]}, DATA) == [1]
    assert unwrap({"data": "x"}, DATA) is None
    assert unwrap([1], DATA) is None
    kinds = [json_kind(v) for v in ({}, [], "", True, None, 1, 1.5)]
    assert kinds == [
        "an object",
        "an array",
        "a string",
        "a boolean",
        "null",
        "a number",
        "a number",
    ]
