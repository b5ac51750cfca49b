"""Formatted bibliographies: refconv against its peers, same items, same run.

    python bench/bench_citation.py              # APA and Vancouver, 1,000 items
    python bench/bench_citation.py --items 1000 10000 --styles apa --repeat 3
    python bench/bench_citation.py --items 10000 --styles ieee --engines refconv pandoc
    python bench/bench_citation.py --styles apa --profile 12   # where the time goes

The items are the golden-test corpus (every CSL type, particles, CJK names,
corporate authors, ...) repeated with varied ids, names, years and titles so
that sorting, numbering and disambiguation have real work to do. The engines:

* ``refconv``: ``format_bibliography`` (style compiled, item normalisation, the
  processor, text markup) timed in this process once its modules are imported,
  and ``refconv convert items.json -t citation`` as a whole process (start-up,
  reading the CSL-JSON, writing the file; modules compiled to bytecode once, as
  an installed package has them, even where PYTHONDONTWRITEBYTECODE is set);
* ``pandoc``: pandoc's citeproc (``pandoc doc.md --citeproc`` with ``nocite: "@*"``,
  HTML out, so the entries can be counted); its in-process figure is the whole
  process less the same command on an empty bibliography (start-up, style, locale);
* ``citeproc-js``: the engine in Zotero and Mendeley under Node
  (``bench/_citeproc_js.js``; its in-process figure is the CPU Node spends in
  citeproc-js, measured by the script itself);
* ``plain``: citeproc-py as its README shows it (CiteProcJSON, CitationStylesStyle,
  CitationStylesBibliography with the plain formatter, register, sort,
  bibliography) on the variables it knows (it crashes on the others).

Times are CPU seconds (user + system; other processes sharing the cores do not
count), the least of ``--repeat`` rounds that run every engine in turn, so that
all sample the same stretches of a shared machine's load; peak memory is the
largest resident set of the whole process. Ratios are refconv's speed over the
peer's (above 1: refconv is faster), whole process to whole process and
in-process to in-process.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass
class Measured:
    entries: int
    cpu: float | None = None  # in-process CPU seconds
    process_cpu: float | None = None  # whole process: CPU seconds
    wall: float | None = None  # whole process: seconds on the clock
    peak_mb: float | None = None  # whole process: largest resident set


def timed(function, *args) -> tuple[float, int]:
    # CPU time of this process: other processes sharing the cores do not skew the ratio
    start = time.process_time()
    entries = function(*args)
    return time.process_time() - start, entries


def run_process(
    argv: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, float, str]:
    """(CPU seconds, wall seconds, peak MB, stdout) of one child process run to its end."""
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    stdout = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed (exit {child.returncode}): {' '.join(argv)}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, stdout


class Corpus:
    """The items written once, for the engines that run as processes."""

    def __init__(self, items: list[dict], folder: Path):
        self.items = items
        self.folder = folder
        self.json = folder / "items.json"
        self.json.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        self.empty = folder / "empty.json"
        self.empty.write_text("[]", encoding="utf-8")
        self.document = folder / "doc.md"
        self.document.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
        self.output = folder / "out"
        # refconv's process runs as installed, its modules compiled to bytecode once (pip
        # does that on install); a machine that sets PYTHONDONTWRITEBYTECODE would compile
        # them again in every run, so the bytecode goes to a cache folder of the run's own
        self.python_env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
        }


def run_refconv(corpus: Corpus, style: str, path: Path) -> Measured:
    refconv_citation([], style)  # imports done, as in a process that has started
    cpu, entries = timed(refconv_citation, corpus.items, style)
    argv = [sys.executable, "-m", "refconv.cli", "convert", str(corpus.json), "-f", "csl-json"]
    argv += ["-t", "citation", "--style", style, "-q", "-o", str(corpus.output)]
    if not (corpus.folder / "pycache").is_dir():
        run_process(argv, corpus.python_env)  # compiles the modules once
    process_cpu, wall, peak, _ = run_process(argv, corpus.python_env)
    written = corpus.output.read_text(encoding="utf-8").count("\n")
    if written != entries:
        raise RuntimeError(f"refconv wrote {written} entries in a process, {entries} in this one")
    return Measured(entries, cpu, process_cpu, wall, peak)


def run_pandoc(corpus: Corpus, style: str, path: Path) -> Measured:
    def argv(bibliography: Path) -> list[str]:
        return ["pandoc", str(corpus.document), "--citeproc", "--bibliography", str(bibliography),
                "--csl", str(path), "-t", "html", "-o", str(corpus.output)]  # fmt: skip

    fixed, _, _, _ = run_process(argv(corpus.empty))
    process_cpu, wall, peak, _ = run_process(argv(corpus.json))
    entries = corpus.output.read_text(encoding="utf-8").count('class="csl-entry"')
    return Measured(entries, max(process_cpu - fixed, 1e-9), process_cpu, wall, peak)


def run_citeproc_js(corpus: Corpus, style: str, path: Path) -> Measured:
    from citeproc import __file__ as citeproc_py

    locales = Path(citeproc_py).parent / "data" / "locales"
    script = Path(__file__).resolve().parent / "_citeproc_js.js"
    argv = ["node", str(script), str(corpus.json), str(path), str(locales), str(corpus.output)]
    process_cpu, wall, peak, stdout = run_process(argv)
    inside = json.loads(stdout)
    return Measured(inside["entries"], inside["cpu"], process_cpu, wall, peak)


def run_plain(corpus: Corpus, style: str, path: Path) -> Measured:
    cpu, entries = timed(plain_citeproc, citeproc_py_subset(corpus.items), path)
    return Measured(entries, cpu)


ENGINES: dict[str, Callable[[Corpus, str, Path], Measured]] = {
    "refconv": run_refconv,
    "pandoc": run_pandoc,
    "citeproc-js": run_citeproc_js,
    "plain": run_plain,
}


def unavailable(engine: str) -> str | None:
    """Why ``engine`` cannot run here, or None."""
    if engine == "pandoc" and shutil.which("pandoc") is None:
        return "pandoc is not installed"
    if engine == "citeproc-js":
        if shutil.which("node") is None:
            return "node is not installed"
        if not (ROOT / "tests" / "_node_citeproc" / "node_modules" / "citeproc").is_dir():
            return "citeproc is not installed (npm ci --prefix tests/_node_citeproc)"
    return None


def least(runs: list[Measured]) -> Measured:
    """The least of each figure over the rounds (the runs least disturbed by other load)."""

    def smallest(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return min(known) if known else None

    return Measured(
        runs[0].entries,
        smallest([r.cpu for r in runs]),
        smallest([r.process_cpu for r in runs]),
        smallest([r.wall for r in runs]),
        smallest([r.peak_mb for r in runs]),
    )


def _cell(value: float | None, spec: str) -> str:
    return format(value, spec) if value is not None else "-"


def _ratio(peer: float | None, ours: float | None) -> str:
    return f"{peer / ours:.2f}x" if peer and ours else "-"


def print_table(count: int, style: str, results: dict[str, Measured]) -> None:
    ours = results.get("refconv")
    for engine, measured in results.items():
        vs = ""
        if ours is not None and engine != "refconv":
            inside = _ratio(measured.cpu, ours.cpu)
            vs = f"{inside:>9} {_ratio(measured.process_cpu, ours.process_cpu):>9}"
        print(
            f"{count:7,} {style:26} {engine:12} {measured.entries:8,} "
            f"{_cell(measured.cpu, '9.2f')} {_cell(measured.process_cpu, '9.2f')} "
            f"{_cell(measured.wall, '8.2f')} {_cell(measured.peak_mb, '8.0f')} {vs}"
        )
        if ours is not None and engine != "refconv" and measured.entries != ours.entries:
            print(f"{'':36} ({measured.entries:,} entries against refconv's {ours.entries:,})")


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


def print_profiles(items: list[dict], style: str, path: Path, top: int, with_plain: bool) -> None:
    runs = [("refconv", refconv_citation, items, style)]
    if with_plain:
        runs.insert(0, ("plain citeproc-py", plain_citeproc, citeproc_py_subset(items), path))
    for label, function, data, target in runs:
        print(f"\n  {label}, {style}, {len(items):,} items: own time of the top {top} functions")
        for share, where in own_time_shares(function, data, target, top=top):
            print(f"  {share:6.1%}  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000])
    parser.add_argument("--styles", nargs="+", default=["apa", "nlm-citation-sequence"])
    parser.add_argument(
        "--engines", nargs="+", choices=list(ENGINES), default=["refconv", "pandoc", "citeproc-js"]
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the least time counts")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="then profile refconv (and plain, if run): the N costliest functions",
    )
    args = parser.parse_args()
    from refconv.converters.formatting.catalog import resolve_style

    engines = []
    for engine in args.engines:
        reason = unavailable(engine)
        if reason:
            print(f"{engine} left out: {reason}")
        else:
            engines.append(engine)
    with open("/proc/loadavg", encoding="ascii") as load:
        print(f"load average at the start: {' '.join(load.read().split()[:3])}")
    print("CPU seconds, least of the rounds; peer / refconv = refconv's speed over the peer's\n")
    print(
        f"{'items':>7} {'style':26} {'engine':12} {'entries':>8} {'in-proc':>9} {'process':>9} "
        f"{'wall':>8} {'peak MB':>8} {'in-proc':>9} {'process':>9}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for count in args.items:
            corpus = Corpus(corpus_items(count), Path(folder))
            for style in args.styles:
                path = resolve_style(style).path
                rounds: dict[str, list[Measured]] = {engine: [] for engine in engines}
                for _ in range(args.repeat):
                    for engine in engines:
                        rounds[engine].append(ENGINES[engine](corpus, style, path))
                print_table(count, style, {e: least(runs) for e, runs in rounds.items()})
                if args.profile:
                    with_plain = "plain" in engines
                    print_profiles(corpus.items, style, path, args.profile, with_plain)
    with open("/proc/loadavg", encoding="ascii") as load:
        print(f"\nload average at the end: {' '.join(load.read().split()[:3])}")


if __name__ == "__main__":
    main()
