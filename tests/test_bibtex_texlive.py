"""Every .bib file the TeX Live packages of .ci/run ship, read as a new user would.

Each file must read without an exception, every entry converted or reported, and
with the counts recorded in ``fixtures/bibtex/texlive-counts.json`` (entries,
items, warnings, errors), so that a change in how any of them reads shows.
After an intended change, regenerate the table::

    python tests/test_bibtex_texlive.py > tests/fixtures/bibtex/texlive-counts.json
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from refconv.converters import bibtex
from refconv.converters.core import api
from refconv.converters.core.diagnostics import Report, Severity

# the packages .ci/run installs that ship .bib files
PACKAGES = ("texlive-base", "texlive-bibtex-extra", "texlive-binaries", "biber")
COUNTS = Path(__file__).resolve().parent / "fixtures" / "bibtex" / "texlive-counts.json"
EXPECTED: dict[str, list[int]] = json.loads(COUNTS.read_text(encoding="utf-8"))


def texlive_bib_files() -> list[Path]:
    """The .bib files dpkg says the packages installed (none without dpkg)."""
    if shutil.which("dpkg") is None:
        return []
    listed = subprocess.run(
        ["dpkg", "-L", *PACKAGES], capture_output=True, text=True, check=False
    ).stdout
    return sorted({Path(line) for line in listed.splitlines() if line.endswith(".bib")})


def read_file(path: Path) -> tuple[list[int], Report]:
    """[entries, items, warnings, errors] of one file read as refconv reads it, and the
    report of that reading."""
    data = path.read_bytes()
    report = Report(keep_info=True)
    items = list(api.read(data, "bibtex", name=str(path), report=report))
    text = data.decode("utf-8", errors="replace")
    entries = sum(
        block.kind in ("entry", "failed")
        and (block.entry is None or block.entry.type.lower() != "comment")
        for block in bibtex.split_blocks(text)
    )
    severities = [d.severity for d in report.collected]
    counts = [
        entries,
        len(items),
        severities.count(Severity.WARNING),
        severities.count(Severity.ERROR),
    ]
    return counts, report


INSTALLED = [path for path in map(Path, EXPECTED) if path.is_file()]
needs_texlive = pytest.mark.skipif(
    not INSTALLED,
    reason=f"the TeX Live .bib files are not installed (dpkg packages {', '.join(PACKAGES)})",
)


@needs_texlive
@pytest.mark.parametrize("path", INSTALLED, ids=lambda path: path.name)
def test_texlive_file_reads_with_its_counts(path: Path) -> None:
    (entries, items, warnings, errors), report = read_file(path)
    # every entry converted or reported: @xdata (merged) and @set (members converted)
    # are reported without being items of their own
    merged = sum("merged into the entries that name it" in d.message for d in report.collected)
    sets = sum("an entry set has no CSL equivalent" in d.message for d in report.collected)
    skipped = sum(d.severity is Severity.ERROR and d.record is not None for d in report.collected)
    assert items + merged + sets + skipped == entries
    assert [entries, items, warnings, errors] == EXPECTED[str(path)]


@needs_texlive
def test_every_installed_texlive_file_is_in_the_table() -> None:
    found = texlive_bib_files()
    if not found:
        pytest.skip("dpkg is not available to list the packages' files")
    # a file the packages gained since the table was made has no recorded counts
    assert sorted(str(path) for path in found if path.is_file() and str(path) not in EXPECTED) == []


@needs_texlive
def test_texlive_files_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "all.bib"
    result = run_cli(
        "convert", *map(str, INSTALLED), "-f", "bibtex", "-t", "biblatex", "-o", str(out)
    )
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1)  # 1: some entries reported as failed
    total_items = sum(EXPECTED[str(path)][1] for path in INSTALLED)
    assert result.stderr.splitlines()[-1].startswith(f"refconv: converted {total_items:,} records")
    assert out.read_text(encoding="utf-8").count("\n@") + 1 >= total_items


if __name__ == "__main__":
    table = {str(path): read_file(path)[0] for path in texlive_bib_files()}
    json.dump(table, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
