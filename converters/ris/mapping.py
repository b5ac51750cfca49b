"""RIS's types and its field map: one table drives both directions.

Each row of :data:`FIELDS` ties a RIS tag to a CSL variable for the CSL types it
applies to, the way Zotero's RIS translator does. Rows are in the order the writer
emits tags (Zotero's export order); for reading, an earlier row wins when several tags
give the same variable (``TI`` before ``T1``, ``DA`` before ``Y1``/``PY``, ``T2``
before ``JF`` before ``JO``). Rows marked ``write=False`` are old or vendor tags that
are only read. What a value of each kind becomes is in :mod:`.values`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Field:
    """One row of the map: ``tag`` <-> ``variable`` for the CSL types it applies to."""

    tag: str
    variable: str
    kind: str = TEXT
    only: frozenset[str] | None = None  # applies to these CSL types only
    skip: frozenset[str] = frozenset()  # never to these
    write: bool = True  # False: an old or vendor tag, read only
    overflow: str | None = None  # where a value goes when a better tag already set `variable`

    def applies(self, csl_type: str) -> bool:
        return (self.only is None or csl_type in self.only) and csl_type not in self.skip


FIELDS: tuple[Field, ...] = (
    Field("TI", "title"),
    # Zotero's film: AU is the director (the primary creator), as in the RIS specification
    Field("AU", "director", NAMES, only=FILMS),
    Field("AU", "author", NAMES, skip=FILMS),
    Field("T2", "event-title", CONFERENCE_T2, only=CONFERENCE),  # alone: the proceedings (pandoc)
    Field("T2", "collection-title", only=SERIES_IN_T2),
    Field("T2", "container-title", skip=CONFERENCE),  # for series types only without a series
    Field("A2", "collection-editor", NAMES, only=WHOLE_BOOKS | {"report"}),
    Field("A2", "editor", NAMES, skip=WHOLE_BOOKS | {"report"}),
    Field("T3", "collection-title", skip=SERIES_IN_T2),
    Field("A3", "editor", NAMES, only=WHOLE_BOOKS | {"report"}),
    Field("A3", "collection-editor", NAMES, skip=WHOLE_BOOKS | {"report"}),
    Field("A4", "translator", NAMES),
    Field("AB", "abstract"),
    # the RIS specification and Zotero: C1 is where the proceedings were published, CY
    # where the conference was held
    Field("C1", "publisher-place", only=CONFERENCE),
    Field("C1", "scale", only=frozenset({"map"})),
    # EndNote's PMCID (GEN: preprints, which read back as document before their type is
    # recognised); Scopus writes the PMID here, read as PMID
    Field("C2", "PMCID", PUBMED_ID, only=JOURNALS | {"article", "document"}),
    Field("C3", "container-title", only=CONFERENCE),  # Zotero's proceedings title
    Field("C7", "number", only=JOURNALS),  # article number, written only beside real pages
    Field("CN", "call-number"),
    Field("CY", "event-place", only=CONFERENCE),
    Field("CY", "publisher-place", skip=CONFERENCE),
    Field("DA", "issued", DATE),
    Field("PY", "issued", YEAR),
    Field("DO", "DOI"),
    Field("DP", "source"),
    Field("ET", "version", only=VERSIONED),
    Field("ET", "available-date", DATE, only=JOURNALS),  # EndNote's "Epub Date"
    Field("ET", "edition", skip=JOURNALS),
    Field("VL", "volume"),
    Field("IS", "issue"),
    Field("SP", "page", PAGES),
    Field("EP", "page", END_PAGE),
    Field("J2", "container-title-short"),
    Field("LA", "language"),
    Field("M1", "collection-number", only=frozenset({"book"})),
    # Zotero reads M1 of GEN as the issue: a preprint's number goes in AN (see ACCESSION)
    Field("M1", "number", skip=JOURNALS | NUMBER_IN_SN | PREPRINTS),
    Field("M3", "genre", GENRE),
    Field("NV", "number-of-volumes"),
    Field("OP", "original-title"),
    Field("RI", "reviewed-title"),
    Field("PB", "publisher"),
    Field("SE", "section"),
    Field("SN", "ISSN", SERIAL),  # ISSN, ISBN, or a report/patent number
    Field("ST", "title-short"),
    Field("SV", "collection-number", skip=frozenset({"book"})),
    Field("UR", "URL"),
    Field("AN", "PMID", ACCESSION),  # PMID, or any other accession number as archive_location
    Field("DB", "archive"),
    Field("Y2", "accessed", DATE),
    Field("L1", CUSTOM_FULLTEXT_URL, FULLTEXT),
    Field("N1", "note", NOTES),
    Field("KW", "keyword", KEYWORDS),
    Field("ID", "id"),
    # read only: the old specification's tags and those vendors write
    Field("T1", "title", write=False),
    Field("CT", "title", write=False),
    Field("BT", "title", only=WHOLE_BOOKS | {"manuscript"}, write=False),
    Field("BT", "container-title", write=False),
    Field("A1", "author", NAMES, write=False),
    Field("ED", "editor", NAMES, write=False),
    Field("Y1", "issued", DATE, write=False),
    Field("JF", "container-title", write=False),
    # The specification calls JO the full journal name, and pandoc, citation-js and
    # bibutils read it so; Zotero reads it as the abbreviation. It is the full name
    # unless T2 or JF gave one, then the abbreviation.
    Field("JO", "container-title", write=False, overflow="container-title-short"),
    Field("JA", "container-title-short", write=False),
    Field("J1", "container-title-short", write=False),
    Field("JI", "container-title-short", write=False),  # Web of Science
    Field("J9", "container-title-short", write=False),  # Web of Science
    Field("N2", "abstract", write=False),
    Field("RN", "note", NOTES, write=False),
    Field("PU", "publisher", write=False),  # Web of Science
    Field("PI", "publisher-place", write=False),  # Web of Science
    Field("CP", "event-title", only=CONFERENCE, write=False),  # Web of Science
)
_RANK = {field: rank for rank, field in enumerate(FIELDS)}
KNOWN_TAGS = frozenset(field.tag for field in FIELDS) | {"TY", "ER"}


@dataclass(frozen=True)
class TypePlan:
    """The rows of the map that apply to one CSL type, prepared for both directions."""

    writes: tuple[Field, ...]
    steps: tuple[tuple[str, str, str, Field], ...]  # (kind, variable, "TAG  - ", row) to write
    reads: dict[str, tuple[tuple[int, Field], ...]]  # tag -> (rank, row) that apply, best first
    consumed: frozenset[str]  # variables the writer writes for this type


_plans: dict[str, TypePlan] = {}


def type_plan(csl_type: str) -> TypePlan:
    plan = _plans.get(csl_type)
    if plan is None:
        rows = [f for f in FIELDS if f.applies(csl_type)]
        reads: dict[str, list[tuple[int, Field]]] = {}
        for row in rows:
            reads.setdefault(row.tag, []).append((_RANK[row], row))
        writes = tuple(r for r in rows if r.write and r.kind != END_PAGE and r.tag != "ID")
        consumed = {r.variable for r in writes}
        if csl_type in CONFERENCE:
            consumed.add("container-title")
        if csl_type in JOURNALS:
            consumed.add("number")
        if csl_type in PAGES_ARE_COUNT:
            consumed.add("number-of-pages")
        if csl_type in NUMBER_IN_SN or csl_type in PREPRINTS:
            consumed.add("number")
        consumed |= {"ISBN", "ISSN", "PMID", "archive_location"}
        steps = tuple((r.kind, r.variable, f"{r.tag}  - ", r) for r in writes)
        plan = TypePlan(writes, steps, {t: tuple(r) for t, r in reads.items()}, frozenset(consumed))
        _plans[csl_type] = plan
    return plan
