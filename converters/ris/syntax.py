"""RIS syntax: physical lines → records of ``[tag, value, line, length]`` rows.

Reading is tolerant, like Zotero's importer: either line ending, a byte-order mark (also
in the middle of concatenated files), blank lines and junk between records,
continuation lines, a missing ``ER`` (with a warning).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TextIO

from ..core.diagnostics import Report
from ..core.limits import size_text
from .mapping import KNOWN_TAGS

_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])  -(?:[ \t](.*)|[ \t]*$)")
_TAG_LINE_ONE_SPACE = re.compile(r"([A-Z][A-Z0-9]) -(?:[ \t](.*)|[ \t]*$)")

_PARAGRAPH_TAGS = frozenset({"AB", "N2"})
_LINE_TAGS = frozenset({"N1", "RN"})
# a continuation line of these tags is one more value (EndNote writes KW and SN so)
_LIST_TAGS = frozenset({"KW", "SN", "UR", "L1", "L2", "L4"})


class Record:
    __slots__ = ("index", "line", "max_length", "tags", "ty")

    def __init__(self, ty: str | None, line: int, index: int):
        self.ty = ty
        self.line = line
        self.index = index
        self.tags: list[list[Any]] = []  # [tag, value, line, last physical line length]
        self.max_length = 0


_ODD = re.compile("[\r\ufeff\u2028\u2029]")


def physical_lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    """Numbered lines without their ends; also split at a lone CR (old Mac files), with
    byte-order marks (concatenated files) dropped and Unicode line separators as spaces."""
    number = 0
    odd = _ODD.search
    for raw in stream:
        number += 1
        line = raw.rstrip("\r\n")
        # isascii() is a flag look-up: an ASCII line can only hold the CR of _ODD
        if (line.isascii() and "\r" not in line) or odd(line) is None:
            yield number, line
            continue
        line = line.replace("\ufeff", "").replace("\u2028", " ").replace("\u2029", " ")
        pieces = line.split("\r")
        for offset, piece in enumerate(pieces):
            yield number + offset, piece
        number += len(pieces) - 1


def records(stream: TextIO, report: Report) -> Iterator[Record]:
    """Split the input into records; report what lies outside them.

    A record may hold at most ``stream.max_record`` characters (the CLI's ``--max-line``;
    no bound for a stream without one): a longer one is reported and skipped, its lines
    dropped as they are read, so that a record of endless short lines cannot fill memory.
    """
    record: Record | None = None
    headless: Record | None = None  # tag lines met outside a record
    index = 0
    junk_from = 0  # first line of a run of text outside records
    paragraph = False  # a blank line inside AB/N2 is pending
    limit = getattr(stream, "max_record", 0)
    held = 0  # characters of the current record so far
    too_long = False  # the current record passed the limit: drop lines until ER or TY
    tag_line = _TAG_LINE.match
    for number, line in physical_lines(stream):
        match = tag_line(line)
        if match is None and line[2:4] == " -":
            match = _TAG_LINE_ONE_SPACE.match(line)
            if match and match.group(1) not in KNOWN_TAGS:
                match = None  # "US - based": prose, not a tag
        if too_long:
            if match is None or match.group(1) not in ("TY", "ER"):
                continue
            too_long = False
        if limit and (match is None or match.group(1) not in ("TY", "ER")):
            current = record or headless
            held = held + len(line) if current is not None else 0
            if held > limit and current is not None:
                report.error(
                    f"record longer than {size_text(limit)} (at line {number}); skipped "
                    "(--max-line raises the limit)",
                    line=current.line,
                    record=current.index,
                )
                record = headless = None
                held, too_long = 0, True
                continue
        if match is None:
            current = record or headless
            if current is None or not current.tags:
                if line.strip() and not junk_from:
                    junk_from = number
                continue
            last = current.tags[-1]
            text = line.strip()
            if not text:
                paragraph = last[0] in _PARAGRAPH_TAGS
                continue
            tag = last[0]
            if tag in _LIST_TAGS:
                current.tags.append([tag, text, number, len(line)])
                continue
            if tag in _PARAGRAPH_TAGS:
                if paragraph:
                    joint = "\n\n"
                elif current.max_length > 85 or last[3] < 65:
                    joint = "\n"  # lines were not wrapped at a fixed width: a new line
                else:
                    joint = " "
            elif tag in _LINE_TAGS:
                joint = "\n"
            else:
                joint = " "
            # the pieces are joined once the record is complete (see _complete): joining
            # here, line by line, takes quadratic time over a value of many lines
            if len(last) == 4:
                last.append([last[1]] if last[1] else [])
            pieces = last[4]
            if pieces:
                pieces.append(joint)
            pieces.append(text)
            last[3] = len(line)
            current.max_length = max(current.max_length, len(line))
            paragraph = False
            continue
        paragraph = False
        if junk_from:
            where = (
                f"lines {junk_from}-{number - 1}" if number - 1 > junk_from else f"line {junk_from}"
            )
            report.info(f"text outside any record ignored ({where})")
            junk_from = 0
        tag, value = match.groups()
        value = value.strip() if value else ""
        if tag == "TY":
            if headless is not None:
                yield _headless(_complete(headless), report)
                headless = None
            if record is not None:
                report.warning(
                    f"record has no ER line before the next TY (line {number}); read anyway",
                    line=record.line,
                    record=record.index,
                )
                yield _complete(record)
            index += 1
            record = Record(value, number, index)
            held = len(line)
            continue
        if tag == "ER":
            if record is not None:
                yield _complete(record)
                record = None
            elif headless is not None:
                yield _headless(_complete(headless), report)
                headless = None
            held = 0
            continue
        current = record
        if current is None:
            if headless is None:
                index += 1
                headless = Record(None, number, index)
                held = len(line)
            current = headless
        length = len(line)
        current.tags.append([tag, value, number, length])
        if length > current.max_length:
            current.max_length = length
    if junk_from:
        report.info(f"text outside any record ignored (from line {junk_from})")
    if headless is not None:
        yield _headless(_complete(headless), report)
    if record is not None:
        report.warning(
            "record has no ER line before the end of the input; read anyway",
            line=record.line,
            record=record.index,
        )
        yield _complete(record)


def _complete(record: Record) -> Record:
    """Join the values that went on over several lines (kept as pieces while reading)."""
    for row in record.tags:
        if len(row) > 4:
            row[1] = "".join(row.pop())
    return record


def _headless(record: Record, report: Report) -> Record:
    first = record.tags[0]
    report.error(
        f"record without a TY line (it starts with {first[0]} at line {first[2]}); skipped",
        line=record.line,
        record=record.index,
    )
    record.ty = None
    return record
