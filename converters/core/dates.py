"""Dates in source data → CSL ``{"date-parts": [[y, m, d]]}``.

Partial dates stay partial: ``2020`` is ``[[2020]]``, never 2020-01-01 (and
never today's month and day, as python-dateutil would fill in).
"""

from __future__ import annotations

import re
from typing import Any

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
# CSL seasons are months 21-24 in date-parts
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}

_ISO = re.compile(r"^\s*(-?\d{1,4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ][\d:.+Z-]*)?\s*$")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if month is not None and not (1 <= month <= 12 or 21 <= month <= 24):
        return False
    return day is None or (month is not None and month <= 12 and 1 <= day <= 31)


def _parts(year: int, month: int | None = None, day: int | None = None) -> list[int]:
    parts = [year]
    if month:
        parts.append(month)
        if day:
            parts.append(day)
    return parts


def _iso_parts(year_text: str, month_text: str | None, day_text: str | None) -> list[int] | None:
    year = int(year_text)
    month = int(month_text) if month_text else None
    day = int(day_text) if day_text else None
    if month == 0:
        month = day = None
    if day == 0:
        day = None
    return _parts(year, month, day) if _valid(year, month, day) else None


def is_plain_iso_date(text: str) -> bool:
    """Is ``text`` exactly ``YYYY-MM-DD`` in ASCII digits (not checked for being a real date)?

    The common date, tested this way so that readers can skip their general patterns.
    """
    return (
        len(text) == 10
        and text[4] == "-" == text[7]
        and text.isascii()
        and text[:4].isdigit()
        and text[5:7].isdigit()
        and text[8:].isdigit()
    )


def parse_date_parts(text: str) -> list[int] | None:
    """``"2025-04-24"``, ``"2025/04"``, ``"2025"``, ``"24 Apr 2025"``, ``"2020 Spring"`` → parts."""
    text = text.strip()
    if not text:
        return None
    if is_plain_iso_date(text):  # by far the most common: what _ISO gives, without running it
        return _iso_parts(text[:4], text[5:7], text[8:])
    match = _ISO.match(text)
    if match:
        return _iso_parts(*match.group(1, 2, 3))
    year_match = _YEAR.search(text)
    if not year_match:
        return None
    year = int(year_match.group(1))
    month = day = None
    for word in re.findall(r"[A-Za-z]+", text):
        lower = word.lower()
        if lower in MONTHS and month is None:
            month = MONTHS[lower]
        elif lower in SEASONS and month is None:
            month = SEASONS[lower]
    if month and month <= 12:
        rest = _YEAR.sub(" ", text)
        days = [int(d) for d in re.findall(r"(?<!\d)(\d{1,2})(?!\d)", rest)]
        if len(days) == 1 and 1 <= days[0] <= 31:
            day = days[0]
    return _parts(year, month, day)


def date_variable(text: str | None) -> dict[str, Any] | None:
    """A CSL date variable from text, ranges (``2019/2020``, ``2019-05/2019-06``) included."""
    if not text or not str(text).strip():
        return None
    text = str(text).strip()
    if "/" in text and not _ISO.match(text):
        start, _, end = text.partition("/")
        first, second = parse_date_parts(start), parse_date_parts(end)
        if first and second:
            return {"date-parts": [first, second]}
    parts = parse_date_parts(text)
    if parts:
        return {"date-parts": [parts]}
    return {"literal": text}


def normalise_date(value: Any) -> dict[str, Any] | None:
    """Any CSL-JSON date as seen in the wild → ``date-parts`` with integers.

    Accepts the structured form (string parts become integers), ``raw`` and
    ``literal`` forms, EDTF/ISO strings and bare years. What cannot be read as a
    date is kept as ``literal`` rather than dropped.
    """
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return {"date-parts": [[value]]}
    if isinstance(value, str):
        return date_variable(value)
    if not isinstance(value, dict):
        return None
    result = {k: v for k, v in value.items() if k in ("season", "circa", "literal")}
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts:
        clean = []
        for part in parts[:2]:
            if not isinstance(part, list):
                continue
            numbers = []
            for piece in part[:3]:
                try:
                    numbers.append(int(piece))
                except (TypeError, ValueError, OverflowError):  # OverflowError: 1e400
                    break
            while numbers and numbers[-1] == 0 and len(numbers) > 1:
                numbers.pop()
            if numbers:
                clean.append(numbers)
        if clean:
            result["date-parts"] = clean
            return result
    raw = value.get("raw")
    if isinstance(raw, str) and raw.strip():
        parsed = date_variable(raw)
        if parsed:
            return {**result, **parsed}
    return result or None
