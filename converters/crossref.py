"""Crossref REST API works (``api.crossref.org/works``).

Accepted layouts: a single-work response (``{"message-type": "work", "message":
{...}}``); a list response (``{"message-type": "work-list", "message": {"items":
[...]}}``, as a search or a cursor page returns it); a Crossref public-data-file
part (``{"items": [...]}``); a bare work object or a JSON array of them (what
``jq '.message'`` or ``jq '.message.items'`` leave); JSON Lines of any of these;
and the CSL-JSON that ``doi.org`` content negotiation returns for a Crossref DOI
(``Accept: application/vnd.citationstyles.csl+json``). JSON Lines stream one
line at a time, so memory stays flat however long the input.

Crossref's CSL-JSON is read here rather than by the csl-json reader: it keeps
Crossref's own fields beside the CSL ones (``published-print``, ``ISSN`` as an
array, JATS markup in titles, ``license``, ``funder``, housekeeping dates such as
``indexed``), which a plain CSL-JSON reader would either keep raw in ``custom``
or drop.

Dates: ``issued`` is the print date when there is one (the date that goes with
the volume and issue, as Zotero does), otherwise Crossref's ``issued`` (the
earlier of print and online); an online date that differs from it becomes
``available-date``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TextIO

from .core import model
from .core.dates import normalise_date
from .core.diagnostics import Report
from .core.fields import (
    RecordError,
    json_kind,
    object_field,
    object_fields,
    text_field,
    text_fields,
)
from .core.identifiers import is_doi_link, normalise_doi
from .core.jsonrecords import json_records
from .core.model import CSL_TYPES, Item, Name, join_keywords
from .core.names import PARTICLES, parse_family_first, parse_given_first
from .core.numbering import expand_page_ranges
from .core.source_types import (
    CROSSREF,
    CROSSREF_POSTED_CONTENT,
    CUSTOM_SOURCE_TYPE,
    entry_type,
    fallback_type,
)
from .core.text import (
    clean_title,
    collapse_space,
    decode_entities,
    html_to_plain_text,
    html_to_rich_text,
)

NAME = "crossref"
ALIASES = ("crossref-json", "crossref-api")
EXTENSIONS = (".json", ".jsonl", ".ndjson")
DESCRIPTION = "Crossref works: API work/work-list responses, JSON Lines, Crossref CSL-JSON"
# JSON Lines may be cut before any line that starts with "{" and read on several cores
CHUNKABLE = True

# Keys only Crossref writes (hyphenated, unlike Semantic Scholar's camelCase and
# OpenAlex's snake_case; none of them is a CSL variable or an aggregator key).
_SNIFF_KEYS = re.compile(
    r'"(is-referenced-by-count|references-count|content-domain|short-container-title|'
    r"published-print|published-online|issn-type|isbn-type|update-policy|"
    r'update-to|updated-by|article-number|edition-number)"\s*:'
)
_ENVELOPE = re.compile(r'"message-type"\s*:\s*"work(?:-list)?"')
_SOURCE = re.compile(r'"source"\s*:\s*"Crossref"', re.IGNORECASE)


def sniff(head: str) -> float:
    text = head.lstrip()
    if not text.startswith(("{", "[")):
        return 0.0
    window = text[:32768]
    if _ENVELOPE.search(window):
        return 0.95
    keys = set(_SNIFF_KEYS.findall(window))
    if _SOURCE.search(window) and keys:
        return 0.9
    return 0.85 if len(keys) >= 2 else 0.0


ENVELOPES = (("message", "items"), ("items",))


# --- field access with type checks ---------------------------------------------------


def _text(work: dict[str, Any], key: str) -> str | None:
    """A text field, or the first of an array of texts (Crossref wraps many in arrays)."""
    return text_field(work, key, first_of_list=True)


def _plain(work: dict[str, Any], key: str) -> str | None:
    """A plain-text field (a name, a publisher, a place), its HTML entities decoded."""
    text = _text(work, key)
    return decode_entities(text) if text and "&" in text else text


def _date(work: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = work.get(key)
    if value is None:
        return None
    if not isinstance(value, dict | str | int):
        raise RecordError(f"field {key!r} must be a date object, not {json_kind(value)}")
    date = normalise_date(value)
    if not date or "date-parts" not in date:
        return date or None
    # Crossref's "date-time"/"timestamp" beside date-parts are not CSL
    return {k: v for k, v in date.items() if k in ("date-parts", "season", "circa", "literal")}


def _iso(date: dict[str, Any] | None) -> str | None:
    if not date or not date.get("date-parts"):
        return None
    return "-".join(
        f"{part:02d}" if i else str(part) for i, part in enumerate(date["date-parts"][0])
    )


# --- names ---------------------------------------------------------------------------

# a family name that starts with a particle is a person's ("van der Berg"), not an organisation
_PARTICLE_STARTS = tuple(f"{particle} " for particle in PARTICLES)


def _part(person: dict[str, Any], part: str, key: str, position: int) -> str:
    value = person.get(part)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{key} {position}: {part!r} must be text, not {json_kind(value)}")
    return collapse_space(decode_entities(value) if "&" in value else value)


def _names(work: dict[str, Any], key: str) -> list[Name]:
    names: list[Name] = []
    for position, person in enumerate(object_fields(work, key), 1):
        family = _part(person, "family", key, position)
        given = _part(person, "given", key, position)
        if family:
            if not given and " " in family and not family.startswith(_PARTICLE_STARTS):
                # Crossref's family-only organisation names ("Paderborn University")
                names.append({"literal": family})
                continue
            suffix = _part(person, "suffix", key, position) if "suffix" in person else ""
            names.append(parse_family_first(family, given, suffix))
            continue
        literal = _part(person, "name", key, position) or _part(person, "literal", key, position)
        if literal:
            names.append({"literal": literal})
        elif given:
            names.append(parse_given_first(given))
    return names


# --- types ---------------------------------------------------------------------------

_CHAPTER_LIKE = frozenset(("chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary"))


def csl_type(crossref_type: str | None, subtype: str | None, container: str | None = None) -> str:
    """A Crossref work type (:data:`~.core.source_types.CROSSREF`) → a CSL type.

    Types Crossref does not document fall back on the container: a work in one is
    an ``article-journal``, any other a ``document``.
    """
    if not crossref_type:
        return "document"
    if crossref_type == "posted-content":
        return CROSSREF_POSTED_CONTENT.get(subtype or "preprint", "article")
    if crossref_type == "reference-entry":
        return entry_type(container)
    if crossref_type in CSL_TYPES:  # Crossref's CSL-JSON answers in CSL types
        return crossref_type
    return CROSSREF.get(crossref_type) or fallback_type(container is not None)


# --- rich text -----------------------------------------------------------------------

_ABSTRACT_HEADING = re.compile(
    r"<(?:jats:)?title>\s*(?:abstract|summary|graphical abstract)\s*</(?:jats:)?title>",
    re.IGNORECASE,
)


def rich_title(raw: str) -> str:
    """A Crossref title (JATS, MathML, HTML entities) → CSL rich text."""
    return clean_title(raw)


def plain_abstract(raw: str) -> str:
    if "<" in raw:
        raw = _ABSTRACT_HEADING.sub("", raw, count=1)
    return html_to_plain_text(raw)


def _join_subtitle(title: str, subtitle: str) -> str:
    if subtitle.lower() in title.lower():
        return title
    if title.endswith((":", "?", "!", ".")):
        return f"{title} {subtitle}"
    return f"{title}: {subtitle}"


# --- one work ------------------------------------------------------------------------

# A work has at least one of these; Crossref's journal, member and funder objects
# (which /journals, /members and /funders list in the same envelope) have none.
_WORK_KEYS = frozenset("DOI type author editor container-title".split())
_RETRACTED_TITLE = re.compile(r"^\s*(?:RETRACTED ARTICLE|RETRACTED)\s*:")
_RETRACTION_TYPES = frozenset(("retraction", "withdrawal", "removal"))
_ISSN_ORDER = {"print": 0, "electronic": 1}


def _ordered_ids(values: list[str], typed: list[dict[str, Any]]) -> list[str]:
    """ISSNs/ISBNs with the print one first, as ``issn-type`` tells (it is optional)."""
    rank = {}
    for entry in typed:
        value, kind = entry.get("value"), entry.get("type")
        if isinstance(value, str) and isinstance(kind, str):
            rank[value.upper()] = _ISSN_ORDER.get(kind, 2)
    unique = list(dict.fromkeys(values))
    return sorted(unique, key=lambda v: rank.get(v.upper(), 2))


def _updates(work: dict[str, Any], key: str) -> list[dict[str, Any]]:
    updates = []
    for entry in object_fields(work, key):
        update: dict[str, Any] = {}
        for field in ("type", "DOI", "label", "source"):
            value = entry.get(field)
            if isinstance(value, str) and value.strip():
                update[field] = value.strip()
        date = _iso(_date(entry, "updated"))
        if date:
            update["date"] = date
        if update:
            updates.append(update)
    return updates


def work_to_item(
    work: dict[str, Any],
    report: Report | None = None,
    *,
    line: int | None = None,
    record: int | None = None,
) -> Item:
    """One Crossref work (REST API or Crossref's CSL-JSON) → a CSL-JSON item."""
    report = report or Report()
    pending: list[tuple[Any, str]] = []  # told only if the whole work converts

    def warn(message: str) -> None:
        pending.append((report.warning, message))

    def explain(message: str) -> None:
        pending.append((report.info, message))

    if not _WORK_KEYS & work.keys():
        keys = ", ".join(sorted(work)[:5]) or "none"
        raise RecordError(f"not a Crossref work (its keys: {keys})")
    item: Item = {}
    extra: dict[str, Any] = {}

    containers = [html_to_rich_text(t) for t in text_fields(work, "container-title")]
    crossref_type = _text(work, "type")
    kind = csl_type(crossref_type, _text(work, "subtype"), containers[-1] if containers else None)
    item["type"] = kind
    if crossref_type and crossref_type not in CROSSREF and crossref_type not in CSL_TYPES:
        extra[CUSTOM_SOURCE_TYPE] = crossref_type

    titles = text_fields(work, "title")
    if titles:
        title = titles[0]
        subtitle = _text(work, "subtitle")
        if subtitle:
            title = _join_subtitle(title, subtitle)
        item["title"] = rich_title(title)
        if len(titles) > 1:
            extra["other-titles"] = [rich_title(t) for t in titles[1:]]
    else:
        warn("work has no title")
    short_title = _text(work, "short-title") or _text(work, "title-short")
    if short_title:
        item["title-short"] = rich_title(short_title)
    original_title = _text(work, "original-title")
    if original_title:
        item["original-title"] = rich_title(original_title)

    for variable in ("author", "editor", "translator", "chair"):
        names = _names(work, variable)
        if names:
            item[variable] = names

    if containers:
        if kind == "book":
            item["collection-title"] = containers[0]  # a book's container is its series
        elif kind in _CHAPTER_LIKE and len(containers) > 1:
            # ["Lecture Notes in Computer Science", "Computer Vision – ECCV 2020"]
            item["collection-title"] = containers[0]
            item["container-title"] = containers[-1]
        else:
            item["container-title"] = containers[0]
    short = _text(work, "short-container-title") or _text(work, "container-title-short")
    short = short or _text(work, "journalAbbreviation")
    if short and short != item.get("container-title"):
        item["container-title-short"] = html_to_rich_text(short)
    collection = _plain(work, "collection-title")
    if collection and "collection-title" not in item:
        item["collection-title"] = collection

    for variable in ("volume", "issue", "collection-number", "edition", "number"):
        value = _text(work, variable)
        if value:
            item[variable] = value
    if "collection-title" in item and "volume" in item and "collection-number" not in item:
        # with the series taken from container-title, Crossref's volume is the
        # number in that series (LNCS 12346, ACS Symposium Series 1027)
        item["collection-number"] = item.pop("volume")
    edition = _text(work, "edition-number")
    if edition:
        item["edition"] = edition
    page = _text(work, "page")
    if page:
        item["page"] = expand_page_ranges(page)
    article_number = _text(work, "article-number")
    if article_number:
        item["number"] = article_number
        item.setdefault("page", article_number)

    issued = (
        _date(work, "published-print")
        or _date(work, "issued")
        or _date(work, "published-online")
        or _date(work, "published")
        or _date(work, "posted")
        or _date(work, "approved")
    )
    if issued:
        item["issued"] = issued
    online = _date(work, "published-online")
    if online and online != issued:
        item["available-date"] = online

    event = work.get("event")
    if isinstance(event, dict):
        event_name = _plain(event, "name")
        if event_name:
            item["event-title"] = event_name
        place = _plain(event, "location")
        if place:
            item["event-place"] = place
        start, end = _date(event, "start"), _date(event, "end")
        if start and "date-parts" in start:
            parts = start["date-parts"][:1]
            if end and "date-parts" in end and end["date-parts"][0] != parts[0]:
                parts = [*parts, end["date-parts"][0]]
            item["event-date"] = {"date-parts": parts}
    elif isinstance(event, str) and event.strip():
        item["event-title"] = collapse_space(decode_entities(event))  # CSL 1.0.1 "event"
    for variable in ("event-title", "event-place"):
        value = _plain(work, variable)
        if value and variable not in item:
            item[variable] = value

    publisher = _plain(work, "publisher")
    institutions = object_fields(work, "institution")
    institution = _plain(institutions[0], "name") if institutions else None
    if kind in ("thesis", "report", "article") and institution:
        # the degree-granting or issuing body, or a preprint's server ("bioRxiv")
        item["publisher"] = institution
        places = text_fields(institutions[0], "place")
        if places:
            item["publisher-place"] = ", ".join(places)
        if publisher and publisher != institution:
            extra["crossref-publisher"] = publisher
    elif publisher:
        item["publisher"] = publisher
    place = _plain(work, "publisher-location") or _plain(work, "publisher-place")
    if place and "publisher-place" not in item:
        item["publisher-place"] = place
    degree = _plain(work, "degree")
    if degree and kind == "thesis":
        item["genre"] = re.sub(r"\s*\([^)]*\)\s*$", "", degree)

    doi = normalise_doi(_text(work, "DOI"))
    if doi:
        item["DOI"] = doi
    elif work.get("DOI"):
        warn(f"DOI {work['DOI']!r} is not a DOI; kept in custom")
        extra["doi-unparsed"] = work["DOI"]
    resource = object_field(object_field(work, "resource"), "primary")
    for url in (_text(resource, "URL"), _text(work, "URL")):
        if url and url.startswith(("http://", "https://")) and not is_doi_link(url, doi):
            item["URL"] = url
            break

    issns = _ordered_ids(text_fields(work, "ISSN"), object_fields(work, "issn-type"))
    if issns:
        item["ISSN"] = ", ".join(issns)
    isbns = _ordered_ids(text_fields(work, "ISBN"), object_fields(work, "isbn-type"))
    if isbns:
        item["ISBN"] = ", ".join(isbns)

    language = _text(work, "language")
    if language:
        item["language"] = language
    abstract = _text(work, "abstract")
    if abstract:
        raw = work["abstract"]
        item["abstract"] = plain_abstract(raw if isinstance(raw, str) else abstract)
    subjects = [decode_entities(s) for s in text_fields(work, "subject")]
    keywords = _plain(work, "keyword")
    if subjects or keywords:
        item["keyword"] = join_keywords([*subjects, *([keywords] if keywords else [])])
    note = _plain(work, "note")
    if note:
        item["note"] = note

    _licenses_and_funders(work, extra)
    _links(work, extra)
    count = work.get("is-referenced-by-count")
    if isinstance(count, int) and not isinstance(count, bool):
        extra[model.CUSTOM_CITATION_COUNT] = count
    group = _plain(work, "group-title")
    if group:
        extra["group-title"] = group

    updates = _updates(work, "update-to")
    if updates:
        extra["updates"] = updates
        for update in updates:
            if update.get("type") in _RETRACTION_TYPES:
                explain(f"this work is a {update['type']} notice for {update.get('DOI', '?')}")
    updated_by = _updates(work, "updated-by")
    if updated_by:
        extra["updated-by"] = updated_by
    retraction = next((u for u in updated_by if u.get("type") in _RETRACTION_TYPES), None)
    if retraction is not None or (titles and _RETRACTED_TITLE.match(titles[0])):
        item["status"] = (
            "withdrawn" if retraction and retraction["type"] == "withdrawal" else "retracted"
        )
        notice = f" (notice {retraction['DOI']})" if retraction and retraction.get("DOI") else ""
        explain(f"{doi or 'the work'} is retracted{notice}")
    elif "status" in work and _text(work, "status"):
        item["status"] = _text(work, "status")

    if isinstance(work.get("id"), str | int) and str(work["id"]).strip():
        item["id"] = str(work["id"]).strip()  # Crossref's CSL-JSON may carry one
    if extra:
        item["custom"] = extra
    for tell, message in pending:
        tell(message, line=line, record=record)
    return item


def _licenses_and_funders(work: dict[str, Any], extra: dict[str, Any]) -> None:
    licenses = []
    for entry in object_fields(work, "license"):
        license_: dict[str, Any] = {}
        url = _text(entry, "URL")
        if url:
            license_["URL"] = url
        start = _iso(_date(entry, "start"))
        if start:
            license_["start"] = start
        for field in ("content-version", "delay-in-days"):
            value = entry.get(field)
            if value is not None and value != "":
                license_[field] = value
        if license_:
            licenses.append(license_)
    if licenses:
        extra["license"] = licenses
    funders = []
    for entry in object_fields(work, "funder"):
        funder: dict[str, Any] = {}
        name = _text(entry, "name")
        if name:
            funder["name"] = name
        funder_doi = _text(entry, "DOI")
        if funder_doi:
            funder["DOI"] = funder_doi
        awards = text_fields(entry, "award")
        if awards:
            funder["award"] = list(dict.fromkeys(awards))
        if funder:
            funders.append(funder)
    if funders:
        extra["funder"] = funders


def _links(work: dict[str, Any], extra: dict[str, Any]) -> None:
    """The first PDF link meant for readers (not the similarity-checking copy)."""
    for link in object_fields(work, "link"):
        if (
            link.get("content-type") == "application/pdf"
            and link.get("intended-application") != "similarity-checking"
            and isinstance(link.get("URL"), str)
        ):
            extra[model.CUSTOM_FULLTEXT_URL] = link["URL"]
            return


# --- responses -----------------------------------------------------------------------


def _works(value: Any, report: Report, line: int | None, record: int) -> list[Any] | None:
    """The works an API response holds, or None when it is not a response (a bare work)."""
    if not isinstance(value, dict) or "message" not in value or "DOI" in value:
        return None
    status = value.get("status")
    message = value.get("message")
    message_type = value.get("message-type")
    if status not in (None, "ok"):
        problems = message if isinstance(message, list) else [message]
        texts = [
            str(p.get("message") or p.get("type")) if isinstance(p, dict) else str(p)
            for p in problems
        ]
        report.error(
            f"the input is a Crossref API error ({status}): {'; '.join(texts)}",
            line=line,
            record=record,
        )
        return []
    if message_type not in (None, "work", "work-list"):
        report.error(
            f"the input is a Crossref '{message_type}' response, not works",
            line=line,
            record=record,
        )
        return []
    if isinstance(message, dict) and isinstance(message.get("items"), list):
        return message["items"]
    return [message]


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    offset = 0  # works an envelope holds beyond the one record json_records counted
    for entry in json_records(stream, report, ENVELOPES):
        index = entry.index + offset
        works = _works(entry.value, report, entry.line, index)
        if works is None:
            works = [entry.value]
        offset += max(0, len(works) - 1)
        for position, work in enumerate(works):
            number = index + position
            if not isinstance(work, dict):
                report.error(
                    f"expected a Crossref work object, got {json_kind(work)}",
                    line=entry.line,
                    record=number,
                )
                continue
            try:
                yield work_to_item(work, report, line=entry.line, record=number)
            except RecordError as error:
                report.error(str(error), line=entry.line, record=number)
