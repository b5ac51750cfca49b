"""The library API on an engine that scales out: a Dask bag over JSON Lines partitions."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, run_cli
from refconv.converters import assign_keys, read, write

dask_bag = pytest.importorskip("dask.bag", reason="dask is a test extra: pip install '.[test]'")


def read_partition(lines):
    """Per partition: parse, map and generate keys (the heavy, independent work)."""
    return list(read(lines, "paper-record", unique_keys=False))


def test_dask_bag_matches_the_cli(tmp_path):
    path = tmp_path / "records.jsonl"
    lines = (EXAMPLES / "records.jsonl").read_text(encoding="utf-8").splitlines()
    # the same works several times over, so keys must be made unique across partitions
    path.write_text("\n".join(lines * 4) + "\n", encoding="utf-8")
    bag = dask_bag.read_text(str(path), blocksize=2_000)  # several partitions
    assert bag.npartitions > 1
    items = bag.map_partitions(read_partition).compute(scheduler="processes", num_workers=2)
    text = write(assign_keys(items), "csl-json", jsonl=True)
    cli = run_cli("convert", str(path), "-t", "csl-json", "--jsonl")
    assert cli.exit_code == 0
    assert text == cli.stdout
