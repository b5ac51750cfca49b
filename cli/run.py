"""`refconv convert`: open inputs, chain readers, write, and pick the exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from refconv.converters.core.diagnostics import ConversionError, Report, StrictModeError
from refconv.converters.core.keys import DEFAULT_KEY_PATTERN, KeyAllocator, citation_key
from refconv.converters.core.model import Item
from refconv.converters.core.parallel import worker_count
from refconv.converters.core.pipeline import (
    assign_ids,
    check_write_options,
    detect_reader,
    open_source,
    read_items,
    write_items,
)
from refconv.converters.core.registry import (
    ConverterInfo,
    Registry,
    UnknownFormatError,
    default_registry,
)

from .console import Console
from .outputs import ExitCode, Output


@dataclass
class ConvertRequest:
    inputs: list[str]
    to: str
    from_format: str | None = None
    output: Path | None = None
    strict: bool = False
    key_pattern: str | None = None
    writer_options: dict[str, Any] = field(default_factory=dict)


class UsageError(Exception):
    pass


def _prepare(
    request: ConvertRequest, registry: Registry
) -> tuple[ConverterInfo, ConverterInfo | None, dict[str, Any]]:
    try:
        writer = registry.writer(request.to)
        reader = registry.reader(request.from_format) if request.from_format else None
        options = check_write_options(writer, request.writer_options)
        if request.key_pattern:
            citation_key({}, request.key_pattern)  # validates the pattern
    except (UnknownFormatError, ValueError) as error:
        raise UsageError(str(error).strip("'\"")) from None
    if request.inputs == ["-"] and sys.stdin is not None and sys.stdin.isatty():
        raise UsageError("no input: name files, or pipe records into stdin")
    for name in request.inputs:
        if name != "-" and not Path(name).is_file():
            problem = "is a directory" if Path(name).is_dir() else "no such file"
            raise UsageError(f"{name}: {problem}")
    return writer, reader, options


def _items(
    request: ConvertRequest,
    reader: ConverterInfo | None,
    registry: Registry,
    report: Report,
    console: Console,
) -> Iterator[Item]:
    workers = worker_count()
    for name in request.inputs:
        if name == "-":
            binary, display, path = sys.stdin.buffer, "<stdin>", None
        else:
            try:
                binary = open(name, "rb")  # noqa: SIM115
            except OSError as error:
                raise ConversionError(f"cannot open: {error.strerror}", source=name) from None
            display, path = name, name
        try:
            source = open_source(binary, display, path)
            chosen = reader or detect_reader(source, registry)
            console.explain(f"{display}: reading as {chosen.name}")
            report.tally.sources += 1
            yield from read_items(
                source,
                chosen,
                report.for_source(display),
                workers=workers,
                key_pattern=request.key_pattern or DEFAULT_KEY_PATTERN,
            )
        finally:
            if binary is not sys.stdin.buffer:
                binary.close()


def run_convert(request: ConvertRequest, console: Console) -> int:
    registry = default_registry()
    try:
        writer, reader, options = _prepare(request, registry)
    except UsageError as error:
        console.error(str(error))
        return ExitCode.USAGE
    report = Report(sink=console.diagnostic, strict=request.strict)
    items = assign_ids(
        _items(request, reader, registry, report, console),
        report.for_source(None),
        key_pattern=request.key_pattern or DEFAULT_KEY_PATTERN,
        allocator=KeyAllocator(),
    )
    try:
        output = Output(request.output)
    except OSError as error:
        console.error(f"{request.output}: cannot write: {error.strerror}")
        return ExitCode.USAGE
    try:
        write_items(items, writer, output.stream, report.for_source(None), **options)
    except StrictModeError as error:
        output.discard()
        console.error(f"{error} ; nothing written")
        return ExitCode.RECORDS_FAILED
    except ConversionError as error:
        output.discard()
        console.error(str(error))
        return ExitCode.USAGE
    except BaseException:
        output.discard()
        raise
    output.commit()
    tally = report.tally
    if tally.failed or tally.warnings:
        files = f"{tally.sources:,} file{'s' if tally.sources != 1 else ''}"
        warnings = f"{tally.warnings:,} warning{'s' if tally.warnings != 1 else ''}"
        console.note(
            f"converted {tally.records:,} records from {files}; {tally.failed:,} failed; {warnings}"
        )
    return ExitCode.RECORDS_FAILED if tally.failed else ExitCode.OK
