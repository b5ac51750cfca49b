"""PubMed records: EFetch XML (``<PubmedArticleSet>``) and MEDLINE text (``.nbib``).

Both exports of the same database, read by one format: PubMed XML as
``efetch.fcgi?db=pubmed&retmode=xml`` returns it (journal articles and NCBI
Bookshelf books and chapters, with the ``<!DOCTYPE>`` line, which is tolerated
but never fetched), and the MEDLINE display format that PubMed's "Save →
Format: PubMed" and "Send to → Citation manager" (``.nbib``) write (``PMID- ``,
``TI  - ``, ``FAU - `` ...). Each parser turns a record into a :class:`Citation`;
one mapping (:func:`citation_to_item`) turns that into CSL, so the same article
gives the same item from either export.

Both stream: XML is parsed incrementally and each article is discarded once
converted; MEDLINE text is read record by record. Memory stays flat however
large a baseline or update file is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from .core import model
from .core.dates import MONTHS
from .core.diagnostics import Report
from .core.fields import RecordError
from .core.model import Item, Name, join_keywords
from .core.names import parse_family_first
from .core.numbering import expand_page_ranges
from .core.source_types import CUSTOM_SOURCE_TYPE, PUBMED, fallback_type, match_types
from .core.text import clean_title, collapse_space, strip_rich_text

NAME = "pubmed"
ALIASES = ("medline", "nbib", "pubmed-xml", "efetch")
EXTENSIONS = (".xml", ".nbib", ".medline", ".txt")
DESCRIPTION = "PubMed records: EFetch XML (PubmedArticleSet) and MEDLINE/.nbib text"

_XML_ROOT = re.compile(r"<(?:!DOCTYPE\s+)?(?:PubmedArticleSet|PubmedArticle|PubmedBookArticle)\b")
_MEDLINE_PMID = re.compile(r"^PMID- ?\d+", re.MULTILINE)
_MEDLINE_TAGS = re.compile(r"^(FAU|JT|TA|DP|SO|OWN|STAT|LID|AID|PST|MH|PG) ?- ", re.MULTILINE)


def sniff(head: str) -> float:
    text = head.lstrip("\ufeff \t\r\n")
    window = text[:8192]
    if text.startswith("<"):
        return 0.95 if _XML_ROOT.search(window) else 0.0
    if _MEDLINE_PMID.search(window):
        return 0.95
    return 0.6 if len(set(_MEDLINE_TAGS.findall(window))) >= 3 else 0.0


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


# --- shared field clean-up -------------------------------------------------------------

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
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}


def _month(word: str) -> int | None:
    lower = word.lower()
    if lower in MONTHS:
        return MONTHS[lower]
    if lower in _SEASONS:
        return _SEASONS[lower]
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


# --- publication types → CSL --------------------------------------------------------------

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


# --- Citation → CSL ---------------------------------------------------------------------

_BRACKETED_TITLE = re.compile(r"^\[(?P<title>.+)\](?P<end>[.?!]?)$", re.DOTALL)
_ABSTRACT_PARAGRAPHS = re.compile(r"(?<=[.?!]) (?=[A-Z][A-Z ,&/'-]{2,40}: )")

CUSTOM_PUBLICATION_TYPES = "publication-types"
CUSTOM_RETRACTION = "retraction"


def _title(raw: str) -> str:
    """A PubMed title as CSL rich text; NLM's brackets around translated titles removed.

    MEDLINE encloses an English title translated from another language in
    brackets (``[Treatment of ...].``); the original-language title is kept
    separately (``original-title``).
    """
    if "math" in raw:  # before the bracket test: a formula may hold brackets
        from .core.mathml import flatten_mathml

        raw = flatten_mathml(raw)
    match = _BRACKETED_TITLE.match(raw.strip())
    if match and "[" not in strip_rich_text(match.group("title")):
        raw = match.group("title")
    return clean_title(raw)


def split_abstract_paragraphs(text: str) -> str:
    """MEDLINE's one-line structured abstract → one paragraph per ``LABEL:`` section."""
    return _ABSTRACT_PARAGRAPHS.sub("\n\n", text)


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


# --- reading ------------------------------------------------------------------------------


_HEAD_CHARS = 8192
_LEADING_SPACE = "\ufeff \t\r\n"


# XML is read in blocks (lxml bounds each text node itself) and may be one line of
# hundreds of megabytes: no bound on line length for this reader (see pipeline.InputLimits)
LONG_LINES = True


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    """Items from PubMed XML or MEDLINE text, whichever the input is."""
    # read a block, not a line: an XML file may be one line of hundreds of megabytes
    skipped = 0
    head = ""
    while True:
        block = stream.read(_HEAD_CHARS)
        if not block:
            return
        head = block.lstrip(_LEADING_SPACE)
        skipped += block[: len(block) - len(head)].count("\n")
        if head:
            break
    if head.startswith("<"):
        from ._pubmed_xml import citations
    else:
        from ._medline import citations
    for citation, line, record in citations(head, skipped + 1, stream, report):
        try:
            yield citation_to_item(citation, report, line=line, record=record)
        except RecordError as error:
            report.error(str(error), line=line, record=record)
