"""Merging records that describe the same work (``--dedupe``).

Two records are the same work when their DOIs match (ignoring case); when
either has no DOI, when their normalised title, year and first author's family
name match. Records with two different DOIs are never merged, whatever their
titles say (a preprint and its published version are different items).

The first record of a work is kept, completed with what the later ones know
and it does not (the longest author list, the most precise date, the longer
text), and each merge is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .diagnostics import Report
from .keys import ascii_fold
from .model import DATE_VARIABLES, NAME_VARIABLES, Item, first_year
from .text import strip_rich_text

_NOT_WORD = re.compile(r"[\W_]+")


def title_key(item: Item) -> tuple[str, int | None, str] | None:
    """(normalised title, year, first author's family name), or None without a title."""
    title = _NOT_WORD.sub(" ", strip_rich_text(str(item.get("title") or "")).casefold()).strip()
    if not title:
        return None
    names = item.get("author") or item.get("editor") or []
    first = names[0] if names and isinstance(names[0], dict) else {}
    family = ascii_fold(str(first.get("family") or first.get("literal") or "")).lower()
    return title, first_year(item), family


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
    return isinstance(value, str) and isinstance(current, str) and len(value) > len(current)


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
    by_title: dict[tuple[str, int | None, str], Item] = {}
    for index, item in enumerate(items, 1):
        doi = str(item.get("DOI") or "").strip().lower() or None
        match, reason = None, ""
        if doi and doi in by_doi:
            match, reason = by_doi[doi], f"same DOI {item['DOI']}"
        else:
            key = title_key(item)
            candidate = by_title.get(key) if key else None
            if candidate is not None and not (doi and candidate.get("DOI")):
                match, reason = candidate, "same title, year and first author"
        if match is None:
            kept.append(item)
            if doi:
                by_doi[doi] = item
            key = title_key(item)
            if key:
                by_title.setdefault(key, item)
            continue
        taken = merge_into(match, item)
        if doi and doi not in by_doi:
            by_doi[doi] = match
        report.tally.merged += 1
        title = strip_rich_text(str(match.get("title") or match.get("id") or "untitled"))
        short = title if len(title) <= 60 else title[:57] + "..."
        detail = f"; took {', '.join(taken)}" if taken else ""
        report.note(f"merged a duplicate of {short!r} ({reason}){detail}", record=index)
    return kept
