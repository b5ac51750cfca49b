"""Reading a large stream of records on every core, with output identical to one core.

A reader that declares ``CHUNKABLE = True`` promises that its input may be cut
before any line that starts with ``{`` and each piece read on its own, with
the same items and diagnostics as reading the whole (JSON Lines, and records
concatenated one after another, have that property). Such input is cut into
chunks of whole records, the chunks are read in worker processes, and the
results are put back in input order, with line and record numbers made
absolute again. At most a few chunks are in flight at once, so memory stays
flat however large the input.
"""

from __future__ import annotations

import io
import os
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from .converter_info import ConverterInfo
from .diagnostics import Diagnostic, Report, Severity
from .keys import generate_keys
from .model import Item

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK_CHARS = 1024 * 1024  # text read at a time; a chunk is about this long
IN_FLIGHT_PER_WORKER = 2
GC_THRESHOLD = 100_000  # allocations between young-generation collections while reading


def worker_count() -> int:
    """Processes to use: the cores this process may run on (``REFCONV_WORKERS`` overrides)."""
    override = os.environ.get("REFCONV_WORKERS")
    if override:
        return max(1, int(override))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def chunks(stream: TextIO) -> Iterator[tuple[int, str]]:
    """(number of the chunk's first line, text) pieces, cut only before a ``{`` line.

    The stream is read in blocks of :data:`CHUNK_CHARS` and each piece ends at the
    last line start ``{`` of a block: no Python step per line in this process.
    """
    held: list[str] = []  # text read but not yet handed out (no cut point in it)
    ends_line = False  # does the held text end with a line break?
    first_line = 1
    while block := stream.read(CHUNK_CHARS):
        cut = block.rfind("\n{") + 1  # just after the line break; 0 when there is none
        if cut or (held and ends_line and block.startswith("{")):
            # cut there (or, when cut is 0, before this block, which starts a line with "{")
            piece = "".join([*held, block[:cut]])
            held = [block[cut:]]
            yield first_line, piece
            first_line += piece.count("\n")
        else:
            held.append(block)
        ends_line = block.endswith("\n")
    if held:
        yield first_line, "".join(held)


def _read_chunk(
    module_name: str, text: str, key_pattern: str
) -> tuple[list[Item], list[Diagnostic]]:
    """Read one chunk; items without an id get their generated key here, off the main process."""
    import importlib

    module = importlib.import_module(module_name)
    report = Report()
    items = list(generate_keys(module.read(io.StringIO(text), report), key_pattern))
    return items, report.collected


def _records_in(items: list[Item], diagnostics: list[Diagnostic]) -> int:
    failed = sum(1 for d in diagnostics if d.severity is Severity.ERROR and d.record is not None)
    highest = max((d.record for d in diagnostics if d.record is not None), default=0)
    return max(len(items) + failed, highest)


def read_chunked(
    stream: TextIO, reader: ConverterInfo, report: Report, workers: int, key_pattern: str
) -> Iterator[Item]:
    """The reader's items over ``stream``, read in ``workers`` processes, in input order.

    Diagnostics are replayed into ``report`` as if one process had read the
    whole stream.
    """
    pieces = chunks(stream)
    first = next(pieces, None)
    if first is None:
        return
    second = next(pieces, None)
    if second is None:  # small input: not worth starting processes
        yield from _replay(*_read_chunk(reader.module, first[1], key_pattern), first[0], 0, report)
        return
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    # Items are acyclic, so the cyclic collector finds nothing in them; with the default
    # threshold it still scans the thousands of unpickled items in flight again and again
    # (~15 µs a record in this process). Collect less often while chunks stream through
    # (forked workers inherit the setting); put the setting back afterwards.
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    record_offset = 0
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_default_signals
        ) as pool:
            pending: deque[tuple[int, Future]] = deque()

            def submit(piece: tuple[int, str]) -> None:
                pending.append(
                    (piece[0], pool.submit(_read_chunk, reader.module, piece[1], key_pattern))
                )

            submit(first)
            submit(second)
            while len(pending) < workers * IN_FLIGHT_PER_WORKER:
                piece = next(pieces, None)
                if piece is None:
                    break
                submit(piece)
            while pending:
                line, future = pending.popleft()
                items, diagnostics = future.result()
                piece = next(pieces, None)
                if piece is not None:
                    submit(piece)
                yield from _replay(items, diagnostics, line, record_offset, report)
                record_offset += _records_in(items, diagnostics)
    finally:
        gc.set_threshold(*thresholds)


def _default_signals() -> None:
    """In a worker: Ctrl-C (which reaches the whole process group) is the main process's to
    handle; SIGTERM and SIGHUP end the worker as they would end any process."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _replay(
    items: list[Item],
    diagnostics: list[Diagnostic],
    first_line: int,
    record_offset: int,
    report: Report,
) -> Iterator[Item]:
    for diagnostic in diagnostics:
        moved = diagnostic._replace(
            source=report.source,
            line=None if diagnostic.line is None else diagnostic.line + first_line - 1,
            record=None if diagnostic.record is None else diagnostic.record + record_offset,
        )
        report.replay(moved)
    yield from items
