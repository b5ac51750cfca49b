"""RIS's types and its field map: one table drives both directions.

Each row of :data:`FIELDS` ties a RIS tag to a CSL variable for the CSL types it
applies to, the way Zotero's RIS translator does. Rows are in the order the writer
emits tags (Zotero's export order); for reading, an earlier row wins when several tags
give the same variable (``TI`` before ``T1``, ``DA`` before ``Y1``/``PY``, ``T2``
before ``JF`` before ``JO``). Rows marked ``write=READ_ONLY`` are old or vendor tags that
are only read. What a value of each kind becomes is in :mod:`.values`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.fieldmap import MAX_PLANS, READ_ONLY, FieldMap, Row
from ..core.model import CUSTOM_FULLTEXT_URL, Item

# item["custom"] key: tags this reader could not map, as {tag: [value, ...]};
# the writer writes them back unchanged.
CUSTOM_RIS_TAGS = "ris-tags"

# --- types --------------------------------------------------------------------------------

# CSL type -> the TY written. Zotero's export table where Zotero has the type
# (preprints and anything without a RIS type are GEN, as Zotero writes them).
TYPE_TO_RIS: dict[str, str] = {
    "article": "GEN",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "bill": "BILL",
    "book": "BOOK",
    "broadcast": "MPCT",
    "chapter": "CHAP",
    "classic": "CLSWK",
    "collection": "GEN",
    "dataset": "DATA",
    "document": "GEN",
    "entry": "GEN",
    "entry-dictionary": "DICT",
    "entry-encyclopedia": "ENCYC",
    "event": "GEN",
    "figure": "FIGURE",
    "graphic": "ART",
    "hearing": "HEAR",
    "interview": "PCOMM",
    "legal_case": "CASE",
    "legislation": "STAT",
    "manuscript": "MANSCPT",
    "map": "MAP",
    "motion_picture": "MPCT",
    "musical_score": "MUSIC",
    "pamphlet": "PAMP",
    "paper-conference": "CONF",
    "patent": "PAT",
    "performance": "GEN",
    "periodical": "JFULL",
    "personal_communication": "PCOMM",
    "post": "ICOMM",
    "post-weblog": "BLOG",
    "regulation": "LEGAL",
    "report": "RPRT",
    "review": "JOUR",
    "review-book": "JOUR",
    "software": "COMP",
    "song": "SOUND",
    "speech": "SLIDE",
    "standard": "STAND",
    "thesis": "THES",
    "treaty": "GEN",
    "webpage": "ELEC",
}
# TY read -> CSL type: every TY of the RIS specification, plus the variants
# EndNote and the databases write (CPAPER, WEB, EJOUR, ...).
RIS_TO_TYPE: dict[str, str] = {
    "ABST": "article-journal",
    "ADVS": "motion_picture",
    "AGGR": "dataset",
    "ANCIENT": "classic",
    "ART": "graphic",
    "BILL": "bill",
    "BLOG": "post-weblog",
    "BOOK": "book",
    "CASE": "legal_case",
    "CHAP": "chapter",
    "CHART": "figure",
    "CLSWK": "classic",
    "COMP": "software",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "CTLG": "document",
    "DATA": "dataset",
    "DBASE": "dataset",
    "DICT": "entry-dictionary",
    "EBOOK": "book",
    "ECHAP": "chapter",
    "EDBOOK": "book",
    "EJOUR": "article-journal",
    "ELEC": "webpage",
    "ENCYC": "entry-encyclopedia",
    "EQUA": "document",
    "FIGURE": "figure",
    "GEN": "document",
    "GOVDOC": "report",
    "GRANT": "document",
    "GRNT": "document",
    "HEAR": "hearing",
    "ICOMM": "post",
    "INPR": "article-journal",
    "JFULL": "periodical",
    "JOUR": "article-journal",
    "LEGAL": "regulation",
    "MANSCPT": "manuscript",
    "MAP": "map",
    "MGZN": "article-magazine",
    "MPCT": "motion_picture",
    "MULTI": "motion_picture",
    "MUSIC": "musical_score",
    "NEWS": "article-newspaper",
    "PAMP": "pamphlet",
    "PAT": "patent",
    "PCOMM": "personal_communication",
    "RPRT": "report",
    "SER": "book",
    "SLIDE": "speech",
    "SOUND": "song",
    "STAND": "standard",
    "STAT": "legislation",
    "THES": "thesis",
    "UNBILL": "bill",
    "UNPB": "manuscript",
    "UNPD": "manuscript",
    "VIDEO": "motion_picture",
    "WEB": "webpage",
}
# For a TY that is none of the above: the first key it contains decides.
TYPE_GUESSES = (
    ("PREPRINT", "article"),
    ("JOUR", "article-journal"),
    ("ARTICLE", "article-journal"),
    ("CHAP", "chapter"),
    ("SECTION", "chapter"),
    ("BOOK", "book"),
    ("CONF", "paper-conference"),
    ("PROC", "paper-conference"),
    ("THES", "thesis"),
    ("DISS", "thesis"),
    ("REPORT", "report"),
    ("RPT", "report"),
    ("WEB", "webpage"),
    ("DATA", "dataset"),
    ("SOFT", "software"),
    ("PAT", "patent"),
    ("NEWS", "article-newspaper"),
    ("MAG", "article-magazine"),
)
# GEN records whose DOI prefix or container/publisher/database names a preprint
# server are read as CSL "article" (a preprint), the type Zotero writes as GEN.
_PREPRINT_DOI = re.compile(
    r"^10\.(?:48550/|1101/|2139/ssrn|21203/rs|20944/preprints|31219/osf|31234/osf|"
    r"31235/osf|26434/chemrxiv|36227/techrxiv|22541/au|32942/osf)",
    re.IGNORECASE,
)
_PREPRINT_NAME = re.compile(
    r"\b(?:arxiv|biorxiv|medrxiv|chemrxiv|techrxiv|psyarxiv|socarxiv|edarxiv|ssrn|"
    r"research square|preprints\.org|osf preprints|authorea)\b",
    re.IGNORECASE,
)


def is_preprint(item: Item) -> bool:
    doi = str(item.get("DOI") or "")
    if doi and _PREPRINT_DOI.match(doi):
        return True
    return any(
        _PREPRINT_NAME.search(str(item[v]))
        for v in ("container-title", "publisher", "source", "genre", "archive_location")
        if v in item
    )


# Groups of CSL types the field map refers to.
JOURNALS = frozenset(
    "article-journal article-magazine article-newspaper review review-book".split()
)
WHOLE_BOOKS = frozenset("book classic periodical".split())
SERIES_IN_T2 = frozenset("book classic report software map".split())  # T2 is the series
CONFERENCE = frozenset({"paper-conference"})
NUMBER_IN_SN = frozenset({"report", "patent"})  # report/patent number in SN
# Zotero reads SN as the ISSN only for these (GEN and JFULL are journal articles to it)
SN_IS_ISSN = JOURNALS | {t for t, ty in TYPE_TO_RIS.items() if ty in ("GEN", "JFULL")}
# MPCT: AU is the director (a broadcast's AU, its author, is read back so too)
FILMS = frozenset({"motion_picture"})
PREPRINTS = frozenset({"article"})  # written as GEN, the preprint number in AN
PAGES_ARE_COUNT = frozenset({"book", "thesis"})  # SP alone is the number of pages
VERSIONED = frozenset({"software", "dataset"})

# --- the field map ---------------------------------------------------------------------------

TEXT, NAMES, DATE, YEAR, NOTES, KEYWORDS = "text", "names", "date", "year", "notes", "keywords"
# Kinds whose value needs more than one tag or a look at its content; see
# reader._read_special and writer._special_lines.
PAGES, END_PAGE, SERIAL, ACCESSION, PUBMED_ID, FULLTEXT, CONFERENCE_T2, GENRE = (
    "pages",
    "end-page",
    "serial",
    "accession",
    "pubmed-id",
    "fulltext",
    "conference-t2",
    "genre",
)


FIELDS: tuple[Row, ...] = (
    Row("TI", "title", TEXT),
    # Zotero's film: AU is the director (the primary creator), as in the RIS specification
    Row("AU", "director", NAMES, only=FILMS),
    Row("AU", "author", NAMES, skip=FILMS),
    Row("T2", "event-title", CONFERENCE_T2, only=CONFERENCE),  # alone: the proceedings (pandoc)
    Row("T2", "collection-title", TEXT, only=SERIES_IN_T2),
    Row("T2", "container-title", TEXT, skip=CONFERENCE),  # for series types only without a series
    Row("A2", "collection-editor", NAMES, only=WHOLE_BOOKS | {"report"}),
    Row("A2", "editor", NAMES, skip=WHOLE_BOOKS | {"report"}),
    Row("T3", "collection-title", TEXT, skip=SERIES_IN_T2),
    Row("A3", "editor", NAMES, only=WHOLE_BOOKS | {"report"}),
    Row("A3", "collection-editor", NAMES, skip=WHOLE_BOOKS | {"report"}),
    Row("A4", "translator", NAMES),
    Row("AB", "abstract", TEXT),
    # the RIS specification and Zotero: C1 is where the proceedings were published, CY
    # where the conference was held
    Row("C1", "publisher-place", TEXT, only=CONFERENCE),
    Row("C1", "scale", TEXT, only=frozenset({"map"})),
    # EndNote's PMCID (GEN: preprints, which read back as document before their type is
    # recognised); Scopus writes the PMID here, read as PMID
    Row("C2", "PMCID", PUBMED_ID, only=JOURNALS | {"article", "document"}),
    Row("C3", "container-title", TEXT, only=CONFERENCE),  # Zotero's proceedings title
    Row("C7", "number", TEXT, only=JOURNALS),  # article number, written only beside real pages
    Row("CN", "call-number", TEXT),
    Row("CY", "event-place", TEXT, only=CONFERENCE),
    Row("CY", "publisher-place", TEXT, skip=CONFERENCE),
    Row("DA", "issued", DATE),
    Row("PY", "issued", YEAR),
    Row("DO", "DOI", TEXT),
    Row("DP", "source", TEXT),
    Row("ET", "version", TEXT, only=VERSIONED),
    Row("ET", "available-date", DATE, only=JOURNALS),  # EndNote's "Epub Date"
    Row("ET", "edition", TEXT, skip=JOURNALS),
    Row("VL", "volume", TEXT),
    Row("IS", "issue", TEXT),
    Row("SP", "page", PAGES),
    Row("EP", "page", END_PAGE, write=READ_ONLY),  # written with SP, by the pages codec
    Row("J2", "container-title-short", TEXT),
    Row("LA", "language", TEXT),
    Row("M1", "collection-number", TEXT, only=frozenset({"book"})),
    # Zotero reads M1 of GEN as the issue: a preprint's number goes in AN (see ACCESSION)
    Row("M1", "number", TEXT, skip=JOURNALS | NUMBER_IN_SN | PREPRINTS),
    Row("M3", "genre", GENRE),
    Row("NV", "number-of-volumes", TEXT),
    Row("OP", "original-title", TEXT),
    Row("RI", "reviewed-title", TEXT),
    Row("PB", "publisher", TEXT),
    Row("SE", "section", TEXT),
    Row("SN", "ISSN", SERIAL),  # ISSN, ISBN, or a report/patent number
    Row("ST", "title-short", TEXT),
    Row("SV", "collection-number", TEXT, skip=frozenset({"book"})),
    Row("UR", "URL", TEXT),
    Row("AN", "PMID", ACCESSION),  # PMID, or any other accession number as archive_location
    Row("DB", "archive", TEXT),
    Row("Y2", "accessed", DATE),
    Row("L1", CUSTOM_FULLTEXT_URL, FULLTEXT),
    Row("N1", "note", NOTES),
    Row("KW", "keyword", KEYWORDS),
    Row("ID", "id", TEXT, write=READ_ONLY),  # written last, from the citation key
    # read only: the old specification's tags and those vendors write
    Row("T1", "title", TEXT, write=READ_ONLY),
    Row("CT", "title", TEXT, write=READ_ONLY),
    Row("BT", "title", TEXT, only=WHOLE_BOOKS | {"manuscript"}, write=READ_ONLY),
    Row("BT", "container-title", TEXT, write=READ_ONLY),
    Row("A1", "author", NAMES, write=READ_ONLY),
    Row("ED", "editor", NAMES, write=READ_ONLY),
    Row("Y1", "issued", DATE, write=READ_ONLY),
    Row("JF", "container-title", TEXT, write=READ_ONLY),
    # The specification calls JO the full journal name, and pandoc, citation-js and
    # bibutils read it so; Zotero reads it as the abbreviation. It is the full name
    # unless T2 or JF gave one, then the abbreviation.
    Row("JO", "container-title", TEXT, write=READ_ONLY, overflow="container-title-short"),
    Row("JA", "container-title-short", TEXT, write=READ_ONLY),
    Row("J1", "container-title-short", TEXT, write=READ_ONLY),
    Row("JI", "container-title-short", TEXT, write=READ_ONLY),  # Web of Science
    Row("J9", "container-title-short", TEXT, write=READ_ONLY),  # Web of Science
    Row("N2", "abstract", TEXT, write=READ_ONLY),
    Row("RN", "note", NOTES, write=READ_ONLY),
    Row("PU", "publisher", TEXT, write=READ_ONLY),  # Web of Science
    Row("PI", "publisher-place", TEXT, write=READ_ONLY),  # Web of Science
    Row("CP", "event-title", TEXT, only=CONFERENCE, write=READ_ONLY),  # Web of Science
)
FIELD_MAP = FieldMap(FIELDS)
KNOWN_TAGS = frozenset(FIELD_MAP.fields()) | {"TY", "ER"}


@dataclass(frozen=True)
class TypePlan:
    """What RIS derives from the field map's plans for one CSL type."""

    reads: dict[str, tuple[tuple[int, Row], ...]]  # tag -> (rank, row) that apply, best first
    steps: tuple[tuple[str, str, str, Row], ...]  # (kind, variable, "TAG  - ", row) to write
    consumed: frozenset[str]  # variables the writer writes for this type


_plans: dict[str, TypePlan] = {}


def type_plan(csl_type: str) -> TypePlan:
    plan = _plans.get(csl_type)
    if plan is None:
        rank = FIELD_MAP.position
        reads = {
            tag: tuple((rank(row), row) for row in rows)
            for tag, rows in FIELD_MAP.reading(csl_type).items()
        }
        writes = FIELD_MAP.writing(csl_type)
        consumed = {row.variable for row in writes}
        if csl_type in CONFERENCE:
            consumed.add("container-title")
        if csl_type in JOURNALS:
            consumed.add("number")
        if csl_type in PAGES_ARE_COUNT:
            consumed.add("number-of-pages")
        if csl_type in NUMBER_IN_SN or csl_type in PREPRINTS:
            consumed.add("number")
        consumed |= {"ISBN", "ISSN", "PMID", "archive_location"}
        steps = tuple((row.kind, row.variable, f"{row.field}  - ", row) for row in writes)
        plan = TypePlan(reads, steps, frozenset(consumed))
        if len(_plans) < MAX_PLANS:
            _plans[csl_type] = plan
    return plan
