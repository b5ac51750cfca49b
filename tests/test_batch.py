"""Batch use: directories, one output per input, dedupe, progress, completion."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path, PurePath

import pytest

from conftest import EXAMPLES, SEED, run_cli
from refconv.cli.run import UsageError, output_path
from refconv.converters.core.registry import default_registry


@pytest.fixture
def records_dir(tmp_path):
    folder = tmp_path / "records"
    (folder / "sub").mkdir(parents=True)
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "sub" / "more.jsonl").write_bytes((EXAMPLES / "records.jsonl").read_bytes())
    (folder / "notes.md").write_text("# not a record\n")
    (folder / ".hidden.txt").write_text("ignored")
    return folder


def ids(text: str) -> list[str]:
    return [json.loads(line)["id"] for line in text.splitlines()]


def test_directory_is_recursed_for_readable_files(records_dir):
    result = run_cli("convert", str(records_dir), "--jsonl", "-v")
    assert result.exit_code == 0, result.stderr
    assert len(ids(result.stdout)) == 8
    assert "notes.md" not in result.stderr


def test_glob_picks_files_in_directories(records_dir):
    result = run_cli("convert", str(records_dir), "--glob", "*.txt", "--jsonl")
    assert ids(result.stdout) == ["liu2025exosome"]


def test_mixed_formats_in_one_run(tmp_path):
    csl = tmp_path / "items.json"
    csl.write_text(json.dumps([{"id": "liu2025exosome", "type": "book", "title": "Other"}]))
    result = run_cli("convert", str(SEED), str(csl), "--jsonl", "-v")
    assert result.exit_code == 0
    assert ids(result.stdout) == ["liu2025exosome", "liu2025exosomea"]
    assert "reading as paper-record" in result.stderr
    assert "reading as csl-json" in result.stderr
    assert "duplicate id 'liu2025exosome' renamed to 'liu2025exosomea'" in result.stderr


def test_out_dir_writes_one_output_per_input(records_dir, tmp_path):
    out = tmp_path / "out"
    result = run_cli("convert", str(records_dir), "-t", "csl-json", "--out-dir", str(out))
    assert result.exit_code == 0, result.stderr
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["seed.json", "sub/more.json"]
    assert json.loads((out / "seed.json").read_text())[0]["id"] == "liu2025exosome"
    # each output is keyed on its own: the same as converting that file alone
    alone = run_cli("convert", str(records_dir / "sub" / "more.jsonl"), "-t", "csl-json")
    assert (out / "sub" / "more.json").read_text() == alone.stdout


def test_out_dir_never_writes_outside(tmp_path):
    registry = default_registry()
    writer = registry.writer("csl-json")
    out = tmp_path / "out"
    out.mkdir()
    for relative in ("../../etc/passwd", "/etc/passwd", "a/../../b.txt", "..", ""):
        target = output_path(out, PurePath(relative), writer)
        assert os.path.commonpath([out, target]) == str(out), relative
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(UsageError, match="outside"):
        output_path(out, PurePath("link/x.txt"), writer)


def test_out_dir_refuses_two_inputs_with_one_output(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "seed.txt").write_bytes(SEED.read_bytes())
    result = run_cli(
        "convert",
        str(tmp_path / "a" / "seed.txt"),
        str(tmp_path / "b" / "seed.txt"),
        "--out-dir",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 2
    assert "would both write" in result.stderr
    assert not (tmp_path / "out").exists()


def test_dedupe_merges_the_same_work(tmp_path):
    first = {
        "title": "Exosome-based immunotherapy",
        "doi": "10.1007/S10238-025-01659-2",
        "authors": "Hong Liu",
        "publicationDate": "2025",
        "PeriodicalIF": 1,
    }
    second = {
        "title": "Exosome-based immunotherapy",
        "doi": "10.1007/s10238-025-01659-2",
        "authors": "Hong Liu, GuoWei Wang",
        "abstract": "Text.",
        "publicationDate": "2025-04-24",
        "PeriodicalIF": 1,
    }
    third = {  # no DOI: the exact title, year and creators make it the same work
        "title": "Exosome-based immunotherapy",
        "authors": "Hong Liu, GuoWei Wang",
        "publicationDate": "2025",
        "PeriodicalIF": 1,
    }
    fourth = {  # another work: the title differs in case and a symbol
        "title": "EXOSOME-BASED IMMUNOTHERAPY!",
        "authors": "Hong Liu, GuoWei Wang",
        "publicationDate": "2025",
        "PeriodicalIF": 1,
    }
    other = {
        "title": "Another paper",
        "authors": "Hong Liu",
        "publicationDate": "2025",
        "PeriodicalIF": 1,
    }
    path = tmp_path / "dups.jsonl"
    records = (first, second, third, fourth, other)
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = run_cli("convert", str(path), "--dedupe", "--jsonl")
    assert result.exit_code == 0, result.stderr
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert [i["id"] for i in items] == ["liu2025exosome", "liu2025exosomea", "liu2025another"]
    merged = items[0]
    assert len(merged["author"]) == 2
    assert merged["issued"] == {"date-parts": [[2025, 4, 24]]}
    assert merged["abstract"] == "Text."
    notes = [line for line in result.stderr.splitlines() if ": note: " in line]
    assert len(notes) == 2
    assert "same DOI 10.1007/s10238-025-01659-2" in notes[0]
    assert "took author, issued, abstract" in notes[0]
    assert "same title, year and creators, nothing conflicting" in notes[1]
    assert result.stderr.splitlines()[-1] == (
        "refconv: converted 5 records from 1 file; 2 merged as duplicates; 0 failed; 0 warnings"
    )


def test_progress_bar_on_a_terminal_only(tmp_path):
    path = tmp_path / "many.jsonl"
    line = (EXAMPLES / "records.jsonl").read_text(encoding="utf-8").splitlines()[0]
    path.write_text("\n".join([line] * 400) + "\n")
    env = {**os.environ, "REFCONV_PROGRESS_AFTER": "0", "REFCONV_WORKERS": "1", "TERM": "xterm"}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "refconv.cli", "convert", str(path), "-o", str(tmp_path / "o.json")],
        stderr=follower,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait() == 0
    assert b"records" in shown and b"/s" in shown
    piped = run_cli(
        "convert", str(path), "-o", str(tmp_path / "p.json"), env={"REFCONV_PROGRESS_AFTER": "0"}
    )
    assert piped.stderr == ""


def test_completion_offers_format_names():
    env = {
        **os.environ,
        "_REFCONV_COMPLETE": "complete_bash",
        "COMP_WORDS": "refconv convert --to ",
        "COMP_CWORD": "3",
    }
    # completion keys on the program name, so run the installed console script
    script = str(Path(sys.executable).with_name("refconv"))
    result = subprocess.run([script], env=env, capture_output=True, text=True)
    offered = result.stdout.split()
    assert "csl-json" in offered
    assert "paper-record" not in offered  # it can only be read
    # Typer takes the shell's name only with detection off; detected, it depends on which
    # shell started the tests (none, when they run detached from one)
    named = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    for shell in ("bash", "zsh", "fish"):
        shown = subprocess.run(
            [script, "--show-completion", shell], capture_output=True, text=True, env=named
        )
        assert shown.returncode == 0, shell
        assert "_REFCONV_COMPLETE" in shown.stdout, shell


def test_formats_help_shows_examples():
    assert (
        "refconv convert -f ris -t bibtex < export.ris > refs.bib"
        in run_cli("formats", "--help").stdout
    )
