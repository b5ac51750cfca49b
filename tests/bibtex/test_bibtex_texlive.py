"""Every .bib file the TeX Live packages of .ci/run ship, read as a new user would.

Each file must read without an exception, every entry converted or reported. A file
whose bytes are those recorded in ``fixtures/bibtex/texlive-counts.json`` must also
read with the recorded counts (entries, items, warnings, errors), so that a change in
how any of them reads shows; a file that a newer TeX Live changed, or added, is held
to the first rule only. After an intended change, regenerate the table::

    PYTHONPATH=tests python tests/bibtex/test_bibtex_texlive.py \\
        > tests/fixtures/bibtex/texlive-counts.json
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from refconv.converters.bibtex.syntax import split_blocks
from refconv.converters.core import api
from refconv.converters.core.diagnostics import Report, Severity

# the packages .ci/run installs that ship .bib files
PACKAGES = ("texlive-base", "texlive-bibtex-extra", "texlive-binaries", "biber")
COUNTS = Path(__file__).resolve().parent.parent / "fixtures" / "bibtex" / "texlive-counts.json"
# path -> {"sha256": the file's hash when counted, "counts": [entries, items, warnings, errors]}
EXPECTED: dict[str, dict] = json.loads(COUNTS.read_text(encoding="utf-8"))


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
        for block in split_blocks(text)
    )
    severities = [d.severity for d in report.collected]
    counts = [
        entries,
        len(items),
        severities.count(Severity.WARNING),
        severities.count(Severity.ERROR),
    ]
    return counts, report


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


INSTALLED = [path for path in texlive_bib_files() if path.is_file()]
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
    recorded = EXPECTED.get(str(path))
    if recorded is not None and recorded["sha256"] == sha256(path):
        assert [entries, items, warnings, errors] == recorded["counts"]


@needs_texlive
def test_most_installed_files_are_the_counted_ones() -> None:
    # guards the table against going stale unnoticed: a Debian update may change a few
    # files (held to the invariants above only), not most of them
    same = sum(
        str(path) in EXPECTED and EXPECTED[str(path)]["sha256"] == sha256(path)
        for path in INSTALLED
    )
    assert same >= 0.8 * len(EXPECTED), f"only {same} of {len(EXPECTED)} files unchanged"


@needs_texlive
def test_texlive_files_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "all.bib"
    result = run_cli(
        "convert", *map(str, INSTALLED), "-f", "bibtex", "-t", "biblatex", "-o", str(out)
    )
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1)  # 1: some entries reported as failed
    total_items = sum(read_file(path)[0][1] for path in INSTALLED)
    assert result.stderr.splitlines()[-1].startswith(f"refconv: converted {total_items:,} records")
    assert out.read_text(encoding="utf-8").count("\n@") + 1 >= total_items


if __name__ == "__main__":
    table = {
        str(path): {"sha256": sha256(path), "counts": read_file(path)[0]}
        for path in texlive_bib_files()
    }
    json.dump(table, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
