"""citation-js measured on a benchmark's own corpus, in the same run (bench-only helper).

The speed goals of the BibTeX and RIS converters are stated against citation-js, the
fastest peer measured here. :func:`measure` runs ``bench/_node/citation_js.js`` under Node
on the very items a benchmark writes and the very text it reads, and returns citation-js's
CPU time per step, so the benchmark can print refconv's rate over citation-js's beside the
fixed-number goals.

Needs ``node`` and the packages pinned in ``bench/_node/package-lock.json``
(``npm ci --prefix bench/_node``); without them :func:`measure` returns ``None`` and a note
saying why, and the benchmark leaves the column out.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent / "_node"
SCRIPT = NODE_DIR / "citation_js.js"
PACKAGES = ("core", "plugin-bibtex", "plugin-ris")


@dataclass(frozen=True)
class Step:
    cpu: float  # least CPU seconds over the runs (user + system, all threads)
    wall: float  # least wall-clock seconds
    count: int  # entries written or read


@dataclass(frozen=True)
class Measured:
    version: str
    node: str
    write: dict[str, Step]
    read: dict[str, Step]


def unavailable() -> str | None:
    """Why citation-js cannot be measured here, or ``None`` if it can."""
    node = shutil.which("node")
    if node is None:
        return "citation-js column skipped: node is not installed"
    missing = [p for p in PACKAGES if not (NODE_DIR / "node_modules/@citation-js" / p).is_dir()]
    if missing:
        return (
            "citation-js column skipped: @citation-js/" + ", ".join(missing) + " not installed "
            "(run: npm ci --prefix bench/_node)"
        )
    return None


def measure(
    items: list[dict], write: list[str], read: dict[str, str], repeat: int
) -> tuple[Measured | None, str]:
    """citation-js writing ``items`` in each format of ``write`` and reading each text of
    ``read`` (format → text), best of ``repeat`` runs; (result, note). The result is
    ``None`` when citation-js is absent or fails; the note then says why."""
    reason = unavailable()
    if reason:
        return None, reason
    with tempfile.TemporaryDirectory(prefix="refconv-bench-") as folder:
        base = Path(folder)
        (base / "items.json").write_text(json.dumps(items, ensure_ascii=False), "utf-8")
        spec: dict = {"repeat": repeat, "items": str(base / "items.json"), "write": write}
        spec["read"] = {}
        for fmt, text in read.items():
            path = base / f"input.{fmt}"
            path.write_text(text, "utf-8", newline="")
            spec["read"][fmt] = str(path)
        (base / "spec.json").write_text(json.dumps(spec), "utf-8")
        done = subprocess.run(
            ["node", str(SCRIPT), str(base / "spec.json")],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return None, f"citation-js column skipped: node exited {done.returncode}: {last}"
    data = json.loads(done.stdout)
    result = Measured(
        version=data["version"],
        node=data["node"],
        write={fmt: Step(**step) for fmt, step in data["write"].items()},
        read={fmt: Step(**step) for fmt, step in data["read"].items()},
    )
    return result, f"citation-js {result.version} on Node {result.node}, same corpus, CPU time"
