"""One PubMed record as either export describes it (:class:`Citation`), and the readers of
the values both exports write alike: ISO 639-2 language codes, names with initials
without periods, MEDLINE dates, ELocationID piis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..core.dates import MONTHS, SEASONS
from ..core.model import Name
from ..core.names import parse_family_first
from ..core.text import collapse_space


@dataclass
class Citation:
    """One PubMed record, as either export describes it, before it becomes CSL."""

    kind: str = "article"  # "article", "book" or "chapter"
    pmid: str | None = None
    title: str | None = None  # CSL rich text (XML) or plain text (MEDLINE)
    vernacular_title: str | None = None
    authors: list[Name] = field(default_factory=list)
    authors_complete: bool = True
    editors: list[Name] = field(default_factory=list)
    journal: str | None = None
    journal_abbreviation: str | None = None
    book_title: str | None = None
    collection_title: str | None = None
    issn: list[str] = field(default_factory=list)
    isbn: list[str] = field(default_factory=list)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    article_number: str | None = None  # an ELocationID pii used as the article's number
    edition: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    published: dict[str, Any] | None = None  # the journal issue's date, as CSL
    epublished: dict[str, Any] | None = None
    language: str | None = None
    publication_types: list[str] = field(default_factory=list)
    mesh: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    bookshelf_id: str | None = None
    status: str | None = None  # PubMed's publication status: ppublish, epublish, aheadofprint
    retraction_in: list[str] = field(default_factory=list)
    retraction_of: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # reported as warnings


# ISO 639-2 bibliographic codes PubMed uses → BCP 47 (what CSL "language" holds)
_LANGUAGES = {
    "afr": "af", "alb": "sq", "ara": "ar", "arm": "hy", "baq": "eu", "bel": "be", "ben": "bn",
    "bos": "bs", "bul": "bg", "cat": "ca", "chi": "zh", "cze": "cs", "dan": "da", "dut": "nl",
    "eng": "en", "epo": "eo", "est": "et", "fin": "fi", "fre": "fr", "geo": "ka", "ger": "de",
    "gla": "gd", "gle": "ga", "glg": "gl", "gre": "el", "heb": "he", "hin": "hi", "hrv": "hr",
    "hun": "hu", "ice": "is", "ind": "id", "ita": "it", "jpn": "ja", "kor": "ko", "lat": "la",
    "lav": "lv", "lit": "lt", "mac": "mk", "mal": "ml", "may": "ms", "mlt": "mt", "mon": "mn",
    "nep": "ne", "nor": "no", "per": "fa", "pol": "pl", "por": "pt", "pus": "ps", "rum": "ro",
    "rus": "ru", "san": "sa", "scr": "hr", "slo": "sk", "slv": "sl", "spa": "es", "srp": "sr",
    "swe": "sv", "tam": "ta", "tha": "th", "tur": "tr", "ukr": "uk", "urd": "ur", "vie": "vi",
    "wel": "cy", "yid": "yi",
}  # fmt: skip


def language_tag(code: str | None) -> str | None:
    """``eng`` → ``en``; ``und`` (undetermined) → None; unknown codes kept as written."""
    if not code:
        return None
    code = code.strip().lower()
    if not code or code == "und":
        return None
    return _LANGUAGES.get(code, code)


_INITIALS_ONLY = re.compile(r"^[A-Z]{1,3}$")


def given_name(text: str | None) -> str:
    """PubMed writes initials without periods: ``John A`` → ``John A.``, ``JA`` → ``J. A.``."""
    if not text:
        return ""
    words = text.split()
    if len(words) == 1 and _INITIALS_ONLY.match(words[0]) and len(words[0]) > 1:
        words = list(words[0])  # "JA": initials run together, as in AU lines
    return " ".join(
        f"{word}." if len(word) == 1 and word.isalpha() and word.isupper() else word
        for word in words
    )


# "V" is left out: in a PubMed ForeName it is far more often a middle initial
_SUFFIXES = frozenset("Jr Sr II III IV 2nd 3rd 4th".lower().split())


def person(family: str, given: str = "", suffix: str = "") -> Name:
    """A personal name from PubMed's parts, particles split the CSL way."""
    family = collapse_space(family)
    given = collapse_space(given)
    suffix = collapse_space(suffix).rstrip(".") if suffix else ""
    if not suffix:
        words = given.split()
        if len(words) > 1 and words[-1].lower().rstrip(".") in _SUFFIXES:
            suffix = words.pop().rstrip(".")
            given = " ".join(words)
    if suffix and suffix.lower() in ("jr", "sr"):
        suffix += "."
    return parse_family_first(family, given_name(given), suffix)


_MONTH_WORD = re.compile(r"[A-Za-z]+")


def _month(word: str) -> int | None:
    lower = word.lower()
    if lower in MONTHS:
        return MONTHS[lower]
    if lower in SEASONS:
        return SEASONS[lower]
    if word.isdigit() and 1 <= int(word) <= 12:
        return int(word)
    return None


def _date_side(text: str, year: int | None, month: int | None) -> list[int] | None:
    """One end of a MedlineDate (``1998 Dec``, ``Jan``, ``15``), filling in from the start."""
    parts = text.replace(",", " ").split()
    found_year = found_month = day = None
    for part in parts:
        if re.fullmatch(r"\d{4}", part):
            found_year = int(part)
        elif _MONTH_WORD.fullmatch(part) and _month(part):
            found_month = _month(part)
        elif re.fullmatch(r"\d{1,2}", part):
            day = int(part)
        else:
            return None
    if found_year is None:
        found_year = year
        if found_month is None:
            found_month = month
    if found_year is None:
        return None
    if day is not None and (found_month is None or found_month > 12 or not 1 <= day <= 31):
        return None
    date = [found_year]
    if found_month:
        date.append(found_month)
        if day:
            date.append(day)
    return date


def medline_date(text: str | None) -> dict[str, Any] | None:
    """``2019 Aug 21``, ``2010 Sep-Oct``, ``1998 Dec-1999 Jan``, ``2000 Spring``, ``1977-1978``.

    PubMed's ``DP`` field and XML ``<MedlineDate>`` → a CSL date (a range when
    the text is one). What cannot be read keeps its year and the text as
    ``literal`` rather than being dropped.
    """
    if not text or not text.strip():
        return None
    text = collapse_space(text)
    start_text, separator, end_text = _split_range(text)
    start = _date_side(start_text, None, None)
    if start is not None:
        if not separator:
            return {"date-parts": [start]}
        end = _date_side(end_text, start[0], start[1] if len(start) > 1 else None)
        if end is not None and end != start:
            return {"date-parts": [start, end]}
        if end is not None:
            return {"date-parts": [start]}
    year = re.search(r"(?<!\d)(\d{4})(?!\d)", text)
    if year:
        return {"date-parts": [[int(year.group(1))]], "literal": text}
    return {"literal": text}


def _split_range(text: str) -> tuple[str, str, str]:
    match = re.search(r"\s*([-/])\s*", text)
    if not match:
        return text, "", ""
    return text[: match.start()], match.group(1), text[match.end() :]


def date_from_parts(year: str | None, month: str | None, day: str | None) -> list[int] | None:
    """XML ``<Year>``/``<Month>``/``<Day>`` (month as ``Aug`` or ``08``) → date-parts."""
    if not year or not year.strip().isdigit():
        return None
    parts = [int(year)]
    month_number = _month(month.strip()) if month and month.strip() else None
    if month_number:
        parts.append(month_number)
        if day and day.strip().isdigit() and month_number <= 12 and 1 <= int(day) <= 31:
            parts.append(int(day))
    return parts


_MEDLINE_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def compact_date(text: str | None) -> dict[str, Any] | None:
    """MEDLINE's ``DEP - 20190821`` → a CSL date."""
    if not text:
        return None
    match = _MEDLINE_DAY.match(text.strip())
    if not match:
        return medline_date(text)
    parts = date_from_parts(match.group(1), match.group(2), match.group(3))
    return {"date-parts": [parts]} if parts else None


_ARTICLE_NUMBER = re.compile(r"^[A-Za-z]{0,3}\d{1,10}$")


def article_number_from_pii(pii: str | None) -> str | None:
    """An ELocationID pii that reads as an article number (``e0212345``, ``1234``)."""
    if pii and _ARTICLE_NUMBER.match(pii.strip()):
        return pii.strip()
    return None
