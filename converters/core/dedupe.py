"""Merging records that describe the same work (``--dedupe``), only on evidence.

Two records are the same work when

* their DOIs match (ignoring case and a ``https://doi.org/`` or ``doi:`` prefix); or,
  when they do not both have a DOI,
* their titles are the same exactly (case and symbols count: ``+5 V`` is not
  ``−5 V``, ``NMR of CO`` is not ``NMR of Co``; only markup and runs of white space
  are ignored), their years are the same, their creators are the same (family
  names and first initials, in order), and none of container title, volume,
  issue, pages or edition conflicts (both given and different).

Records with two different DOIs are never merged, whatever their titles say (a
preprint and its published version are different items), and a notice (an
erratum, correction, retraction or expression of concern) is never merged with
an article, even under the article's own title.

The first record of a work is kept, completed with what the later ones know
and it does not (the longest author list, the most precise date, the longer
text), and each merge is reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from .diagnostics import Report
from .keys import ascii_fold
from .model import DATE_VARIABLES, NAME_VARIABLES, Item, first_year
from .text import strip_rich_text

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_DASHES = re.compile(r"\s*[-‐‑‒–—―−]+\s*")
# titles of notices about another article (not "RETRACTED: ...", the retracted article itself)
_NOTICE_TITLE = re.compile(
    r"^\W*(?:(?:author|publisher|editor)(?:'?s)?\s+)?(?:correction|corrigend(?:um|a)|"
    r"errat(?:um|a)|retraction(?:\s+(?:note|notice))?|notice\s+of\s+retraction|"
    r"expression\s+of\s+concern|addendum|withdrawal\s+notice)\b",
    re.IGNORECASE,
)
_NOTICE_KINDS = frozenset(
    (
        "correction",
        "corrigendum",
        "erratum",
        "published erratum",
        "retraction",
        "retraction of publication",
        "retraction notice",
        "expression of concern",
        "addendum",
        "withdrawal",
    )
)
# variables that, given differently in two records, show they are different works
_CONFLICTING = ("container-title", "volume", "issue", "edition")


def normalised_doi(item: Item) -> str | None:
    doi = _DOI_PREFIX.sub("", str(item.get("DOI") or "").strip()).strip().lower()
    return doi or None


def exact_title(item: Item) -> str | None:
    """The title as written, without markup and with white space runs as one space."""
    title = strip_rich_text(str(item.get("title") or ""))
    title = _SPACE.sub(" ", unicodedata.normalize("NFC", title)).strip()
    return title or None


def _creator(name: Any) -> tuple[str, str]:
    if not isinstance(name, dict):
        return ascii_fold(str(name)).lower(), ""
    if name.get("family"):
        given = ascii_fold(str(name.get("given") or "")).lower()
        return ascii_fold(str(name["family"])).lower(), given[:1]
    return ascii_fold(str(name.get("literal") or "")).lower(), ""


def creators(item: Item) -> tuple[tuple[str, str], ...]:
    """Family names and first initials of the authors (the editors when there are none)."""
    names = item.get("author") or item.get("editor") or []
    if not isinstance(names, list):
        return ()
    return tuple(_creator(name) for name in names)


def is_notice(item: Item) -> bool:
    """Is the record an erratum, correction, retraction or similar notice about another work?"""
    custom = item.get("custom")
    if isinstance(custom, dict):
        if custom.get("updates") or custom.get("retraction-of"):
            return True  # Crossref's update-to, PubMed's "retraction of"
        kinds = custom.get("publication-types")
        if isinstance(kinds, list) and any(str(k).lower() in _NOTICE_KINDS for k in kinds):
            return True
    if str(item.get("genre") or "").strip().lower() in _NOTICE_KINDS:
        return True
    return bool(_NOTICE_TITLE.match(str(item.get("title") or "")))


def _plain(value: Any) -> str:
    return _SPACE.sub(" ", strip_rich_text(str(value))).strip().casefold()


def _pages(value: Any) -> tuple[str, str]:
    first, _, last = _DASHES.sub("-", str(value).strip()).partition("-")
    return first.strip().lower(), last.strip().lower()


def conflict(one: Item, other: Item) -> str | None:
    """The first variable both records give with different values, if any."""
    for variable in _CONFLICTING:
        a, b = one.get(variable), other.get(variable)
        if a not in (None, "") and b not in (None, "") and _plain(a) != _plain(b):
            return variable
    a, b = one.get("page"), other.get("page")
    if a not in (None, "") and b not in (None, ""):
        (first_a, last_a), (first_b, last_b) = _pages(a), _pages(b)
        # "123" and "123-130" agree; "123-130" and "123-131" do not
        if first_a != first_b or (last_a and last_b and last_a != last_b):
            return "page"
    return None


def same_work_without_doi(one: Item, other: Item) -> bool:
    """Exact title (checked by the caller), same year and creators, nothing conflicting."""
    year = first_year(one)
    return (
        year is not None
        and year == first_year(other)
        and creators(one) == creators(other)
        and is_notice(one) == is_notice(other)
        and conflict(one, other) is None
    )


def _precision(date: Any) -> int:
    if isinstance(date, dict) and date.get("date-parts"):
        return sum(len(part) for part in date["date-parts"])
    return 0


def _better(key: str, value: Any, current: Any) -> bool:
    """Is ``value`` more complete than the ``current`` value of variable ``key``?"""
    if current in (None, "", [], {}):
        return True
    if key in NAME_VARIABLES and isinstance(value, list) and isinstance(current, list):
        return len(value) > len(current)
    if key in DATE_VARIABLES:
        return _precision(value) > _precision(current)
    if not (isinstance(value, str) and isinstance(current, str)):
        return False
    # the same text but for white space is not more complete
    return len(value) > len(current) and _SPACE.sub(" ", value) != _SPACE.sub(" ", current)


def merge_into(base: Item, other: Item) -> list[str]:
    """Complete ``base`` with what ``other`` knows better; returns the variables taken."""
    taken = []
    for key, value in other.items():
        if key == "id" or value in (None, "", [], {}):
            continue
        current = base.get(key)
        if key == "custom" and isinstance(current, dict) and isinstance(value, dict):
            added = {k: v for k, v in value.items() if k not in current}
            if added:
                current.update(added)
                taken.append("custom")
        elif _better(key, value, current):
            base[key] = value
            taken.append(key)
    return taken


def dedupe(items: Iterable[Item], report: Report) -> list[Item]:
    """The items with duplicates merged into their first occurrence (this buffers all items)."""
    kept: list[Item] = []
    by_doi: dict[str, Item] = {}
    by_title: dict[str, list[Item]] = {}  # several different works may share a title
    for index, item in enumerate(items, 1):
        doi = normalised_doi(item)
        title = exact_title(item)
        match, reason = None, ""
        if doi and doi in by_doi and is_notice(item) == is_notice(by_doi[doi]):
            match, reason = by_doi[doi], f"same DOI {item['DOI']}"
        elif title:
            for candidate in by_title.get(title, ()):
                if doi and normalised_doi(candidate):
                    continue  # two DOIs, and not the same one: two works
                if same_work_without_doi(candidate, item):
                    match, reason = candidate, "same title, year and creators, nothing conflicting"
                    break
        if match is None:
            kept.append(item)
            if doi:
                by_doi.setdefault(doi, item)
            if title:
                by_title.setdefault(title, []).append(item)
            continue
        taken = merge_into(match, item)
        if doi:
            by_doi.setdefault(doi, match)
        report.tally.merged += 1
        shown = strip_rich_text(str(match.get("title") or match.get("id") or "untitled"))
        short = shown if len(shown) <= 60 else shown[:57] + "..."
        detail = f"; took {', '.join(taken)}" if taken else ""
        report.note(f"merged a duplicate of {short!r} ({reason}){detail}", record=index)
    return kept
