"""Where converted text goes: stdout, a regular file replaced atomically when all went
well, or any other file (a FIFO, ``/dev/null``, ``/dev/stdout``) written through.

Text written through (stdout and special files) reaches the OS only at record
boundaries, so a run that fails part-way never leaves half a record behind.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO, TypeVar

T = TypeVar("T")

# written-through text is handed to the OS once this much has gathered (at a record's end)
FLUSH_BYTES = 64 * 1024
_DESCRIPTOR = re.compile(r"/proc/[^/]+/fd/\d+")


class OutputError(Exception):
    """The OS refused to write the output (full disk, file size limit, no permission)."""

    def __init__(self, path: str, error: OSError):
        super().__init__(f"{path}: cannot write: {error.strerror or error}")
        self.path = path
        self.error = error


class _File(io.FileIO):
    """A file whose write errors say which output they concern (not an input's)."""

    display = ""

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        try:
            return super().write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(self.display, error) from None


def _names_a_descriptor(path: Path) -> bool:
    """``/dev/stdout``, ``/dev/fd/3``, ``/proc/self/fd/1``: another name for an open file,
    maybe the shell's ``>`` or ``>>`` target, which must be written, not replaced."""
    current = os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(path))), path.name)
    for _ in range(40):  # the kernel's own limit on links followed
        if _DESCRIPTOR.fullmatch(current):
            return True
        if not os.path.islink(current):
            return False
        target = os.path.join(os.path.dirname(current), os.readlink(current))
        current = os.path.join(os.path.realpath(os.path.dirname(target)), os.path.basename(target))
    return False


class Output:
    """A text sink for stdout (``path`` None) or a file.

    A regular file (or a new one) is written to a temporary file beside it (beside
    a symlink's target) that replaces it only on :meth:`commit`; :meth:`discard`
    leaves it untouched, so a failed run never leaves a half-written file. Any
    other file is opened and written through, whole records at a time, or all at
    once on :meth:`commit` when ``hold`` is set.
    """

    def __init__(self, path: Path | None, *, hold: bool = False):
        self.display = "<stdout>" if path is None else str(path)
        self.hold = hold  # written-through text too waits for commit (--strict: all or nothing)
        self.wrote = False  # has any text reached the OS (written through)?
        self._temp: str | None = None
        self._target: str | None = None
        self._through: io.BufferedIOBase | None = None  # written-through destination
        self._owns_through = False
        self._pending = io.BytesIO()
        if path is None:
            self._through = sys.stdout.buffer
        elif _names_a_descriptor(path) or self._special(path):
            self._through = open(path, "ab")  # noqa: SIM115 - append: a shell's >> stays whole
            self._owns_through = True
        else:
            self._open_temp(os.path.realpath(path))
            return
        self.stream: TextIO = io.TextIOWrapper(self._pending, encoding="utf-8", newline="")

    @staticmethod
    def _special(path: Path) -> bool:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            return False
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, os.strerror(21), str(path))
        return not stat.S_ISREG(mode)

    def _open_temp(self, target: str) -> None:
        import tempfile  # with random and hashlib behind it: only runs that write a file

        fd, self._temp = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".part", dir=os.path.dirname(target)
        )
        self._target = target
        raw = _File(fd, "w")
        raw.display = self.display
        buffered = io.BufferedWriter(raw, buffer_size=FLUSH_BYTES)
        self.stream = io.TextIOWrapper(buffered, encoding="utf-8", newline="")

    def records(self, items: Iterable[T]) -> Iterator[T]:
        """``items``, handing written-through text to the OS between records."""
        if self._through is None or self.hold:
            yield from items
            return
        for item in items:
            if self._pending.tell() >= FLUSH_BYTES:
                self._pass_on()
            yield item
            self.stream.flush()  # the writer's text for the records so far, as bytes

    def _pass_on(self) -> None:
        """Write the whole records gathered so far through to the destination."""
        assert self._through is not None
        data = self._pending.getvalue()
        if data:
            try:
                self._through.write(data)
                self._through.flush()
            except BrokenPipeError:
                raise
            except OSError as error:
                raise OutputError(self.display, error) from None
            self.wrote = True
        self._pending.seek(0)
        self._pending.truncate()

    def commit(self) -> None:
        """Make the output final: the temporary file replaces the target, or the rest of
        the text is written through."""
        self.stream.flush()
        if self._through is not None:
            self._pass_on()
            self._close_through()
            return
        assert self._temp is not None and self._target is not None
        self.stream.close()
        try:
            mode = os.stat(self._target).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            os.chmod(self._temp, mode)
            os.replace(self._temp, self._target)
        except OSError as error:
            raise OutputError(self.display, error) from None
        self._temp = None

    def discard(self) -> None:
        """Drop what was not yet written: the temporary file, or the unfinished record."""
        if self._through is not None:
            self._pending.seek(0)
            self._pending.truncate()
            self._close_through()
            return
        with contextlib.suppress(OSError, ValueError, OutputError):
            self.stream.close()  # a full disk may refuse the last flush too
        if self._temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp)
            self._temp = None

    def _close_through(self) -> None:
        with contextlib.suppress(ValueError):
            self.stream.detach()  # the text layer only: leave sys.stdout usable
        if self._owns_through and self._through is not None:
            with contextlib.suppress(OSError):
                self._through.close()
        self._through = None
