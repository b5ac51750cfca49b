"""stderr for diagnostics and progress, stdout for listings; rich only on a terminal."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from refconv.converters.core.diagnostics import Diagnostic, Severity, Tally, printable

T = TypeVar("T")

# how long work runs before a progress bar appears (tests set it to 0)
PROGRESS_AFTER_SECONDS = float(os.environ.get("REFCONV_PROGRESS_AFTER", "1.0"))


def _terminal(stream: Any) -> bool:
    if os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def colour_allowed(stream: Any) -> bool:
    return _terminal(stream) and not os.environ.get("NO_COLOR")


class Console:
    def __init__(self, *, quiet: bool = False, verbose: bool = False):
        self.quiet = quiet
        self.verbose = verbose
        self._live: Any = None  # rich Progress while a progress bar is shown

    def _print(self, text: str) -> None:
        line = printable(" ".join(text.split("\n")))
        if self._live is not None:
            self._live.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            sys.stderr.write(line + "\n")

    def diagnostic(self, diagnostic: Diagnostic) -> None:
        if diagnostic.severity is Severity.INFO and not self.verbose:
            return
        if diagnostic.severity < Severity.ERROR and self.quiet:
            return
        self._print(str(diagnostic))

    def error(self, message: str) -> None:
        self._print(f"refconv: error: {message}")

    def note(self, message: str) -> None:
        if not self.quiet:
            self._print(f"refconv: {message}")

    def explain(self, message: str) -> None:
        if self.verbose:
            self._print(f"refconv: {message}")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A rich table on a terminal; tab-separated lines when piped."""
        if _terminal(sys.stdout):
            from rich.console import Console as RichConsole
            from rich.table import Table

            table = Table(*header, header_style="bold")
            for row in rows:
                table.add_row(*row)
            RichConsole(no_color=not colour_allowed(sys.stdout)).print(table)
        else:
            for row in rows:
                sys.stdout.write("\t".join(row) + "\n")

    @contextmanager
    def progress(self, tally: Tally) -> Iterator[Callable[[Iterable[T]], Iterator[T]]]:
        """A wrapper for an item stream that shows a progress bar on stderr once the
        work has taken more than a second, and only when stderr is a terminal."""
        enabled = not self.quiet and _terminal(sys.stderr)
        started = time.monotonic()

        def counted(items: Iterable[T]) -> Iterator[T]:
            if not enabled:
                yield from items
                return
            next_update = started + PROGRESS_AFTER_SECONDS
            for done, item in enumerate(items, 1):
                yield item
                if done % 32 == 0 and time.monotonic() >= next_update:
                    self._show(tally, started)
                    next_update = time.monotonic() + 0.1

        try:
            yield counted
        finally:
            if self._live is not None:
                self._live.stop()
                self._live = None

    def progress_callback(self) -> Callable[[int, int], None] | None:
        """``(done, total)`` → a determinate bar on stderr once work runs over a second."""
        if self.quiet or not _terminal(sys.stderr):
            return None
        started = time.monotonic()

        def update(done: int, total: int) -> None:
            if time.monotonic() - started < PROGRESS_AFTER_SECONDS and done < total:
                return
            if self._live is None:
                from rich.console import Console as RichConsole
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

                self._live = Progress(
                    TextColumn("formatting"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    console=RichConsole(stderr=True, no_color=not colour_allowed(sys.stderr)),
                    transient=True,
                )
                self._live.add_task("", total=total)
                self._live.start()
            self._live.update(self._live.task_ids[0], completed=done, total=total)

        return update

    def _show(self, tally: Tally, started: float) -> None:
        if self._live is None:
            from rich.console import Console as RichConsole
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._live = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=RichConsole(stderr=True, no_color=not colour_allowed(sys.stderr)),
                transient=True,
            )
            self._live.add_task("", total=None)
            self._live.start()
        elapsed = max(time.monotonic() - started, 1e-9)
        failures = f", {tally.failed:,} failed" if tally.failed else ""
        self._live.update(
            self._live.task_ids[0],
            description=f"{tally.records:,} records, {tally.records / elapsed:,.0f}/s{failures}",
        )
