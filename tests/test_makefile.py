"""examples/Makefile: pattern rules build every output, and a second make does nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def make(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    refconv = Path(sys.executable).with_name("refconv")
    command = str(refconv) if refconv.exists() else f"{sys.executable} -m refconv.cli"
    return subprocess.run(
        ["make", "-C", str(folder), f"REFCONV={command}", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_make_builds_then_does_nothing(tmp_path):
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)
    first = make(folder)
    assert first.returncode == 0, first.stdout + first.stderr
    stems = sorted(p.stem for p in (folder / "records").glob("*.txt"))
    for stem in stems:
        bib = (folder / "records" / f"{stem}.bib").read_text(encoding="utf-8")
        assert bib.startswith(f"@article{{{stem},") or f"{{{stem}," in bib
        ris = (folder / "records" / f"{stem}.ris").read_text(encoding="utf-8")
        assert ris.startswith("TY  - ")
    merged = (folder / "refs.bib").read_text(encoding="utf-8")
    assert (
        sorted(
            line.split("{", 1)[1].rstrip(",")
            for line in merged.splitlines()
            if line.startswith("@")
        )
        == stems
    )

    second = make(folder)
    assert second.returncode == 0
    assert "Nothing to be done" in second.stdout or "is up to date" in second.stdout
    assert "refconv" not in second.stdout

    (folder / "records" / stems[0]).with_suffix(".txt").touch()
    third = make(folder)
    rebuilt = [line for line in third.stdout.splitlines() if " convert " in line]
    assert len(rebuilt) == 3  # its .bib, its .ris and refs.bib
