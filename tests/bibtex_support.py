"""Helpers shared by the BibTeX tests: reading and writing in memory, the varied corpus,
every example record, and running the real consumers (bibtex, biber, pandoc)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from refconv.converters import bibtex
from refconv.converters.core.diagnostics import Report, Severity

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "bibtex"
CORPUS = FIXTURES / "corpus.json"
RECORD_SUFFIXES = frozenset({".txt", ".json", ".jsonl", ".ndjson", ".xml", ".nbib", ".ris"})


def read_bib(text: str) -> tuple[list[dict], Report]:
    report = Report(keep_info=True)
    items = list(bibtex.read(io.StringIO(text), report))
    return items, report


def write_bib(
    items: list[dict], dialect: str = "bibtex", report: Report | None = None, **options: Any
) -> str:
    buffer = io.StringIO(newline="")
    bibtex.write(items, buffer, report or Report(keep_info=True), dialect=dialect, **options)
    return buffer.getvalue()


def messages(report: Report, severity: Severity) -> list[str]:
    return [d.message for d in report.collected if d.severity is severity]


def load_corpus() -> list[dict]:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def example_items() -> list[dict]:
    """Every record in examples/ (any format refconv reads), with the pipeline's ids."""
    from refconv.converters import read
    from refconv.converters.core.keys import KeyAllocator

    files = sorted(p for p in (HERE.parent / "examples").rglob("*") if p.suffix in RECORD_SUFFIXES)
    assert files, "no example records"
    allocator = KeyAllocator()
    items = []
    for path in files:
        items.extend(read(path, allocator=allocator, report=Report()))
    return items


def bib_file(name: str) -> Path | None:
    """A .bib file of the TeX installation (xampl.bib, biblatex-examples.bib)."""
    if shutil.which("kpsewhich"):
        found = subprocess.run(["kpsewhich", name], capture_output=True, text=True).stdout
        if found.strip():
            return Path(found.strip())
    hits = (
        sorted(Path("/usr/share/texlive").rglob(name))
        if Path("/usr/share/texlive").is_dir()
        else []
    )
    return hits[0] if hits else None


# --- the real consumers --------------------------------------------------------------------


def run_bibtex(bib: str, folder: Path, style: str = "plain") -> tuple[list[str], list[str], str]:
    """``bibtex`` with ``style`` over \\nocite{*}: (warnings, errors, .bbl text)."""
    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    (folder / "main.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n", encoding="utf-8"
    )
    proc = subprocess.run(
        ["bibtex", "-terse", "main"], cwd=folder, capture_output=True, text=True, timeout=120
    )
    log = (folder / "main.blg").read_text(encoding="utf-8", errors="replace")
    warnings = re.findall(r"^Warning--(.*)$", log, re.MULTILINE)
    errors = [
        line
        for line in log.splitlines()
        if re.search(r"error message|I was expecting|I'm skipping|Illegal|Sorry---", line)
    ]
    if proc.returncode >= 2 and not errors:
        errors.append(f"bibtex exited with {proc.returncode}: {proc.stdout[-500:]}")
    bbl = folder / "main.bbl"
    return (
        warnings,
        errors,
        bbl.read_text(encoding="utf-8", errors="replace") if bbl.exists() else "",
    )


def run_biber_tool(bib: str, folder: Path) -> tuple[list[str], list[str], str]:
    """``biber --tool --validate-datamodel``: (WARN lines, ERROR lines, the .bib biber wrote)."""
    path = folder / "refs.bib"
    path.write_text(bib, encoding="utf-8")
    proc = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--nolog", str(path)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    warnings = re.findall(r"^WARN - (.*)$", output, re.MULTILINE)
    errors = re.findall(r"^ERROR - (.*)$", output, re.MULTILINE)
    if proc.returncode and not errors:
        errors.append(f"biber exited with {proc.returncode}: {output[-500:]}")
    written = folder / "refs_bibertool.bib"
    return warnings, errors, written.read_text(encoding="utf-8") if written.exists() else ""


def run_biber(bib: str, folder: Path) -> tuple[list[str], list[str]]:
    """``biber --tool --validate-datamodel``: (WARN lines, ERROR lines)."""
    warnings, errors, _ = run_biber_tool(bib, folder)
    return warnings, errors


def run_pandoc(bib: str, dialect: str = "bibtex") -> list[dict]:
    proc = subprocess.run(
        ["pandoc", "-f", dialect, "-t", "csljson"],
        input=bib.encode("utf-8"),
        capture_output=True,
        timeout=300,
        check=True,
    )
    return json.loads(proc.stdout)
