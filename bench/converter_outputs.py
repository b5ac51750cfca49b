"""Dump or compare every converter's output on every example, fixture and benchmark set.

    python bench/converter_outputs.py dump /tmp/before.json
    python bench/converter_outputs.py compare /tmp/before.json

A restructuring must leave every byte the same. This reads each input (the examples,
the test fixtures and kept fuzz findings, the generated benchmark sets and the .bib
files TeX Live installs) with the reader refconv detects, records the items and every
diagnostic, then writes the items with every writer in its main option sets and records
the text and diagnostics again. ``compare`` names the first differing line of each run
that changed.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refconv.converters.core import api
from refconv.converters.core.diagnostics import ConversionError, Report

ROOT = Path(__file__).resolve().parent.parent
INPUT_FOLDERS = ("examples", "tests/fixtures", "tests/fuzz_corpus", "tests/golden")
# writer and options: the main dialects and switches of each writer
WRITERS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("bibtex", {}),
    ("bibtex", {"ascii": True}),
    ("biblatex", {}),
    ("ris", {}),
    ("ris", {"crlf": True}),
    ("csl-json", {}),
    ("csl-json", {"jsonl": True}),
    ("citation", {}),
    ("citation", {"style": "ieee", "markup": "html"}),
)


def input_files() -> Iterator[tuple[str, bytes]]:
    for folder in INPUT_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix not in (".md", ".py") and "counts" not in path.name:
                yield str(path.relative_to(ROOT)), path.read_bytes()
    try:
        listed = subprocess.run(
            ["dpkg", "-L", "texlive-base", "texlive-bibtex-extra", "biber"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    except FileNotFoundError:
        listed = ""
    for line in sorted(set(listed.splitlines())):
        if line.endswith(".bib") and Path(line).is_file():
            yield line, Path(line).read_bytes()


def benchmark_sets() -> Iterator[tuple[str, bytes]]:
    import _records
    import bench_bibtex
    import bench_ris

    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records.records(300))
    yield "bench:paper-records", lines.encode()
    rng = random.Random(7)
    items = [bench_bibtex.item(rng, n) for n in range(300)]
    yield "bench:bibtex-items", json.dumps(items, ensure_ascii=False).encode()
    yield "bench:ris-items", json.dumps(bench_ris.make_items(300), ensure_ascii=False).encode()


def _diagnostics(report: Report) -> list[str]:
    return [str(d) for d in report.collected]


def outputs() -> dict[str, list[str]]:
    """Run name → lines of output followed by the diagnostics, for every input and writer."""
    result: dict[str, list[str]] = {}
    for name, data in [*input_files(), *benchmark_sets()]:
        report = Report(keep_info=True)
        try:
            items = list(api.read(data, name=name, report=report))
        except ConversionError as error:
            result[f"{name} read"] = [f"ConversionError: {error}"]
            continue
        result[f"{name} read"] = [
            *(json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items),
            *_diagnostics(report),
        ]
        for writer, options in WRITERS:
            report = Report(keep_info=True)
            buffer = io.StringIO(newline="")
            try:
                api.write(items, writer, buffer, report=report, **options)
                text = buffer.getvalue().split("\n")
            except ConversionError as error:
                text = [f"ConversionError: {error}"]
            label = " ".join([writer, *(f"{k}={v}" for k, v in options.items())])
            result[f"{name} {label}"] = [*text, *_diagnostics(report)]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=("dump", "compare"))
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    current = outputs()
    if args.action == "dump":
        args.path.write_text(json.dumps(current, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{sum(map(len, current.values())):,} lines in {len(current)} runs written")
        return 0
    before = json.loads(args.path.read_text(encoding="utf-8"))
    changed = [run for run in before.keys() | current.keys() if before.get(run) != current.get(run)]
    for run in sorted(changed):
        old, new = before.get(run, []), current.get(run, [])
        index = next(
            (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
            min(len(old), len(new)),
        )
        print(f"{run}: line {index} differs ({len(old)} lines before, {len(new)} now)")
        print(f"  before: {old[index] if index < len(old) else '<none>'}"[:400])
        print(f"  now:    {new[index] if index < len(new) else '<none>'}"[:400])
    print("identical" if not changed else f"{len(changed)} of {len(before)} runs differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
