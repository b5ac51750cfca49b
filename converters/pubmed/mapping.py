"""A PubMed :class:`~.record.Citation` → a CSL-JSON item: one mapping for both exports,
so the same article gives the same item from either."""

from __future__ import annotations

import re
from typing import Any

from ..core import model
from ..core.diagnostics import Report
from ..core.fields import RecordError
from ..core.model import Item, join_keywords
from ..core.numbering import expand_page_ranges
from ..core.source_types import CUSTOM_SOURCE_TYPE, PUBMED, fallback_type, match_types
from ..core.text import clean_title, strip_rich_text
from .record import Citation

_RETRACTED = "retracted publication"
_RETRACTION_NOTICE = "retraction of publication"


def csl_type(citation: Citation) -> str:
    """The CSL type of a record: a Bookshelf book or chapter, else what its publication
    types name (:data:`~.core.source_types.PUBMED`), else a journal's article."""
    if citation.kind == "book":
        return "book"
    if citation.kind == "chapter":
        return "chapter"
    match = match_types(citation.publication_types, PUBMED)
    return match.csl or fallback_type(bool(citation.journal))


_BRACKETED_TITLE = re.compile(r"^\[(?P<title>.+)\](?P<end>[.?!]?)$", re.DOTALL)

CUSTOM_PUBLICATION_TYPES = "publication-types"
CUSTOM_RETRACTION = "retraction"


def _title(raw: str) -> str:
    """A PubMed title as CSL rich text; NLM's brackets around translated titles removed.

    MEDLINE encloses an English title translated from another language in
    brackets (``[Treatment of ...].``); the original-language title is kept
    separately (``original-title``).
    """
    if "math" in raw:  # before the bracket test: a formula may hold brackets
        from ..core.mathml import flatten_mathml

        raw = flatten_mathml(raw)
    match = _BRACKETED_TITLE.match(raw.strip())
    if match and "[" not in strip_rich_text(match.group("title")):
        raw = match.group("title")
    return clean_title(raw)


def citation_to_item(citation: Citation, report: Report, *, line: int | None, record: int) -> Item:
    """One PubMed record → a CSL-JSON item without ``id``."""
    if not (citation.title or citation.book_title or citation.pmid):
        raise RecordError("record has neither a PMID nor a title")
    for problem in citation.problems:
        report.warning(problem, line=line, record=record)
    item: Item = {"type": csl_type(citation)}
    extra: dict[str, Any] = {}

    book = citation.kind == "book"
    title = (citation.book_title or citation.title) if book else citation.title
    vernacular = _title(citation.vernacular_title) if citation.vernacular_title else None
    if title:
        item["title"] = _title(title)
        if vernacular:
            item["original-title"] = vernacular
    elif vernacular:
        item["title"] = vernacular  # no English title: the original-language one
    else:
        report.warning(f"PMID {citation.pmid} has no title", line=line, record=record)

    if citation.authors:
        item["author"] = citation.authors
    if not citation.authors_complete:
        extra[model.CUSTOM_AUTHORS_TRUNCATED] = True
    if citation.editors:
        item["editor"] = citation.editors

    if citation.kind == "chapter" and citation.book_title:
        item["container-title"] = _title(citation.book_title)
    elif citation.journal:
        item["container-title"] = citation.journal
    if citation.journal_abbreviation and citation.journal_abbreviation != item.get(
        "container-title"
    ):
        item["container-title-short"] = citation.journal_abbreviation
    if citation.collection_title:
        item["collection-title"] = citation.collection_title
    if citation.volume:
        item["volume"] = citation.volume
    if citation.issue:
        item["issue"] = citation.issue
    if citation.pages:
        item["page"] = expand_page_ranges(citation.pages)
    if citation.article_number:
        item["number"] = citation.article_number
        item.setdefault("page", citation.article_number)
    if citation.edition:
        item["edition"] = citation.edition

    issued = citation.published or citation.epublished
    if issued:
        item["issued"] = issued
    if citation.epublished and citation.epublished != issued:
        item["available-date"] = citation.epublished
    if citation.publisher:
        item["publisher"] = citation.publisher
    if citation.publisher_place:
        item["publisher-place"] = citation.publisher_place

    if citation.doi:
        item["DOI"] = citation.doi
    if citation.isbn:
        item["ISBN"] = ", ".join(dict.fromkeys(citation.isbn))
    if citation.issn:
        item["ISSN"] = ", ".join(dict.fromkeys(citation.issn))
    if citation.pmid:
        item["PMID"] = citation.pmid
    if citation.pmcid:
        item["PMCID"] = citation.pmcid
    if citation.bookshelf_id:
        item["URL"] = f"https://www.ncbi.nlm.nih.gov/books/{citation.bookshelf_id}/"
    if citation.language:
        item["language"] = citation.language
    if citation.abstract:
        item["abstract"] = citation.abstract
    keywords = list(dict.fromkeys(k for k in (*citation.mesh, *citation.keywords) if k))
    if keywords:
        item["keyword"] = join_keywords(keywords)

    types = [t for t in citation.publication_types if t]
    if types:
        extra[CUSTOM_PUBLICATION_TYPES] = types
        unknown = [t for t in types if t not in PUBMED]
        if unknown:
            extra[CUSTOM_SOURCE_TYPE] = ", ".join(unknown)
    lowered = {t.lower() for t in types}
    if _RETRACTED in lowered or citation.retraction_in:
        item["status"] = "retracted"
        if citation.retraction_in:
            extra[CUSTOM_RETRACTION] = citation.retraction_in
        notice = f" (retraction in: {citation.retraction_in[0]})" if citation.retraction_in else ""
        report.info(f"PMID {citation.pmid} is retracted{notice}", line=line, record=record)
    elif citation.status == "aheadofprint" and not citation.volume:
        item["status"] = "advance online publication"
    if _RETRACTION_NOTICE in lowered or citation.retraction_of:
        if citation.retraction_of:
            extra["retraction-of"] = citation.retraction_of
        report.info(f"PMID {citation.pmid} is a retraction notice", line=line, record=record)
    if extra:
        item["custom"] = extra
    return item
