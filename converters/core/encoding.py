"""Which character encoding an input is read in.

In order: the encoding the user names (``--encoding``); the one the file declares
in a JabRef header (``% Encoding: windows-1252``, within its first lines); else
UTF-8 when the bytes are UTF-8, and Windows-1252 when they are not (older and
JabRef-written ``.bib`` files, EndNote exports), with one warning naming the
file. A file whose first 64 KiB are UTF-8 but whose later bytes are not reads
those bytes as Windows-1252, also with one warning (see :func:`late_fallbacks`).

Windows-1252 leaves five bytes undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D); they are
read as the C1 control characters of the same number, as the WHATWG Encoding
standard and every browser do, so no byte makes reading fail.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

UTF8 = "utf-8-sig"  # UTF-8, dropping a byte-order mark
LEGACY = "cp1252"
_LEGACY_ERRORS = "refconv-cp1252"  # see _read_undefined_as_latin1
_JABREF_HEADER = re.compile(rb"\A(?:[ \t]*%[^\n]*\n){0,5}?[ \t]*%\s*Encoding:\s*([\w.:-]+)")


_LATE_ERRORS = "refconv-utf8-else-cp1252"  # see _read_late_bytes_as_legacy
_late_fallbacks = 0  # how many times _read_late_bytes_as_legacy was used, ever


def late_fallbacks() -> int:
    """A count that grows whenever bytes of a UTF-8 input past its head are not UTF-8 and
    are read as Windows-1252: compare it before and after reading an input."""
    return _late_fallbacks


def _read_late_bytes_as_legacy(error: UnicodeError) -> tuple[str, int]:
    global _late_fallbacks
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _late_fallbacks += 1
    return _legacy_text(error.object[error.start : error.end]), error.end


class Decoding(NamedTuple):
    """How to decode one input: a codec, its error handler, and what to tell the user."""

    encoding: str
    errors: str = "strict"
    warning: str | None = None  # to report once, naming the input
    # UTF-8 chosen from the head alone: later bytes that are not UTF-8 are read as
    # Windows-1252, which late_fallbacks() counts
    late_fallback: bool = False


def _legacy_text(data: bytes) -> str:
    return data.decode(LEGACY, errors=_LEGACY_ERRORS)


def _read_undefined_as_latin1(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(_LEGACY_ERRORS, _read_undefined_as_latin1)
codecs.register_error(_LATE_ERRORS, _read_late_bytes_as_legacy)


def check_encoding(name: str) -> str:
    """The codec name for an encoding a user names; ``ValueError`` for an unknown one."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r} (try utf-8, windows-1252, latin-1)") from None
    if not _is_text_encoding(info):
        raise ValueError(f"{name!r} is not a character encoding")
    return UTF8 if info.name == "utf-8" else info.name


def _is_text_encoding(info: codecs.CodecInfo) -> bool:
    return getattr(info, "_is_text_encoding", True)


def choose_decoding(head: bytes, requested: str | None = None, *, complete: bool) -> Decoding:
    """How to decode an input that starts with ``head`` (all of it when ``complete``)."""
    if requested:
        encoding = check_encoding(requested)
        return Decoding(encoding, _LEGACY_ERRORS if encoding == LEGACY else "strict")
    declared = _JABREF_HEADER.match(head)
    note = None
    if declared is not None:
        name = declared.group(1).decode("ascii")
        try:
            encoding = check_encoding(name)
        except ValueError:
            note = f"the file's header names an unknown encoding {name!r}; "
        else:
            if encoding != UTF8:
                return Decoding(encoding, _LEGACY_ERRORS if encoding == LEGACY else "strict")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError as error:
        line = head.count(b"\n", 0, error.start) + 1
        return Decoding(
            LEGACY,
            _LEGACY_ERRORS,
            f"{note or ''}not UTF-8 (byte 0x{head[error.start]:02x} on line {line}): read as "
            "Windows-1252; name the encoding with --encoding if that is wrong",
        )
    if complete:
        return Decoding(UTF8, warning=f"{note}read as UTF-8" if note else None)
    return Decoding(UTF8, _LATE_ERRORS, f"{note}read as UTF-8" if note else None, True)


def fallback_warning() -> str:
    """What to tell the user when late_fallbacks() grew while reading an input."""
    return (
        "not UTF-8 after its first 64 KiB: those bytes read as Windows-1252; "
        "name the encoding with --encoding if that is wrong"
    )
