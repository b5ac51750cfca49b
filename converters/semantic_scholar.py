"""Semantic Scholar Graph API paper objects.

Accepted layouts: one paper object (``/graph/v1/paper/{id}``); a search, bulk
search or author-papers response (``{"total": ..., "data": [...]}``); a batch
response (a JSON array, ``null`` for ids Semantic Scholar does not know); a
recommendations response (``{"recommendedPapers": [...]}``); citations and
references responses (``{"data": [{"citingPaper": {...}}]}``); JSON Lines of
any of these; and the lines of the bulk ``papers`` dataset, whose keys are
lower-case (``externalids``, ``publicationdate``, ``citationcount``...).
JSON Lines stream one line at a time, so memory stays flat however long the
input (gzip is handled for every format by the pipeline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TextIO

from .core import model
from .core.dates import date_variable
from .core.diagnostics import Report
from .core.fields import RecordError, json_kind, list_field, object_field, text_field
from .core.identifiers import normalise_doi, normalise_pmid, pmcid_from_text
from .core.jsonrecords import PAPER_RECORD_KEY, json_records
from .core.model import Item, join_keywords
from .core.names import parse_name
from .core.numbering import normalise_pages, split_volume
from .core.source_types import CUSTOM_SOURCE_TYPE, SEMANTIC_SCHOLAR, fallback_type, match_types
from .core.text import (
    clean_title,
    collapse_space,
    decode_entities,
    html_to_plain_text,
    html_to_rich_text,
)

NAME = "semantic-scholar"
ALIASES = ("s2", "semanticscholar")
EXTENSIONS = (".json", ".jsonl", ".ndjson")
DESCRIPTION = "Semantic Scholar Graph API papers: object, search/batch responses, JSON Lines"
# Input may be cut before any line starting with "{" and the pieces read apart (JSON
# Lines, and documents written one after another): large bulk files use every core.
CHUNKABLE = True

# Keys only Semantic Scholar papers and responses have: not Crossref, OpenAlex,
# CSL-JSON, nor the aggregator paper records (which are built from S2 data but
# rename these). The lower-case ones are the bulk dataset's spelling.
_SNIFF = re.compile(
    r'"(paperId|externalIds|corpusId|authorId|s2FieldsOfStudy|publicationVenue|'
    r"influentialCitationCount|referenceCount|citingPaper|citedPaper|recommendedPapers|"
    r'corpusid|externalids|s2fieldsofstudy|publicationvenueid|influentialcitationcount)"\s*:'
)


def sniff(head: str) -> float:
    text = head.lstrip()
    if not text.startswith(("{", "[")):
        return 0.0
    window = text[:16384]
    hits = set(_SNIFF.findall(window))
    if not hits:
        return 0.0
    if PAPER_RECORD_KEY.search(window):
        return 0.2
    return 0.9 if len(hits) >= 2 else 0.7


ENVELOPES = (("data",), ("recommendedPapers",))

# the publicationTypes S2 gives arXiv-only papers (DBLP lists CoRR as a journal)
_PREPRINT_TYPES = frozenset(("JournalArticle", "Review", "Study"))
# The titles Elsevier ("RETRACTED: ...") and Springer ("RETRACTED ARTICLE: ...") give a
# retracted article itself (retraction *notices* are titled "Retraction note"/"Retracted:").
_RETRACTED_TITLE = re.compile(r"^(?:RETRACTED ARTICLE|RETRACTED)\s*:")
_ARXIV_VOLUME = re.compile(r"^abs/", re.IGNORECASE)
_API_ERROR_KEYS = frozenset({"error", "message", "code"})
_PAPER_KEYS = frozenset(
    "paperId title authors externalIds corpusId url venue journal year publicationDate "
    "abstract".split()
)

CUSTOM_PAPER_ID = "s2-paper-id"
CUSTOM_CORPUS_ID = "s2-corpus-id"


# The bulk dataset's lower-case spelling of the API's camelCase fields.
_BULK_KEYS = {
    name.lower(): name
    for name in (
        "paperId corpusId externalIds publicationTypes publicationDate citationCount "
        "referenceCount influentialCitationCount isOpenAccess openAccessPdf fieldsOfStudy "
        "s2FieldsOfStudy publicationVenue publicationVenueId"
    ).split()
}


def _count(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def _names(authors: list[Any]) -> tuple[list[model.Name], list[str]]:
    """``[{"authorId": "1", "name": "Ludwig van Beethoven"}]`` → CSL names (and problems)."""
    names: list[model.Name] = []
    problems: list[str] = []
    for position, author in enumerate(authors, 1):
        if isinstance(author, dict):
            raw = author.get("name")
        elif isinstance(author, str):
            raw = author
        else:
            raise RecordError(f"author {position} must be an object, not {json_kind(author)}")
        if raw is not None and not isinstance(raw, str):
            raise RecordError(f"author {position}: name must be text, not {json_kind(raw)}")
        text = collapse_space(decode_entities(raw) if "&" in raw else raw) if raw else ""
        if not text:
            problems.append(f"author {position} has no name; left out")
            continue
        name = parse_name(text)
        if name:
            names.append(name)
    return names, problems


def csl_type(
    publication_types: list[Any], venue_type: str | None, has_container: bool, preprint: bool
) -> str:
    """Semantic Scholar's publicationTypes (and the venue's type) → one CSL type."""
    types = [t if type(t) is str else str(t) for t in publication_types]
    if preprint and _PREPRINT_TYPES.issuperset(types):
        return "article"
    csl = match_types(types, SEMANTIC_SCHOLAR).csl
    if csl == "paper-conference" and venue_type == "journal":
        return "article-journal"  # the venue, a journal, outweighs S2's "Conference"
    if csl is not None:
        return csl
    if venue_type == "conference":
        return "paper-conference"
    if preprint:
        return "article"
    return fallback_type(has_container)


def paper_to_item(
    paper: dict[str, Any],
    report: Report | None = None,
    *,
    line: int | None = None,
    record: int | None = None,
) -> Item:
    """One Semantic Scholar paper object → a CSL-JSON item without ``id``."""
    report = report or Report()

    def note(message: str) -> None:
        report.warning(message, line=line, record=record)

    for wrapper in ("citingPaper", "citedPaper"):
        if isinstance(paper.get(wrapper), dict):
            paper = paper[wrapper]
            break
    if not _BULK_KEYS.keys().isdisjoint(paper):
        paper = {_BULK_KEYS.get(key, key): value for key, value in paper.items()}
    if not _PAPER_KEYS & paper.keys():
        if paper.keys() and paper.keys() <= _API_ERROR_KEYS:
            message = paper.get("error") or paper.get("message") or paper.get("code")
            raise RecordError(f"the input is an API error response, not papers: {message}")
        keys = ", ".join(sorted(paper)[:5]) or "none"
        raise RecordError(f"not a Semantic Scholar paper (its keys: {keys})")

    item: Item = {}
    extra: dict[str, Any] = {}

    title = text_field(paper, "title")
    if title:
        item["title"] = clean_title(title)
        if _RETRACTED_TITLE.match(title):
            item["status"] = "retracted"
            report.info("the title marks the paper as retracted", line=line, record=record)
    else:
        note("paper has no title")

    names, problems = _names(list_field(paper, "authors"))
    for problem in problems:
        note(problem)
    if names:
        item["author"] = names

    ids = object_field(paper, "externalIds")
    arxiv = text_field(ids, "ArXiv")
    journal = object_field(paper, "journal")
    venue = object_field(paper, "publicationVenue")
    journal_name = text_field(journal, "name")
    on_arxiv_only = journal_name is not None and journal_name.lower() == "arxiv"
    container = None if on_arxiv_only else journal_name
    if container is None:
        venue_name = text_field(venue, "name") or text_field(paper, "venue")
        if venue_name and venue_name.lower() not in ("arxiv", "arxiv.org"):
            container = venue_name
    if container:
        item["container-title"] = html_to_rich_text(container)
    preprint = container is None and (on_arxiv_only or arxiv is not None)

    volume_text = text_field(journal, "volume")
    pages = text_field(journal, "pages")
    if volume_text and _ARXIV_VOLUME.match(volume_text):
        volume_text = None  # "abs/2303.08774": arXiv's listing, not a volume
    if volume_text:
        volume, issue = split_volume(volume_text)
        if volume == "PP":
            # IEEE's placeholder for early access ("PP", issue "99", pages "1-1")
            report.info(
                "volume 'PP' is IEEE's early-access placeholder; volume, issue and "
                "placeholder pages left out",
                line=line,
                record=record,
            )
            volume = issue = None
            if pages and normalise_pages(pages) in ("1-1", "1"):
                pages = None
            item["status"] = item.get("status") or "advance online publication"
        if volume:
            item["volume"] = volume
        if issue:
            item["issue"] = issue
    if pages:
        item["page"] = normalise_pages(pages)

    issued = date_variable(text_field(paper, "publicationDate"))
    if issued is None:
        year = text_field(paper, "year")
        issued = date_variable(year)
    if issued:
        item["issued"] = issued

    doi_text = text_field(ids, "DOI")
    doi = normalise_doi(doi_text)
    if doi:
        item["DOI"] = doi
    elif doi_text:
        note(f"externalIds.DOI {doi_text!r} is not a DOI; kept in custom")
        extra["doi-unparsed"] = doi_text
    pmid_text = text_field(ids, "PubMed")
    if pmid_text:
        pmid = normalise_pmid(pmid_text)
        if pmid:
            item["PMID"] = pmid
        else:
            note(f"externalIds.PubMed {pmid_text!r} is not a PMID; left out")
    pmcid = pmcid_from_text(text_field(ids, "PubMedCentral"))
    if pmcid:
        item["PMCID"] = pmcid
    if arxiv:
        extra[model.CUSTOM_ARXIV_ID] = arxiv
        if preprint:
            item["publisher"] = "arXiv"
            item["number"] = f"arXiv:{arxiv}"
    issn = text_field(venue, "issn")
    if issn:
        item["ISSN"] = issn

    url = text_field(paper, "url")
    if arxiv and "DOI" not in item:
        item["URL"] = f"https://arxiv.org/abs/{arxiv}"
    elif url and "DOI" not in item:
        item["URL"] = url

    abstract = paper.get("abstract")
    if abstract is not None and not isinstance(abstract, str):
        raise RecordError(f"field 'abstract' must be text, not {json_kind(abstract)}")
    if abstract and abstract.strip():
        item["abstract"] = html_to_plain_text(abstract)

    keywords: list[str] = []
    for field in list_field(paper, "fieldsOfStudy"):
        if isinstance(field, str) and field.strip():
            keywords.append(field.strip())
    for field in list_field(paper, "s2FieldsOfStudy"):
        category = field.get("category") if isinstance(field, dict) else None
        if isinstance(category, str) and category.strip():
            keywords.append(category.strip())
    if keywords:
        item["keyword"] = join_keywords(keywords)

    publication_types = list_field(paper, "publicationTypes")
    unknown = [str(t) for t in publication_types if str(t) not in SEMANTIC_SCHOLAR]
    if unknown:
        report.info(
            f"publication type {', '.join(unknown)} not known; typed from the others",
            line=line,
            record=record,
        )
        extra[CUSTOM_SOURCE_TYPE] = ", ".join(unknown)
    venue_type = text_field(venue, "type")
    item["type"] = csl_type(
        publication_types,
        venue_type.lower() if venue_type else None,
        "container-title" in item,
        preprint,
    )

    pdf = object_field(paper, "openAccessPdf")
    pdf_url = text_field(pdf, "url")
    if pdf_url:
        extra[model.CUSTOM_FULLTEXT_URL] = pdf_url
    license_ = text_field(pdf, "license")
    if license_:
        extra["license"] = license_
    is_open = paper.get("isOpenAccess")
    if isinstance(is_open, bool):
        extra[model.CUSTOM_OPEN_ACCESS] = is_open
    for source, key in (
        ("citationCount", model.CUSTOM_CITATION_COUNT),
        ("influentialCitationCount", "influential-citation-count"),
        ("referenceCount", "reference-count"),
    ):
        value = paper.get(source)
        if value is not None:
            extra[key] = _count(value)
    tldr = object_field(paper, "tldr")
    tldr_text = text_field(tldr, "text")
    if tldr_text:
        extra["tldr"] = tldr_text

    paper_id = text_field(paper, "paperId")
    if paper_id:
        extra[CUSTOM_PAPER_ID] = paper_id
    corpus_id = text_field(paper, "corpusId") or text_field(ids, "CorpusId")
    if corpus_id:
        extra[CUSTOM_CORPUS_ID] = _count(corpus_id)
    for source, key in (("MAG", "mag-id"), ("DBLP", "dblp-key"), ("ACL", "acl-id")):
        value = text_field(ids, source)
        if value:
            extra[key] = value
    if extra:
        item["custom"] = extra
    return item


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    for entry in json_records(stream, report, ENVELOPES):
        value = entry.value
        if value is None:
            report.error(
                "null instead of a paper (the batch API returns null for ids it does not know)",
                line=entry.line,
                record=entry.index,
            )
            continue
        if not isinstance(value, dict):
            report.error(
                f"expected a paper object, got {json_kind(value)}",
                line=entry.line,
                record=entry.index,
            )
            continue
        try:
            yield paper_to_item(value, report, line=entry.line, record=entry.index)
        except RecordError as error:
            report.error(str(error), line=entry.line, record=entry.index)
