"""Start-up cost of refconv in shell loops and Makefiles, against Python and Typer baselines.

    python bench/bench_startup.py [--runs 21]

Median wall and CPU time over RUNS rounds in which the commands take turns:

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


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one run of ``argv``."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(argv, stdout=devnull, stderr=devnull)
        _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time of each command; the commands take turns, round after
    round, so a slow spell of the machine hits them all alike."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            wall, cpu = timed(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in commands
    }


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
            timed(argv)
        results = medians(commands, args.runs)
    base, _ = results["python -c pass"]
    with_json, _ = results['python -c "import json"']
    typer_app, typer_cpu = results["minimal Typer app"]
    print(f"median of {args.runs} rounds (the commands take turns)")
    header = f"{'command':<38} {'ms':>7} {'× python':>9} {'× import json':>14} {'× Typer app':>12}"
    print(f"{header} {'CPU × Typer app':>16}")
    for name, (seconds, cpu) in results.items():
        print(
            f"{name:<38} {seconds * 1000:>7.1f} {seconds / base:>9.2f} "
            f"{seconds / with_json:>14.2f} {seconds / typer_app:>12.2f} {cpu / typer_cpu:>16.2f}"
        )
    conversion, conversion_cpu = results["refconv convert (1 record → bibtex)"]
    print(
        f"one-record conversion / minimal Typer app: {conversion / typer_app:.2f} wall, "
        f"{conversion_cpu / typer_cpu:.2f} CPU (goal <= 1.5)"
    )


if __name__ == "__main__":
    main()
