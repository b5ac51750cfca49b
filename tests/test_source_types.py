"""The source type vocabularies: every documented value of each, and every reader that meets
one of them (native readers and the paper-record reader alike)."""

from __future__ import annotations

import json

import pytest

from refconv.converters import Report, read
from refconv.converters.core import source_types
from refconv.converters.core.model import CSL_TYPES
from refconv.converters.core.source_types import (
    CROSSREF,
    CROSSREF_POSTED_CONTENT,
    DATACITE,
    OPENALEX,
    PUBMED,
    SCHEMA_ORG,
    SEMANTIC_SCHOLAR,
    entry_type,
    match_any_vocabulary,
    match_types,
    split_type_list,
)

# --- the documented vocabularies, as their owners list them --------------------------------

# api.crossref.org/types (the 30 types it lists, and standard-series that older works carry)
CROSSREF_DOCUMENTED = {
    "book-section": "chapter", "monograph": "book", "report-component": "report",
    "report": "report", "peer-review": "review", "book-track": "chapter",
    "journal-article": "article-journal", "book-part": "chapter", "other": "document",
    "book": "book", "journal-volume": "periodical", "book-set": "book",
    "reference-entry": "entry-encyclopedia", "proceedings-article": "paper-conference",
    "journal": "periodical", "component": "document", "book-chapter": "chapter",
    "proceedings-series": "book", "report-series": "report", "proceedings": "book",
    "database": "dataset", "standard": "standard", "reference-book": "book",
    "posted-content": "article", "journal-issue": "periodical", "dissertation": "thesis",
    "grant": "document", "dataset": "dataset", "book-series": "book", "edited-book": "book",
    "standard-series": "standard",
}  # fmt: skip
CROSSREF_SUBTYPES_DOCUMENTED = {
    "preprint": "article", "working-paper": "article", "letter": "article",
    "dissertation": "thesis", "report": "report", "review": "review", "other": "post-weblog",
}  # fmt: skip
# developers.openalex.org/api-reference/work-types
OPENALEX_DOCUMENTED = {
    "article": "article-journal", "book": "book", "book-chapter": "chapter",
    "book-review": "review-book", "dataset": "dataset", "dissertation": "thesis",
    "editorial": "article-journal", "erratum": "article-journal", "grant": "document",
    "letter": "article-journal", "libguides": "webpage", "other": "document",
    "paratext": "document", "peer-review": "review", "preprint": "article",
    "reference-entry": "entry-encyclopedia", "report": "report",
    "retraction": "article-journal", "review": "article-journal", "standard": "standard",
    "supplementary-materials": "document",
}  # fmt: skip
# api.semanticscholar.org/api-docs/graph: publicationTypes
SEMANTIC_SCHOLAR_DOCUMENTED = {
    "Review": "article-journal", "JournalArticle": "article-journal",
    "CaseReport": "article-journal", "ClinicalTrial": "article-journal",
    "Conference": "paper-conference", "Dataset": "dataset", "Editorial": "article-journal",
    "LettersAndComments": "article-journal", "MetaAnalysis": "article-journal",
    "News": "article-newspaper", "Study": "article-journal", "Book": "book",
    "BookSection": "chapter",
}  # fmt: skip
# DataCite Metadata Schema 4.7, appendix 1: resourceTypeGeneral
DATACITE_DOCUMENTED = {
    "Audiovisual": "motion_picture", "Award": "document", "Book": "book",
    "BookChapter": "chapter", "Collection": "collection", "ComputationalNotebook": "software",
    "ConferencePaper": "paper-conference", "ConferenceProceeding": "book",
    "DataPaper": "article-journal", "Dataset": "dataset", "Dissertation": "thesis",
    "Event": "event", "Image": "graphic", "Instrument": "document",
    "InteractiveResource": "webpage", "Journal": "periodical",
    "JournalArticle": "article-journal", "Model": "dataset",
    "OutputManagementPlan": "report", "PeerReview": "review", "PhysicalObject": "document",
    "Poster": "speech", "Preprint": "article", "Presentation": "speech", "Project": "document",
    "Report": "report", "Service": "software", "Software": "software", "Sound": "song",
    "Standard": "standard", "StudyRegistration": "report", "Text": None,
    "Workflow": "software", "Other": "document",
}  # fmt: skip
# The types PubMed puts on articles (pubmed.ncbi.nlm.nih.gov/help/#publication-types)
PUBMED_ON_ARTICLES = {
    "Adaptive Clinical Trial", "Address", "Autobiography", "Bibliography", "Biography",
    "Case Reports", "Classical Article", "Clinical Conference", "Clinical Study",
    "Clinical Trial", "Clinical Trial Protocol", "Clinical Trial, Phase I",
    "Clinical Trial, Phase II", "Clinical Trial, Phase III", "Clinical Trial, Phase IV",
    "Clinical Trial, Veterinary", "Collected Work", "Comment", "Comparative Study",
    "Congress", "Consensus Development Conference", "Consensus Development Conference, NIH",
    "Controlled Clinical Trial", "Corrected and Republished Article", "Dataset", "Dictionary",
    "Directory", "Duplicate Publication", "Editorial", "Electronic Supplementary Materials",
    "English Abstract", "Equivalence Trial", "Evaluation Study", "Expression of Concern",
    "Festschrift", "Government Publication", "Guideline", "Historical Article",
    "Interactive Tutorial", "Interview", "Introductory Journal Article", "Journal Article",
    "Lecture", "Legal Case", "Legislation", "Letter", "Meta-Analysis", "Multicenter Study",
    "News", "Newspaper Article", "Observational Study", "Observational Study, Veterinary",
    "Overall", "Patient Education Handout", "Periodical Index", "Personal Narrative",
    "Portrait", "Practice Guideline", "Pragmatic Clinical Trial", "Preprint",
    "Published Erratum", "Randomized Controlled Trial",
    "Randomized Controlled Trial, Veterinary",
    "Research Support, American Recovery and Reinvestment Act",
    "Research Support, N.I.H., Extramural", "Research Support, N.I.H., Intramural",
    "Research Support, Non-U.S. Gov't", "Research Support, U.S. Gov't, Non-P.H.S.",
    "Research Support, U.S. Gov't, P.H.S.", "Retracted Publication",
    "Retraction of Publication", "Review", "Scientific Integrity Review", "Scoping Review",
    "Systematic Review", "Technical Report", "Twin Study", "Validation Study",
    "Video-Audio Media", "Webcast",
}  # fmt: skip
# The further forms of the NLM Catalog (MeSH Publication Characteristics)
PUBMED_CATALOG_FORMS = {
    "Abbreviations", "Abstracts", "Academic Dissertation", "Account Book", "Advertisement",
    "Almanac", "Anecdotes", "Animation", "Annual Report", "Aphorisms and Proverbs",
    "Architectural Drawing", "Atlas", "Biobibliography", "Book Illustrations", "Book Review",
    "Bookplate", "Broadside", "Calendar", "Caricature", "Cartoon", "Catalog",
    "Catalog, Bookseller", "Catalog, Commercial", "Catalog, Drug", "Catalog, Publisher",
    "Catalog, Union", "Chart", "Chronology", "Collected Correspondence", "Collection",
    "Cookbook", "Database", "Diary", "Dictionary, Chemical", "Dictionary, Classical",
    "Dictionary, Dental", "Dictionary, Medical", "Dictionary, Pharmaceutic",
    "Dictionary, Polyglot", "Dispensatory", "Documentaries and Factual Films", "Drawing",
    "Encyclopedia", "Ephemera", "Essay", "Eulogy", "Examination Questions", "Exhibition",
    "Fictional Work", "Form", "Formulary", "Formulary, Dental", "Formulary, Homeopathic",
    "Formulary, Hospital", "Funeral Sermon", "Graphic Novel", "Guidebook", "Handbook",
    "Herbal", "Incunabula", "Index", "Instructional Film and Video", "Juvenile Literature",
    "Laboratory Manual", "Lecture Note", "Manuscript", "Manuscript, Medical", "Map",
    "Meeting Abstract", "Monograph", "Movable Books", "Nurses Instruction", "Outline",
    "Periodical", "Pharmacopoeia", "Pharmacopoeia, Homeopathic", "Photograph", "Phrases",
    "Pictorial Work", "Poetry", "Popular Work", "Postcard", "Poster", "Price List",
    "Problems and Exercises", "Program", "Programmed Instruction", "Prospectus",
    "Public Service Announcement", "Publication Components", "Publication Formats",
    "Resource Guide", "Sermon", "Statistics", "Study Characteristics", "Study Guide",
    "Support of Research", "Tables", "Terminology", "Textbook", "Unedited Footage",
    "Union List", "Unpublished Work", "Web Archive", "Wit and Humor",
}  # fmt: skip
PUBMED_ARTICLE_KINDS = {
    "Journal Article", "Case Reports", "Review", "Systematic Review", "Scoping Review",
    "Editorial", "Letter", "Comment", "Clinical Trial", "Clinical Trial, Phase III",
    "Randomized Controlled Trial", "Meta-Analysis", "Multicenter Study", "Observational Study",
    "Comparative Study", "Published Erratum", "Retraction of Publication",
    "Expression of Concern", "Practice Guideline", "Historical Article", "News",
}  # fmt: skip
PUBMED_FLAGS = {
    "Retracted Publication", "English Abstract", "Research Support, Non-U.S. Gov't",
    "Research Support, N.I.H., Extramural", "Research Support, U.S. Gov't, P.H.S.",
    "Video-Audio Media",
}  # fmt: skip


@pytest.mark.parametrize(
    ("table", "documented"),
    [
        (CROSSREF, CROSSREF_DOCUMENTED),
        (CROSSREF_POSTED_CONTENT, CROSSREF_SUBTYPES_DOCUMENTED),
        (OPENALEX, OPENALEX_DOCUMENTED),
        (SEMANTIC_SCHOLAR, SEMANTIC_SCHOLAR_DOCUMENTED),
        (DATACITE, DATACITE_DOCUMENTED),
    ],
    ids=["crossref", "crossref-posted-content", "openalex", "semantic-scholar", "datacite"],
)
def test_every_documented_value_has_its_csl_type(table, documented):
    assert dict(table) == documented


def test_the_whole_nlm_list_is_mapped():
    assert (PUBMED_ON_ARTICLES | PUBMED_CATALOG_FORMS) - PUBMED.keys() == set()
    assert {value: PUBMED[value] for value in PUBMED_ARTICLE_KINDS} == dict.fromkeys(
        PUBMED_ARTICLE_KINDS, "article-journal"
    )
    assert {value: PUBMED[value] for value in PUBMED_FLAGS} == dict.fromkeys(PUBMED_FLAGS)
    assert PUBMED["Preprint"] == "article"
    assert PUBMED["Dataset"] == "dataset"
    assert PUBMED["Congress"] == "paper-conference"
    assert PUBMED["Newspaper Article"] == "article-newspaper"
    assert PUBMED["Technical Report"] == "report"
    assert PUBMED["Academic Dissertation"] == "thesis"
    assert PUBMED["Dictionary, Medical"] == "book"
    assert PUBMED["Book Review"] == "review-book"


@pytest.mark.parametrize(
    "table",
    [PUBMED, CROSSREF, CROSSREF_POSTED_CONTENT, OPENALEX, SEMANTIC_SCHOLAR, DATACITE, SCHEMA_ORG],
)
def test_every_table_names_csl_types_and_ranks_them(table):
    named = {csl for csl in table.values() if csl is not None}
    assert named <= CSL_TYPES
    assert named <= set(source_types.PRECEDENCE)


def test_schema_org_types():
    assert SCHEMA_ORG["ScholarlyArticle"] == "article-journal"
    assert SCHEMA_ORG["SoftwareSourceCode"] == "software"
    assert SCHEMA_ORG["Review"] == "review"  # schema.org's review is of a work
    assert SCHEMA_ORG["CreativeWork"] is None


# --- choosing one type from several values --------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Case Reports", "Journal Article"], "article-journal"),
        (["Journal Article", "Review"], "article-journal"),
        (["Preprint"], "article"),
        (["Journal Article", "Preprint"], "article"),
        (["Congress"], "paper-conference"),
        (["Dataset"], "dataset"),
        (["Journal Article", "Lecture"], "article-journal"),
        (["Lecture"], "speech"),
        (["Retracted Publication", "Journal Article"], "article-journal"),
        (["Retracted Publication"], None),
        (["English Abstract", "Research Support, Non-U.S. Gov't"], None),
    ],
)
def test_pubmed_lists(values, expected):
    assert match_types(values, PUBMED) == (expected, ())


def test_unknown_values_are_returned_not_raised():
    assert match_types(["Journal Article", "Hologram"], PUBMED) == (
        "article-journal",
        ("Hologram",),
    )
    assert match_types(["Hologram"], PUBMED) == (None, ("Hologram",))


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Journal Article", ["Journal Article"]),
        ("Case Reports, Journal Article", ["Case Reports", "Journal Article"]),
        (
            "Journal Article, Research Support, Non-U.S. Gov't, Review",
            ["Journal Article", "Research Support, Non-U.S. Gov't", "Review"],
        ),
        (
            "Clinical Trial, Phase III, Research Support, U.S. Gov't, P.H.S.",
            ["Clinical Trial, Phase III", "Research Support, U.S. Gov't, P.H.S."],
        ),
        ("Hologram, Journal Article", ["Hologram", "Journal Article"]),
        ("", []),
    ],
)
def test_joined_pubmed_types_are_split_where_the_values_end(text, values):
    assert split_type_list(text) == values


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["JournalArticle"], "article-journal"),
        (["Journal Article"], "article-journal"),
        (["journal-article"], "article-journal"),
        (["posted-content"], "article"),
        (["Review"], "article-journal"),  # S2's and PubMed's review article
        (["BookChapter"], "chapter"),
        (["Software"], "software"),
        (["ScholarlyArticle"], "article-journal"),
        (["SoftwareSourceCode"], "software"),
        (["Text"], None),
    ],
)
def test_any_vocabulary_loosely_spelt(values, expected):
    assert match_any_vocabulary(values).csl == expected


@pytest.mark.parametrize(
    ("container", "expected"),
    [
        ("Oxford Dictionary of National Biography", "entry-dictionary"),
        ("A Glossary of Chemical Terms", "entry-dictionary"),
        ("Encyclopedia of Astrobiology", "entry-encyclopedia"),
        (None, "entry-encyclopedia"),
    ],
)
def test_reference_entries_by_container(container, expected):
    assert entry_type(container) == expected


# --- every reader that meets a vocabulary ------------------------------------------------


def _items(text: str, format: str) -> list[dict]:
    return list(read(text, format, report=Report()))


def _medline(*types: str, journal: str = "Journal of Law and Society") -> str:
    lines = ["PMID- 1", "TI  - A title.", f"JT  - {journal}"]
    lines += [f"PT  - {t}" for t in types]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        (("Case Reports", "Journal Article"), "article-journal"),
        (("Journal Article", "Review"), "article-journal"),
        (("Preprint",), "article"),
        (("Congress",), "paper-conference"),
        (("Dataset",), "dataset"),
        (("Journal Article", "Retracted Publication"), "article-journal"),
    ],
)
def test_pubmed_reader(types, expected):
    [item] = _items(_medline(*types), "pubmed")
    assert item["type"] == expected
    assert "source-type" not in item["custom"]


def test_pubmed_unknown_type_is_noted():
    [item] = _items(_medline("Hologram"), "pubmed")
    assert item["type"] == "article-journal"  # in a journal
    assert item["custom"]["source-type"] == "Hologram"


def _crossref(**work) -> dict:
    [item] = _items(json.dumps({"DOI": "10.1234/x", "title": ["T"], **work}), "crossref")
    return item


def test_crossref_reader():
    assert _crossref(type="posted-content", subtype="preprint")["type"] == "article"
    assert _crossref(type="peer-review")["type"] == "review"
    entry = _crossref(
        type="reference-entry", **{"container-title": ["Dictionary of Irish Biography"]}
    )
    assert entry["type"] == "entry-dictionary"
    assert entry["container-title"] == "Dictionary of Irish Biography"
    encyclopedia = _crossref(
        type="reference-entry", **{"container-title": ["Encyclopedia of Life"]}
    )
    assert encyclopedia["type"] == "entry-encyclopedia"
    assert encyclopedia["container-title"] == "Encyclopedia of Life"


def test_crossref_unknown_type_is_noted():
    in_journal = _crossref(type="hologram", **{"container-title": ["Nature"]})
    assert in_journal["type"] == "article-journal"
    assert in_journal["custom"]["source-type"] == "hologram"
    alone = _crossref(type="hologram")
    assert (alone["type"], alone["custom"]["source-type"]) == ("document", "hologram")


def _openalex(**work) -> dict:
    [item] = _items(json.dumps({"id": "https://openalex.org/W1", "title": "T", **work}), "openalex")
    return item


def test_openalex_reader():
    source = {"source": {"display_name": "Dictionary of Psychology", "type": "ebook platform"}}
    assert _openalex(type="reference-entry", primary_location=source)["type"] == "entry-dictionary"
    assert _openalex(type="book-review")["type"] == "review-book"
    journal = {"source": {"display_name": "Nature", "type": "journal"}}
    unknown = _openalex(type="hologram", primary_location=journal)
    assert (unknown["type"], unknown["custom"]["source-type"]) == ("article-journal", "hologram")


def _s2(**paper) -> dict:
    [item] = _items(json.dumps({"paperId": "abc", "title": "T", **paper}), "semantic-scholar")
    return item


def test_semantic_scholar_reader():
    assert _s2(publicationTypes=["News"], venue="The Times")["type"] == "article-newspaper"
    unknown = _s2(publicationTypes=["Hologram"], venue="Nature")
    assert (unknown["type"], unknown["custom"]["source-type"]) == ("article-journal", "Hologram")


def _record(types, **fields) -> dict:
    record = {"title": "T", "authors": "Ann Smith", "publicationTypes": types, **fields}
    [item] = _items(json.dumps(record), "paper-record")
    return item


@pytest.mark.parametrize(
    ("types", "journal", "expected"),
    [
        ("Case Reports, Journal Article", "Journal of Law and Society", "article-journal"),
        ("Journal Article, Research Support, Non-U.S. Gov't", "J Law Soc", "article-journal"),
        (["Review", "JournalArticle"], "J Law Soc", "article-journal"),
        ("posted-content", None, "article"),
        ("Preprint", None, "article"),
        (["Software"], None, "software"),
        ("reference-entry", "Dictionary of Psychology", "entry-dictionary"),
        ("journal-article", "Nature", "article-journal"),
        ("Congress", "Blood", "paper-conference"),
        ("Dataset", None, "dataset"),
    ],
)
def test_paper_record_reader_meets_every_vocabulary(types, journal, expected):
    fields = {"journal": {"name": journal}} if journal else {}
    item = _record(types, **fields)
    assert item["type"] == expected
    assert "source-type" not in item.get("custom", {})


def test_paper_record_unknown_type_is_noted():
    item = _record("Hologram", journal={"name": "Nature"})
    assert (item["type"], item["custom"]["source-type"]) == ("article-journal", "Hologram")
    item = _record(["Hologram"])
    assert (item["type"], item["custom"]["source-type"]) == ("document", "Hologram")


def test_semantic_scholar_type_that_is_not_text_is_noted_not_raised():
    item = _s2(publicationTypes=[{"kind": "JournalArticle"}], venue="Nature")
    assert item["type"] == "article-journal"
    assert item["custom"]["source-type"] == "{'kind': 'JournalArticle'}"
