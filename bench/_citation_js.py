"""citation-js measured on a benchmark's own corpus, in the same run (bench-only helper).

The speed goals of the BibTeX and RIS converters are stated against citation-js, the
fastest peer measured here. :class:`Session` runs ``bench/_node/citation_js.js`` under
Node on the very items a benchmark writes and the very text it reads, and keeps
citation-js's least CPU time per step, so the benchmark can print refconv's rate over
citation-js's beside the fixed-number goals. A benchmark calls :meth:`Session.run` once
per round, between its own timings, so that both sides sample the same stretches of a
shared machine's load.

Needs ``node`` and the packages pinned in ``bench/_node/package-lock.json``
(``npm ci --prefix bench/_node``); without them :func:`unavailable` says why and the
benchmark leaves the column out.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent / "_node"
SCRIPT = NODE_DIR / "citation_js.js"
PACKAGES = ("core", "plugin-bibtex", "plugin-ris")


@dataclass
class Step:
    cpu: float  # least CPU seconds over the runs (user + system, all threads)
    wall: float  # least wall-clock seconds
    count: int  # entries written or read

    @property
    def rate(self) -> float:
        return self.count / self.cpu


@dataclass
class Measured:
    version: str = ""
    node: str = ""
    write: dict[str, Step] = field(default_factory=dict)
    read: dict[str, Step] = field(default_factory=dict)


def peer_columns(
    peer: Measured | None, direction: str, fmt: str, rate: float, n: int, unit: str
) -> tuple[str, str]:
    """(citation-js's rate, refconv's ``rate`` over it) as table cells; empty without a peer.
    The rate says how many ``unit`` citation-js handled when that differs from ``n``."""
    if peer is None:
        return "", ""
    measured = (peer.write if direction == "write" else peer.read)[fmt]
    peer_rate = f"{measured.rate:,.0f}"
    if measured.count != n:
        peer_rate += f" ({measured.count:,} {unit})"
    return peer_rate, f"{rate / measured.rate:.2f}x"


def unavailable() -> str | None:
    """Why citation-js cannot be measured here, or ``None`` if it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    missing = [p for p in PACKAGES if not (NODE_DIR / "node_modules/@citation-js" / p).is_dir()]
    if missing:
        return (
            "@citation-js/" + ", ".join(missing) + " not installed "
            "(run: npm ci --prefix bench/_node)"
        )
    return None


class Session:
    """The corpus written once to a temporary folder and one Node process started on it;
    each :meth:`run` times every citation-js step once in that process (a long-lived one,
    like the benchmark's own: the first round warms V8's compiler up) and keeps the least
    time per step in :attr:`measured`."""

    def __init__(self, items: list[dict], write: list[str], read: dict[str, str]):
        self._folder = tempfile.TemporaryDirectory(prefix="refconv-bench-")
        base = Path(self._folder.name)
        (base / "items.json").write_text(json.dumps(items, ensure_ascii=False), "utf-8")
        spec: dict = {"items": str(base / "items.json"), "write": write, "read": {}}
        for fmt, text in read.items():
            path = base / f"input.{fmt}"
            path.write_text(text, "utf-8", newline="")
            spec["read"][fmt] = str(path)
        (base / "spec.json").write_text(json.dumps(spec), "utf-8")
        self._node = subprocess.Popen(
            ["node", str(SCRIPT), str(base / "spec.json")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.measured = Measured()
        self.failure: str | None = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._node.poll() is None:
            assert self._node.stdin is not None
            self._node.stdin.close()
            try:
                self._node.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._node.kill()
                self._node.wait()
        for stream in (self._node.stdout, self._node.stderr):
            if stream is not None:
                stream.close()
        self._folder.cleanup()

    def run(self) -> None:
        """One round: every citation-js step once (the benchmark's own steps wait)."""
        if self.failure:
            return
        assert self._node.stdin is not None and self._node.stdout is not None
        try:
            self._node.stdin.write("run\n")
            self._node.stdin.flush()
            line = self._node.stdout.readline()
            while line and not line.startswith('{"version"'):  # anything citation-js logs
                line = self._node.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            self._node.wait()
            assert self._node.stderr is not None
            last = (self._node.stderr.read().strip().splitlines() or ["no message"])[-1]
            self.failure = f"node exited {self._node.returncode}: {last}"
            return
        data = json.loads(line)
        self.measured.version, self.measured.node = data["version"], data["node"]
        for direction in ("write", "read"):
            kept = getattr(self.measured, direction)
            for fmt, step in data[direction].items():
                new = Step(**step)
                old = kept.get(fmt)
                if old is None or new.cpu < old.cpu:
                    kept[fmt] = new

    def result(self) -> tuple[Measured | None, str]:
        """(least times, note); ``None`` and the reason when citation-js failed."""
        if self.failure or not (self.measured.write or self.measured.read):
            return None, f"citation-js column skipped: {self.failure or 'not run'}"
        m = self.measured
        return m, f"citation-js {m.version} on Node {m.node}, same corpus, CPU time"


def cpu_time(work: Callable[[], object]) -> float:
    """CPU time of this process for one run: other processes on a shared machine slow
    the wall clock, not the CPU time spent here."""
    start = time.process_time()
    work()
    return time.process_time() - start


def measure_in_rounds(
    steps: dict[Hashable, Callable[[], object]],
    repeat: int,
    items: list[dict],
    write: list[str],
    read: dict[str, str],
    skip: str | None = None,
) -> tuple[dict[Hashable, float], Measured | None, str]:
    """The least CPU time of each of refconv's ``steps`` over ``repeat`` rounds, and
    citation-js's (writing ``items`` to ``write`` formats, reading the ``read`` texts),
    with the note for the table. Every round runs every step in turn, citation-js's too,
    so that on a shared machine each samples the same stretches of load. ``skip`` (a
    reason) leaves citation-js out."""
    reason = skip or unavailable()
    session = Session(items, write, read) if reason is None else None
    timings = dict.fromkeys(steps, float("inf"))
    try:
        for _ in range(repeat):
            for step, work in steps.items():
                timings[step] = min(timings[step], cpu_time(work))
            if session is not None:
                session.run()
    finally:
        if session is not None:
            session.close()
    if session is None:
        return timings, None, f"citation-js column skipped: {reason}"
    peer, note = session.result()
    return timings, peer, note
