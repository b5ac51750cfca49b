"""Where converted text goes: stdout, or a file replaced atomically when all went well."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import TextIO


class ExitCode(IntEnum):
    OK = 0
    RECORDS_FAILED = 1  # some records failed (the rest were written), or --strict
    USAGE = 2  # bad arguments or unreadable input
    BROKEN_PIPE = 141  # 128 + SIGPIPE, as for any Unix filter whose reader went away


class Output:
    """A text sink. For a path, writes go to a temporary file beside it that
    replaces the target only on :meth:`commit`; :meth:`discard` leaves the
    target untouched, so a failed run never leaves a half-written file."""

    def __init__(self, path: Path | None):
        self.path = path
        self._temp: str | None = None
        if path is None:
            self.stream: TextIO = io.TextIOWrapper(
                sys.stdout.buffer, encoding="utf-8", newline="", write_through=False
            )
        else:
            import tempfile  # with random and hashlib behind it: only runs that write a file

            directory = path.parent if str(path.parent) else Path(".")
            fd, self._temp = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".part", dir=directory
            )
            self.stream = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def commit(self) -> None:
        self.stream.flush()
        if self._temp is None:
            self.stream.detach()  # leave sys.stdout usable
            return
        self.stream.close()
        assert self.path is not None
        if self.path.exists():
            os.chmod(self._temp, self.path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._temp, 0o666 & ~umask)
        os.replace(self._temp, self.path)
        self._temp = None

    def discard(self) -> None:
        if self._temp is None:
            try:
                self.stream.flush()
                self.stream.detach()
            except (ValueError, OSError):
                pass
            return
        self.stream.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._temp)
        self._temp = None
