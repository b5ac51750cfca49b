"""PubMed XML (``<PubmedArticleSet>``, as EFetch and the baseline files write it) → Citations.

Parsed incrementally with lxml: text is fed in chunks, each ``<PubmedArticle>``
is converted as soon as it ends and then removed from the tree, so memory stays
flat on a 30,000-article baseline file. Parsing is safe for untrusted input: the
DTD named by the ``<!DOCTYPE>`` line is never loaded, entities are never resolved
and nothing is fetched from the network.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any, TextIO

from ..core.dates import SEASONS
from ..core.diagnostics import Report
from ..core.fields import RecordError
from ..core.identifiers import normalise_doi, pmcid_from_text
from ..core.mathml import flatten_mathml
from ..core.model import Name
from ..core.numbering import page_range
from ..core.text import collapse_space, html_to_plain_text
from .record import (
    Citation,
    article_number_from_pii,
    date_from_parts,
    language_tag,
    medline_date,
    person,
)

CHUNK = 1 << 16
_ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
_ROOTS = {
    "PubmedArticleSet": _ARTICLE_TAGS,
    "PubmedArticle": _ARTICLE_TAGS,
    "PubmedBookArticle": _ARTICLE_TAGS,
    "PubmedBookArticleSet": _ARTICLE_TAGS,
    "MedlineCitationSet": ("MedlineCitation", "DeleteCitation"),  # the pre-2012 layout
}
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.DOTALL | re.IGNORECASE
)
_FIRST_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")
_NAME_PARTS = frozenset(
    ("LastName", "ForeName", "FirstName", "Initials", "Suffix", "CollectiveName")
)


def root_name(text: str) -> str | None:
    """The name of the document element, found after the XML declaration and DOCTYPE."""
    pos = 0
    while True:
        match = _PROLOG.match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
    match = _FIRST_TAG.match(text, pos)
    return match.group(1) if match else None


def citations(
    first: str, first_line: int, stream: TextIO, report: Report
) -> Iterator[tuple[Citation, int | None, int]]:
    """(citation, line, record) for every article of the XML document."""
    from lxml import etree

    head = first + stream.read(CHUNK)
    root = root_name(head)
    if root not in _ROOTS and root != "eFetchResult":
        found = f"<{root}>" if root else "no element"
        report.error(
            f"not PubMed XML: the document element is {found} (expected <PubmedArticleSet>)",
            line=first_line,
        )
        return
    offset = first_line - 1
    tags = _ROOTS.get(root, ("ERROR",))
    parser = etree.XMLPullParser(
        events=("end",),
        tag=tags,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
    )
    state = {"count": 0, "deleted": 0}

    def converted(events) -> Iterator[tuple[Citation, int | None, int]]:
        for _event, element in events:
            tag = element.tag
            if tag == "DeleteCitation":
                state["deleted"] += len(element.findall("PMID"))
            elif tag == "ERROR":
                report.error(
                    f"the input is an EFetch error response: {collapse_space(_text(element))}",
                    line=(element.sourceline or 0) + offset or None,
                )
            else:
                state["count"] += 1
                line = (element.sourceline or 0) + offset or None
                try:
                    yield _citation(element), line, state["count"]
                except RecordError as error:
                    report.error(str(error), line=line, record=state["count"])
            _discard(element)

    chunk = head
    while True:
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
        except etree.XMLSyntaxError as error:
            if chunk:
                # the records that ended before the damage are still converted
                yield from converted(_pending_events(parser))
            else:
                # every record that really ended was read after the last feed; what
                # close() reports now are the open elements lxml >= 6 ends itself
                _pending_events(parser)
            line = (error.lineno or 0) + offset or None
            message = _syntax_message(error, at_end=not chunk)
            report.error(message, line=line, record=state["count"] + 1)
            return
        yield from converted(parser.read_events())
        if not chunk:
            break
        chunk = stream.read(CHUNK)
    if state["deleted"]:
        report.info(
            f"{state['deleted']} DeleteCitation notice(s) skipped: they name PMIDs to delete"
        )


def _pending_events(parser: Any) -> list[Any]:
    try:
        return list(parser.read_events())
    except Exception:  # some lxml versions raise the pending syntax error again here
        return []


def _syntax_message(error: Exception, *, at_end: bool) -> str:
    message = str(getattr(error, "msg", "") or error)
    message = re.sub(r",? line \d+, column \d+.*$", "", message).strip()
    if at_end and ("Premature end of data" in message or "end of data" in message.lower()):
        return "truncated XML: the input ends before the document is complete"
    return f"invalid XML: {message}; nothing after this point was read"


def _discard(element: Any) -> None:
    # Only the records before this one are unlinked: removing the element the parser
    # has just ended corrupts libxml2's tree under lxml 5 (records lost, a double free).
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


# --- element helpers ----------------------------------------------------------------------


def _text(element: Any) -> str:
    """All the text of an element, markup dropped."""
    return "".join(element.itertext()) if element is not None else ""


def _clean(element: Any) -> str | None:
    if element is None:
        return None
    text = element.text if len(element) == 0 else _text(element)
    if not text:
        return None
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        return collapse_space(text) or None
    return text.strip() or None


def _markup(element: Any) -> str | None:
    """An element's content as HTML source (its inline markup kept), for the title clean-up."""
    if element is None:
        return None
    from lxml import etree

    if len(element) == 0:
        text = element.text or ""
        return html.escape(text, quote=False) if text.strip() else None
    parts = [html.escape(element.text or "", quote=False)]
    parts.extend(etree.tostring(child, encoding=str, with_tail=True) for child in element)
    source = "".join(parts)
    return source if source.strip() else None


def _names(author_list: Any) -> tuple[list[Name], bool]:
    if author_list is None:
        return [], True
    names: list[Name] = []
    for author in author_list.iterfind("Author"):
        if author.get("ValidYN") == "N":  # NLM keeps names it found to be wrong, marked so
            continue
        parts: dict[str, str] = {}
        for child in author:  # one pass over the parts instead of a find() for each
            if child.tag in _NAME_PARTS:
                text = _clean(child)
                if text:
                    parts[child.tag] = text
        last = parts.get("LastName")
        if last:
            given = parts.get("ForeName") or parts.get("FirstName") or parts.get("Initials", "")
            names.append(person(last, given, parts.get("Suffix", "")))
        elif parts.get("CollectiveName"):
            names.append({"literal": parts["CollectiveName"].rstrip(".")})
    return names, author_list.get("CompleteYN") != "N"


def _pub_date(date: Any) -> dict[str, Any] | None:
    if date is None:
        return None
    medline = _clean(date.find("MedlineDate"))
    if medline:
        return medline_date(medline)
    parts = date_from_parts(date.findtext("Year"), date.findtext("Month"), date.findtext("Day"))
    if parts is None:
        return None
    season = _clean(date.find("Season"))
    if season and len(parts) == 1:
        code = SEASONS.get(season.lower())
        if code:
            parts.append(code)
    return {"date-parts": [parts]}


def _article_ids(id_list: Any, citation: Citation) -> None:
    if id_list is None:
        return
    for article_id in id_list.iterfind("ArticleId"):
        kind = article_id.get("IdType")
        value = _clean(article_id)
        if not value:
            continue
        if kind == "doi" and not citation.doi:
            citation.doi = normalise_doi(value)
        elif kind == "pmc" and not citation.pmcid:
            citation.pmcid = pmcid_from_text(value)
        elif kind == "pubmed" and not citation.pmid:
            citation.pmid = value
        elif kind == "bookaccession" and not citation.bookshelf_id:
            citation.bookshelf_id = value


def _abstract(abstract: Any) -> str | None:
    if abstract is None:
        return None
    paragraphs = []
    for section in abstract.iterfind("AbstractText"):
        source = _markup(section)
        if not source:
            continue
        text = html_to_plain_text(flatten_mathml(source) if "math" in source else source)
        label = section.get("Label")
        if label and label.upper() != "UNLABELLED":
            text = f"{label}: {text}"
        paragraphs.append(text)
    return "\n\n".join(paragraphs) or None


def _keywords(container: Any, citation: Citation) -> None:
    for heading in container.iterfind("MeshHeadingList/MeshHeading"):
        descriptor = _clean(heading.find("DescriptorName"))
        if descriptor:
            citation.mesh.append(descriptor)
    for keyword in container.iterfind("KeywordList/Keyword"):
        text = _clean(keyword)
        if text:
            citation.keywords.append(text)


def _corrections(container: Any, citation: Citation) -> None:
    for correction in container.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        kind = correction.get("RefType")
        if kind not in ("RetractionIn", "RetractionOf"):
            continue
        source = _clean(correction.find("RefSource")) or ""
        pmid = _clean(correction.find("PMID"))
        reference = f"{source} PMID: {pmid}".strip() if pmid else source
        if reference:
            (citation.retraction_in if kind == "RetractionIn" else citation.retraction_of).append(
                reference
            )


# --- records ---------------------------------------------------------------------------


def _citation(element: Any) -> Citation:
    if element.tag == "PubmedBookArticle":
        return _book(element)
    if element.tag == "MedlineCitation":
        return _article(element, None)
    medline = element.find("MedlineCitation")
    if medline is None:
        raise RecordError("<PubmedArticle> has no <MedlineCitation>")
    return _article(medline, element.find("PubmedData"))


def _article(medline: Any, pubmed_data: Any) -> Citation:
    citation = Citation(kind="article")
    citation.pmid = _clean(medline.find("PMID"))
    article = medline.find("Article")
    if article is None:
        raise RecordError(f"PMID {citation.pmid or '?'}: the record has no <Article>")
    citation.title = _markup(article.find("ArticleTitle"))
    citation.vernacular_title = _markup(article.find("VernacularTitle"))
    citation.authors, citation.authors_complete = _names(article.find("AuthorList"))

    journal = article.find("Journal")
    if journal is not None:
        citation.journal = _clean(journal.find("Title"))
        citation.journal_abbreviation = _clean(journal.find("ISOAbbreviation"))
        issn = _clean(journal.find("ISSN"))
        if issn:
            citation.issn.append(issn)
        issue = journal.find("JournalIssue")
        if issue is not None:
            citation.volume = _clean(issue.find("Volume"))
            citation.issue = _clean(issue.find("Issue"))
            citation.published = _pub_date(issue.find("PubDate"))
    info = medline.find("MedlineJournalInfo")
    if info is not None:
        citation.journal_abbreviation = citation.journal_abbreviation or _clean(
            info.find("MedlineTA")
        )
        linking = _clean(info.find("ISSNLinking"))
        if linking:
            citation.issn.append(linking)

    pagination = article.find("Pagination")
    if pagination is not None:
        start = _clean(pagination.find("StartPage"))
        citation.pages = (
            page_range(start, _clean(pagination.find("EndPage")))
            if start
            else _clean(pagination.find("MedlinePgn"))
        )
    for location in article.iterfind("ELocationID"):
        if location.get("ValidYN") == "N":
            continue
        kind, value = location.get("EIdType"), _clean(location)
        if kind == "doi" and value and not citation.doi:
            citation.doi = normalise_doi(value)
        elif kind == "pii" and not citation.pages:
            citation.article_number = article_number_from_pii(value)
    for date in article.iterfind("ArticleDate"):
        if date.get("DateType", "Electronic") == "Electronic":
            parts = date_from_parts(
                date.findtext("Year"), date.findtext("Month"), date.findtext("Day")
            )
            if parts:
                citation.epublished = {"date-parts": [parts]}
                break

    citation.language = language_tag(_clean(article.find("Language")))
    citation.publication_types = [
        text
        for text in (_clean(t) for t in article.iterfind("PublicationTypeList/PublicationType"))
        if text
    ]
    citation.abstract = _abstract(article.find("Abstract"))
    _keywords(medline, citation)
    _corrections(medline, citation)
    if pubmed_data is not None:
        _article_ids(pubmed_data.find("ArticleIdList"), citation)
        citation.status = _clean(pubmed_data.find("PublicationStatus"))
    return citation


def _book(element: Any) -> Citation:
    document = element.find("BookDocument")
    if document is None:
        raise RecordError("<PubmedBookArticle> has no <BookDocument>")
    citation = Citation()
    citation.pmid = _clean(document.find("PMID"))
    book = document.find("Book")
    if book is None:
        raise RecordError(f"PMID {citation.pmid or '?'}: the book record has no <Book>")
    citation.title = _markup(document.find("ArticleTitle"))
    citation.kind = "chapter" if citation.title else "book"
    citation.book_title = _markup(book.find("BookTitle"))
    citation.vernacular_title = _markup(document.find("VernacularTitle"))
    for author_list in (*document.iterfind("AuthorList"), *book.iterfind("AuthorList")):
        names, complete = _names(author_list)
        if author_list.get("Type") == "editors":
            citation.editors.extend(names)
        elif not citation.authors:
            citation.authors, citation.authors_complete = names, complete
    publisher = book.find("Publisher")
    if publisher is not None:
        citation.publisher = _clean(publisher.find("PublisherName"))
        citation.publisher_place = _clean(publisher.find("PublisherLocation"))
    citation.published = _pub_date(book.find("PubDate"))
    citation.collection_title = _clean(book.find("CollectionTitle"))
    citation.volume = _clean(book.find("Volume"))
    citation.edition = _clean(book.find("Edition"))
    citation.isbn = [text for text in (_clean(i) for i in book.iterfind("Isbn")) if text]
    citation.language = language_tag(_clean(document.find("Language")))
    citation.publication_types = [
        text for text in (_clean(t) for t in document.iterfind("PublicationType")) if text
    ]
    citation.abstract = _abstract(document.find("Abstract"))
    _keywords(document, citation)
    _article_ids(document.find("ArticleIdList"), citation)
    book_data = element.find("PubmedBookData")
    if book_data is not None:
        _article_ids(book_data.find("ArticleIdList"), citation)
        citation.status = _clean(book_data.find("PublicationStatus"))
    return citation
