"""RIS syntax: line ends, byte-order marks, continuation lines, and what lies outside records."""

from __future__ import annotations

import io

import pytest
from ris_support import BASIC, messages, read_ris

from refconv.converters.core.diagnostics import Severity
from refconv.converters.ris import syntax

WARNING, ERROR, INFO = Severity.WARNING, Severity.ERROR, Severity.INFO


def one(text: str) -> dict:
    items, report = read_ris(text)
    assert len(items) == 1, report.collected
    return items[0]


@pytest.mark.parametrize(
    "text",
    [
        BASIC,
        BASIC.replace("\n", "\r\n"),
        BASIC.replace("\n", "\r"),
        "\ufeff" + BASIC,
        "\n\n  \n" + BASIC + "\n\n",
        BASIC.replace("ER  - ", "ER  -"),
    ],
    ids=["lf", "crlf", "cr", "bom", "blank-lines", "er-without-space"],
)
def test_line_endings_bom_and_blank_lines(text: str) -> None:
    items, report = read_ris(text)
    assert items == [
        {
            "type": "article-journal",
            "title": "A title",
            "author": [{"family": "Smith", "given": "John"}],
            "container-title": "A Journal",
            "issued": {"date-parts": [[2020]]},
            "page": "1-9",
        }
    ]
    assert not messages(report, WARNING) and not messages(report, ERROR)


def test_bom_in_the_middle_of_concatenated_files() -> None:
    items, report = read_ris(BASIC + "\ufeff" + BASIC.replace("A title", "Second"))
    assert [i["title"] for i in items] == ["A title", "Second"]
    assert not report.collected


def test_continuation_lines() -> None:
    item = one(
        "TY  - JOUR\n"
        "TI  - A long title wrapped at seventy characters as the specification allows it\n"
        "  to be wrapped\n"
        "AB  - A first paragraph of the abstract that goes on for a while and then some\n"
        "more of it.\n"
        "\n"
        "Second paragraph.\n"
        "KW  - first keyword\n"
        "second keyword\n"
        "N1  - Times Cited:  5\n"
        "Cited Reference Count:  68\n"
        "ER  - \n"
    )
    assert item["title"] == (
        "A long title wrapped at seventy characters as the specification allows it to be wrapped"
    )
    assert item["abstract"] == (
        "A first paragraph of the abstract that goes on for a while and then some more of it."
        "\n\nSecond paragraph."
    )
    assert item["keyword"] == "first keyword, second keyword"
    assert item["note"] == "Times Cited:  5\nCited Reference Count:  68"


def test_missing_er_at_the_end_is_read_with_a_warning() -> None:
    items, report = read_ris("TY  - JOUR\nTI  - One\nER  - \nTY  - BOOK\nTI  - Two\n")
    assert [i["title"] for i in items] == ["One", "Two"]
    (warning,) = report.collected
    assert warning.severity is WARNING and warning.line == 4 and warning.record == 2
    assert "no ER line before the end" in warning.message


def test_missing_er_before_the_next_record_is_read_with_a_warning() -> None:
    items, report = read_ris("TY  - JOUR\nTI  - One\nTY  - BOOK\nTI  - Two\nER  - \n")
    assert [i["title"] for i in items] == ["One", "Two"]
    assert messages(report, WARNING) == [
        "record has no ER line before the next TY (line 3); read anyway"
    ]


def test_record_without_ty_is_reported_with_its_line_and_skipped() -> None:
    items, report = read_ris(
        "TY  - JOUR\nTI  - One\nER  - \n\nAU  - Orphan, O\nTI  - Lost\nER  - \n"
        "TY  - JOUR\nTI  - Three\nER  - \n"
    )
    assert [i["title"] for i in items] == ["One", "Three"]
    (error,) = [d for d in report.collected if d.severity is ERROR]
    assert (error.line, error.record) == (5, 2)
    assert error.message == "record without a TY line (it starts with AU at line 5); skipped"


def test_empty_record_is_an_error() -> None:
    items, report = read_ris("TY  - JOUR\nER  - \n")
    assert items == []
    assert messages(report, ERROR) == ["empty record (TY 'JOUR' and nothing else); skipped"]


def test_junk_between_records_is_skipped_and_noted() -> None:
    items, report = read_ris("Exported by X\n1.\n" + BASIC + "junk\n" + BASIC)
    assert len(items) == 2
    assert messages(report, INFO) == [
        "text outside any record ignored (lines 1-2)",
        "text outside any record ignored (line 11)",
    ]
    assert not messages(report, WARNING)


def test_one_space_tags_only_when_known() -> None:
    item = one("TY  - JOUR\nAU - Doe, Jane\nTI  - Fish and chips: a\nUS - based survey\nER  - \n")
    assert item["author"] == [{"family": "Doe", "given": "Jane"}]
    assert item["title"] == "Fish and chips: a US - based survey"


def _lines_reference(stream):
    """physical_lines without its ASCII short cut: every line searched for odd characters."""
    number = 0
    for raw in stream:
        number += 1
        line = raw.rstrip("\r\n")
        if syntax._ODD.search(line) is None:
            yield number, line
            continue
        line = line.replace("\ufeff", "").replace("\u2028", " ").replace("\u2029", " ")
        pieces = line.split("\r")
        for offset, piece in enumerate(pieces):
            yield number + offset, piece
        number += len(pieces) - 1


@pytest.mark.parametrize(
    "text",
    [
        "TY  - JOUR\nAU  - Smith, A\nER  - \n",
        "TY  - JOUR\r\nAU  - Smith, A\r\nER  - \r\n",
        "TY  - JOUR\rAU  - old Mac\rER  - \r",
        "\ufeffTY  - JOUR\nTI  - caf\u00e9\u2028line\nER  - \n",
        "TY  - JOUR\nTI  - a\rb\u00e9\nER  - \n",
    ],
)
@pytest.mark.parametrize("newline", ["", "\n"], ids=["universal", "lf-only"])
def test_ascii_lines_as_the_odd_character_split(text: str, newline: str) -> None:
    # split at LF only, a stream leaves lone CRs (old Mac files) inside the lines
    fast = list(syntax.physical_lines(io.StringIO(text, newline=newline)))
    assert fast == list(_lines_reference(io.StringIO(text, newline=newline)))
