"""`refconv convert`: find inputs, chain readers, write outputs, pick the exit code."""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any, BinaryIO, NamedTuple

from refconv.converters.core.converter_info import ConverterInfo
from refconv.converters.core.diagnostics import ConversionError, Report, StrictModeError
from refconv.converters.core.encoding import check_encoding
from refconv.converters.core.keys import DEFAULT_KEY_PATTERN, KeyAllocator, citation_key
from refconv.converters.core.limits import DEFAULT_LIMITS, InputLimits
from refconv.converters.core.model import Item
from refconv.converters.core.parallel import worker_count
from refconv.converters.core.pipeline import (
    Source,
    assign_ids,
    check_write_options,
    detect_reader,
    open_source,
    read_source,
    write_items,
)
from refconv.converters.core.registry import (
    AmbiguousExtensionError,
    Registry,
    UnknownFormatError,
    default_registry,
)

from .console import Console
from .exit_codes import ExitCode
from .outputs import Output, OutputError


class ConvertRequest(NamedTuple):
    inputs: list[str]
    to: str | None = None  # None: as the output file's extension says, else csl-json
    from_format: str | None = None
    output: Path | None = None
    out_dir: Path | None = None
    glob: str | None = None
    dedupe: bool = False
    strict: bool = False
    key_pattern: str | None = None
    writer_options: Mapping[str, Any] = MappingProxyType({})
    encoding: str | None = None  # of every input; None: as each file says, else detected
    limits: InputLimits = DEFAULT_LIMITS


class InputFile(NamedTuple):
    path: str | None  # None: stdin
    display: str  # the name messages use
    relative: PurePath  # where its output goes under --out-dir


DEFAULT_OUTPUT_FORMAT = "csl-json"

# what messages about the merged item stream name: "output: record 12: ..." counts
# records across all inputs, in the order they are written
OUTPUT = "output"


class OpenedInput(NamedTuple):
    entry: InputFile
    reader: ConverterInfo | None  # None: an empty input (reported when read)
    source: Source | None  # open still (stdin, a special file); None: reopened when read


class UsageError(Exception):
    pass


def _readable_extension(path: Path, registry: Registry) -> bool:
    return bool(registry.readers_for_path(str(path)))


def expand_inputs(names: list[str], pattern: str | None, registry: Registry) -> list[InputFile]:
    """Files as named; directories recursed (files matching ``pattern``, else every
    file whose extension a reader claims), in a stable order; ``-`` is stdin."""
    found: list[InputFile] = []
    for name in names:
        if name == "-":
            found.append(InputFile(None, "<stdin>", PurePath("stdin")))
            continue
        path = Path(name)
        if path.is_dir():
            matches = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for file in sorted(files):
                    candidate = Path(root, file)
                    if file.startswith("."):
                        continue
                    chosen = (
                        fnmatch.fnmatch(file, pattern)
                        if pattern
                        else _readable_extension(candidate, registry)
                    )
                    if chosen:
                        matches.append(candidate)
            if not matches:
                raise UsageError(f"{name}: no input files in this directory")
            found += [InputFile(str(m), str(m), m.relative_to(path)) for m in matches]
        elif path.is_file() or path.is_fifo() or name.startswith("/dev/"):
            found.append(InputFile(name, name, PurePath(path.name)))
        else:
            raise UsageError(f"{name}: no such file")
    return found


def output_path(out_dir: Path, relative: PurePath, writer: ConverterInfo) -> Path:
    """``out_dir/relative`` with the writer's extension; never outside ``out_dir``."""
    parts = [p for p in relative.parts if p not in ("", ".", "..") and not PurePath(p).anchor]
    if not parts:
        parts = ["output"]
    name = parts[-1]
    if name.lower().endswith(".gz"):
        name = name[:-3]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    extension = writer.extensions[0] if writer.extensions else ".out"
    target = out_dir.joinpath(*parts[:-1], (stem or "output") + extension)
    root = os.path.realpath(out_dir)
    if os.path.commonpath([root, os.path.realpath(target)]) != root:
        raise UsageError(f"{relative}: output would fall outside {out_dir}")
    return target


def choose_writer(
    request: ConvertRequest, registry: Registry
) -> tuple[ConverterInfo, dict[str, Any], str | None]:
    """The writer ``--to`` names; else the one the ``--output`` file's extension names,
    with the options the extension implies (``.html``: markup html); else csl-json.
    The extension that chose the writer is returned too (None: it did not choose)."""
    if request.to:
        return registry.writer(request.to), {}, None
    if request.output is not None:
        try:
            named = registry.writer_for_path(str(request.output))
        except AmbiguousExtensionError as error:
            raise UsageError(
                f"{request.output}: {error}; name the output format with --to"
            ) from None
        if named is not None:
            writer, extension = named
            return writer, writer.options_for_extension(extension), extension
    return registry.writer(DEFAULT_OUTPUT_FORMAT), {}, None


def _choice_note(
    request: ConvertRequest, writer: ConverterInfo, implied: dict[str, Any], extension: str | None
) -> str | None:
    """For --verbose: how the output file's name chose the format (when --to did not)."""
    if request.to or request.output is None:
        return None
    if extension is None:
        suffix = request.output.suffix
        return (
            f"{request.output}: writing {writer.name}, the default ({suffix} names no output "
            "format; --to chooses one)"
            if suffix
            else None
        )
    settings = ", ".join(
        f"{name}={str(value).lower() if isinstance(value, bool) else value}"
        for name, value in implied.items()
        if request.writer_options.get(name) is None
    )
    return (
        f"{request.output}: writing {writer.name}{f' ({settings})' if settings else ''}, "
        f"as the extension {extension} says (--to chooses another format)"
    )


def _prepare(
    request: ConvertRequest, registry: Registry
) -> tuple[ConverterInfo, ConverterInfo | None, dict[str, Any], list[InputFile], str | None]:
    try:
        writer, implied, extension = choose_writer(request, registry)
        note = _choice_note(request, writer, implied, extension)
        reader = registry.reader(request.from_format) if request.from_format else None
        flags = {  # messages name options as the user typed them: --lf for crlf
            name: option.spelling
            for name, (option, _) in registry.writer_options(plugins=False).items()
        }
        given = {k: v for k, v in request.writer_options.items() if v is not None}
        try:
            options = check_write_options(writer, {**implied, **given}, flags)
        except ValueError as error:
            if extension:  # the user may not know which format the extension chose
                raise ValueError(
                    f"{error} ({writer.name}, as the extension of {request.output} says; "
                    "--to chooses another format)"
                ) from None
            raise
        if request.key_pattern:
            citation_key({}, request.key_pattern)  # validates the pattern
        if request.encoding:
            check_encoding(request.encoding)
    except (UnknownFormatError, ValueError) as error:
        raise UsageError(str(error).strip("'\"")) from None
    if request.output and request.out_dir:
        raise UsageError("--output and --out-dir exclude each other")
    inputs = expand_inputs(request.inputs, request.glob, registry)
    if any(i.path is None for i in inputs) and sys.stdin is not None and sys.stdin.isatty():
        raise UsageError("no input: name files, or pipe records into stdin")
    if request.out_dir:
        targets: dict[Path, str] = {}
        for item in inputs:
            target = output_path(request.out_dir, item.relative, writer)
            if target in targets:
                raise UsageError(f"{item.display} and {targets[target]} would both write {target}")
            targets[target] = item.display
    return writer, reader, options, inputs, note


class Conversion:
    """One run of `refconv convert`: the reports, the key allocator and the exit code."""

    def __init__(self, request: ConvertRequest, console: Console, registry: Registry):
        self.request = request
        self.console = console
        self.registry = registry
        self.report = Report(sink=console.diagnostic, strict=request.strict)
        self.workers = worker_count()
        self.key_pattern = request.key_pattern or DEFAULT_KEY_PATTERN
        self.wrote_any = False  # has any output been written (committed, or written through)?

    def open_inputs(
        self, inputs: Iterable[InputFile], reader: ConverterInfo | None
    ) -> list[OpenedInput]:
        """Open every input and tell its format before anything is written, so that an
        unreadable input (missing, binary, not in the encoding --encoding names, unknown
        format) fails the run with nothing written. Regular files are closed again and
        reopened when read; stdin and special files (FIFOs, devices) can be read once only
        and stay open."""
        opened = []
        for entry in inputs:
            binary = self._open(entry)
            source = open_source(
                binary, entry.display, entry.path, self.request.encoding, self.request.limits
            )
            chosen = reader
            if chosen is None and not (source.head_is_all and not source.head.strip()):
                chosen = detect_reader(source, self.registry)
            if entry.path is not None and stat.S_ISREG(os.fstat(binary.fileno()).st_mode):
                binary.close()
                opened.append(OpenedInput(entry, chosen, None))
            else:
                opened.append(OpenedInput(entry, chosen, source))
        return opened

    @staticmethod
    def _open(entry: InputFile) -> BinaryIO:
        if entry.path is None:
            return sys.stdin.buffer
        try:
            return open(entry.path, "rb")
        except OSError as error:
            raise ConversionError(f"cannot open: {error.strerror}", source=entry.display) from None

    def items(self, inputs: Iterable[OpenedInput]) -> tuple[Iterator[Item], KeyAllocator]:
        """Items of every input in order, keyed uniquely, and the keys' allocator (for a
        writer that must change some keys: they stay unique among all)."""
        items: Iterable[Item] = self._read_all(inputs)
        if self.request.dedupe:
            from refconv.converters.core.dedupe import dedupe

            items = dedupe(items, self.report.for_source(OUTPUT))
        keys = KeyAllocator()
        return assign_ids(
            items, self.report.for_source(OUTPUT), key_pattern=self.key_pattern, allocator=keys
        ), keys

    def _read_all(self, inputs: Iterable[OpenedInput]) -> Iterator[Item]:
        for entry, reader, source in inputs:
            binary = None
            if source is None:
                binary = self._open(entry)
                source = open_source(
                    binary, entry.display, entry.path, self.request.encoding, self.request.limits
                )
            try:
                self.report.tally.sources += 1
                yield from read_source(
                    source,
                    reader,
                    self.report.for_source(entry.display),
                    registry=self.registry,
                    workers=self.workers,
                    key_pattern=self.key_pattern,
                )
            finally:
                if binary is not None:
                    binary.close()

    def write(
        self,
        keyed: tuple[Iterator[Item], KeyAllocator],
        writer: ConverterInfo,
        options: dict[str, Any],
        target: Path | None,
    ) -> int:
        """Write one output; on a fatal problem discard it and return the exit code."""
        try:
            output = Output(target, hold=self.request.strict)
        except OSError as error:
            self.console.error(f"{target}: cannot write: {error.strerror}")
            return self._failed_output()
        try:
            with self.console.progress(self.report.tally) as counted:
                items, keys = keyed
                write_items(
                    output.records(counted(items)),
                    writer,
                    output.stream,
                    self.report.for_source(OUTPUT),
                    keys=keys,
                    **options,
                )
            output.commit()
        except StrictModeError as error:
            output.discard()
            self.console.error(f"{error}; nothing written")
            return ExitCode.RECORDS_FAILED
        except (ConversionError, OutputError) as error:
            output.discard()
            self.console.error(str(error))
            self.wrote_any = self.wrote_any or output.wrote
            return self._failed_output()
        except BrokenPipeError:
            output.discard()
            return ExitCode.BROKEN_PIPE
        except BaseException:
            output.discard()
            raise
        self.wrote_any = True
        return ExitCode.OK

    def _failed_output(self) -> int:
        """2 when nothing was written; 1 when records were written before the failure."""
        return ExitCode.RECORDS_FAILED if self.wrote_any else ExitCode.USAGE


def run_convert(request: ConvertRequest, console: Console) -> int:
    registry = default_registry()
    try:
        writer, reader, options, inputs, note = _prepare(request, registry)
    except UsageError as error:
        console.error(str(error))
        return ExitCode.USAGE
    if note:
        console.explain(note)
    run = Conversion(request, console, registry)
    try:
        opened = run.open_inputs(inputs, reader)
    except ConversionError as error:
        console.error(str(error))
        return ExitCode.USAGE
    if request.out_dir is None:
        status = run.write(run.items(opened), writer, options, request.output)
    else:
        # one output per input, each keyed on its own so it reads the same whether
        # it was converted alone or in a batch
        status = ExitCode.OK
        for entry in opened:
            target = output_path(request.out_dir, entry.entry.relative, writer)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                console.error(f"{error.filename or target.parent}: cannot write: {error.strerror}")
                status = max(status, run._failed_output())
                break
            console.explain(f"{entry.entry.display} → {target}")
            result = run.write(run.items([entry]), writer, options, target)
            status = max(status, result)
            if result == ExitCode.BROKEN_PIPE or (
                result == ExitCode.RECORDS_FAILED and request.strict
            ):
                break
    if status == ExitCode.BROKEN_PIPE:
        return status  # quietly, as any Unix filter
    tally = run.report.tally
    if tally.failed or tally.warnings or tally.merged:
        files = f"{tally.sources:,} file{'s' if tally.sources != 1 else ''}"
        merged = f"; {tally.merged:,} merged as duplicates" if tally.merged else ""
        warnings = f"{tally.warnings:,} warning{'s' if tally.warnings != 1 else ''}"
        console.note(
            f"converted {tally.records:,} records from {files}{merged}; "
            f"{tally.failed:,} failed; {warnings}"
        )
    if status != ExitCode.OK:
        return status
    return ExitCode.RECORDS_FAILED if tally.failed else ExitCode.OK
