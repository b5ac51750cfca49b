"""Large JSON Lines read on several processes give exactly what one process gives."""

from __future__ import annotations

import json

from conftest import EXAMPLES, convert_on_one_and_two_workers, jsonl_with_failures, run_cli


def big_input(tmp_path):
    """Paper records as 2,600 JSON Lines, three of them failing."""
    records = (EXAMPLES / "records.jsonl").read_text(encoding="utf-8").splitlines()
    broken = '{"title": "broken", "authors": 7, "PeriodicalIF": 1}'
    return jsonl_with_failures(tmp_path / "big.jsonl", records, broken)


def test_workers_do_not_change_output_or_messages(tmp_path):
    path = big_input(tmp_path)
    exit_code, output, errors = convert_on_one_and_two_workers(path)
    assert exit_code == 1
    assert len(output) == 2597
    assert errors == [
        f"{path}: line 6 (record 6)",
        f"{path}: line 1501 (record 1501)",
        f"{path}: line 2600 (record 2600)",
    ]
    ids = [json.loads(line)["id"] for line in output]
    assert len(set(ids)) == len(ids)


def test_pretty_printed_json_is_not_cut_into_chunks(tmp_path):
    """Nested objects of indent-0 JSON start lines with '{' too; such input is read whole."""
    papers = [
        {"paperId": f"{n:040x}", "title": f"Paper {n}", "authors": [{"name": "Ada Lovelace"}]}
        for n in range(3000)
    ]
    text = json.dumps({"total": 3000, "data": papers}, indent=0)
    assert "\n{\n" in text and len(text) > 64 * 1024
    path = tmp_path / "response.json"
    path.write_text(text, encoding="utf-8")
    result = run_cli(
        "convert", str(path), "-f", "semantic-scholar", "--jsonl", env={"REFCONV_WORKERS": "2"}
    )
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == [
        f"Paper {n}" for n in range(3000)
    ]


def test_collector_setting_is_put_back_after_reading_in_workers(tmp_path):
    import gc
    import io

    from refconv.converters.core import parallel
    from refconv.converters.core.diagnostics import Report
    from refconv.converters.core.registry import default_registry

    text = big_input(tmp_path).read_text(encoding="utf-8")
    reader = default_registry().find("paper-record")
    before = gc.get_threshold()
    items = parallel.read_chunked(io.StringIO(text), reader, Report(), 2, "{auth}{year}{title}")
    next(items)
    assert gc.get_threshold()[0] >= parallel.GC_THRESHOLD  # raised while chunks stream
    assert len(list(items)) == 2596
    assert gc.get_threshold() == before


def test_chunks_cut_only_before_a_brace_line_and_number_lines(monkeypatch):
    import io
    import random

    from refconv.converters.core import parallel

    rng = random.Random(4)
    lines = []
    for n in range(400):
        lines.append(json.dumps({"title": f"T{n}", "pad": "x" * rng.randint(0, 90)}))
        if rng.random() < 0.3:
            lines.append("trailer line")
        if rng.random() < 0.1:
            lines.append("{ glued")  # a line start '{' inside a trailer is a cut point too
    text = "\n".join(lines) + "\n"
    for size in (7, 50, 64, 200, 1000, 10**6):
        monkeypatch.setattr(parallel, "CHUNK_CHARS", size)
        pieces = list(parallel.chunks(io.StringIO(text)))
        assert "".join(piece for _, piece in pieces) == text
        line = 1
        for number, piece in pieces:
            assert number == line
            assert number == 1 or piece.startswith("{")
            line += piece.count("\n")
        if size < 1000:
            assert len(pieces) > 10
    assert list(parallel.chunks(io.StringIO(""))) == []
    monkeypatch.setattr(parallel, "CHUNK_CHARS", 4)
    assert list(parallel.chunks(io.StringIO("abc\n{x\n"))) == [(1, "abc\n"), (2, "{x\n")]
    assert list(parallel.chunks(io.StringIO("abcd{x\n"))) == [(1, "abcd{x\n")]
