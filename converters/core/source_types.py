"""The type vocabularies of the sources refconv reads, each mapped to CSL item types.

One table per vocabulary, each complete for the values its owner documents:

* :data:`PUBMED` – NLM publication types (MeSH Publication Characteristics), both the
  ones PubMed puts on articles and the forms of the NLM Catalog;
* :data:`CROSSREF` – Crossref work types (``api.crossref.org/types``) and
  :data:`CROSSREF_POSTED_CONTENT`, the subtypes of ``posted-content``;
* :data:`OPENALEX` – OpenAlex work types;
* :data:`SEMANTIC_SCHOLAR` – Semantic Scholar ``publicationTypes``;
* :data:`DATACITE` – DataCite ``resourceTypeGeneral`` (schema 4.7);
* :data:`SCHEMA_ORG` – the schema.org ``CreativeWork`` types that bibliographic
  exports carry.

A value mapped to ``None`` names no form of its own: a flag such as PubMed's
``Retracted Publication`` or ``Research Support, N.I.H., Extramural``, or a type as
general as DataCite's ``Text``. When a record lists several values, the most
specific CSL type wins (:data:`PRECEDENCE`): a chapter or a conference paper over a
journal article, a journal article over the lecture or interview it prints. Values
no table knows leave the type to the rule every reader had before (a container
makes an ``article-journal``, otherwise a ``document``); the reader keeps them in
``custom`` (:data:`CUSTOM_SOURCE_TYPE`) so nothing the source said is lost.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .patterns import lazy_pattern

CUSTOM_SOURCE_TYPE = "source-type"  # type values no vocabulary table knows, as written

# --- PubMed / MEDLINE -------------------------------------------------------------------

# Kinds of journal article: what PubMed puts beside (or instead of) "Journal Article".
_PUBMED_ARTICLE_KINDS = (
    "Journal Article", "Adaptive Clinical Trial", "Autobiography", "Biography",
    "Case Reports", "Classical Article", "Clinical Conference", "Clinical Study",
    "Clinical Trial", "Clinical Trial Protocol", "Clinical Trial, Phase I",
    "Clinical Trial, Phase II", "Clinical Trial, Phase III", "Clinical Trial, Phase IV",
    "Clinical Trial, Veterinary", "Comment", "Comparative Study", "Consensus Statement",
    "Consensus Development Conference", "Consensus Development Conference, NIH",
    "Controlled Clinical Trial", "Corrected and Republished Article",
    "Duplicate Publication", "Editorial", "Equivalence Trial", "Evaluation Study",
    "Evidence Synthesis", "Expression of Concern", "Guideline", "Historical Article",
    "Introductory Journal Article", "Letter", "Meta-Analysis", "Multicenter Study",
    "Network Meta-Analysis", "News", "Observational Study",
    "Observational Study, Veterinary", "Overall", "Personal Narrative", "Portrait",
    "Practice Guideline", "Pragmatic Clinical Trial", "Published Erratum",
    "Randomized Controlled Trial", "Randomized Controlled Trial, Veterinary",
    "Retraction of Publication", "Review", "Scientific Integrity Review", "Scoping Review",
    "Systematic Review", "Twin Study", "Validation Study",
)  # fmt: skip
# Characteristics that say nothing about the form: funding, status, language, umbrella terms.
_PUBMED_FLAGS = (
    "English Abstract", "Retracted Publication", "Research Support, American Recovery and "
    "Reinvestment Act", "Research Support, N.I.H., Extramural",
    "Research Support, N.I.H., Intramural", "Research Support, Non-U.S. Gov't",
    "Research Support, U.S. Gov't, Non-P.H.S.", "Research Support, U.S. Gov't, P.H.S.",
    "Research Support, U.S. Government", "Support of Research", "Study Characteristics",
    "Publication Components", "Publication Formats", "Electronic Supplementary Materials",
    "Video-Audio Media", "Government Publication", "Popular Work", "Juvenile Literature",
    "Interactive Tutorial", "Webcast",
)  # fmt: skip
# Whole books and book-like works of the NLM Catalog.
_PUBMED_BOOKS = (
    "Abbreviations", "Abstracts", "Almanac", "Anecdotes", "Aphorisms and Proverbs", "Atlas",
    "Bibliography", "Biobibliography", "Catalog", "Catalog, Bookseller",
    "Catalog, Commercial", "Catalog, Drug", "Catalog, Publisher", "Catalog, Union",
    "Chronology", "Collected Correspondence", "Collected Work", "Collected Works", "Cookbook",
    "Dictionary", "Dictionary, Chemical", "Dictionary, Classical", "Dictionary, Dental",
    "Dictionary, Medical", "Dictionary, Pharmaceutic", "Dictionary, Polyglot", "Directory",
    "Dispensatory", "Encyclopedia", "Examination Questions", "Festschrift", "Fictional Work",
    "Formulary", "Formulary, Dental", "Formulary, Homeopathic", "Formulary, Hospital",
    "Graphic Novel", "Guidebook", "Handbook", "Herbal", "Incunabula", "Index",
    "Laboratory Manual", "Monograph", "Movable Books", "Nurses Instruction", "Outline",
    "Periodical Index", "Pharmacopoeia", "Pharmacopoeia, Homeopathic", "Phrases", "Poetry",
    "Problems and Exercises", "Programmed Instruction", "Resource Guide", "Study Guide",
    "Terminology", "Textbook", "Union List", "Wit and Humor",
)  # fmt: skip
_PUBMED_OTHER_FORMS = {
    "Preprint": "article",
    "Newspaper Article": "article-newspaper",
    "Dataset": "dataset",
    "Database": "dataset",
    "Statistics": "dataset",
    "Tables": "dataset",
    "Congress": "paper-conference",
    "Meeting Abstract": "paper-conference",
    "Technical Report": "report",
    "Annual Report": "report",
    "Academic Dissertation": "thesis",
    "Legal Case": "legal_case",
    "Legislation": "legislation",
    "Patient Education Handout": "pamphlet",
    "Broadside": "pamphlet",
    "Program": "pamphlet",
    "Prospectus": "pamphlet",
    "Price List": "pamphlet",
    "Form": "pamphlet",
    "Calendar": "pamphlet",
    "Book Review": "review-book",
    "Periodical": "periodical",
    "Collection": "collection",
    "Manuscript": "manuscript",
    "Manuscript, Medical": "manuscript",
    "Unpublished Work": "manuscript",
    "Diary": "manuscript",
    "Account Book": "manuscript",
    "Lecture Note": "manuscript",
    "Map": "map",
    "Address": "speech",
    "Lecture": "speech",
    "Eulogy": "speech",
    "Sermon": "speech",
    "Funeral Sermon": "speech",
    "Interview": "interview",
    "Essay": "article",
    "Exhibition": "event",
    "Advertisement": "graphic",
    "Architectural Drawing": "graphic",
    "Book Illustrations": "graphic",
    "Bookplate": "graphic",
    "Caricature": "graphic",
    "Cartoon": "graphic",
    "Chart": "graphic",
    "Drawing": "graphic",
    "Ephemera": "graphic",
    "Photograph": "graphic",
    "Pictorial Work": "graphic",
    "Postcard": "graphic",
    "Poster": "graphic",
    "Animation": "motion_picture",
    "Documentaries and Factual Films": "motion_picture",
    "Instructional Film and Video": "motion_picture",
    "Unedited Footage": "motion_picture",
    "Public Service Announcement": "broadcast",
    "Web Archive": "webpage",
}

PUBMED: Mapping[str, str | None] = {
    **dict.fromkeys(_PUBMED_ARTICLE_KINDS, "article-journal"),
    **dict.fromkeys(_PUBMED_FLAGS),
    **dict.fromkeys(_PUBMED_BOOKS, "book"),
    **_PUBMED_OTHER_FORMS,
}

# --- Crossref -----------------------------------------------------------------------------

CROSSREF: Mapping[str, str] = {
    "journal-article": "article-journal",
    "journal-issue": "periodical",
    "journal-volume": "periodical",
    "journal": "periodical",
    "proceedings-article": "paper-conference",
    "proceedings": "book",
    "proceedings-series": "book",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "book-series": "book",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "book-track": "chapter",
    "reference-entry": "entry-encyclopedia",  # or entry-dictionary: see entry_type()
    "posted-content": "article",  # refined by CROSSREF_POSTED_CONTENT
    "dissertation": "thesis",
    "report": "report",
    "report-component": "report",
    "report-series": "report",
    "standard": "standard",
    "standard-series": "standard",
    "dataset": "dataset",
    "database": "dataset",
    # parts of another work (figures, tables, supplementary files): no form of their own
    "component": "document",
    "peer-review": "review",  # a review *of* a work: CSL's review
    "grant": "document",
    "other": "document",
}
CROSSREF_POSTED_CONTENT: Mapping[str, str] = {
    "preprint": "article",
    "working-paper": "article",
    "letter": "article",
    "review": "review",
    "report": "report",
    "dissertation": "thesis",
    "other": "post-weblog",  # Crossref-registered blog posts (e.g. Rogue Scholar)
}

# --- OpenAlex -------------------------------------------------------------------------------

OPENALEX: Mapping[str, str] = {
    "article": "article-journal",
    "book": "book",
    "book-chapter": "chapter",
    "book-review": "review-book",
    "dataset": "dataset",
    "dissertation": "thesis",
    "editorial": "article-journal",
    "erratum": "article-journal",
    "grant": "document",
    "letter": "article-journal",
    "libguides": "webpage",
    "other": "document",
    "paratext": "document",  # covers, mastheads, tables of contents
    "peer-review": "review",
    "preprint": "article",
    "reference-entry": "entry-encyclopedia",
    "report": "report",
    "retraction": "article-journal",
    "review": "article-journal",  # a review article, not CSL's review *of* a work
    "standard": "standard",
    "supplementary-materials": "document",
}

# --- Semantic Scholar -----------------------------------------------------------------------

SEMANTIC_SCHOLAR: Mapping[str, str] = {
    "JournalArticle": "article-journal",
    "Review": "article-journal",
    "CaseReport": "article-journal",
    "ClinicalTrial": "article-journal",
    "Editorial": "article-journal",
    "LettersAndComments": "article-journal",
    "MetaAnalysis": "article-journal",
    "Study": "article-journal",
    "Conference": "paper-conference",
    "Dataset": "dataset",
    "News": "article-newspaper",
    "Book": "book",
    "BookSection": "chapter",
}

# --- DataCite ------------------------------------------------------------------------------

DATACITE: Mapping[str, str | None] = {
    "Audiovisual": "motion_picture",
    "Award": "document",
    "Book": "book",
    "BookChapter": "chapter",
    "Collection": "collection",
    "ComputationalNotebook": "software",
    "ConferencePaper": "paper-conference",
    "ConferenceProceeding": "book",
    "DataPaper": "article-journal",
    "Dataset": "dataset",
    "Dissertation": "thesis",
    "Event": "event",
    "Image": "graphic",
    "Instrument": "document",
    "InteractiveResource": "webpage",
    "Journal": "periodical",
    "JournalArticle": "article-journal",
    "Model": "dataset",
    "OutputManagementPlan": "report",
    "PeerReview": "review",
    "PhysicalObject": "document",
    "Poster": "speech",  # CSL presents posters and talks as speech (genre "Poster")
    "Preprint": "article",
    "Presentation": "speech",
    "Project": "document",
    "Report": "report",
    "Service": "software",
    "Software": "software",
    "Sound": "song",
    "Standard": "standard",
    "StudyRegistration": "report",
    "Text": None,  # any written work: the container decides
    "Workflow": "software",
    "Other": "document",
}

# --- schema.org -----------------------------------------------------------------------------

SCHEMA_ORG: Mapping[str, str | None] = {
    "ScholarlyArticle": "article-journal",
    "MedicalScholarlyArticle": "article-journal",
    "Article": None,
    "NewsArticle": "article-newspaper",
    "Report": "report",
    "BlogPosting": "post-weblog",
    "SocialMediaPosting": "post",
    "DiscussionForumPosting": "post",
    "Book": "book",
    "Chapter": "chapter",
    "Thesis": "thesis",
    "Dataset": "dataset",
    "DataCatalog": "dataset",
    "SoftwareSourceCode": "software",
    "SoftwareApplication": "software",
    "WebPage": "webpage",
    "WebSite": "webpage",
    "Periodical": "periodical",
    "PublicationIssue": "periodical",
    "PublicationVolume": "periodical",
    "Collection": "collection",
    "Review": "review",
    "Legislation": "legislation",
    "Map": "map",
    "Movie": "motion_picture",
    "VideoObject": "motion_picture",
    "Episode": "broadcast",
    "RadioEpisode": "broadcast",
    "TVEpisode": "broadcast",
    "PodcastEpisode": "broadcast",
    "AudioObject": "song",
    "MusicRecording": "song",
    "MusicComposition": "musical_score",
    "Photograph": "graphic",
    "ImageObject": "graphic",
    "Painting": "graphic",
    "VisualArtwork": "graphic",
    "Poster": "graphic",
    "PresentationDigitalDocument": "speech",
    "Manuscript": "manuscript",
    "Patent": "patent",
    "Event": "event",
    "Quotation": None,
    "CreativeWork": None,
    "Thing": None,
}

# --- choosing one CSL type ------------------------------------------------------------------

# When a record lists several types, the first of these wins; article-journal stands
# below what a journal can also print as a specific form (a preprint, a dataset, a
# conference paper) and above the forms it prints as articles (lectures, interviews).
PRECEDENCE = (
    "chapter", "paper-conference", "entry-dictionary", "entry-encyclopedia", "entry",
    "article", "article-newspaper", "article-magazine", "thesis", "report", "standard",
    "patent", "software", "dataset", "legal_case", "legislation", "pamphlet", "review",
    "review-book", "post-weblog", "post", "article-journal", "book", "periodical",
    "collection", "webpage", "manuscript", "speech", "interview", "map", "graphic",
    "motion_picture", "broadcast", "song", "musical_score", "event", "document",
)  # fmt: skip
_RANK = {csl: rank for rank, csl in enumerate(PRECEDENCE)}

_DICTIONARY = lazy_pattern(
    r"\b(?:dictionar|lexic|glossar|thesaur|vocabular|wörterbuch|dictionnaire|diccionario)",
    re.IGNORECASE,
)


def entry_type(container: str | None) -> str:
    """A reference entry's CSL type: a dictionary's entry, or an encyclopedia's."""
    if container and _DICTIONARY.search(container):
        return "entry-dictionary"
    return "entry-encyclopedia"


def fallback_type(has_container: bool) -> str:
    """The type of a record whose source type says nothing."""
    return "article-journal" if has_container else "document"


_UNKNOWN = "?"  # not a CSL type: marks a value no table knows


class TypeMatch(NamedTuple):
    csl: str | None  # the most specific CSL type the values name, None when none does
    unknown: tuple[str, ...]  # values no table knows, as written


def match_types(values: Iterable[str], *tables: Mapping[str, str | None]) -> TypeMatch:
    """The CSL type a list of source type values names, looked up in ``tables`` in order."""
    best: str | None = None
    unknown: list[str] = []
    for value in values:
        csl: str | None = _UNKNOWN
        for table in tables:
            csl = table.get(value, _UNKNOWN)
            if csl != _UNKNOWN:
                break
        if csl == _UNKNOWN:
            unknown.append(value)
        elif csl is not None and (best is None or _RANK[csl] < _RANK[best]):
            best = csl
    return TypeMatch(best, tuple(unknown))


# --- values of any vocabulary (the aggregators' publicationTypes) ---------------------------


_NOT_ALPHANUMERIC = lazy_pattern(r"[^0-9a-z]+")


def _folded(value: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", value.lower())


@functools.cache
def _any_vocabulary() -> dict[str, str | None]:
    """Every table's values by their folded spelling. Semantic Scholar first (the
    aggregators build their records from it), then the others; the first vocabulary
    that knows a spelling decides for it ("Review" is a review article, as S2 and
    PubMed mean it, not schema.org's review of a work)."""
    index: dict[str, str | None] = {}
    for table in (SEMANTIC_SCHOLAR, PUBMED, CROSSREF, OPENALEX, DATACITE, SCHEMA_ORG):
        for value, csl in table.items():
            index.setdefault(_folded(value), csl)
    return index


@functools.lru_cache(maxsize=1024)  # a few dozen spellings make up nearly every record
def _any_type(value: str) -> str | None:
    return _any_vocabulary().get(_folded(value), _UNKNOWN)


_LONGEST_PUBMED_VALUE = max(value.count(", ") for value in PUBMED) + 1


def split_type_list(text: str) -> list[str]:
    """``"Case Reports, Research Support, Non-U.S. Gov't"`` → the values it joins.

    Aggregators join PubMed's types with ", ", which some types hold themselves;
    the longest run of pieces that is a known value is taken first.
    """
    return list(_split_type_list(text))


@functools.lru_cache(maxsize=1024)  # the same few lists recur record after record
def _split_type_list(text: str) -> tuple[str, ...]:
    if "," not in text:
        return (text.strip(),) if text.strip() else ()
    pieces = [piece.strip() for piece in text.split(",")]
    values: list[str] = []
    start = 0
    while start < len(pieces):
        for end in range(min(len(pieces), start + _LONGEST_PUBMED_VALUE), start, -1):
            candidate = ", ".join(pieces[start:end])
            if end == start + 1 or _any_type(candidate) != _UNKNOWN:
                if candidate:
                    values.append(candidate)
                start = end
                break
    return tuple(values)


def match_any_vocabulary(values: Iterable[str]) -> TypeMatch:
    """Like :func:`match_types` for values from any of the vocabularies, spelt loosely
    (``"Journal Article"``, ``"JournalArticle"``, ``"journal-article"``)."""
    best: str | None = None
    unknown: list[str] = []
    for value in values:
        csl = _any_type(value)
        if csl == _UNKNOWN:
            unknown.append(value)
            continue
        if csl is not None and (best is None or _RANK[csl] < _RANK[best]):
            best = csl
    return TypeMatch(best, tuple(unknown))


@functools.lru_cache(maxsize=1024)  # the same few lists recur record after record
def match_type_text(text: str) -> TypeMatch:
    """:func:`match_any_vocabulary` of the values a joined list holds (:func:`split_type_list`)."""
    return match_any_vocabulary(_split_type_list(text))
