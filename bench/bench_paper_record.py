"""paper-record → CSL-JSON throughput and memory, against a bare JSON pass in the same run.

    python bench/bench_paper_record.py [--n 100000] [--skip-10x]

Generates N synthetic records as JSON Lines (and 10×N unless --skip-10x), then
times, each in its own process:

* baseline: ``json.loads`` + ``json.dumps`` of every line (stdlib, one core);
* refconv:  ``refconv convert FILE -f paper-record -t csl-json --jsonl`` (the CLI,
  which reads large JSON Lines on every core).

Prints records per second, the ratio refconv/baseline (goal: at most 4×), and
the peak resident memory of each run at N and 10×N (goal: flat, since JSON
Lines stream).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _records import write_jsonl

BASELINE = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as src, open(os.devnull, "w") as out:
    for line in src:
        out.write(json.dumps(json.loads(line), ensure_ascii=False))
        out.write("\\n")
"""


def run(argv: list[str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in KiB of the process and its children) for one command."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(argv, stdout=devnull)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{argv} failed with status {status}")
    return elapsed, usage.ru_maxrss


def measure(path: str, n: int) -> dict[str, float]:
    base_time, base_rss = run([sys.executable, "-c", "import os\n" + BASELINE, path])
    ours = [sys.executable, "-m", "refconv.cli", "convert", path, "-f", "paper-record"]
    our_time, our_rss = run([*ours, "-t", "csl-json", "--jsonl"])
    return {
        "n": n,
        "baseline_rps": n / base_time,
        "refconv_rps": n / our_time,
        "ratio": our_time / base_time,
        "baseline_rss_mib": base_rss / 1024,
        "refconv_rss_mib": our_rss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--skip-10x", action="store_true", help="only measure N records")
    args = parser.parse_args()
    sizes = [args.n] if args.skip_10x else [args.n, 10 * args.n]
    with tempfile.TemporaryDirectory(prefix="refconv-bench-") as tmp:
        rows = []
        for n in sizes:
            path = os.path.join(tmp, f"records-{n}.jsonl")
            write_jsonl(path, n)
            size_mib = os.path.getsize(path) / 2**20
            row = measure(path, n)
            row["file_mib"] = size_mib
            rows.append(row)
            os.unlink(path)
    print(f"cores available: {len(os.sched_getaffinity(0))}")
    print(
        f"{'records':>10} {'file MiB':>9} {'bare json rec/s':>16} {'refconv rec/s':>14} "
        f"{'ratio':>6} {'bare RSS MiB':>13} {'refconv RSS MiB':>16}"
    )
    for row in rows:
        print(
            f"{row['n']:>10,} {row['file_mib']:>9.0f} {row['baseline_rps']:>16,.0f} "
            f"{row['refconv_rps']:>14,.0f} {row['ratio']:>5.1f}x {row['baseline_rss_mib']:>13.0f} "
            f"{row['refconv_rss_mib']:>16.0f}"
        )
    if len(rows) == 2:
        growth = rows[1]["refconv_rss_mib"] / rows[0]["refconv_rss_mib"]
        print(f"refconv peak memory at 10×N / at N: {growth:.2f} (1.00 = flat)")
    print("goal: ratio <= 4.0x; memory flat")


if __name__ == "__main__":
    main()
