"""stderr for diagnostics, stdout for listings; rich only on a terminal and only when used."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from refconv.converters.core.diagnostics import Diagnostic, Severity


def _colour_allowed(stream) -> bool:  # type: ignore[no-untyped-def]
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


class Console:
    def __init__(self, *, quiet: bool = False, verbose: bool = False):
        self.quiet = quiet
        self.verbose = verbose
        self.messages = 0

    def diagnostic(self, diagnostic: Diagnostic) -> None:
        if diagnostic.severity is Severity.INFO and not self.verbose:
            return
        if diagnostic.severity is Severity.WARNING and self.quiet:
            return
        self.messages += 1
        sys.stderr.write(_one_line(str(diagnostic)) + "\n")

    def error(self, message: str) -> None:
        sys.stderr.write(_one_line(f"refconv: error: {message}") + "\n")

    def note(self, message: str) -> None:
        if not self.quiet:
            sys.stderr.write(_one_line(f"refconv: {message}") + "\n")

    def explain(self, message: str) -> None:
        if self.verbose:
            sys.stderr.write(_one_line(f"refconv: {message}") + "\n")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        if _colour_allowed(sys.stdout):
            from rich.console import Console as RichConsole
            from rich.table import Table

            table = Table(*header, header_style="bold")
            for row in rows:
                table.add_row(*row)
            RichConsole().print(table)
        else:
            for row in rows:
                sys.stdout.write("\t".join(row) + "\n")


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))
