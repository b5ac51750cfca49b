"""Formatted bibliographies: refconv against plain citeproc-py, same items, same run.

    python bench/bench_citation.py              # APA and Vancouver, 1,000 items
    python bench/bench_citation.py --items 1000 10000 --styles apa
    python bench/bench_citation.py --styles apa --profile 12   # where the time goes

The items are the golden-test corpus (every CSL type, particles, CJK names,
corporate authors, ...) repeated with varied ids, names, years and titles so
that sorting and numbering have real work to do. "plain" is citeproc-py as its
README shows it (CiteProcJSON, CitationStylesStyle, CitationStylesBibliography
with the plain formatter, register, sort, bibliography) on the variables it
knows (it crashes on the others); "refconv" is
``format_bibliography`` (item normalisation, the adapter, escaping, text
markup). Both produce the same number of entries, or the script says so.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "citation"
SYLLABLES = "li wang zha mül smi gar nov kow tan oka ros dub iva ber kim ngu sch".split()


def corpus_items(count: int, seed: int = 7) -> list[dict]:
    """``count`` CSL-JSON items derived from the golden corpus, seeded and varied."""
    base = [
        *json.loads((GOLDEN / "examples.json").read_text(encoding="utf-8")),
        *json.loads((GOLDEN / "corpus.json").read_text(encoding="utf-8")),
    ]
    rng = random.Random(seed)
    items = []
    for index in range(count):
        item = copy.deepcopy(base[index % len(base)])
        item["id"] = f"{item['id']}-{index}"
        if index >= len(base):
            item["title"] = f"{item.get('title', 'Untitled')} {rng.choice(SYLLABLES)} {index}"
            for name in item.get("author", []):
                if "family" in name:
                    name["family"] = "".join(
                        rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))
                    ).capitalize()
            parts = item.get("issued", {}).get("date-parts")
            if parts:
                parts[0][0] = rng.randint(1950, 2025)
        items.append(item)
    return items


def citeproc_py_subset(items: list[dict]) -> list[dict]:
    """The items as plain citeproc-py can take them: it crashes on name and date
    variables it does not list (director, reviewed-author, available-date, ...),
    so those are left out for the baseline."""
    from citeproc import DATES, NAMES, VARIABLES

    known = {v.replace("_", "-") for v in VARIABLES} | {"id", "type"}
    names = {v.replace("_", "-") for v in NAMES}
    dates = {v.replace("_", "-") for v in DATES}
    subset = []
    for item in items:
        clean = {}
        for key, value in item.items():
            if key not in known:
                continue
            if key in names:
                value = [{k: v for k, v in n.items() if k != "static-ordering"} for n in value]
            elif key in dates and not isinstance(value, dict):
                continue
            clean[key] = value
        subset.append(clean)
    return subset


def plain_citeproc(items: list[dict], style_path: Path) -> int:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON(items)
        style = CitationStylesStyle(str(style_path), validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        bibliography.sort()
        return len(bibliography.bibliography())


def refconv_citation(items: list[dict], style: str) -> int:
    from refconv.converters.core.diagnostics import Report
    from refconv.converters.formatting import format_bibliography

    return len(format_bibliography(items, style, markup="text", report=Report()))


def timed(function, *args) -> tuple[float, int]:
    # CPU time of this process: other processes sharing the cores do not skew the ratio
    start = time.process_time()
    entries = function(*args)
    return time.process_time() - start, entries


def own_time_shares(function, *args, top: int) -> list[tuple[float, str]]:
    """The ``top`` functions by time spent in their own code, as shares of the run."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(function, *args)
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda row: row[1][2], reverse=True)[:top]
    return [
        (own / stats.total_tt, f"{Path(file).name}:{line} {name}")
        for (file, line, name), (_, _, own, _, _) in rows
    ]


def print_profiles(items: list[dict], style: str, path: Path, top: int) -> None:
    runs = (
        ("plain citeproc-py", plain_citeproc, citeproc_py_subset(items), path),
        ("refconv", refconv_citation, items, style),
    )
    for label, function, data, target in runs:
        print(f"\n  {label}, {style}, {len(items):,} items: own time of the top {top} functions")
        for share, where in own_time_shares(function, data, target, top=top):
            print(f"  {share:6.1%}  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000])
    parser.add_argument("--styles", nargs="+", default=["apa", "nlm-citation-sequence"])
    parser.add_argument(
        "--profile", type=int, metavar="N", help="then profile both: the N costliest functions"
    )
    args = parser.parse_args()
    from refconv.converters.formatting.catalog import resolve_style

    print("entries per CPU second (higher is better)\n")
    print(f"{'items':>7} {'style':24} {'plain citeproc-py':>18} {'refconv':>10} {'ratio':>7}")
    for count in args.items:
        items = corpus_items(count)
        for style in args.styles:
            path = resolve_style(style).path
            plain_time, plain_entries = timed(plain_citeproc, citeproc_py_subset(items), path)
            ours_time, ours_entries = timed(refconv_citation, items, style)
            note = "" if ours_entries == plain_entries else f"  ({ours_entries} vs {plain_entries})"
            print(
                f"{count:7,} {style:24} {plain_entries / plain_time:18,.0f} "
                f"{ours_entries / ours_time:10,.0f} {plain_time / ours_time:6.2f}x{note}"
            )
            if args.profile:
                print_profiles(items, style, path, args.profile)


if __name__ == "__main__":
    main()
