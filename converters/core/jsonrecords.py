"""Records out of the JSON that scholarly APIs return: one object, an array, an API
response that wraps an array (``{"data": [...]}``, ``{"results": [...]}``), JSON
Lines of any of these, or several documents written one after another
(``curl page1 >> f; curl page2 >> f``).

JSON Lines stream one line at a time, so memory stays flat however long the
input (bulk dataset and snapshot files are JSON Lines). A document spread over
several lines is read whole, then walked record by record with positions, so a
truncated or damaged response still yields every record before the damage, and
the error names the record and line where it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from json.decoder import scanstring
from typing import Any, TextIO

from .diagnostics import Report
from .limits import NESTING_LIMIT

# Keys only aggregator paper records have (Semantic Scholar, Crossref, OpenAlex and
# CSL-JSON share none of them): each JSON reader's sniff tells paper records from its
# own format by them.
PAPER_RECORD_KEYS = (
    "PeriodicalIF",
    "PeriodicalName",
    "PeriodicalId",
    "TitleCN",
    "AbstractTextCN",
    "JCRName",
    "ListUrlMain",
    "DOIUrl",
    "RegionNum",
    "RegionCategory",
    "FirstCategoryId",
    "ArticlePicture",
)
PAPER_RECORD_KEY = re.compile(r'"(?:' + "|".join(PAPER_RECORD_KEYS) + r')"\s*:')

# Python keeps about 1,000 frames for decoding; JSON nested deeper is refused record by record.
TOO_DEEP = f"invalid JSON: nested too deeply (the limit is about {NESTING_LIMIT:,} levels)"

# Python's json decodes what msgspec refuses: one escaped half of a UTF-16 surrogate pair
# ("\ud800"), which no UTF-8 output can hold. Only text with such an escape is searched
# (text decoded from UTF-8 holds no surrogate itself).
_SURROGATE_HINT = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_error(value: Any) -> str | None:
    """Why a decoded JSON value cannot be converted, if one of its texts holds a lone
    surrogate; walked without recursion, however deep the value."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found = _SURROGATE.search(node)
            if found:
                return (
                    f"invalid JSON: lone UTF-16 surrogate \\u{ord(found.group()):04x} "
                    "(half of a character) in a text"
                )
        elif isinstance(node, dict):
            stack.extend(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def may_hold_surrogates(text: str) -> bool:
    return _SURROGATE_HINT.search(text) is not None


_STRUCTURE = re.compile(r'[\[\]{}"]')
_STRING_REST = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)


class ValueEnd:
    """Finds, a line at a time, where an array or object that spans lines ends, in time
    linear in its length (decoding the growing text at every line is quadratic)."""

    __slots__ = ("broken", "depth")

    def __init__(self) -> None:
        self.depth = 0
        self.broken = False  # a string did not end on its line: invalid unless input ends

    def feed(self, line: str, pos: int = 0) -> int | None:
        """Where in ``line`` (from ``pos``) the value ends, just past it; None when it
        goes on."""
        while True:
            found = _STRUCTURE.search(line, pos)
            if found is None:
                return None
            char, pos = found.group(), found.end()
            if char == '"':
                rest = _STRING_REST.match(line, pos)
                if rest is None:
                    self.broken = True
                    return None
                pos = rest.end()
            elif char in "[{":
                self.depth += 1
            else:
                self.depth -= 1
                if self.depth == 0:
                    return pos


def container_end(text: str, pos: int) -> int | None:
    """Where the array or object starting at ``pos`` ends, found without decoding it
    (to step over a value nested too deeply to decode); None when it never ends."""
    return ValueEnd().feed(text, pos)


# A path of object keys that leads to an array of records, e.g. ("data",) for
# Semantic Scholar, ("results",) for OpenAlex, ("message", "items") for Crossref.
Envelope = tuple[str, ...]


@dataclass(slots=True)
class JsonRecord:
    value: Any
    line: int | None
    index: int  # 1-based, counted over every record of the input


def unwrap(value: Any, envelopes: tuple[Envelope, ...]) -> list[Any] | None:
    """The records an already decoded response wraps, or None when it wraps none."""
    if not isinstance(value, dict):
        return None
    for path in envelopes:
        node: Any = value
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, list):
            return node
    return None


def _expand(value: Any, envelopes: tuple[Envelope, ...]) -> list[Any]:
    """A decoded value → its records: an array's elements, an envelope's array, or itself."""
    values = value if isinstance(value, list) else [value]
    records: list[Any] = []
    for element in values:
        wrapped = unwrap(element, envelopes)
        if wrapped is None:
            records.append(element)
        else:
            records.extend(wrapped)
    return records


def json_records(
    stream: TextIO, report: Report, envelopes: tuple[Envelope, ...] = ()
) -> Iterator[JsonRecord]:
    """Every record of the input, in order; what does not parse goes to ``report``."""
    skipped: list[str] = []
    first = ""
    for line in stream:
        if line.strip():
            first = line
            break
        skipped.append(line)
    if not first:
        return
    first_number = len(skipped) + 1
    if _complete_line(first):
        yield from _lines(first, first_number, stream, report, envelopes)
        return
    text = "".join(skipped) + first + stream.read()
    yield from _Scanner(text, report, envelopes).documents()


def document_records(
    text: str, report: Report, *, first_line: int = 1, first_index: int = 0
) -> tuple[list[JsonRecord], int]:
    """The records of JSON text that starts at line ``first_line`` of the input, after
    ``first_index`` records, each decoded alone (one nested too deeply fails alone), and
    the index of the last record met."""
    scanner = _Scanner(text, report, (), first_line=first_line, first_index=first_index)
    return list(scanner.documents()), scanner.index


# --- JSON Lines ---------------------------------------------------------------------------


def _complete_line(line: str) -> bool:
    import msgspec

    stripped = line.strip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        msgspec.json.decode(stripped)
    except (msgspec.DecodeError, RecursionError):
        return False
    return True


_BYTE_POSITION = re.compile(r"\s*\(byte \d+\)")


def _lines(
    first: str, first_number: int, rest: TextIO, report: Report, envelopes: tuple[Envelope, ...]
) -> Iterator[JsonRecord]:
    import msgspec

    decode = msgspec.json.Decoder().decode
    index = 0
    number = first_number
    line = first
    while True:
        if line.strip():
            try:
                value = decode(line)
            except msgspec.DecodeError as error:
                index += 1
                report.error(_line_error(error), line=number, record=index)
            except RecursionError:
                index += 1
                report.error(TOO_DEEP, line=number, record=index)
            else:
                for element in _expand(value, envelopes):
                    index += 1
                    yield JsonRecord(element, number, index)
        line = rest.readline()
        if not line:
            return
        number += 1


def _line_error(error: Exception) -> str:
    message = _BYTE_POSITION.sub("", str(error)).rstrip(".")
    if "truncated" in message.lower():
        return "truncated JSON: the line ends inside the record"
    message = message.removeprefix("JSON is malformed: ")
    return f"invalid JSON: {message[:1].lower()}{message[1:]}"


# --- whole documents ----------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _Stop(Exception):
    """The rest of the input cannot be read reliably; the reason was reported."""


class _TooDeep(Exception):
    """A value inside the record being read is nested too deeply to decode."""


class _Scanner:
    """Walks JSON text, decoding each record separately and remembering where it was."""

    def __init__(
        self,
        text: str,
        report: Report,
        envelopes: tuple[Envelope, ...],
        *,
        first_line: int = 1,
        first_index: int = 0,
    ):
        self.text = text
        self.end = len(text)
        self.pos = 0
        self.report = report
        self.envelopes = envelopes
        self.index = first_index  # records met so far
        self._decode = json.JSONDecoder().raw_decode
        self._first_line = first_line
        self._line_pos = 0
        self._line = first_line
        self.record_start = 0  # where the record being read starts, for messages
        self.check_surrogates = may_hold_surrogates(text)

    # where things are

    def line_at(self, pos: int) -> int:
        if pos < self._line_pos:
            self._line_pos, self._line = 0, self._first_line
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def column_at(self, pos: int) -> int:
        return pos - self.text.rfind("\n", 0, pos)

    def skip_space(self) -> None:
        match = _WHITESPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos

    # failures

    def fail(
        self, message: str, pos: int, *, in_record: bool, record_start: int | None = None
    ) -> _Stop:
        """Report why reading stops here; the caller raises the returned exception."""
        record = self.index + 1 if in_record else None
        if pos >= self.end or not self.text[pos:].strip():
            where = "inside a record" if in_record else f"after record {self.index}"
            if not in_record:
                record_start = len(self.text.rstrip())
            elif record_start is None:
                record_start = self.record_start
            line = self.line_at(record_start)
            self.report.error(f"truncated JSON: the input ends {where}", line=line, record=record)
        else:
            line = self.line_at(pos)
            self.report.error(
                f"invalid JSON: {message} (column {self.column_at(pos)}); "
                f"nothing from line {line} on was read",
                line=line,
                record=record,
            )
        return _Stop()

    def skip_too_deep(self, start: int) -> None:
        """Report the record starting at ``start`` as too deep and step over it."""
        end = container_end(self.text, start)
        if end is None:
            raise self.fail(
                TOO_DEEP.removeprefix("invalid JSON: "), start, in_record=True, record_start=start
            )
        self.index += 1
        self.report.error(TOO_DEEP, line=self.line_at(start), record=self.index)
        self.pos = end

    def record(self, value: Any, line: int) -> JsonRecord | None:
        """The next record, or None when it was reported as unreadable."""
        self.index += 1
        if self.check_surrogates:
            problem = lone_surrogate_error(value)
            if problem:
                self.report.error(problem, line=line, record=self.index)
                return None
        return JsonRecord(value, line, self.index)

    def decode_error(
        self, error: json.JSONDecodeError, *, in_record: bool, record_start: int | None = None
    ) -> _Stop:
        # a file cut short inside a string reports the string's start, not the end
        pos = self.end if error.msg.startswith("Unterminated string") else error.pos
        message = error.msg[:1].lower() + error.msg[1:]
        return self.fail(message, pos, in_record=in_record, record_start=record_start)

    # walking

    def documents(self) -> Iterator[JsonRecord]:
        try:
            while True:
                self.skip_space()
                if self.pos >= self.end:
                    return
                char = self.text[self.pos]
                if char == "[":
                    yield from self.array(top=True)
                elif char == "{":
                    self.record_start = self.pos
                    start_line = self.line_at(self.pos)
                    try:
                        value, streamed = yield from self.object(self.envelopes)
                    except _TooDeep:
                        self.skip_too_deep(self.record_start)
                        continue
                    if not streamed:
                        yield from self.records_of(value, start_line)
                else:
                    raise self.fail(
                        "expected a JSON object or array", self.pos, in_record=self.index == 0
                    )
        except _Stop:
            return

    def records_of(self, value: Any, line: int) -> Iterator[JsonRecord]:
        for element in _expand(value, self.envelopes):
            record = self.record(element, line)
            if record is not None:
                yield record

    def array(self, *, top: bool) -> Iterator[JsonRecord]:
        """An array whose elements are records (at the top level, or at an envelope's end)."""
        self.pos += 1
        self.skip_space()
        if self.pos < self.end and self.text[self.pos] == "]":
            self.pos += 1
            return
        while True:
            self.skip_space()
            start = self.pos
            if start >= self.end:
                raise self.fail("", start, in_record=False)
            try:
                value, self.pos = self._decode(self.text, start)
            except json.JSONDecodeError as error:
                raise self.decode_error(error, in_record=True, record_start=start) from None
            except RecursionError:
                self.skip_too_deep(start)
            else:
                line = self.line_at(start)
                if top:
                    yield from self.records_of(value, line)
                else:
                    record = self.record(value, line)
                    if record is not None:
                        yield record
            self.skip_space()
            char = self.text[self.pos] if self.pos < self.end else ""
            if char == ",":
                self.pos += 1
            elif char == "]":
                self.pos += 1
                return
            else:
                raise self.fail(
                    f"expected ',' or ']' after record {self.index}", self.pos, in_record=False
                )

    def object(self, paths: tuple[Envelope, ...]):  # -> Generator[JsonRecord, None, (dict, bool)]
        """An object that may hold an envelope: stream its records, decode the rest.

        Returns (the object without the streamed array, whether records were streamed).
        """
        text = self.text
        result: dict[str, Any] = {}
        streamed = False
        heads = {path[0] for path in paths}
        self.pos += 1
        self.skip_space()
        if self.pos < self.end and text[self.pos] == "}":
            self.pos += 1
            return result, False
        while True:
            self.skip_space()
            if self.pos >= self.end or text[self.pos] != '"':
                raise self.fail("expected a quoted key", self.pos, in_record=not streamed)
            try:
                key, self.pos = scanstring(text, self.pos + 1)
            except json.JSONDecodeError as error:
                raise self.decode_error(error, in_record=not streamed) from None
            self.skip_space()
            if self.pos >= self.end or text[self.pos] != ":":
                raise self.fail("expected ':' after a key", self.pos, in_record=not streamed)
            self.pos += 1
            self.skip_space()
            char = text[self.pos] if self.pos < self.end else ""
            if key in heads and char == "[" and (key,) in paths:
                yield from self.array(top=False)
                streamed = True
            elif key in heads and char == "{":
                tails = tuple(path[1:] for path in paths if path[0] == key and len(path) > 1)
                value, inner = yield from self.object(tails)
                streamed = streamed or inner
                if not inner:
                    result[key] = value
            else:
                try:
                    result[key], self.pos = self._decode(text, self.pos)
                except json.JSONDecodeError as error:
                    raise self.decode_error(error, in_record=not streamed) from None
                except RecursionError:
                    raise _TooDeep from None
            self.skip_space()
            char = text[self.pos] if self.pos < self.end else ""
            if char == ",":
                self.pos += 1
            elif char == "}":
                self.pos += 1
                return result, streamed
            else:
                raise self.fail("expected ',' or '}'", self.pos, in_record=not streamed)
