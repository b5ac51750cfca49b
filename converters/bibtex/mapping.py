"""How BibTeX/biblatex and CSL correspond: entry types, the field table, languages, months.

The entry-type tables (:data:`WRITE_TYPES`, :data:`READ_TYPES`) and the field table
(:data:`FIELDS`, wrapped in :data:`FIELD_MAP`) are the single description of how CSL
variables and BibTeX/biblatex fields correspond. The writer walks the rows in order
(the table order is the written field order); the reader looks fields up in the same
rows, so the two directions cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any

from ..core.fieldmap import READ_ONLY, FieldMap, Row
from ..core.model import Item
from ..core.patterns import lazy_pattern

BIBTEX = "bibtex"
BIBLATEX = "biblatex"
DIALECTS = (BIBTEX, BIBLATEX)
CUSTOM_FIELDS = "bibtex-fields"  # fields no CSL variable holds, written back as they were
CUSTOM_TYPE = "bibtex-type"  # an entry type CSL cannot tell apart (@manual, @proceedings)


ARTICLES = frozenset({"article"})
PARTS = frozenset(
    "incollection inbook inproceedings inreference conference bookinbook suppbook "
    "suppcollection".split()
)
BOOKS = frozenset(
    "book mvbook collection mvcollection proceedings mvproceedings reference mvreference "
    "booklet manual periodical".split()
)
THESES = frozenset({"phdthesis", "mastersthesis", "thesis"})
REPORTS = frozenset({"techreport", "report"})

# CSL type → (BibTeX type, biblatex type); where the choice depends on the item,
# a function of the item decides (see write_type).
WRITE_TYPES: dict[str, tuple[str, str]] = {
    "article-journal": ("article", "article"),
    "article-magazine": ("article", "article"),  # biblatex: entrysubtype = magazine
    "article-newspaper": ("article", "article"),  # biblatex: entrysubtype = newspaper
    "review": ("article", "article"),
    "review-book": ("article", "article"),
    "article": ("misc", "online"),  # preprints: eprint/eprinttype/archiveprefix
    "book": ("book", "book"),  # biblatex: collection when it has editors, no authors
    "chapter": ("incollection", "incollection"),  # inbook without container and editor
    "paper-conference": ("inproceedings", "inproceedings"),
    "thesis": ("phdthesis", "thesis"),  # mastersthesis by genre; biblatex: type
    "report": ("techreport", "report"),
    "webpage": ("misc", "online"),
    "post": ("misc", "online"),
    "post-weblog": ("misc", "online"),
    "dataset": ("misc", "dataset"),
    "software": ("misc", "software"),
    "manuscript": ("unpublished", "unpublished"),
    "pamphlet": ("booklet", "booklet"),
    "patent": ("misc", "patent"),
    "periodical": ("misc", "periodical"),
    "entry": ("incollection", "inreference"),  # misc without a container
    "entry-dictionary": ("incollection", "inreference"),
    "entry-encyclopedia": ("incollection", "inreference"),
}
# BibTeX/biblatex type → CSL type (anything else: document, with a warning)
READ_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "reference": "book",
    "mvreference": "book",
    "manual": "book",
    "commentary": "book",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "incollection": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "booklet": "pamphlet",
    "misc": "document",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "unpublished": "manuscript",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "periodical": "periodical",
    "suppperiodical": "periodical",
    "standard": "standard",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "video": "motion_picture",
    "audio": "song",
    "music": "song",
    "artwork": "graphic",
    "image": "graphic",
    "performance": "performance",
    "review": "review",
    "legislation": "legislation",
    "jurisdiction": "legal_case",
    "legal": "legislation",
    "customa": "document",
    "customb": "document",
    "customc": "document",
    "customd": "document",
    "custome": "document",
    "customf": "document",
}
TYPE_ALIASES = {"conference": "inproceedings", "electronic": "online", "www": "online"}
# entry types the writer always gives back for what they read as (no need to keep them)
SAME_TYPE_BACK = frozenset({"article", "inproceedings"})
# the entry types each dialect's styles know
DIALECT_TYPES = {
    BIBTEX: frozenset(
        "article book booklet inbook incollection inproceedings manual mastersthesis misc "
        "phdthesis proceedings techreport unpublished".split()
    ),
    BIBLATEX: frozenset(
        "article book mvbook inbook bookinbook suppbook booklet collection mvcollection "
        "incollection suppcollection dataset manual misc online patent periodical "
        "suppperiodical proceedings mvproceedings inproceedings reference mvreference "
        "inreference report software thesis unpublished".split()
    ),
}
_MASTERS = lazy_pattern(
    r"master|magist|diplom|licentia|\bm\.?\s?(?:sc|a|s|phil|res|eng)\b", re.IGNORECASE
)
THESIS_LABELS = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
# biblatex localisation keys accepted in `type` and the genre they stand for
TYPE_KEYS = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master's thesis",
    "candthesis": "Candidate thesis",
    "bathesis": "Bachelor's thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
    "patent": "Patent",
    "patentau": "Australian patent",
    "patentde": "German patent",
    "patenteu": "European patent",
    "patentfr": "French patent",
    "patentuk": "British patent",
    "patentus": "U.S. patent",
    "patreq": "Patent request",
    "patreqde": "German patent request",
    "patreqeu": "European patent request",
    "patreqfr": "French patent request",
    "patrequk": "British patent request",
    "patrequs": "U.S. patent request",
}


_BT = frozenset({BIBTEX})
_BL = frozenset({BIBLATEX})
_ISSUE_TYPES = ARTICLES | {"periodical"}
_NUMBERED = REPORTS | frozenset(
    "patent standard manual dataset misc software online unpublished booklet".split()
)

FIELDS: tuple[Row, ...] = (
    Row("author", "author", "names"),
    Row("editor", "editor", "names"),
    Row("bookauthor", "container-author", "names"),
    Row("translator", "translator", "names"),
    Row("title", "title", "title"),
    Row("shorttitle", "title-short", "title"),
    Row("origtitle", "original-title", "title"),
    Row("journal", "container-title", "title", write=_BT, only=ARTICLES),
    Row("journaltitle", "container-title", "title", write=_BL, only=_ISSUE_TYPES),
    Row("booktitle", "container-title", "title", only=PARTS),
    Row("howpublished", "container-title", "text", only=frozenset({"misc", "software"})),
    Row(
        "organization",
        "container-title",
        "text",
        write=_BL,
        only=frozenset({"online", "dataset"}),
    ),
    Row("booktitle", "container-title", "title"),
    Row("shortjournal", "container-title-short", "text"),
    Row("eventtitle", "event-title", "title"),
    Row("series", "collection-title", "title"),
    Row("year", "issued", "year", write=_BT),
    Row("month", "issued", "month", write=_BT),
    Row("day", "issued", "day", write=READ_ONLY),
    Row("date", "issued", "date"),
    Row("pubstate", "status", "pubstate"),
    Row("volume", "volume", "text"),
    Row("volumes", "number-of-volumes", "text"),
    Row("number", "issue", "text", only=_ISSUE_TYPES),
    Row("number", "number", "text", only=_NUMBERED),
    Row("number", "collection-number", "text", only=BOOKS | PARTS | THESES),
    Row("eid", "number", "text", only=ARTICLES),
    Row("issue", "issue", "text"),
    Row("number", "number", "text"),
    Row("pages", "page", "pages"),
    Row("chapter", "chapter-number", "text"),
    Row("edition", "edition", "text"),
    Row("pagetotal", "number-of-pages", "text"),
    Row("type", "genre", "genre"),
    Row("school", "publisher", "text", write=_BT, only=THESES),
    Row("institution", "publisher", "list", only=THESES | REPORTS),
    Row("howpublished", "publisher", "text", only=frozenset({"booklet", "unpublished"})),
    # biblatex's @misc and @software have no publisher field; organization is its place
    Row("organization", "publisher", "list", write=_BL, only=frozenset({"misc", "software"})),
    Row(
        "organization",
        "publisher",
        "list",
        write=READ_ONLY,
        only=frozenset("manual proceedings inproceedings report techreport".split()),
    ),
    Row("publisher", "publisher", "list"),
    Row("address", "publisher-place", "text", write=_BT),
    Row("location", "publisher-place", "list", write=_BL),
    Row("venue", "event-place", "text"),
    Row("eventdate", "event-date", "date"),
    Row("origdate", "original-date", "date"),
    Row("urldate", "accessed", "date"),
    Row("isbn", "ISBN", "text"),
    Row("issn", "ISSN", "text"),
    Row("doi", "DOI", "doi"),
    Row("eprint", "", "eprint"),
    Row("pmid", "PMID", "text"),
    Row("pmcid", "PMCID", "text"),
    Row("url", "URL", "url"),
    Row("langid", "language", "langid", write=_BL),
    Row("language", "language", "langid"),
    Row("version", "version", "text"),
    # CSL variables that no field of the classic styles holds: written under biblatex's
    # name where its data model allows it everywhere (library, origpublisher, origlocation),
    # else (BibTeX only: biblatex's data model forbids unknown fields) under the variable's
    # own name without punctuation, which our reader reads back
    Row("library", "archive", "text"),
    Row("origpublisher", "original-publisher", "list"),
    Row("origlocation", "original-publisher-place", "list"),
    *(
        Row(variable.replace("-", "").replace("_", ""), variable, kind, write=_BT)
        for kind, variables in (
            (
                "names",
                "chair collection-editor compiler composer contributor curator director "
                "editorial-director executive-producer guest host illustrator interviewer "
                "narrator organizer original-author performer producer recipient "
                "reviewed-author script-writer series-creator",
            ),
            ("date", "available-date submitted"),
            (
                "text",
                "archive_location archive-place archive_collection call-number authority "
                "dimensions division jurisdiction medium part part-title printing references "
                "reviewed-genre reviewed-title scale section source supplement volume-title "
                "volume-title-short",
            ),
        )
        for variable in variables.split()
    ),
    Row("keywords", "keyword", "text"),
    Row("abstract", "abstract", "paragraphs"),
    Row("note", "note", "paragraphs"),
    Row("annote", "annote", "paragraphs", write=_BT),
    Row("annotation", "annote", "paragraphs", write=_BL),
)
FIELD_MAP = FieldMap(FIELDS)
# fields the eprint row writes and reads together
EPRINT_FIELDS = frozenset({"eprint", "eprinttype", "archiveprefix", "eprintclass", "primaryclass"})
VERBATIM_FIELDS = frozenset("url doi eprint file pdf verba verbb verbc".split())
# fields of the reading side only: inheritance, sorting and labels
STRUCTURAL_FIELDS = frozenset("crossref xdata xref ids entryset".split())
SUBTITLES = {
    "subtitle": "title",
    "titleaddon": "title",
    "booksubtitle": "booktitle",
    "booktitleaddon": "booktitle",
    "journalsubtitle": "journaltitle",
    "journaltitleaddon": "journaltitle",
    "issuesubtitle": "issuetitle",
    "mainsubtitle": "maintitle",
}

# babel/polyglossia names (biblatex langid) ⇄ BCP 47 codes (CSL language); the first
# name listed for a code is the one written
LANGUAGE_NAMES = {
    "english": "en",
    "american": "en-US",
    "usenglish": "en-US",
    "british": "en-GB",
    "ukenglish": "en-GB",
    "canadian": "en-CA",
    "australian": "en-AU",
    "newzealand": "en-NZ",
    "ngerman": "de",
    "german": "de",
    "naustrian": "de-AT",
    "austrian": "de-AT",
    "nswissgerman": "de-CH",
    "swissgerman": "de-CH",
    "french": "fr",
    "acadian": "fr-CA",
    "spanish": "es",
    "catalan": "ca",
    "italian": "it",
    "portuguese": "pt",
    "brazilian": "pt-BR",
    "dutch": "nl",
    "danish": "da",
    "norsk": "nb",
    "nynorsk": "nn",
    "norwegian": "no",
    "swedish": "sv",
    "finnish": "fi",
    "icelandic": "is",
    "polish": "pl",
    "czech": "cs",
    "slovak": "sk",
    "slovene": "sl",
    "croatian": "hr",
    "serbian": "sr",
    "bulgarian": "bg",
    "russian": "ru",
    "ukrainian": "uk",
    "greek": "el",
    "turkish": "tr",
    "magyar": "hu",
    "hungarian": "hu",
    "romanian": "ro",
    "estonian": "et",
    "latvian": "lv",
    "lithuanian": "lt",
    "latin": "la",
    "hebrew": "he",
    "arabic": "ar",
    "chinese": "zh",
    "japanese": "ja",
    "korean": "ko",
    "vietnamese": "vi",
    "indonesian": "id",
    "basque": "eu",
    "galician": "gl",
    "irish": "ga",
    "welsh": "cy",
}
LANGIDS = {code.lower(): name for name, code in reversed(LANGUAGE_NAMES.items())}

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def field_row(name: str, entry_type: str) -> Row | None:
    """The row the reader uses for a field of an entry type: the first that applies, else
    the field's first row (a @book's journal is still its container-title)."""
    row = FIELD_MAP.read_row(name, entry_type)
    if row is None:
        rows = FIELD_MAP.named(name)
        return rows[0] if rows else None
    return row


# biblatex publication states (pubstate keys) and how CSL writes them
PUBSTATES = {
    "inpress": "in press",
    "forthcoming": "forthcoming",
    "submitted": "submitted",
    "prepublished": "prepublished",
    "inpreparation": "in preparation",
}
PUBSTATE_KEYS = {text: key for key, text in PUBSTATES.items()}


class Macro(str):
    """A value written without braces (a month macro)."""

    __slots__ = ()


# a bare DOI normalise_doi keeps as it is and _verbatim need not encode
PLAIN_DOI = lazy_pattern(r"10\.\d{4,9}/[^\s{}\\%]*[^\s{}\\%.]")


_ARXIV_NUMBER = lazy_pattern(
    r"^\s*(?:arxiv\s*:\s*)?(?P<id>(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)"
    r"(?:\s*\[(?P<class>[^\]]+)\])?\s*$",
    re.IGNORECASE,
)


def _on_arxiv(item: Item) -> bool:
    doi = str(item.get("DOI") or "").lower()
    return doi.startswith("10.48550/arxiv.") or any(
        "arxiv" in str(item.get(v) or "").lower() for v in ("container-title", "publisher")
    )


def eprint_fields(item: Item, dialect: str) -> tuple[list[tuple[str, str]], set[str]]:
    """eprint/eprinttype/... for arXiv preprints (both) and PMID/PMCID (biblatex)."""
    number = item.get("number")
    match = _ARXIV_NUMBER.match(str(number)) if number else None
    if match and not str(number).lower().lstrip().startswith("arxiv") and not _on_arxiv(item):
        match = None  # a bare 1234.56789 is an arXiv id only on an arXiv record
    if match:
        fields = [("eprint", match.group("id"))]
        eprint_class = match.group("class")
        if dialect == BIBLATEX:
            fields.append(("eprinttype", "arxiv"))
            if eprint_class:
                fields.append(("eprintclass", eprint_class))
        else:
            # archiveprefix for BibTeX styles (arXiv's own), eprinttype for Zotero's
            # import, which reads no archiveprefix
            fields.append(("archiveprefix", "arXiv"))
            fields.append(("eprinttype", "arxiv"))
            if eprint_class:
                fields.append(("primaryclass", eprint_class))
        return fields, {"number"}
    if dialect == BIBLATEX:
        pmid = str(item.get("PMID") or "").strip()
        if pmid:
            return [("eprint", pmid), ("eprinttype", "pubmed")], {"PMID"}
        pmcid = str(item.get("PMCID") or "").strip()
        if pmcid:
            return [("eprint", pmcid), ("eprinttype", "pmcid")], {"PMCID"}
    return [], set()


def has_value(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def write_type(item: Item, dialect: str) -> tuple[str, list[tuple[str, str]]]:
    """The entry type for an item, plus any fields the type implies (entrysubtype)."""
    csl_type = str(item.get("type") or "")
    extra: list[tuple[str, str]] = []
    stored = str((item.get("custom") or {}).get(CUSTOM_TYPE) or "")
    if stored in DIALECT_TYPES[dialect] and READ_TYPES.get(stored) == csl_type:
        return stored, extra
    bibtex_type, biblatex_type = WRITE_TYPES.get(csl_type, ("misc", "misc"))
    entry_type = biblatex_type if dialect == BIBLATEX else bibtex_type
    has_container = has_value(item.get("container-title"))
    if csl_type == "chapter" and not (has_container or has_value(item.get("editor"))):
        entry_type = "inbook"
    elif csl_type.startswith("entry") and not has_container:
        entry_type = "misc"
    elif csl_type == "thesis" and dialect == BIBTEX:
        if _MASTERS.search(str(item.get("genre") or "")):
            entry_type = "mastersthesis"
    elif csl_type == "book" and dialect == BIBLATEX:
        if has_value(item.get("editor")) and not has_value(item.get("author")):
            entry_type = "collection"
    elif (
        entry_type == "online"
        and not any(has_value(item.get(v)) for v in ("URL", "DOI"))
        and not eprint_fields(item, dialect)[0]
    ):
        entry_type = "misc"  # biblatex @online needs a url, doi or eprint
    if dialect == BIBLATEX and csl_type in ("article-magazine", "article-newspaper"):
        extra.append(("entrysubtype", csl_type.split("-", 1)[1]))
    return entry_type, extra


def genre_value(item: Item, entry_type: str, dialect: str) -> str | None:
    genre = str(item.get("genre") or "").strip()
    if entry_type in ("phdthesis", "mastersthesis"):
        default = THESIS_LABELS[entry_type]
        return None if not genre or genre.lower() == default.lower() else genre
    if dialect == BIBLATEX and entry_type == "thesis":
        if not genre or genre.lower() in ("phd thesis", "phdthesis"):
            return "phdthesis"
        if genre.lower() in ("master's thesis", "mathesis"):
            return "mathesis"
        return genre
    if dialect == BIBLATEX and entry_type == "report":
        return genre or "techreport"
    return genre or None


# custom data (CSL-JSON's "custom" object: citation counts, full-text links, retraction
# notices) in BibTeX: one field per key, the key prefixed, read back into "custom"
CUSTOM_PREFIX = "x-"


_JSON_START = frozenset('[{"-0123456789tfn')


def custom_value(text: str) -> Any:
    """A custom field's text → the value written (JSON where it reads as JSON)."""
    if text[:1] in _JSON_START:
        import json

        try:
            return json.loads(text)
        except ValueError:
            pass
    return text
