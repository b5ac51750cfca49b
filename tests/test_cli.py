"""The command line: exit codes, errors on stderr, atomic output, pipes."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import EXAMPLES, SEED, run_cli


def test_convert_to_file_atomically(tmp_path):
    out = tmp_path / "out.json"
    result = run_cli("convert", str(SEED), "-o", str(out))
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert json.loads(out.read_text(encoding="utf-8"))[0]["id"] == "liu2025exosome"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


def test_failed_run_leaves_existing_output_untouched(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("previous contents")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = run_cli("convert", str(SEED), str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert out.read_text() == "previous contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "out.json"]


def test_strict_turns_a_failed_record_into_no_output(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"title": "ok", "PeriodicalIF": 1}\n{"title": "bad", "authors": 1}\n')
    out = tmp_path / "out.json"
    result = run_cli("convert", str(path), "-o", str(out), "--strict")
    assert result.exit_code == 1
    assert "field 'authors' must be text or a list, not a number" in result.stderr
    assert "nothing written" in result.stderr
    assert not out.exists()


def test_unknown_format_is_a_usage_error_with_a_suggestion():
    result = run_cli("convert", str(SEED), "-t", "bibtexx")
    assert result.exit_code == 2
    assert result.stderr.startswith("refconv: error: unknown format 'bibtexx'")
    assert "Traceback" not in result.stderr


def test_option_the_writer_does_not_take_is_a_usage_error():
    result = run_cli("convert", str(SEED), "-t", "csl-json", "-O", "style=apa")
    assert result.exit_code == 2
    assert result.stderr == (
        "refconv: error: option --style does not apply to csl-json (it takes: --indent, --jsonl)\n"
    )


def test_missing_input_file(tmp_path):
    result = run_cli("convert", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert result.stderr == f"refconv: error: {tmp_path / 'nope.txt'}: no such file\n"


def test_bad_key_pattern_is_a_usage_error():
    result = run_cli("convert", str(SEED), "--key-pattern", "{author}{year}")
    assert result.exit_code == 2
    assert "unknown key pattern field {author}" in result.stderr


def test_key_pattern_applies_to_generated_keys():
    result = run_cli("convert", str(SEED), "--jsonl", "--key-pattern", "{Auth}{year}{shorttitle}")
    assert json.loads(result.stdout)["id"] == "Liu2025ExosomeBasedImmunotherapy"


def test_many_inputs_one_merged_output_with_unique_keys():
    result = run_cli("convert", str(SEED), str(EXAMPLES / "concatenated.txt"), "--jsonl")
    assert result.exit_code == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["liu2025exosome", "liu2025exosomea", "smith2021covid"]


def test_version_is_the_installed_distributions():
    from importlib.metadata import version

    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"refconv {version('refconv')}\n"


def test_formats_is_tab_separated_when_piped():
    result = run_cli("formats")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    by_name = {row[0]: row for row in rows}
    assert by_name["csl-json"][2] == "read/write"
    assert by_name["paper-record"][2] == "read"
    assert all(len(row) == 5 for row in rows)


def test_help_shows_examples_and_exit_codes():
    result = run_cli("convert", "--help")
    assert result.exit_code == 0
    assert "cat records.jsonl | refconv convert -t bibtex >> refs.bib" in result.stdout
    assert "Exit codes: 0 all records converted" in result.stdout


def test_broken_pipe_ends_quietly(tmp_path):
    big = tmp_path / "big.jsonl"
    line = (EXAMPLES / "records.jsonl").read_text(encoding="utf-8").splitlines()[0]
    big.write_text("\n".join([line] * 3000) + "\n", encoding="utf-8")
    pipeline = subprocess.run(
        f"{sys.executable} -m refconv.cli convert {big} --jsonl | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
    )
    assert pipeline.stdout.count("\n") == 1
    assert pipeline.stderr == ""


def test_styles_lists_and_searches():
    result = run_cli("styles", "--search", "vancouver")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    nlm = [row for row in rows if row[0] == "nlm-citation-sequence"]
    assert nlm and nlm[0][2:4] == ["numeric", "built-in"] and "vancouver" in nlm[0][4]
    missing = run_cli("styles", "--search", "no such style anywhere")
    assert missing.exit_code == 1
    assert "refconv: error: no style matches 'no such style anywhere'" in missing.stderr


def test_citation_flags_reach_the_writer():
    result = run_cli("convert", str(SEED), "-t", "citation", "--style", "apa", "--mode", "citation")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "(Liu et al., 2025)\n"
    html = run_cli(
        "convert", str(SEED), "-t", "citation", "--style", "vancouver", "--markup", "html"
    )
    assert html.stdout.startswith('<div class="csl-bib-body">')
    wrong = run_cli("convert", str(SEED), "-t", "bibtex", "--style", "apa")
    assert wrong.exit_code == 2
    assert "option --style does not apply to bibtex" in wrong.stderr


def test_help_credits_the_csl_project():
    assert "https://citationstyles.org/" in run_cli("--help").stdout
    assert "CC BY-SA 3.0" in run_cli("convert", "--help").stdout
