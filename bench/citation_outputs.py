"""Dump or compare formatter output on the benchmark set in every shipped style.

    python bench/citation_outputs.py dump /tmp/before.json --items 2000
    python bench/citation_outputs.py compare /tmp/before.json --items 2000

A speed change must leave every byte the same: this writes the bibliography (in
every markup: text, HTML, Markdown, reStructuredText) and a citation cluster per
item of the benchmark items (:func:`bench_citation.corpus_items`) for each style
in ``styles/``, and the
compare step names the first differing entry of each style that changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_citation import corpus_items

from refconv.converters.core.diagnostics import Report
from refconv.converters.formatting import format_bibliography, format_citations
from refconv.converters.formatting.engine import Engine
from refconv.converters.formatting.markup import MARKUPS

STYLES = Path(__file__).resolve().parent.parent / "converters" / "formatting" / "styles"


def outputs(count: int) -> dict[str, list[str]]:
    """Every shipped style's output on ``count`` benchmark items, by style and markup."""
    items = corpus_items(count)
    # pairs of items cited together, then each again: positions, collapsing and ibid run too
    ids = [item["id"] for item in items]
    clusters = [[{"id": a}, {"id": b}] for a, b in zip(ids[::2], ids[1::2], strict=False)]
    clusters += [[{"id": i, "locator": "12"}] for i in ids[: count // 4]]
    result: dict[str, list[str]] = {}
    for path in sorted(STYLES.glob("*.csl")):
        engine = Engine(str(path))
        name = path.stem
        if engine.has_bibliography:
            for markup in MARKUPS:
                result[f"{name} bibliography {markup}"] = format_bibliography(
                    items, engine, markup=markup, report=Report()
                )
        result[f"{name} citations text"] = format_citations(
            items, clusters, engine, report=Report()
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=("dump", "compare"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    current = outputs(args.items)
    if args.action == "dump":
        args.path.write_text(json.dumps(current, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{sum(map(len, current.values())):,} outputs in {len(current)} runs written")
        return 0
    before = json.loads(args.path.read_text(encoding="utf-8"))
    changed = 0
    for run, lines in before.items():
        now = current.get(run)
        if now == lines:
            continue
        changed += 1
        if now is None or len(now) != len(lines):
            print(f"{run}: {len(lines)} outputs before, {len(now or [])} now")
            continue
        index = next(i for i, (a, b) in enumerate(zip(lines, now, strict=True)) if a != b)
        print(f"{run}: output {index} differs\n  before: {lines[index]}\n  now:    {now[index]}")
    print("identical" if not changed else f"{changed} of {len(before)} runs differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
