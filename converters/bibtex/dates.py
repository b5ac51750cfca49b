"""Dates: EDTF (biblatex ``date``) and BibTeX's year/month/day, both ways."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..core.dates import MONTHS, SEASONS, is_plain_iso_date, normalise_date
from ..core.patterns import lazy_pattern
from .mapping import BIBLATEX, MONTH_MACROS, Macro

if TYPE_CHECKING:
    from .reader import ReadContext


_EDTF = lazy_pattern(
    r"^(?P<year>-?\d{1,4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?"
    r"(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?(?P<flags>[~?%]*)$"
)
_YEAR_RANGE = lazy_pattern(r"^(\d{4})\s*(?:-{1,3}|–|—|/)\s*(\d{2,4})$")
_DAY_MONTH = lazy_pattern(r"(\d{1,2})")


def _edtf_parts(text: str) -> tuple[list[int], bool] | None:
    text = text.strip()
    if is_plain_iso_date(text):  # the common date, as _EDTF reads it
        year, month_text, day_text, flags = text[:4], text[5:7], text[8:], ""
    else:
        match = _EDTF.match(text)
        if match is None:
            return None
        year, month_text, day_text, flags = match.group("year", "month", "day", "flags")
    parts = [int(year)]
    if parts[0] <= 0 and year[:1] in "-0":
        # astronomical numbering (biblatex manual table 5: -0876 is 877 BCE, 0000 is
        # 1 BCE); CSL-JSON counts years before the common era from -1
        parts[0] -= 1
    if month_text:
        month = int(month_text)
        if not (1 <= month <= 12 or 21 <= month <= 24):
            return None
        parts.append(month)
        if day_text:
            day = int(day_text)
            if not 1 <= day <= 31 or month > 12:
                return None
            parts.append(day)
    return parts, bool(flags)


# ends of a range that say there is none: EDTF's "" and "..", biblatex's older words
_OPEN_ENDS = frozenset({"", "..", "open", "unknown"})
# EDTF unspecified digits (biblatex: 19uu, EDTF 2019: 19XX): the range they span
_UNSPECIFIED = lazy_pattern(r"^(\d{1,3})([uX]{1,3})$")


def parse_edtf(text: str) -> dict[str, Any] | None:
    """biblatex ``date`` (ISO 8601 / EDTF level 1, biblatex manual §2.3.8): ``2025-04-24``,
    ``2019/2020``, ``2020~``, ``-0876`` (877 BCE), open ranges ``1999-10-14/``, ``1999/open``
    and ``/2015``, seasons ``2004-22`` (summer), unspecified digits ``19uu``."""
    text = text.strip()
    if not text:
        return None
    if "/" in text:
        start, _, end = text.partition("/")
        start, end = start.strip(), end.strip()
        if end in _OPEN_ENDS:  # open end: CSL's [[start], [0]] (citeproc-js prints "1999–")
            first = _edtf_parts(start) if start not in _OPEN_ENDS else None
            if first is None:
                return None
            date = {"date-parts": [first[0], [0]]}
            if first[1]:
                date["circa"] = True
            return date
        if start in _OPEN_ENDS:  # open start: CSL has no form for it
            second = _edtf_parts(end)
            return None if second is None else {"literal": f"–{end}"}
        first, second = _edtf_parts(start), _edtf_parts(end)
        if first is None or second is None:
            return None
        date: dict[str, Any] = {"date-parts": [first[0], second[0]]}
        if first[1] or second[1]:
            date["circa"] = True
        return date
    unspecified = _UNSPECIFIED.match(text)
    if unspecified is not None and len(text) == 4:
        known, unknown = unspecified.groups()
        low = int(known + "0" * len(unknown))
        return {"date-parts": [[low], [low + 10 ** len(unknown) - 1]]}
    single = _edtf_parts(text)
    if single is None:
        return None
    date = {"date-parts": [single[0]]}  # a season stays month 21-24, as EDTF has it
    if single[1]:
        date["circa"] = True
    return date


# a season in place of a month (month = {Winter}), as EDTF numbers them (CSL: 21-24)
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
# a year with an open end ("1987--", "1987–date", Beebe's journal files)
_OPEN_YEAR = lazy_pattern(r"^(\d{4})\s*(?:-{1,3}|–|—)\s*(?:date|present|today|now)?$", re.I)
# a year with unspecified digits (19xx, 19??)
_VAGUE_YEAR = lazy_pattern(r"^(\d{2,3})([xX?]{1,2})$")


def _month_number(text: str) -> tuple[int | None, int | None]:
    """``apr``, ``April``, ``4``, ``10~January`` → (month, day)."""
    text = text.strip().strip(".")
    if text.isdigit():
        number = int(text)
        return (number if 1 <= number <= 12 else None), None
    month = day = None
    for word in _LETTERS.findall(text):
        month = MONTHS.get(word.lower()) or _SEASONS.get(word.lower())
        if month:
            break
    if month:
        digits = [int(d) for d in _DAY_MONTH.findall(text)]
        if len(digits) == 1 and 1 <= digits[0] <= 31:
            day = digits[0]
    return month, day


def compose_date(parts: dict[str, str], ctx: ReadContext) -> dict[str, Any] | None:
    """``date`` wins; otherwise ``year`` + ``month`` + ``day`` (text already decoded)."""
    if parts.get("date"):
        date = parse_edtf(parts["date"])
        if date is not None:
            return date
        ctx.warn(f"date {parts['date']!r} is not an ISO 8601/EDTF date")
        if not parts.get("year"):
            return {"literal": parts["date"]}
    year_text = parts.get("year", "").strip()
    if not year_text:
        if parts.get("month"):
            ctx.warn("month without a year ignored")
        return None
    open_match = _OPEN_YEAR.match(year_text)
    if open_match:
        return {"date-parts": [[int(open_match.group(1))], [0]]}
    vague = _VAGUE_YEAR.match(year_text)
    if vague is not None and len(year_text) == 4:
        known, unknown = vague.groups()
        low = int(known + "0" * len(unknown))
        return {"date-parts": [[low], [low + 10 ** len(unknown) - 1]]}
    range_match = _YEAR_RANGE.match(year_text)
    if range_match:
        first, second = range_match.groups()
        if len(second) < 4:
            second = first[: 4 - len(second)] + second
        return {"date-parts": [[int(first)], [int(second)]]}
    year_match = _YEAR_TEXT.match(year_text)
    if year_match is None:
        ctx.warn(f"year {year_text!r} is not a number; kept as a literal date")
        return {"literal": year_text}
    date_parts = [int(year_match.group(1))]
    if parts.get("month"):
        month, day = _month_number(parts["month"])
        if month is None:
            ctx.warn(f"unreadable month {parts['month']!r} ignored")
        else:
            date_parts.append(month)
            day_text = parts.get("day", "").strip()
            if day_text.isdigit() and 1 <= int(day_text) <= 31:
                day = int(day_text)
            if day:
                date_parts.append(day)
    return {"date-parts": [date_parts]}


_LETTERS = lazy_pattern(r"[A-Za-z]+")
_YEAR_TEXT = lazy_pattern(r"^(-?\d{1,4})([a-z]?)$")


def _edtf(parts: list[Any]) -> str | None:
    try:
        numbers = [int(p) for p in parts]
    except (TypeError, ValueError):
        return None
    if not numbers:
        return None
    year = numbers[0]
    if year < 0:
        # CSL counts 1 BCE as -1; EDTF and biblatex count it as 0 (astronomical year
        # numbering, biblatex manual table 5): CSL -877 is biblatex -0876
        year += 1
    text = f"{year:04d}" if year >= 0 else f"-{-year:04d}"
    month = numbers[1] if len(numbers) > 1 else 0
    if 1 <= month <= 12 or 21 <= month <= 24:  # a month or a season, else the year alone
        text += f"-{month:02d}"
        day = numbers[2] if len(numbers) > 2 else 0
        if 1 <= day <= 31 and month <= 12:
            text += f"-{day:02d}"
    return text


def _is_open_end(parts: list[Any]) -> bool:
    try:
        return bool(parts) and all(int(p) == 0 for p in parts)
    except (TypeError, ValueError):
        return False


def date_fields(date: Any, dialect: str, is_issued: bool) -> list[tuple[str, str]]:
    """A CSL date → (field suffix, value) pairs: ``year``/``month``/``date``."""
    if type(date) is dict and len(date) == 1:
        # [[year, month, day]], the common date, without the general machinery below
        parts = date.get("date-parts")
        start = parts[0] if type(parts) is list and len(parts) == 1 else None
        size = len(start) if type(start) is list else 0
        year, month, day = (*start, 0, 0)[:3] if 1 <= size <= 3 else (-1, 0, 0)
        if (
            type(year) is int
            and type(month) is int
            and type(day) is int
            and year >= 0
            and 0 <= month <= 12
            and 0 <= day <= 31
            and (size < 3 or month)
        ):
            edtf = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
            if day:
                edtf += f"-{day:02d}"
            if dialect == BIBLATEX or not is_issued:
                return [("date", edtf)]
            out = [("year", str(year))]
            if month:
                out.append(("month", Macro(MONTH_MACROS[month - 1])))
            if size > 2:
                out.append(("date", edtf))
            return out
    if not isinstance(date, dict):
        return []
    parts = date.get("date-parts")
    if not (isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]):
        return []  # a literal or raw date: _write_date writes it as text
    circa = "~" if date.get("circa") else ""
    start = parts[0]
    end = parts[1] if len(parts) > 1 and isinstance(parts[1], list) else None
    # CSL has no year 0: an end of [0] is an open end ("1999 onwards"), EDTF "1999/"
    open_end = end is not None and _is_open_end(end)
    edtf_parts = [_edtf(start)] if open_end else [_edtf(p) for p in (start, end) if p is not None]
    if any(p is None for p in edtf_parts):
        return []
    edtf = "/".join(f"{p}{circa}" for p in edtf_parts) + ("/" if open_end else "")
    if dialect == BIBLATEX or not is_issued:
        return [("date", edtf)]
    year = str(int(start[0]))
    if open_end:
        year += "--"
    elif end and end[:1] != start[:1]:
        year += "--" + str(int(end[0]))
    out = [("year", year)]
    month = int(start[1]) if len(start) > 1 and start[1] else 0
    same_month = end is None or list(end[:2]) == list(start[:2])
    if 1 <= month <= 12 and same_month:
        out.append(("month", Macro(MONTH_MACROS[month - 1])))
    needs_date = bool(circa) or end is not None or len(start) > 2 or month > 12
    if needs_date:
        out.append(("date", edtf))
    return out


# a date as people write it ("24 Apr 2025", "2020/2021", "Spring 2019"): digits, month and
# season names and separators only, so nothing else in the text is lost when it is parsed
_DATE_WORDS = lazy_pattern(r"\d+|[A-Za-z]+|[\s,./-]+")


def loose_date(value: Any) -> dict[str, Any] | None:
    """A CSL date in any shape → date-parts, or ``{"literal": text}`` when it is text."""
    if isinstance(value, dict):
        text = value.get("raw") if "date-parts" not in value else None
        if not isinstance(text, str):
            date = normalise_date(value)
            if date is not None and "literal" in date:
                date["literal"] = str(date["literal"])
            return date
    elif isinstance(value, str):
        text = value
    else:
        return normalise_date(value)
    text = text.strip()
    if not text:
        return None
    words = [w for w in _DATE_WORDS.findall(text) if w[0].isalpha()]
    if len("".join(_DATE_WORDS.findall(text))) == len(text) and all(
        w.lower() in MONTHS or w.lower() in SEASONS for w in words
    ):
        return normalise_date(text)
    return {"literal": text}
