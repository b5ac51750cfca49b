"""The one internal model: CSL-JSON items (CSL 1.0.2 data schema) as plain dicts.

Readers produce items, writers consume them. An item is a ``dict`` whose keys
are CSL variables (``type``, ``id``, ``title``, ``author``, ``issued``, ...).
Data with no CSL variable goes into the item's ``custom`` object under the
keys named here, so every reader and writer agrees on where it lives.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Item = dict[str, Any]
Name = dict[str, str]

NAME_VARIABLES = (
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "executive-producer",
    "guest",
    "host",
    "illustrator",
    "interviewer",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
)
DATE_VARIABLES = (
    "issued",
    "accessed",
    "available-date",
    "event-date",
    "original-date",
    "submitted",
)

CSL_TYPES = frozenset(
    "article article-journal article-magazine article-newspaper bill book broadcast "
    "chapter classic collection dataset document entry entry-dictionary "
    "entry-encyclopedia event figure graphic hearing interview legal_case legislation "
    "manuscript map motion_picture musical_score pamphlet paper-conference patent "
    "performance periodical personal_communication post post-weblog regulation report "
    "review review-book software song speech standard thesis treaty webpage ".split()
)

# Keys of ``item["custom"]`` shared between converters.
CUSTOM_FULLTEXT_URL = "fulltext-url"  # a link to the full text (PDF); RIS L1
CUSTOM_CITATION_COUNT = "citation-count"
CUSTOM_IMPACT_FACTOR = "impact-factor"
CUSTOM_JCR_QUARTILE = "jcr-quartile"
CUSTOM_JCR_CATEGORY = "jcr-category"
CUSTOM_JOURNAL_DESCRIPTION = "journal-description"
CUSTOM_SOURCE_PLATFORM = "source-platform"
CUSTOM_TITLE_CN = "title-cn"
CUSTOM_ABSTRACT_CN = "abstract-cn"
CUSTOM_OPEN_ACCESS = "open-access"
CUSTOM_AUTHORS_TRUNCATED = "authors-truncated"  # the source list ended in "et al." / "等"
CUSTOM_SOURCE_FIELDS = "source-fields"  # fields of the source record no variable holds
CUSTOM_ARXIV_ID = "arxiv"  # arXiv identifier ("2303.08774", "hep-th/9901001"); BibTeX eprint

# The order in which CSL-JSON is written: identity first, then what a reader
# looks for, in the order a citation prints it; anything else alphabetically
# after these, and ``custom`` last.
VARIABLE_ORDER = (
    "id",
    "type",
    "citation-key",
    "title",
    "title-short",
    "original-title",
    *NAME_VARIABLES,
    "container-title",
    "container-title-short",
    "collection-title",
    "collection-number",
    "volume",
    "issue",
    "page",
    "number",
    "edition",
    "chapter-number",
    "section",
    "genre",
    "medium",
    "issued",
    "available-date",
    "original-date",
    "event-date",
    "submitted",
    "accessed",
    "publisher",
    "publisher-place",
    "event-title",
    "event-place",
    "DOI",
    "ISBN",
    "ISSN",
    "PMID",
    "PMCID",
    "URL",
    "language",
    "abstract",
    "keyword",
    "note",
)


class _Ranks(dict):
    """CSL variable → sort key; unknown variables sort alphabetically after the known."""

    def __missing__(self, key: str) -> tuple[int, str]:
        return (len(VARIABLE_ORDER), key)


_RANKS = _Ranks({key: (i, key) for i, key in enumerate(VARIABLE_ORDER)})
_RANKS["custom"] = (len(VARIABLE_ORDER) + 1, "custom")
# Sort key giving the stable written order of CSL variables.
variable_rank = _RANKS.__getitem__


def ordered(item: Item) -> Item:
    """A copy of ``item`` with its variables in the stable written order.

    Name parts keep the order readers build them in (family, given, particles,
    suffix), which is already the written order.
    """
    return {key: item[key] for key in sorted(item, key=variable_rank)}


def join_keywords(words: Iterable[str]) -> str:
    """CSL's single ``keyword`` string: ``", "`` between keywords, as Zotero writes it, or
    ``"; "`` when a keyword itself holds a comma (MeSH's "Carcinoma, Hepatocellular");
    duplicates dropped."""
    unique = list(dict.fromkeys(w.strip() for w in words if w and w.strip()))
    separator = "; " if any("," in w for w in unique) else ", "
    return separator.join(unique)


def split_keywords(value: Any) -> list[str]:
    """The keywords in a ``keyword`` value: split on ``;`` if it has one, else on ``,``."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value or "")
    separator = ";" if ";" in text else ","
    return [word.strip() for word in text.split(separator) if word.strip()]


def custom(item: Item) -> dict[str, Any]:
    """The item's ``custom`` object, created on first use."""
    value = item.get("custom")
    if not isinstance(value, dict):
        value = item["custom"] = {}
    return value


def first_year(item: Item) -> int | None:
    """The year of ``issued`` when it has one."""
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if parts and parts[0]:
            try:
                return int(parts[0][0])
            except (TypeError, ValueError):
                return None
    return None
