"""Bytes in, items through, text out: the stages every conversion shares.

* :func:`open_source` turns raw bytes (a file, stdin, gzip-compressed or not)
  into a text stream plus a decoded head for content sniffing.
* :func:`read_items` runs a reader over a source, counting records.
* :func:`assign_ids` gives every item a citation key, unique in the run.
* :func:`write_items` runs a writer with the options it declares.
"""

from __future__ import annotations

import codecs
import io
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO, NamedTuple, TextIO

from .converter_info import ConverterInfo
from .diagnostics import ConversionError, Report
from .encoding import Decoding, choose_decoding, fallback_warning, late_fallbacks
from .keys import DEFAULT_KEY_PATTERN, GeneratedKey, KeyAllocator, citation_key
from .limits import DEFAULT_LIMITS, NESTING_LIMIT, InputLimits, size_text
from .model import CSL_TYPES, Item
from .registry import Registry, default_registry

HEAD_SIZE = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"


# a JSON escape of a UTF-16 surrogate: the json module decodes a lone one into a str
# that cannot be written as UTF-8
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class _Prepended(io.RawIOBase):
    """A byte stream that first returns ``head`` and then the rest of ``rest``.

    As the bytes pass, it refuses a line longer than ``max_line`` (0: no bound) and,
    while ``max_total`` is set (0: no bound), more than that many bytes in all.
    """

    def __init__(self, head: bytes, rest: BinaryIO, name: str = "", max_line: int = 0):
        self._head = memoryview(head)
        self._rest = rest
        self.name = name
        self.max_line = max_line
        self.max_total = 0
        self._total = 0  # bytes passed
        self._since_break = 0  # bytes since the last line break
        self._lines = 0  # line breaks passed
        self.surrogate_escapes = False  # has a JSON escape of a surrogate (\\ud800) passed?
        self._tail = b""  # the end of the last block, for an escape cut in two

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self._head:
            n = min(len(buffer), len(self._head))
            data = self._head[:n]
            self._head = self._head[n:]
        else:
            data = self._rest.read(len(buffer))
            n = len(data)
        buffer[:n] = data
        self._total += n
        if self.max_total and self._total > self.max_total:
            raise ConversionError(
                f"more than {size_text(self.max_total)} to read whole "
                "(--max-document raises the limit)",
                source=self.name,
            )
        if n:
            block = bytes(data) if isinstance(data, memoryview) else data
            if not self.surrogate_escapes:
                self._look_for_surrogate_escapes(block)
            if self.max_line:
                self._count_line(block)
        return n

    def _look_for_surrogate_escapes(self, block: bytes) -> None:
        if b"\\u" in block or b"\\" in self._tail:
            self.surrogate_escapes = bool(_SURROGATE_ESCAPE.search(self._tail + block))
        self._tail = block[-5:]

    def _count_line(self, data: bytes) -> None:
        last = data.rfind(b"\n")
        if last < 0:
            self._since_break += len(data)
            self._check(self._since_break, self._lines + 1)
            return
        first = data.find(b"\n")
        self._check(self._since_break + first, self._lines + 1)
        if last - first > self.max_line:  # a line within this block may be too long too
            for number, line in enumerate(data[first + 1 : last].split(b"\n"), self._lines + 2):
                self._check(len(line), number)
        self._lines += data.count(b"\n")
        self._since_break = len(data) - last - 1
        self._check(self._since_break, self._lines + 1)

    def _check(self, length: int, line: int) -> None:
        if length > self.max_line:
            raise ConversionError(
                f"a line longer than {size_text(self.max_line)} (--max-line raises the limit)",
                source=self.name,
                line=line,
            )


class _LimitedText(io.TextIOWrapper):
    """The decoded text of an input, within its :class:`InputLimits` (counted as the bytes
    pass through :class:`_Prepended`); reads are the C implementation's own, at full speed.
    """

    max_document = DEFAULT_LIMITS.max_document
    # characters of one record a line-based reader (RIS, MEDLINE) may hold whole
    max_record = DEFAULT_LIMITS.max_line
    raw_lines: _Prepended | None = None

    def read(self, size: int | None = -1) -> str:
        if (size is not None and size >= 0) or self.raw_lines is None:
            return super().read(size)
        self.raw_lines.max_total = self.max_document  # reading whole: the input is bounded
        try:
            return super().read()
        finally:
            self.raw_lines.max_total = 0

    def allow_long_lines(self) -> None:
        """For a reader that reads in blocks and never holds a line whole."""
        if self.raw_lines is not None:
            self.raw_lines.max_line = 0


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    chunks, total = [], 0
    while total < size:
        chunk = stream.read(size - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


class Source(NamedTuple):  # not a dataclass: cheaper to create at start-up
    """One input: its display name, a decoded text stream, and the first 64 KiB for sniffing."""

    name: str
    stream: TextIO
    head: str
    path: str | None = None
    head_is_all: bool = True  # False when the input goes on past the head
    compressed: bool = False  # read through gzip
    decoding: Decoding | None = None  # how its bytes were decoded (None: given as text)
    # has a ``surrogate_escapes`` attribute: True once a JSON escape of a UTF-16
    # surrogate (``\\ud800``) was read, after which items are checked for lone ones
    escapes: Any = None


def open_source(
    binary: BinaryIO,
    name: str,
    path: str | None = None,
    encoding: str | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
) -> Source:
    """Decode an input, looking through gzip; refuse binary data.

    The text encoding is ``encoding`` when given, else as :func:`choose_decoding`
    decides (a JabRef header, UTF-8, else Windows-1252 with a warning). The stream
    refuses lines and whole reads beyond ``limits`` with a :class:`ConversionError`.
    """
    first = _read_up_to(binary, HEAD_SIZE)
    compressed = first.startswith(GZIP_MAGIC)
    if compressed:
        import gzip

        binary = gzip.GzipFile(fileobj=io.BufferedReader(_Prepended(first, binary)))
        try:
            first = _read_up_to(binary, HEAD_SIZE)
        except (OSError, EOFError, zlib.error) as error:
            raise ConversionError(f"damaged gzip data: {error}", source=name) from None
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ConversionError(
            "UTF-16 text is not supported; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)",
            source=name,
        )
    if b"\x00" in first[:8192]:
        raise ConversionError("binary data, not a text format refconv reads", source=name)
    complete = len(first) < HEAD_SIZE
    try:
        decoding = choose_decoding(first, encoding, complete=complete)
        head = codecs.getincrementaldecoder(decoding.encoding)(decoding.errors).decode(
            first, final=complete
        )
    except (ValueError, UnicodeDecodeError) as error:  # an encoding the user named
        raise ConversionError(f"cannot read as {encoding}: {error}", source=name) from None
    raw = _Prepended(first, binary, name, limits.max_line)
    stream = _LimitedText(
        io.BufferedReader(raw),
        encoding=decoding.encoding,
        errors=decoding.errors,
        newline=None,
    )
    stream.max_document = limits.max_document
    stream.max_record = limits.max_line
    stream.raw_lines = raw
    return Source(name, stream, head, path, complete, compressed, decoding=decoding, escapes=raw)


class _Escapes(NamedTuple):
    surrogate_escapes: bool


def text_source(text: str, name: str = "<string>") -> Source:
    if text.startswith("\ufeff"):
        text = text[1:]
    escapes = _Escapes("\\u" in text and bool(_SURROGATE_ESCAPE.search(text.encode())))
    return Source(
        name,
        io.StringIO(text),
        text[:HEAD_SIZE],
        head_is_all=len(text) <= HEAD_SIZE,
        escapes=escapes,
    )


def detect_reader(source: Source, registry: Registry | None = None) -> ConverterInfo:
    registry = registry or default_registry()
    info = registry.detect(source.head, source.path)
    if info is None:
        raise ConversionError(
            "cannot tell the input format from the file name or content; name it with --from",
            source=source.name,
        )
    return info


def read_source(
    source: Source,
    reader: ConverterInfo | None,
    report: Report,
    *,
    registry: Registry | None = None,
    workers: int = 1,
    key_pattern: str = DEFAULT_KEY_PATTERN,
) -> Iterator[Item]:
    """Items of one source, its reader detected unless given; an empty input is a failed record."""
    if source.head_is_all and not source.head.strip():
        report.error("empty input: no records")
        return iter(())
    chosen = reader or detect_reader(source, registry)
    report.info(f"reading as {chosen.name}")
    if source.decoding is not None and source.decoding.warning:
        report.warning(source.decoding.warning)
    return read_items(source, chosen, report, workers=workers, key_pattern=key_pattern)


def _first_line_is_a_record(head: str) -> bool:
    """Does the input start with a whole JSON object on one line (JSON Lines, or records
    each on a line of their own)? Pretty-printed JSON, whose nested objects may also
    start a line with ``{``, is not cut into chunks."""
    line = head.lstrip().split("\n", 1)[0]
    if not line.startswith("{"):
        return False
    import msgspec

    try:
        return isinstance(msgspec.json.decode(line), dict)
    except (msgspec.DecodeError, RecursionError):
        return False


def read_items(
    source: Source,
    reader: ConverterInfo,
    report: Report,
    *,
    workers: int = 1,
    key_pattern: str = DEFAULT_KEY_PATTERN,
) -> Iterator[Item]:
    """The reader's items, counted in ``report.tally``; a decoding failure stops the source.

    With ``workers`` > 1, a large input of a reader that declares ``CHUNKABLE``
    is read on that many processes (see :mod:`.parallel`), which also compute
    the ``key_pattern`` keys of items without an id; the result is the same.
    """
    module = reader.load()
    if getattr(module, "LONG_LINES", False) and isinstance(source.stream, _LimitedText):
        source.stream.allow_long_lines()
    count = 0
    failed_before = report.tally.failed
    late_fallback = source.decoding is not None and source.decoding.late_fallback
    fallbacks_before = late_fallbacks()
    if (
        workers > 1
        and getattr(module, "CHUNKABLE", False)
        and not source.head_is_all
        and _first_line_is_a_record(source.head)
    ):
        from .parallel import read_chunked

        items = read_chunked(source.stream, reader, report, workers, key_pattern)
    else:
        items = module.read(source.stream, report)
    escapes = source.escapes
    try:
        for item in items:
            # only JSON escapes (decoded by the json module) make lone surrogates; once the
            # input has shown one, every item is checked. The built-in JSON readers refuse
            # such a record themselves; this is for plugin readers, which may not.
            if (escapes is None or escapes.surrogate_escapes) and not _encodable(item, report):
                continue
            count += 1
            report.tally.records += 1
            yield item
    except UnicodeDecodeError as error:  # only in an encoding the user named
        raise ConversionError(
            f"not {source.decoding.encoding if source.decoding else 'UTF-8'} text "
            f"({error.reason}); name its encoding with --encoding",
            source=source.name,
        ) from None
    except RecursionError:
        raise ConversionError(
            f"nested more than about {NESTING_LIMIT:,} levels deep (JSON arrays and objects, "
            "or braces); refconv reads no deeper",
            source=source.name,
        ) from None
    except (EOFError, zlib.error, OSError) as error:
        import gzip  # loaded already if the source is compressed

        if not source.compressed or not isinstance(error, (EOFError, zlib.error, gzip.BadGzipFile)):
            raise
        raise ConversionError(f"damaged gzip data: {error}", source=source.name) from None
    if late_fallback and late_fallbacks() != fallbacks_before:
        report.warning(fallback_warning())
    if count == 0 and report.tally.failed == failed_before:
        report.error("no records found")


def assign_ids(
    items: Iterable[Item],
    report: Report,
    *,
    key_pattern: str = DEFAULT_KEY_PATTERN,
    allocator: KeyAllocator | None = None,
) -> Iterator[Item]:
    """Give items without an id a generated key; make every id unique (ignoring case).

    A reader's own ids (BibTeX keys, CSL-JSON ids) are kept unless they clash,
    in which case the clash is reported as a warning.
    """
    allocator = allocator or KeyAllocator()
    for index, item in enumerate(items, 1):
        given = item.get("id")
        if isinstance(given, GeneratedKey):  # computed ahead, in a worker process
            generated, base = True, str(given)
        else:
            generated = given is None or str(given).strip() == ""
            base = citation_key(item, key_pattern) if generated else str(given)
        unique = allocator.allocate(base)
        if unique != base:
            if generated:
                report.info(f"key {base!r} already used; this record gets {unique!r}", record=index)
            else:
                report.warning(f"duplicate id {base!r} renamed to {unique!r}", record=index)
        item["id"] = unique
        if item.get("type") not in CSL_TYPES:
            report.warning(
                f"unknown CSL type {item.get('type')!r} for {unique!r}; using 'document'",
                record=index,
            )
            item["type"] = "document"
        yield item


def check_write_options(
    writer: ConverterInfo, options: Mapping[str, Any], spelling: dict[str, str] | None = None
) -> dict[str, Any]:
    """Drop unset options; refuse one the writer does not declare.

    ``spelling`` names options the way the caller's user wrote them (the CLI's
    ``--lf`` for ``crlf``) in the message.
    """
    given = {k: v for k, v in options.items() if v is not None}
    unknown = sorted(set(given) - set(writer.option_names))
    if unknown:
        spelling = spelling or {}
        accepted = ", ".join(spelling.get(o, o) for o in writer.option_names) or "none"
        raise ValueError(
            f"option{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(spelling.get(o, o) for o in unknown)} "
            f"do{'' if len(unknown) > 1 else 'es'} not apply to {writer.name} "
            f"(it takes: {accepted})"
        )
    return given


def write_items(
    items: Iterable[Item],
    writer: ConverterInfo,
    out: TextIO,
    report: Report,
    *,
    keys: KeyAllocator | None = None,
    **options: Any,
) -> None:
    """Run the writer over ``items``.

    A writer option the writer rejects before it takes its first item is a
    :class:`ConversionError` naming ``--option``.

    ``keys`` is the allocator that made the items' ids unique; a writer that must
    change some keys (BibTeX's, declaring ``TAKES_KEYS``) allocates those from it
    instead of making every key unique a second time.
    """
    module = writer.load()
    checked = check_write_options(writer, options)
    if keys is not None and getattr(module, "TAKES_KEYS", False):
        checked["keys"] = keys
    started = False

    def pulled() -> Iterator[Item]:
        nonlocal started
        started = True
        yield from items

    try:
        module.write(pulled(), out, report, **checked)
    except (TypeError, ValueError) as error:
        if started:
            raise
        raise ConversionError(str(error), source="--option") from None


def _encodable(item: Item, report: Report) -> bool:
    """Can the item be written as UTF-8? If not (a lone surrogate such as ``\\ud800``),
    report it: the record fails alone."""
    import msgspec

    try:
        # MessagePack: UTF-8 like JSON, so it refuses the same text, at half the cost
        msgspec.msgpack.encode(item)
    except UnicodeEncodeError as error:
        bad = ascii(error.object[error.start : error.end])[1:-1]
        which = item.get("id") or item.get("title") or "a record"
        report.error(f"text that is not Unicode ({bad}, a lone surrogate) in {which!r}; skipped")
        return False
    except (TypeError, ValueError, OverflowError, RecursionError):
        pass  # not plain data (or a cyclic item): the writer decides
    return True
