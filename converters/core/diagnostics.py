"""Warnings and errors that readers and writers report while converting.

Converters never print and never exit: they tell a :class:`Report` what went
wrong and where (the source and the record's line or index), and go on with the
next record. Whoever drives the conversion decides what to do with the
diagnostics: the CLI prints them to stderr and picks the exit code; library
users can collect them or raise on the first error.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import NamedTuple


class Severity(IntEnum):
    INFO = 10  # why a choice was made; shown with --verbose
    NOTE = 15  # something done on request (a merge); shown unless --quiet
    WARNING = 20  # a record was converted but changed or guessed
    ERROR = 30  # a record could not be converted


# Plain classes, not dataclasses: this module is on every run's start-up path, and
# each dataclass costs about a millisecond to create.


class Diagnostic(NamedTuple):
    severity: Severity
    message: str
    source: str | None = None
    line: int | None = None
    record: int | None = None

    @property
    def location(self) -> str:
        """`FILE: line 3 (record 2)` — the part that says where, without the message."""
        parts = [self.source or "<input>"]
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.record is not None:
            where.append(f"record {self.record}" if not where else f"(record {self.record})")
        if where:
            parts.append(" ".join(where))
        return ": ".join(parts)

    def __str__(self) -> str:
        label = {
            Severity.ERROR: "error",
            Severity.WARNING: "warning",
            Severity.NOTE: "note",
            Severity.INFO: "info",
        }
        return f"{self.location}: {label[self.severity]}: {self.message}"


# C0 controls but the line break (which the CLI turns into a space), DEL and the C1
# controls (U+009B is a one-character CSI on many terminals), as ls and git show them
_CONTROL_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_CONTROL_ESCAPES.update({0x09: "\\t", 0x0D: "\\r"})
del _CONTROL_ESCAPES[0x0A]


def printable(text: str) -> str:
    """``text`` with terminal control characters escaped (``\\x1b``), so that input quoted
    in a message cannot move the cursor, retitle the window or ring the bell."""
    if text.isprintable():
        return text
    return text.translate(_CONTROL_ESCAPES)


class ConversionError(Exception):
    """A problem that stops the whole input (unreadable bytes, unknown format, ...).

    Problems confined to one record are reported through :class:`Report` instead,
    so the other records are still converted.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where += f": line {self.line}"
        return f"{where}: {self.message}"


class StrictModeError(ConversionError):
    """Raised by a strict report on the first warning or error."""


Sink = Callable[[Diagnostic], None]


class Tally:
    """Counts shared by all the reports of one run."""

    __slots__ = ("failed", "merged", "records", "sources", "warnings")

    def __init__(self) -> None:
        self.records = 0
        self.failed = 0
        self.warnings = 0
        self.merged = 0
        self.sources = 0


class Report:
    """Where converters send diagnostics; one per source, sharing a sink and a tally.

    ``strict`` turns the first warning or error into a :class:`StrictModeError`;
    ``keep_info`` collects INFO explanations too (when there is no sink).
    """

    __slots__ = ("collected", "keep_info", "sink", "source", "strict", "tally")

    def __init__(
        self,
        source: str | None = None,
        sink: Sink | None = None,
        strict: bool = False,
        tally: Tally | None = None,
        collected: list[Diagnostic] | None = None,
        keep_info: bool = False,
    ) -> None:
        self.source = source
        self.sink = sink
        self.strict = strict
        self.tally = Tally() if tally is None else tally
        self.collected: list[Diagnostic] = [] if collected is None else collected
        self.keep_info = keep_info

    def for_source(self, source: str | None) -> Report:
        return Report(source, self.sink, self.strict, self.tally, self.collected, self.keep_info)

    def _emit(self, severity: Severity, message: str, line: int | None, record: int | None):
        diagnostic = Diagnostic(severity, message, self.source, line, record)
        if severity is Severity.ERROR:
            self.tally.failed += 1
        elif severity is Severity.WARNING:
            self.tally.warnings += 1
        if self.strict and severity >= Severity.WARNING:
            raise StrictModeError(
                f"{message} (--strict)" if severity is Severity.WARNING else message,
                source=self.source,
                line=line,
            )
        if self.sink is None:
            if severity > Severity.INFO or self.keep_info:
                self.collected.append(diagnostic)
        else:
            self.sink(diagnostic)

    def replay(self, diagnostic: Diagnostic) -> None:
        """Report a diagnostic collected elsewhere (another process) as this report's own."""
        self._emit(diagnostic.severity, diagnostic.message, diagnostic.line, diagnostic.record)

    def error(self, message: str, *, line: int | None = None, record: int | None = None) -> None:
        """A record could not be converted and was skipped."""
        self._emit(Severity.ERROR, message, line, record)

    def warning(self, message: str, *, line: int | None = None, record: int | None = None) -> None:
        """A record was converted, but something in it was changed or guessed."""
        self._emit(Severity.WARNING, message, line, record)

    def note(self, message: str, *, line: int | None = None, record: int | None = None) -> None:
        """Something done on the user's request, such as merging duplicates."""
        self._emit(Severity.NOTE, message, line, record)

    def info(self, message: str, *, line: int | None = None, record: int | None = None) -> None:
        """An explanation of a choice, shown with ``--verbose``."""
        self._emit(Severity.INFO, message, line, record)
