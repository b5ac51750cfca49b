"""Volume, issue and page numbers as sources write them → CSL ``volume``/``issue``/``page``.

Shared by the readers whose sources pack volume and issue into one string
(aggregator paper records and Semantic Scholar write ``"92 5"``) or write page
ranges with dashes of every kind.
"""

from __future__ import annotations

import re

from .patterns import lazy_pattern
from .text import collapse_space

_VOLUME_ISSUE = lazy_pattern(
    r"^\s*(?:vol\.?\s*)?(?P<volume>[^\s(),:]+)\s*(?:[,:]?\s*(?:no\.?\s*|issue\s*)?"
    r"(?:\((?P<paren>[^)]*)\)|(?P<issue>\S.*?)))?\s*$",
    re.IGNORECASE,
)
_PAGE_RANGE = lazy_pattern(
    r"^\s*([A-Za-z]*\d+[A-Za-z]*)\s*[-‐‑‒–—−~]+\s*([A-Za-z]*\d+[A-Za-z]*)\s*$"
)


# supplements, parts and special issues, as PubMed and the aggregators abbreviate them
_SUPPLEMENT = lazy_pattern(
    r"^(?:suppl?(?:ement)?|pt|part|spec(?:ial)?|sp|iss(?:ue)?|no)\b\.?", re.IGNORECASE
)


def split_volume(text: str) -> tuple[str | None, str | None]:
    """A volume string with its issue → (volume, issue).

    ``"25 1"``, ``"25(1)"``, ``"Vol. 12, No. 3"`` and ``"25 (Suppl 2)"`` hold an issue;
    a supplement, part or special issue after the volume belongs to the volume
    (``"25 Suppl 2"``, ``"12 Pt 2"``, ``"Suppl 3"``, ``"Spec No"``: volume only,
    its number kept), while one after an issue number stays with the issue
    (``"25 3 Suppl 1"`` → ``25``, ``3 Suppl 1``).
    """
    text = collapse_space(text)
    if not text:
        return None, None
    match = _VOLUME_ISSUE.match(text)
    if not match:
        return text, None
    volume = match.group("volume")
    if match.group("paren"):
        return volume, collapse_space(match.group("paren")) or None
    issue = match.group("issue")
    if not issue:
        return volume, None
    if issue.isdigit() and volume[0].isdigit():  # "92 5": the usual case
        return volume, issue
    if _SUPPLEMENT.match(volume) or _SUPPLEMENT.match(issue):
        return text[match.start("volume") :], None
    return volume, collapse_space(issue)


def normalise_pages(text: str) -> str:
    """``123–130`` / ``123 - 130`` → ``123-130``; ``398 - 398`` → ``398``; article numbers
    (``e1003``) unchanged."""
    text = collapse_space(text)
    match = _PAGE_RANGE.match(text)
    if not match:
        return text
    first, last = match.groups()
    return first if first == last else f"{first}-{last}"


def page_range(first: str | None, last: str | None) -> str | None:
    """A first and a last page (either may be missing) → ``first-last`` or one page."""
    first = collapse_space(first) if first else ""
    last = collapse_space(last) if last else ""
    if first and last and first != last:
        return f"{first}-{last}"
    return first or last or None


_RANGE_IN_TEXT = lazy_pattern(
    r"(?<![\w])(?P<prefix>[A-Za-z]{0,3})(?P<first>\d+)\s*[-‐‑‒–—−]+\s*"
    r"(?P<prefix2>[A-Za-z]{0,3})(?P<last>\d+)(?![\w])"
)


def expand_page_ranges(text: str) -> str:
    """PubMed-style abbreviated ranges written out: ``739-48`` → ``739-748``.

    Every range in the text is expanded (``1-10; discussion 11-2`` →
    ``1-10; discussion 11-12``), a letter prefix is carried over (``S12-5`` →
    ``S12-S15``) and dashes become hyphens. A range whose expanded end would
    still come before its start (``99-1``) is left as written.
    """
    text = collapse_space(text)
    if not any(ch.isdigit() for ch in text):
        return text
    return _RANGE_IN_TEXT.sub(_expanded, text)


def _expanded(match: re.Match[str]) -> str:
    prefix, first = match.group("prefix"), match.group("first")
    prefix2, last = match.group("prefix2"), match.group("last")
    if prefix2 and prefix2 != prefix:
        return f"{prefix}{first}-{prefix2}{last}"
    if len(last) < len(first):
        full = first[: len(first) - len(last)] + last
        if int(full) >= int(first):
            last = full
    return f"{prefix}{first}-{prefix}{last}"
