"""MEDLINE text: fields, continuation lines, records without blank lines, stray lines, streaming."""

from __future__ import annotations

import json

from pubmed_support import (
    GeneratedStream,
    items_of,
    problems,
)

from conftest import run_cli
from refconv.converters import Report


def test_medline_records_without_blank_lines_continuations_and_crlf():
    text = (
        "PMID- 1\r\nTI  - A title that goes on\r\n      over two lines.\r\nFAU - Doe, Jane\r\n"
        "AU  - Doe J\r\nDP  - 2020 Mar\r\nPMID- 2\r\nTI  - Second.\r\nAU  - Roe RA\r\n"
        "CN  - The Writing Committee\r\nDP  - 2021\r\n"
    )
    first, second = items_of(text)
    assert first["title"] == "A title that goes on over two lines"
    assert first["author"] == [{"family": "Doe", "given": "Jane"}]
    assert second["author"] == [
        {"family": "Roe", "given": "R. A."},
        {"literal": "The Writing Committee"},
    ]


def test_medline_stray_lines_are_reported_not_swallowed():
    report = Report()
    [item] = items_of("PMID- 7\nTI  - Title.\nthis line is not a field\nDP  - 2020\n", report)
    assert item["issued"] == {"date-parts": [[2020]]}
    assert problems(report) == ["line 3: not a MEDLINE field, ignored: 'this line is not a field'"]


def test_medline_streams_record_by_record():
    from refconv.converters import pubmed

    def lines():
        for n in range(1, 100_000):
            yield f"PMID- {n}\nTI  - Title {n}.\nDP  - 2020\n\n"

    stream = GeneratedStream(lines())
    items = pubmed.read(stream, Report())
    assert [next(items)["PMID"], next(items)["PMID"]] == ["1", "2"]
    assert stream.produced < 20_000


def test_medline_record_without_pmid_or_title(tmp_path):
    path = tmp_path / "odd.nbib"
    path.write_text(
        "PMID- 1\nTI  - Fine.\n\nAU  - Nobody N\nDP  - 2020\n\nPMID- 3\nTI  - Also fine.\n"
    )
    result = run_cli("convert", str(path), "-t", "csl-json", "--jsonl")
    assert result.exit_code == 1
    assert [json.loads(line)["PMID"] for line in result.stdout.splitlines()] == ["1", "3"]
    assert (
        f"{path}: line 4 (record 2): error: record has neither a PMID nor a title" in result.stderr
    )
