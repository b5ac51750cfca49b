"""Start-up cost of refconv in shell loops and Makefiles, against Python and Typer baselines.

    python bench/bench_startup.py [--runs 21]

Median wall time over RUNS of each command, measured in one run:

* ``python -c pass`` and ``python -c "import json"`` (the interpreter itself);
* a minimal one-command Typer app (what any Typer CLI pays);
* ``refconv --help``, ``refconv --version``, and a one-record paper-record →
  BibTeX conversion of the bundled example.

Goal: the one-record conversion costs at most 1.5× the minimal Typer app.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_499a5861f67c187d.txt"
MINIMAL_TYPER_APP = """
import typer

app = typer.Typer()


@app.command()
def main(name: str = "world") -> None:
    print(f"hello {name}")


if __name__ == "__main__":
    app()
"""


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    python = sys.executable
    refconv = [python, "-m", "refconv.cli"]
    script = Path(python).with_name("refconv")
    if script.exists():  # the console script, as users run it
        refconv = [str(script)]
    with tempfile.TemporaryDirectory() as tmp:
        app = os.path.join(tmp, "minimal_typer_app.py")
        Path(app).write_text(MINIMAL_TYPER_APP)
        commands = {
            "python -c pass": [python, "-c", "pass"],
            'python -c "import json"': [python, "-c", "import json"],
            "minimal Typer app": [python, app, "--name", "x"],
            "refconv --help": [*refconv, "--help"],
            "refconv --version": [*refconv, "--version"],
            "refconv convert (1 record → bibtex)": [*refconv, "convert", str(SEED), "-t", "bibtex"],
        }
        for argv in commands.values():  # warm the file cache
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        results = {name: median_seconds(argv, args.runs) for name, argv in commands.items()}
    base = results["python -c pass"]
    with_json = results['python -c "import json"']
    typer_app = results["minimal Typer app"]
    print(f"median of {args.runs} runs")
    print(f"{'command':<38} {'ms':>7} {'× python':>9} {'× import json':>14} {'× Typer app':>12}")
    for name, seconds in results.items():
        print(
            f"{name:<38} {seconds * 1000:>7.1f} {seconds / base:>9.2f} "
            f"{seconds / with_json:>14.2f} {seconds / typer_app:>12.2f}"
        )
    ratio = results["refconv convert (1 record → bibtex)"] / typer_app
    print(f"one-record conversion / minimal Typer app: {ratio:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()
