"""The library API: read any format into items, write items in any format."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .converter_info import ConverterInfo
from .diagnostics import Report
from .keys import DEFAULT_KEY_PATTERN, KeyAllocator, generate_keys
from .model import Item
from .pipeline import (
    Source,
    assign_ids,
    open_source,
    read_source,
    text_source,
    write_items,
)
from .registry import default_registry


class _LineStream(io.TextIOBase):
    """A read-only text stream over an iterable of lines (``"...\\n"`` optional)."""

    def __init__(self, lines: Iterable[str]):
        self._lines = iter(lines)

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        for line in self._lines:
            return line if line.endswith("\n") else line + "\n"
        return ""

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        return iter(self.readline, "")

    def read(self, size: int | None = -1) -> str:
        return "".join(self)


def _as_source(data: Any, name: str | None, encoding: str | None = None) -> Source:
    if isinstance(data, str):
        return text_source(data, name or "<string>")
    if isinstance(data, bytes | bytearray):
        return open_source(io.BytesIO(bytes(data)), name or "<bytes>", encoding=encoding)
    if isinstance(data, os.PathLike):
        path = os.fspath(data)
        return open_source(open(path, "rb"), name or str(path), str(path), encoding)
    if isinstance(data, io.TextIOBase):
        return text_source(data.read(), name or getattr(data, "name", "<stream>"))
    if hasattr(data, "read"):
        stream_name = name or str(getattr(data, "name", "<stream>"))
        return open_source(data, stream_name, encoding=encoding)
    if isinstance(data, Iterable):
        lines = iter(data)
        first = next(lines, "")
        stream = _LineStream(_chain_first(first, lines))
        return Source(name=name or "<lines>", stream=stream, head=first[: 64 * 1024])
    raise TypeError(f"cannot read from {type(data).__name__}")


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def read(
    data: str | bytes | os.PathLike[str] | IO[Any] | Iterable[str],
    format: str | None = None,
    *,
    name: str | None = None,
    report: Report | None = None,
    key_pattern: str = DEFAULT_KEY_PATTERN,
    allocator: KeyAllocator | None = None,
    unique_keys: bool = True,
    encoding: str | None = None,
) -> Iterator[Item]:
    """Items from ``data``: text, bytes, a :class:`pathlib.Path`, a file, or lines.

    The format is detected when not given; so is the encoding of bytes (see
    :mod:`.encoding`) unless ``encoding`` names it. Records that cannot be converted are
    reported to ``report`` (collected in ``report.collected`` by default) and
    skipped. Every item gets an ``id`` unique within ``allocator``; with
    ``unique_keys=False`` items get their generated keys only, to be made unique
    later by :func:`assign_keys` over all items (for partitioned processing).
    """
    source = _as_source(data, name, encoding)
    report = (report or Report()).for_source(source.name)
    reader = default_registry().reader(format) if format else None
    items = read_source(source, reader, report)
    if not unique_keys:
        return generate_keys(items, key_pattern)
    return assign_ids(items, report, key_pattern=key_pattern, allocator=allocator)


def assign_keys(
    items: Iterable[Item],
    *,
    report: Report | None = None,
    key_pattern: str = DEFAULT_KEY_PATTERN,
    allocator: KeyAllocator | None = None,
) -> Iterator[Item]:
    """Make the ids of ``items`` unique (``a``, ``b``… suffixes), as one CLI run does."""
    return assign_ids(items, report or Report(), key_pattern=key_pattern, allocator=allocator)


def write(
    items: Iterable[Item],
    format: str,
    out: IO[str] | None = None,
    *,
    report: Report | None = None,
    keys: KeyAllocator | None = None,
    **options: Any,
) -> str | None:
    """Write ``items`` as ``format``; returns the text when ``out`` is not given.

    ``keys``: the allocator that made the items' ids unique (``read(..., allocator=keys)``);
    a writer that must change a key (BibTeX, for one that is not a valid key) takes the
    new one from it, so keys are made unique once.
    """
    writer = default_registry().writer(format)
    report = report or Report()
    if out is not None:
        write_items(items, writer, out, report, keys=keys, **options)
        return None
    buffer = io.StringIO(newline="")
    write_items(items, writer, buffer, report, keys=keys, **options)
    return buffer.getvalue()


def convert(
    data: str | bytes | os.PathLike[str] | IO[Any] | Iterable[str],
    to: str,
    *,
    from_format: str | None = None,
    report: Report | None = None,
    key_pattern: str = DEFAULT_KEY_PATTERN,
    **options: Any,
) -> str:
    """``data`` in any readable format → text in format ``to``, keyed as `refconv convert`
    keys it."""
    report = report or Report()
    keys = KeyAllocator()
    items = read(data, from_format, report=report, key_pattern=key_pattern, allocator=keys)
    text = write(items, to, report=report, keys=keys, **options)
    assert text is not None
    return text


def formats() -> tuple[ConverterInfo, ...]:
    """Every converter: the built-in ones and those installed as plugins."""
    return default_registry().all()
