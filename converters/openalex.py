"""OpenAlex works.

Accepted layouts: one work (``/works/W2741809807``); a list response
(``{"meta": {...}, "results": [...]}``), also several pages of them written one
after another; JSON Lines of works or of list responses; and the lines of the
works snapshot (``works/updated_date=.../part_000.gz``). JSON Lines stream one
line at a time, so memory stays flat however long the input (gzip is handled
for every format by the pipeline). Works from older snapshots, with
``host_venue`` instead of ``primary_location``, are read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TextIO

from .core import model
from .core.dates import date_variable
from .core.diagnostics import Report
from .core.fields import RecordError, json_kind, list_field, object_field, text_field
from .core.identifiers import is_doi_link, normalise_doi, normalise_pmid, pmcid_from_text
from .core.jsonrecords import PAPER_RECORD_KEY, json_records, lone_surrogate_error
from .core.model import Item, join_keywords
from .core.names import parse_name
from .core.numbering import page_range
from .core.source_types import CROSSREF, CUSTOM_SOURCE_TYPE, OPENALEX, entry_type, fallback_type
from .core.text import (
    clean_title,
    collapse_space,
    decode_entities,
    html_to_plain_text,
    html_to_rich_text,
)

NAME = "openalex"
ALIASES = ("open-alex",)
EXTENSIONS = (".json", ".jsonl", ".ndjson")
DESCRIPTION = "OpenAlex works: object, results lists, JSON Lines, snapshot lines"
# Input may be cut before any line starting with "{" and the pieces read apart (JSON
# Lines, and documents written one after another): snapshot files use every core.
CHUNKABLE = True

# Keys only OpenAlex *works* have (authors, sources and institutions share
# display_name and cited_by_count with them, Crossref and CSL-JSON share none).
_SNIFF = re.compile(
    r'"(authorships|primary_location|abstract_inverted_index|publication_year|'
    r"referenced_works|related_works|type_crossref|best_oa_location|biblio|is_paratext|"
    r'locations_count|host_venue|counts_by_year)"\s*:'
)
_WORK_ID = re.compile(r'"id"\s*:\s*"https://openalex\.org/W\d+"')


def sniff(head: str) -> float:
    text = head.lstrip()
    if not text.startswith(("{", "[")):
        return 0.0
    window = text[:16384]
    hits = set(_SNIFF.findall(window))
    work_id = _WORK_ID.search(window) is not None
    if not hits and not work_id:
        return 0.0
    if PAPER_RECORD_KEY.search(window):
        return 0.2
    return 0.95 if work_id or len(hits) >= 2 else 0.65


ENVELOPES = (("results",),)

_API_ERROR_KEYS = frozenset({"error", "message"})
_WORK_KEYS = frozenset(
    "id doi title display_name authorships publication_year publication_date ids "
    "primary_location biblio host_venue".split()
)
_ABSTRACT_HEADING = frozenset({"Abstract", "ABSTRACT", "Summary", "SUMMARY"})

CUSTOM_OPENALEX_ID = "openalex-id"


def _last_segment(url: str | None) -> str | None:
    """``https://pubmed.ncbi.nlm.nih.gov/29456894`` → ``29456894``."""
    if not url:
        return None
    return url.rstrip("/").rsplit("/", 1)[-1] or None


def rebuild_abstract(index: Any) -> str | None:
    """An ``abstract_inverted_index`` (``{"word": [positions]}``) → the abstract's text.

    Also takes the Microsoft Academic form ``{"IndexLength": n, "InvertedIndex": {...}}``
    and the index serialised as a JSON string, as some snapshot tools write it.
    """
    if index is None:
        return None
    if isinstance(index, str):
        import json

        try:
            index = json.loads(index)
        except (ValueError, RecursionError):
            raise RecordError("abstract_inverted_index is text that is not JSON") from None
        problem = lone_surrogate_error(index)
        if problem:
            raise RecordError(f"abstract_inverted_index: {problem}")
    if isinstance(index, dict) and isinstance(index.get("InvertedIndex"), dict):
        index = index["InvertedIndex"]
    if not isinstance(index, dict):
        raise RecordError(f"abstract_inverted_index must be an object, not {json_kind(index)}")
    at: dict[int, str] = {}
    setdefault = at.setdefault
    for word, positions in index.items():
        if type(positions) is not list:
            raise RecordError(
                f"abstract_inverted_index: positions of {word!r} must be an array, "
                f"not {json_kind(positions)}"
            )
        for position in positions:
            if type(position) is not int or position < 0:
                raise RecordError(
                    f"abstract_inverted_index: position {position!r} of {word!r} is not a "
                    "whole number"
                )
            setdefault(position, word)  # a position given twice keeps its first word
    if not at:
        return None
    text = " ".join(at[position] for position in sorted(at))
    return html_to_plain_text(text) if "<" in text or "&" in text else collapse_space(text)


# sources whose name is not used as the work's container
_NOT_CONTAINERS = (None, "repository", "ebook platform")


def csl_type(work_type: str | None, crossref_type: str | None, source_type: str | None) -> str:
    """OpenAlex's ``type`` (refined by ``type_crossref`` and the source's type) → CSL type.

    Older snapshots put Crossref's types in ``type``; types neither vocabulary
    documents fall back on the container (``article-journal`` in a journal).
    """
    kind = (work_type or "").lower()
    crossref = (crossref_type or "").lower()
    if kind in ("article", "journal-article", ""):
        if crossref == "proceedings-article" or source_type == "conference":
            return "paper-conference"
        if crossref == "posted-content":
            return "article"
        if not kind:
            kind = crossref
    return (
        OPENALEX.get(kind)
        or CROSSREF.get(kind)
        or fallback_type(source_type not in _NOT_CONTAINERS)
    )


def work_to_item(
    work: dict[str, Any],
    report: Report | None = None,
    *,
    line: int | None = None,
    record: int | None = None,
) -> Item:
    """One OpenAlex work object → a CSL-JSON item without ``id``."""
    report = report or Report()

    def warn(message: str) -> None:
        report.warning(message, line=line, record=record)

    def info(message: str) -> None:
        report.info(message, line=line, record=record)

    if not _WORK_KEYS & work.keys():
        if work.keys() and work.keys() <= _API_ERROR_KEYS:
            message = work.get("message") or work.get("error")
            raise RecordError(f"the input is an API error response, not works: {message}")
        keys = ", ".join(sorted(work)[:5]) or "none"
        raise RecordError(f"not an OpenAlex work (its keys: {keys})")
    work_id = _last_segment(text_field(work, "id"))
    if work_id and work_id[0] in _ENTITY and work_id[1:].isdigit():
        raise RecordError(f"{work_id} is an OpenAlex {_ENTITY[work_id[0]]}, not a work")

    item: Item = {}
    extra: dict[str, Any] = {}

    title = text_field(work, "title") or text_field(work, "display_name")
    if title:
        item["title"] = clean_title(title)
    else:
        warn("work has no title")

    names: list[model.Name] = []
    authorships = list_field(work, "authorships")
    for position, authorship in enumerate(authorships, 1):
        if not isinstance(authorship, dict):
            raise RecordError(
                f"authorship {position} must be an object, not {json_kind(authorship)}"
            )
        author = object_field(authorship, "author")
        raw = text_field(author, "display_name") or text_field(authorship, "raw_author_name")
        if not raw:
            warn(f"author {position} has no name; left out")
            continue
        name = parse_name(decode_entities(raw) if "&" in raw else raw)
        if name:
            names.append(name)
    if names:
        item["author"] = names
    if work.get("is_authors_truncated") is True:
        extra[model.CUSTOM_AUTHORS_TRUNCATED] = True
        warn(
            f"OpenAlex lists only the first {len(authorships)} authors in list responses; "
            "fetch the work by its id for all of them"
        )

    location = object_field(work, "primary_location")
    source = object_field(location, "source")
    legacy = object_field(work, "host_venue")  # snapshots before 2023
    source_name = text_field(source, "display_name") or text_field(legacy, "display_name")
    source_type_text = text_field(source, "type") or text_field(legacy, "type")
    source_type = source_type_text.lower() if source_type_text else None
    publisher = text_field(source, "host_organization_name") or text_field(legacy, "publisher")

    biblio = object_field(work, "biblio")
    volume = text_field(biblio, "volume")
    issue = text_field(biblio, "issue")
    pages = page_range(text_field(biblio, "first_page"), text_field(biblio, "last_page"))

    work_type = text_field(work, "type")
    item["type"] = csl_type(work_type, text_field(work, "type_crossref"), source_type)
    if work_type and work_type.lower() not in OPENALEX and work_type.lower() not in CROSSREF:
        info(f"work type {work_type!r} not known; typed as {item['type']}")
        extra[CUSTOM_SOURCE_TYPE] = work_type
    if item["type"] == "entry-encyclopedia":
        item["type"] = entry_type(source_name)

    if source_name:
        if source_type == "book series":
            item["collection-title"] = source_name
            if volume:
                item["collection-number"] = volume
                volume = None
        elif source_type == "repository":
            # arXiv, PubMed Central, a university's repository: where it was published, not a
            # journal; a thesis names the university that runs the repository
            if item["type"] == "thesis":
                publisher = publisher or source_name
            elif item["type"] in ("article", "report", "dataset", "document"):
                publisher = source_name
            else:
                info(f"source {source_name!r} is a repository; not used as the container")
        elif source_type == "ebook platform":
            info(f"source {source_name!r} is an ebook platform; not used as the container")
        else:
            item["container-title"] = html_to_rich_text(source_name)
    if volume:
        item["volume"] = volume
    if issue:
        item["issue"] = issue
    if pages:
        item["page"] = pages
    if publisher:
        item["publisher"] = decode_entities(publisher)

    issued = date_variable(text_field(work, "publication_date")) or date_variable(
        text_field(work, "publication_year")
    )
    if issued:
        item["issued"] = issued

    ids = object_field(work, "ids")
    doi_text = text_field(work, "doi") or text_field(ids, "doi")
    doi = normalise_doi(doi_text)
    if doi:
        item["DOI"] = doi
    elif doi_text:
        warn(f"doi {doi_text!r} is not a DOI; kept in custom")
        extra["doi-unparsed"] = doi_text
    pmid = normalise_pmid(_last_segment(text_field(ids, "pmid")))
    if pmid:
        item["PMID"] = pmid
    pmcid = pmcid_from_text(_last_segment(text_field(ids, "pmcid")))
    if pmcid:
        item["PMCID"] = pmcid
    issns = [str(i) for i in list_field(source, "issn") or list_field(legacy, "issn") if i]
    issn = (
        ", ".join(dict.fromkeys(issns))
        or text_field(source, "issn_l")
        or text_field(legacy, "issn_l")
    )
    if issn:
        item["ISSN"] = issn
    landing = text_field(location, "landing_page_url") or text_field(legacy, "url")
    if landing and not doi and not is_doi_link(landing, doi):
        item["URL"] = landing

    language = text_field(work, "language")
    if language:
        item["language"] = language

    abstract = rebuild_abstract(work.get("abstract_inverted_index"))
    if abstract:
        first, _, rest = abstract.partition(" ")
        if first in _ABSTRACT_HEADING and rest[:1].isupper():
            info(f"the heading {first!r} at the start of the abstract left out")
            abstract = rest
        item["abstract"] = abstract

    keywords: list[str] = []
    for entry in list_field(work, "keywords"):
        word = entry
        if isinstance(entry, dict):
            word = entry.get("display_name") or entry.get("keyword")
        if isinstance(word, str) and word.strip():
            keywords.append(decode_entities(word.strip()) if "&" in word else word.strip())
    for entry in list_field(work, "mesh"):
        word = entry.get("descriptor_name") if isinstance(entry, dict) else None
        if isinstance(word, str) and word.strip():
            keywords.append(decode_entities(word.strip()) if "&" in word else word.strip())
    if keywords:
        item["keyword"] = join_keywords(keywords)

    if work.get("is_retracted") is True:
        item["status"] = "retracted"
        info("OpenAlex marks the work as retracted")

    open_access = object_field(work, "open_access")
    best = object_field(work, "best_oa_location")
    fulltext = text_field(best, "pdf_url") or text_field(location, "pdf_url")
    oa_url = text_field(open_access, "oa_url")
    if not fulltext and oa_url and not is_doi_link(oa_url, doi):
        fulltext = oa_url  # the DOI's own landing page is no full-text link
    if fulltext:
        extra[model.CUSTOM_FULLTEXT_URL] = fulltext
    is_oa = open_access.get("is_oa")
    if isinstance(is_oa, bool):
        extra[model.CUSTOM_OPEN_ACCESS] = is_oa
    license_ = text_field(location, "license") or text_field(best, "license")
    if license_:
        extra["license"] = license_
    count = work.get("cited_by_count")
    if count is not None:
        extra[model.CUSTOM_CITATION_COUNT] = count
    if work_id:
        extra[CUSTOM_OPENALEX_ID] = work_id
    mag = text_field(ids, "mag")
    if mag:
        extra["mag-id"] = mag
    if extra:
        item["custom"] = extra
    return item


_ENTITY = {
    "A": "author",
    "S": "source",
    "I": "institution",
    "P": "publisher",
    "F": "funder",
    "C": "concept",
    "T": "topic",
}


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    for entry in json_records(stream, report, ENVELOPES):
        value = entry.value
        if not isinstance(value, dict):
            report.error(
                f"expected a work object, got {json_kind(value)}",
                line=entry.line,
                record=entry.index,
            )
            continue
        try:
            yield work_to_item(value, report, line=entry.line, record=entry.index)
        except RecordError as error:
            report.error(str(error), line=entry.line, record=entry.index)
