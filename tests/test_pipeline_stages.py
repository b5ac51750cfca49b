"""The pipeline's shared stages: the nesting limit, and the lone-surrogate backstop (#18)."""

from __future__ import annotations

import io
import re
import sys

import pytest

from refconv.converters.core import jsonrecords, limits, pipeline
from refconv.converters.core.converter_info import ConverterInfo
from refconv.converters.core.diagnostics import Report, Severity
from refconv.converters.core.registry import default_registry

LONE = "\\ud800"  # a JSON escape of half a UTF-16 pair
_SURROGATE = re.compile("[\ud800-\udfff]")

# each built-in JSON reader, in the shapes it reads, with a lone surrogate in one record
JSON_INPUTS = {
    "paper-record": [
        '{"title": "x' + LONE + '", "PeriodicalIF": 1}\n',
        '[{"title": "x' + LONE + '", "PeriodicalIF": 1}]',
        '{\n "title": "x' + LONE + '", "PeriodicalIF": 1}\n引用次数: 0\n',
    ],
    "csl-json": [
        '[{"id": "a", "type": "book", "title": "x' + LONE + '"}]',
        '{"id": "a", "type": "book", "title": "x' + LONE + '"}\n',
        '[{"id": "a", "type": "book", "custom": {"k' + LONE + '": 1}}]',
    ],
    "crossref": [
        '{"DOI": "10.1/a", "title": ["x' + LONE + '"]}\n',
        '{"status": "ok", "message-type": "work", "message": '
        '{"DOI": "10.1/a", "title": ["x' + LONE + '"]}}',
    ],
    "openalex": [
        '{"id": "https://openalex.org/W1", "title": "x' + LONE + '"}\n',
        '{"results": [{"id": "https://openalex.org/W1", "display_name": "x", '
        '"abstract_inverted_index": {"a' + LONE + '": [0]}}]}',
    ],
    "semantic-scholar": [
        '{"paperId": "b", "title": "x' + LONE + '"}\n',
        '{"data": [{"paperId": "b", "title": "x' + LONE + '"}]}',
        '{"paperId": "b",\n "title": "x' + LONE + '"}\n',
    ],
}


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


@pytest.mark.parametrize(
    ("reader", "text"),
    [(reader, text) for reader, texts in JSON_INPUTS.items() for text in texts],
)
def test_builtin_json_readers_refuse_a_lone_surrogate_themselves(reader, text):
    """So the pipeline's check (run when the input holds such an escape) is for plugins."""
    report = Report()
    items = list(default_registry().reader(reader).load().read(io.StringIO(text), report))
    assert not any(_SURROGATE.search(t) for item in items for t in _texts(item))
    errors = [d.message for d in report.collected if d.severity is Severity.ERROR]
    assert errors and "lone UTF-16 surrogate \\ud800" in errors[0]


PLUGIN_READER = """
import json

def read(stream, report):
    for line in stream:
        yield json.loads(line)
"""


def test_a_plugin_reader_s_lone_surrogate_fails_its_record_alone(tmp_path, monkeypatch):
    (tmp_path / "refconv_test_json_lines.py").write_text(PLUGIN_READER)
    monkeypatch.syspath_prepend(str(tmp_path))
    reader = ConverterInfo("json-lines", "refconv_test_json_lines", can_read=True, plugin="x")
    text = '{"id": "a", "type": "book", "title": "x' + LONE + '"}\n'
    text += '{"id": "b", "type": "book", "title": "fine"}\n'
    report = Report()
    items = list(pipeline.read_items(pipeline.text_source(text), reader, report))
    assert [item["id"] for item in items] == ["b"]
    assert [d.message for d in report.collected if d.severity is Severity.ERROR] == [
        "text that is not Unicode (\\ud800, a lone surrogate) in 'a'; skipped"
    ]
    sys.modules.pop("refconv_test_json_lines", None)


def test_one_nesting_limit():
    assert pipeline.NESTING_LIMIT is limits.NESTING_LIMIT
    assert f"about {limits.NESTING_LIMIT} levels" in jsonrecords.TOO_DEEP


def test_a_reader_that_recurses_too_deep_fails_its_input_with_the_limit(tmp_path, monkeypatch):
    (tmp_path / "refconv_test_deep.py").write_text(
        "def read(stream, report):\n    def down(n):\n        return down(n + 1)\n"
        "    down(0)\n    yield {}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    reader = ConverterInfo("deep", "refconv_test_deep", can_read=True)
    with pytest.raises(pipeline.ConversionError) as error:
        list(pipeline.read_items(pipeline.text_source("x", "in.deep"), reader, Report()))
    assert str(error.value) == (
        f"in.deep: nested more than about {limits.NESTING_LIMIT} levels deep "
        "(JSON arrays and objects, or braces); refconv reads no deeper"
    )
    sys.modules.pop("refconv_test_deep", None)
