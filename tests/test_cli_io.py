"""The command line under faults: special output files, full disks, signals, broken pipes,
unreadable inputs, hostile text in messages, and many records sharing a key (issue 16)."""

from __future__ import annotations

import json
import time

from conftest import run_cli


def test_twenty_thousand_records_sharing_a_key_convert_quickly(tmp_path):
    source = tmp_path / "same.jsonl"
    record = json.dumps({"id": "dup", "type": "book", "title": "T"})
    source.write_text((record + "\n") * 20_000, encoding="utf-8")
    started = time.perf_counter()
    result = run_cli("convert", str(source), "-t", "bibtex", "-q")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    keys = [line[len("@book{") : -1] for line in result.stdout.splitlines() if line[:1] == "@"]
    assert len(keys) == len({k.lower() for k in keys}) == 20_000
    assert keys[:3] == ["dup", "dupa", "dupb"]
    assert elapsed < 30  # about 1.5 s; it took 313 s when allocation was quadratic
