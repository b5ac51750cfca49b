"""RIS values ⇄ CSL values: names, dates, pages, serial numbers, accession numbers, notes.

The codecs of the field map's kinds (:mod:`.mapping`), each direction beside the other.
"""

from __future__ import annotations

import html
import re
from typing import Any

from ..core.dates import MONTHS, SEASONS, parse_date_parts
from ..core.names import is_cjk_name, parse_given_first, parse_name

# --- names ------------------------------------------------------------------------------

_PUBMED_STYLE = re.compile(r"^\S+ [A-Z]{1,3}$")  # "Smith JA"


def name_from_ris(value: str) -> dict[str, str]:
    """``Family, Given[, Suffix]`` as the specification has it. Without a comma the
    name is kept whole (an organisation, or a name written as one), except CJK names
    and PubMed's ``Smith JA``."""
    if "," in value:
        return parse_name(value)
    text = " ".join(value.split())
    if is_cjk_name(text) or _PUBMED_STYLE.match(text):
        return parse_given_first(text)
    return {"literal": text}


# a particle ending so is written against the family name: "d'Alembert", "al-Farabi"
_JOINING_PARTICLE_ENDS = "'’-"


def name_to_ris(name: Any) -> str:
    if not isinstance(name, dict):
        return str(name)
    literal = name.get("literal")
    if literal:
        return str(literal)
    family = str(name.get("family") or "")
    particle = name.get("non-dropping-particle")
    if particle:
        particle = str(particle)
        joint = "" if particle[-1] in _JOINING_PARTICLE_ENDS else " "
        family = f"{particle}{joint}{family}" if family else particle
    given = str(name.get("given") or "")
    dropping = name.get("dropping-particle")
    if dropping:
        given = f"{given} {dropping}" if given else str(dropping)
    suffix = name.get("suffix")
    if not family:
        return given
    if not given and not suffix:
        return family
    return f"{family}, {given}, {suffix}" if suffix else f"{family}, {given}"


# --- dates ------------------------------------------------------------------------------

# DA/PY/Y1: "YYYY/MM/DD/other", "YYYY", "YYYY-MM-DD", "APR 24" (WoS), "Mar 15" (EndNote)
_RIS_DATE = re.compile(r"^(-?\d{1,4})/(\d{0,2})/(\d{0,2})(?:/(.*))?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SEASON_NAMES = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}


def date_from_ris(text: str) -> list[int] | None:
    """Date parts with a year, or None."""
    text = text.strip()
    match = _RIS_DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        return parse_date_parts(text)
    parts = [int(match.group(1))]
    month = int(match.group(2)) if match.group(2) else 0
    day = int(match.group(3)) if match.group(3) else 0
    other = (match.group(4) or "").strip().lower() if match.re is _RIS_DATE else ""
    if 1 <= month <= 12:
        parts.append(month)
        if 1 <= day <= 31:
            parts.append(day)
    elif other in SEASONS:
        parts.append(SEASONS[other])
    return parts


def date_range_end(text: str) -> list[int] | None:
    """The end of a date range our writer puts in DA's last part: ``2019/12//2020-01``."""
    match = _RIS_DATE.match(text.strip())
    other = (match.group(4) or "").strip() if match else ""
    return parse_date_parts(other) if other[:1].isdigit() else None


def month_day_from_ris(text: str) -> list[int] | None:
    """``[month]`` or ``[month, day]`` from a yearless date such as ``APR 24`` or ``July``."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = next((MONTHS[w.lower()] for w in words if w.lower() in MONTHS), None)
    if month is None:
        season = next((SEASONS[w.lower()] for w in words if w.lower() in SEASONS), None)
        return [season] if season else None
    days = [int(w) for w in words if w.isdigit() and 1 <= int(w) <= 31]
    return [month, days[0]] if len(days) == 1 else [month]


def _int_parts(parts: Any) -> list[int]:
    try:
        return [int(p) for p in parts[:3]]
    except (TypeError, ValueError):
        return []


def date_to_ris(date: Any) -> str | None:
    """``YYYY/MM/DD/other`` (Zotero's form: empty parts stay empty). The free "other"
    part holds a season, or the end of a range as ``YYYY-MM-DD`` (readers that do not
    know it keep the start date)."""
    if not isinstance(date, dict):
        return str(date) if date else None
    parts = date.get("date-parts")
    first = _int_parts(parts[0]) if parts and isinstance(parts[0], list) else []
    if first:
        year = first[0]
        month = first[1] if len(first) > 1 else 0
        day = first[2] if len(first) > 2 else 0
        other = _SEASON_NAMES.get(month, "")
        season = date.get("season")
        if not other and season:
            number = str(season)
            other = _SEASON_NAMES.get(int(number) + 20, number) if number.isdigit() else number
        end = _int_parts(parts[1]) if len(parts) > 1 and isinstance(parts[1], list) else []
        if end and 1 <= end[0] <= 9999:
            other = "-".join([f"{end[0]:04d}", *(f"{p:02d}" for p in end[1:] if 1 <= p <= 31)])
        if not 1 <= month <= 12:
            month = day = 0
        y = f"{year:04d}" if year >= 0 else str(year)
        m = f"{month:02d}" if month else ""
        d = f"{day:02d}" if day else ""
        return f"{y}/{m}/{d}/{other}"
    literal = date.get("literal") or date.get("raw")
    return str(literal) if literal else None


def year_to_ris(date: Any) -> str | None:
    if isinstance(date, dict):
        parts = date.get("date-parts")
        if parts and parts[0]:
            try:
                year = int(parts[0][0])
            except (TypeError, ValueError):
                return None
            return f"{year:04d}" if year >= 0 else str(year)
    return None


# --- pages ------------------------------------------------------------------------------

_DASHES = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b"
_DASH_CLASS = re.escape(_DASHES)
_RANGE = re.compile(
    rf"^\s*([^\s,;{_DASH_CLASS}]+)\s*[{_DASH_CLASS}]+\s*([^\s,;{_DASH_CLASS}]+)\s*$"
)


def has_range(page: str) -> bool:
    return any(d in page for d in _DASHES) or "," in page


def split_pages(page: str) -> tuple[str, str]:
    match = _RANGE.match(page)
    if match:
        return match.group(1), match.group(2)
    return page, ""


# --- serial and accession numbers ------------------------------------------------------

_ISSN = re.compile(r"^\d{4}-?\d{3}[\dXx]$")


def serial_kind(value: str) -> str | None:
    label = value.upper()
    if "(ISSN)" in label:
        return "ISSN"
    if "(ISBN)" in label or label.startswith("ISBN"):
        return "ISBN"
    token = re.split(r"[\s;,(]", value.strip(), maxsplit=1)[0]
    if _ISSN.match(token):
        return "ISSN"
    digits = re.sub(r"[\s-]", "", token).upper()
    if (
        len(digits) in (10, 13)
        and digits[:-1].isdigit()
        and (digits[-1].isdigit() or digits[-1] == "X")
    ):
        return "ISBN"
    return None


def pmid_from_ris(value: str) -> str | None:
    text = value.strip()
    if text.lower().startswith("pmid:"):
        text = text[5:].strip()
    return text if text.isdigit() and len(text) <= 9 else None


# --- notes ------------------------------------------------------------------------------

_HTML_NOTE = re.compile(r"^\s*<p>|<br\s*/?>")


def note_from_ris(value: str) -> str:
    """A note as text: Zotero writes notes as HTML (``<p>a<br/>b</p>``)."""
    if not _HTML_NOTE.search(value):
        return value
    text = re.sub(r"<br\s*/?>", "\n", value)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(re.sub(r"</?p>", "", text)).strip()


def note_to_ris(note: str, clean: Any) -> str:
    """A note of one line as it is; of several as the HTML Zotero makes of (and exports
    for) a note with line breaks, so that it stays one note on one line."""
    lines = note.strip().splitlines()
    if len(lines) < 2:
        return clean(note)
    paragraphs = re.split(r"\n\s*\n", note.strip())
    return clean(
        "<p>"
        + "</p><p>".join(
            "<br/>".join(html.escape(line.strip(), quote=False) for line in p.splitlines())
            for p in paragraphs
        )
        + "</p>"
    )
