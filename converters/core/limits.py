"""Bounds every converter shares. This module imports nothing, so any reader may use it
at no start-up cost."""

from __future__ import annotations

from typing import NamedTuple

MiB = 1024 * 1024

# How deep JSON arrays and objects (or braces) may nest: Python's recursion limit of about
# 1,000 frames, less the frames of the reader that is decoding them.
NESTING_LIMIT = 900


class InputLimits(NamedTuple):
    """Bounds on what one input may make refconv hold in memory at once.

    A gzip file of a megabyte can expand to gigabytes in one record; without bounds
    that record is held whole (several times over while it is parsed).
    """

    # bytes of (decompressed) text without a line break (a JSON Lines record, a RIS line),
    # and characters of one record a line-based reader holds whole (RIS, MEDLINE)
    max_line: int = 64 * MiB
    # bytes of (decompressed) text of an input its reader reads whole (BibTeX, a JSON document)
    max_document: int = 512 * MiB


DEFAULT_LIMITS = InputLimits()


def size_text(size: int) -> str:
    """``67108864`` → ``64 MiB``, for messages."""
    for unit, factor in (("GiB", 1024 * MiB), ("MiB", MiB), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"
