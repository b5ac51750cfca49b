"""The command line under faults: special output files, full disks, signals, broken pipes,
unreadable inputs, hostile text in messages, and many records sharing a key (issue 16)."""

from __future__ import annotations

import gzip
import json
import os
import shlex
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from conftest import EXAMPLES, SEED, run_cli


def test_twenty_thousand_records_sharing_a_key_convert_quickly(tmp_path):
    source = tmp_path / "same.jsonl"
    record = json.dumps({"id": "dup", "type": "book", "title": "T"})
    source.write_text((record + "\n") * 20_000, encoding="utf-8")
    started = time.perf_counter()
    result = run_cli("convert", str(source), "-t", "bibtex", "-q")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    keys = [line[len("@book{") : -1] for line in result.stdout.splitlines() if line[:1] == "@"]
    assert len(keys) == len({k.lower() for k in keys}) == 20_000
    assert keys[:3] == ["dup", "dupa", "dupb"]
    assert elapsed < 30  # about 1.5 s; it took 313 s when allocation was quadratic


# --- -o: regular files replaced atomically, anything else written through (item 2) ------


def _refconv(*args: str) -> list[str]:
    return [sys.executable, "-m", "refconv.cli", *args]


def test_output_to_a_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run_cli("convert", str(SEED), "-t", "bibtex", "-o", str(fifo))
    reader.join(timeout=60)
    if reader.is_alive() and stat.S_ISFIFO(os.lstat(fifo).st_mode):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the reader go
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(b"@article{liu2025exosome,")
    assert [p.name for p in tmp_path.iterdir()] == ["out.fifo"]


def test_output_through_a_symlink_replaces_its_target(tmp_path):
    target = tmp_path / "real" / "refs.bib"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "refs.bib"
    link.symlink_to(target)
    result = run_cli("convert", str(SEED), "-t", "bibtex", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("@article{liu2025exosome,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["refs.bib"]


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1"])
def test_output_to_dev_stdout_reaches_stdout(name):
    result = run_cli("convert", str(SEED), "-t", "bibtex", "-o", name)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("@article{liu2025exosome,")
    assert os.path.islink("/dev/stdout") and os.path.islink("/dev/fd")


def test_output_to_dev_stdout_appends_when_the_shell_appends(tmp_path):
    out = tmp_path / "refs.bib"
    out.write_text("% kept\n", encoding="utf-8")
    shell = f"{shlex.join(_refconv('convert', str(SEED), '-t', 'bibtex', '-o', '/dev/stdout'))}"
    done = subprocess.run(
        ["bash", "-c", f"{shell} >> {shlex.quote(str(out))}"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("% kept\n@article{liu2025exosome,")
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


def test_output_to_dev_null_leaves_it_a_device():
    result = run_cli("convert", str(SEED), "-t", "bibtex", "-o", os.devnull)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


# --- I/O faults: one line naming the path and the OS error, nothing left behind (item 6) ---


def test_full_disk_is_one_line_and_exit_2():
    result = run_cli("convert", str(SEED), "-t", "csl-json", "-o", "/dev/full")
    assert result.exit_code == 2
    assert result.stderr == "refconv: error: /dev/full: cannot write: No space left on device\n"


def test_output_to_a_directory_is_one_line_and_exit_2(tmp_path):
    result = run_cli("convert", str(SEED), "-t", "bibtex", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"refconv: error: {tmp_path}: cannot write: Is a directory\n"
    assert list(tmp_path.iterdir()) == []


def test_out_dir_whose_parent_cannot_hold_it(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = run_cli("convert", str(SEED), "-t", "bibtex", "--out-dir", str(blocker / "out"))
    assert result.exit_code == 2
    assert result.stderr == f"refconv: error: {blocker / 'out'}: cannot write: Not a directory\n"


def test_file_size_limit_fails_cleanly(tmp_path):
    source = tmp_path / "many.jsonl"
    source.write_text(_records(300), encoding="utf-8")
    out = tmp_path / "out.json"
    command = shlex.join(_refconv("convert", str(source), "-o", str(out)))
    done = subprocess.run(
        ["bash", "-c", f"ulimit -f 8; {command}"],  # 8 blocks of 1,024 bytes
        capture_output=True,
        text=True,
        env={**os.environ, "REFCONV_WORKERS": "1"},
    )
    assert done.returncode == 2
    assert done.stderr == f"refconv: error: {out}: cannot write: File too large\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.jsonl"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_leaves_no_temporary_file(tmp_path, signum):
    out = tmp_path / "out.bib"
    process = subprocess.Popen(
        _refconv("convert", "-", "-f", "csl-json", "-t", "bibtex", "-o", str(out)),
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "REFCONV_WORKERS": "1"},
    )
    assert process.stdin is not None
    process.stdin.write(_records(3000).encode())  # past the 64 KiB read ahead to sniff
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while not any(p.name.endswith(".part") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline, "no temporary output appeared"
        time.sleep(0.02)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signum
    assert stderr.decode() == f"refconv: {signal.Signals(signum).name}: stopped\n"
    assert list(tmp_path.iterdir()) == []


def _records(n: int) -> str:
    return "".join(
        json.dumps({"id": f"r{i}", "type": "book", "title": f"Title number {i}"}) + "\n"
        for i in range(n)
    )


# --- exit codes: broken pipes, unreadable inputs (item 7) --------------------------------


def test_head_sees_exit_141_and_no_noise(tmp_path):
    source = tmp_path / "many.jsonl"
    source.write_text(_records(5000), encoding="utf-8")
    command = shlex.join(_refconv("convert", str(source), "--jsonl"))
    done = subprocess.run(
        ["bash", "-c", f"{command} | head -1; echo ${{PIPESTATUS[0]}} >&2"],
        capture_output=True,
        text=True,
    )
    assert done.stdout == '{"id":"r0","type":"book","title":"Title number 0"}\n'
    assert done.stderr == "141\n"


def test_an_unreadable_later_input_means_nothing_written(tmp_path):
    binary = tmp_path / "image.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run_cli("convert", str(SEED), str(binary), "-t", "bibtex")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"refconv: error: {binary}: binary data, not a text format refconv reads\n"
    )


# --- terminal escapes from input never reach stderr raw (item 11) -------------------------


def test_control_characters_in_messages_are_escaped(tmp_path):
    name = tmp_path / "evil\x1b]0;owned\x07\x9b2J.json"
    record = {"id": "a\x1b[31m", "type": "no-such\x1b[2Jtype", "title": "T"}
    name.write_text(json.dumps(record) + '\n{"id": "b", oops\x1b[2J}\n', encoding="utf-8")
    result = run_cli("convert", str(name), "-t", "bibtex")
    assert result.exit_code == 1, result.stderr
    shown = str(tmp_path / "evil\\x1b]0;owned\\x07\\x9b2J.json")
    assert f"{shown}: line 2 (record 2): error: invalid JSON" in result.stderr
    assert "'no-such\\x1b[2Jtype'" in result.stderr
    assert not any(c in result.stderr for c in "\x1b\x07\x9b")


def test_printable_escapes_as_ls_and_git_do():
    from refconv.converters.core.diagnostics import printable

    assert printable("plain, 张三 — ok") == "plain, 张三 — ok"
    assert printable("a\x1b[2Jb\x07c\x9bd\x7fe\tf\rg\x00") == (
        "a\\x1b[2Jb\\x07c\\x9bd\\x7fe\\tf\\rg\\x00"
    )


# --- option errors are usage errors; a record that cannot be encoded fails alone (item 5) --


def test_a_bad_writer_option_value_is_a_usage_error():
    result = run_cli("convert", str(SEED), "-O", 'indent="x"')
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "refconv: error: --option: option indent must be a whole number, not 'x'\n"
    )
    flag = run_cli("convert", str(SEED), "-t", "bibtex", "-O", "ascii=[1]")
    assert flag.exit_code == 2
    assert flag.stderr == "refconv: error: --option: option ascii must be true or false, not [1]\n"


@pytest.mark.parametrize("to", ["csl-json", "bibtex", "ris", "biblatex"])
def test_a_lone_surrogate_fails_its_record_alone(tmp_path, to):
    # the first line decides how the file is read: here as one document, by the json module,
    # which lets "\ud800" through (msgspec, reading JSON Lines, refuses it)
    source = tmp_path / "s2.jsonl"
    source.write_text(
        '{"paperId": "b", "title": "x\\ud800y"}\n{"paperId": "c", "title": "Fine"}\n',
        encoding="utf-8",
    )
    result = run_cli("convert", str(source), "-f", "s2", "-t", to)
    assert result.exit_code == 1
    # the reader refuses it (a check in the pipeline stands behind readers that do not)
    assert f"{source}: line 1 (record 1): error: invalid JSON: lone UTF-16 surrogate \\ud800" in (
        result.stderr
    )
    assert "Fine" in result.stdout and "Traceback" not in result.stderr
    if to == "csl-json":
        assert [item["title"] for item in json.loads(result.stdout)] == ["Fine"]


# --- limits instead of unbounded memory (item 3) ---------------------------------------


def _peak_rss_mib(argv: list[str]) -> tuple[int, float, str]:
    """(exit code, peak resident MiB, stderr) of one command."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    stderr = process.stderr.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.stderr.close()
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, stderr


def test_a_gzip_bomb_in_one_record_stops_at_the_line_limit(tmp_path):
    import gzip

    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as out:
        out.write(b'{"paperId": "z", "title": "First"}\n{"paperId": "a", "title": "')
        block = b"a" * 1024 * 1024
        for _ in range(65):  # a 65 MiB line from a 300 KB file
            out.write(block)
        out.write(b'"}\n')
    assert bomb.stat().st_size < 1024 * 1024
    small = tmp_path / "small.jsonl"
    small.write_text('{"paperId": "z", "title": "First"}\n', encoding="utf-8")
    args = ("-f", "s2", "-t", "bibtex")
    _, baseline, _ = _peak_rss_mib(_refconv("convert", str(small), *args))
    code, peak, stderr = _peak_rss_mib(_refconv("convert", str(bomb), *args))
    assert code == 2
    assert stderr == (
        f"refconv: error: {bomb}: line 2: a line longer than 64 MiB (--max-line raises the limit)\n"
    )
    assert peak - baseline < 150  # the line is refused as it streams in (about 70 MiB)


def test_the_line_limit_can_be_raised(tmp_path):
    source = tmp_path / "long.jsonl"
    source.write_text(
        json.dumps({"id": "a", "type": "book", "title": "x" * 3000}) + "\n", encoding="utf-8"
    )
    refused = run_cli("convert", str(source), "--max-line", "2K")
    assert refused.exit_code == 2
    assert "line 1: a line longer than 2 KiB (--max-line raises the limit)" in refused.stderr
    raised = run_cli("convert", str(source), "--max-line", "4K", "--jsonl")
    assert raised.exit_code == 0, raised.stderr
    assert json.loads(raised.stdout)["title"] == "x" * 3000
    bad = run_cli("convert", str(source), "--max-line", "lots")
    assert bad.exit_code == 2 and "expected a size such as 64M or 1G" in bad.stderr


def test_inputs_read_whole_are_bounded_by_max_document(tmp_path):
    bib = tmp_path / "refs.bib"
    entries = "".join(f"@misc{{k{n}, title = {{Title {n}}}}}\n" for n in range(40_000))
    bib.write_text(entries, encoding="utf-8")  # about 1.3 MB
    refused = run_cli("convert", str(bib), "-t", "ris", "--max-document", "1M")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr == (
        f"refconv: error: {bib}: more than 1 MiB to read whole (--max-document raises the limit)\n"
    )
    raised = run_cli("convert", str(bib), "-t", "ris", "--max-document", "2M")
    assert raised.exit_code == 0, raised.stderr
    assert raised.stdout.count("ER  -") == 40_000


def test_one_line_pubmed_xml_is_not_held_to_the_line_limit(tmp_path):
    xml = (EXAMPLES / "pubmed" / "efetch.xml").read_text(encoding="utf-8")
    one_line = tmp_path / "efetch.xml"
    one_line.write_text(xml.replace("\n", ""), encoding="utf-8")
    assert len(xml) > 4096
    expected = run_cli("convert", str(EXAMPLES / "pubmed" / "efetch.xml"), "--jsonl")
    result = run_cli("convert", str(one_line), "--jsonl", "--max-line", "4K")
    assert result.exit_code == expected.exit_code == 0, result.stderr
    assert [json.loads(x)["PMID"] for x in result.stdout.splitlines()] == [
        json.loads(x)["PMID"] for x in expected.stdout.splitlines()
    ]


def test_json_nested_too_deep_fails_its_record_alone(tmp_path):
    deep = '{"paperId": "b", "title": "x", "authors": ' + "[" * 100_000 + "]" * 100_000 + "}"
    source = tmp_path / "deep.jsonl"
    source.write_text(
        '{"paperId": "a", "title": "First"}\n' + deep + '\n{"paperId": "c", "title": "Third"}\n',
        encoding="utf-8",
    )
    result = run_cli("convert", str(source), "-f", "s2", "-t", "bibtex")
    assert result.exit_code == 1
    assert f"{source}: line 2 (record 2): error: invalid JSON: nested too deeply" in result.stderr
    assert "title = {First}" in result.stdout and "title = {Third}" in result.stdout


@pytest.mark.parametrize("reader", ["csl-json", "s2", "openalex", "crossref"])
def test_a_record_nested_too_deep_in_a_document_fails_alone(tmp_path, reader):
    source = tmp_path / "deep.json"
    deep = "[" * 100_000 + "]" * 100_000
    good = '{"title": "Good", "DOI": "10.1/g", "paperId": "g", "id": "g", "type": "book"}'
    source.write_text(f'[\n{{"title": "x",\n"author": {deep}}},\n{good}\n]\n', encoding="utf-8")
    result = run_cli("convert", str(source), "-f", reader, "-t", "csl-json", "--jsonl")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "error: invalid JSON: nested too deeply (the limit is about 900 levels)" in (
        result.stderr
    )
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == ["Good"]


def test_stdout_failing_after_records_were_written_exits_1(tmp_path):
    source = tmp_path / "many.jsonl"
    source.write_text(_records(3000), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = shlex.join(_refconv("convert", str(source), "--jsonl"))
    done = subprocess.run(
        ["bash", "-c", f"ulimit -f 64; {command} > {shlex.quote(str(out))}"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr == "refconv: error: <stdout>: cannot write: File too large\n"
    # the kernel fills the file to the limit (a short write), so only the lines before the
    # last are whole; refconv wrote them in whole-record pieces
    lines = out.read_bytes().split(b"\n")
    assert len(lines) > 100 and out.stat().st_size == 64 * 1024
    assert all(json.loads(line)["title"].startswith("Title number") for line in lines[:-1])


def test_out_dir_output_failing_after_another_was_written_exits_1(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(_records(2), encoding="utf-8")
    second.write_text(_records(2), encoding="utf-8")
    out = tmp_path / "out"
    (out / "b.bib").mkdir(parents=True)  # where the second output would go
    result = run_cli("convert", str(first), str(second), "-t", "bibtex", "--out-dir", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"refconv: error: {out / 'b.bib'}: cannot write: Is a directory\n"
    assert (out / "a.bib").read_text(encoding="utf-8").startswith("@book{r0,")


def test_an_input_failing_part_way_leaves_whole_records_on_stdout(tmp_path):
    first = tmp_path / "first.jsonl"
    first.write_text(_records(3000), encoding="utf-8")  # about 190 KB: some reaches stdout
    second = tmp_path / "second.jsonl.gz"
    whole = gzip.compress(_records(20000).encode())
    second.write_bytes(whole[: len(whole) // 2])  # cut: fails past the head
    result = run_cli("convert", str(first), str(second), "--jsonl")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"refconv: error: {second}: damaged gzip data")
    assert result.stdout_bytes.endswith(b"\n") and len(result.stdout_bytes) > 64 * 1024
    assert all(json.loads(line)["type"] == "book" for line in result.stdout.splitlines())


def test_strict_writes_nothing_to_stdout_either(tmp_path):
    source = tmp_path / "many.jsonl"
    source.write_text(_records(3000) + '{"id": "odd", "type": "no-such-type"}\n', encoding="utf-8")
    result = run_cli("convert", str(source), "--jsonl", "--strict")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "unknown CSL type 'no-such-type'" in result.stderr and "nothing written" in result.stderr


def test_a_surrogate_escape_cut_by_a_block_boundary_is_still_found():
    from refconv.converters import Report, read

    start = '[{"paperId": "a", "title": "'
    for cut in range(8186, 8194):  # the raw layer reads 8 KiB blocks: cut the escape anywhere
        text = start + "p" * (cut - len(start)) + '\\ud800"},\n{"paperId": "b", "title": "T"}]\n'
        report = Report()
        items = list(read(text.encode(), "s2", report=report))
        assert [i["title"] for i in items] == ["T"], cut
        assert "lone UTF-16 surrogate" in report.collected[0].message
