"""Shared test helpers: the CLI runner, example paths and the ../shared folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"
SEED = EXAMPLES / "000_499a5861f67c187d.txt"
SHARED = Path(os.environ.get("REFCONV_SHARED", ROOT.parent / "shared"))

requires_shared = pytest.mark.skipif(
    not (SHARED / "reference" / "csl-data.json").is_file(),
    reason=f"needs the read-only ../shared folder beside the checkout (looked in {SHARED})",
)


def csl_style(citation: str, bibliography: str = "", **attributes: str) -> str:
    """A throwaway in-text CSL style; ``attributes`` go on ``cs:style``."""
    extra = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in attributes.items())
    return f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" {extra}>
  <info><title>Rule</title><id>rule</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {citation}
  {bibliography}
</style>
"""


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes


def run_cli(
    *args: str,
    input: bytes | str | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> CliResult:
    """Run `refconv ARGS` in a subprocess, as a shell would (real exit codes and streams)."""
    if isinstance(input, str):
        input = input.encode("utf-8")
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "refconv.cli", *args],
        input=input if input is not None else b"",
        capture_output=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )
    return CliResult(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        proc.stdout,
    )


BROKEN_LINES = (6, 1501, 2600)  # where jsonl_with_failures puts its failing records


def jsonl_with_failures(path: Path, lines: list[str], broken: str, special: str = "") -> Path:
    """2,600 JSON Lines cycling through ``lines``, with ``broken`` (a record that fails) in
    the first, a middle and the last chunk of a parallel read (:data:`BROKEN_LINES`) and
    ``special`` (when given) on line 1201."""
    out = []
    for n in range(2600):
        if n + 1 in BROKEN_LINES:
            out.append(broken)
        elif n == 1200 and special:
            out.append(special)
        else:
            out.append(lines[n % len(lines)])
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def convert_on_one_and_two_workers(path: Path) -> tuple[int, list[str], list[str]]:
    """``path`` to CSL-JSON Lines with one worker and with two, which must give the same
    output and messages: (exit code, output lines, where each error was reported)."""
    args = ("convert", str(path), "-t", "csl-json", "--jsonl")
    one = run_cli(*args, env={"REFCONV_WORKERS": "1"})
    two = run_cli(*args, env={"REFCONV_WORKERS": "2"})
    assert one.exit_code == two.exit_code
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    errors = [line.split(": error:")[0] for line in two.stderr.splitlines() if ": error: " in line]
    return two.exit_code, two.stdout.splitlines(), errors


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="run the slow, opt-in sweeps")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow sweep: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def assert_golden(path: Path, actual: str) -> None:
    """Compare ``actual`` with the golden file; REFCONV_UPDATE_GOLDEN=1 rewrites it instead."""
    if os.environ.get("REFCONV_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path.relative_to(ROOT)}"
