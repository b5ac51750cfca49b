"""RIS (Research Information Systems) tagged records, read and written.

One declarative field map, :data:`FIELDS`, drives both directions, the way
Zotero's RIS translator does: each row ties a RIS tag to a CSL variable for
the CSL types it applies to. Rows are in the order the writer emits tags
(Zotero's export order); for reading, an earlier row wins when several tags
give the same variable (``TI`` before ``T1``, ``DA`` before ``Y1``/``PY``,
``T2`` before ``JF`` before ``JO``). Rows marked ``write=False`` are old or
vendor tags that are only read.

Writing follows the RIS specification and Zotero's export: ``TY`` first and
``ER  - `` last, ``TAG  - value`` with one value per line (no continuation
lines: pandoc's RIS reader rejects them), CRLF line endings by default,
``PY  - YYYY`` always plus ``DA  - YYYY/MM/DD/``, pages split into ``SP``/``EP``,
an article number alone in ``SP``.

Reading is tolerant, like Zotero's importer: either line ending, a byte-order
mark (also in the middle of concatenated files), blank lines and junk between
records, continuation lines, lower-case or unknown ``TY`` values (with a
warning), old and new tags, a missing ``ER`` (with a warning). Tags with no
CSL variable are kept in ``item["custom"]["ris-tags"]`` and written back, so
RIS → refconv → RIS loses nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from .core.dates import MONTHS, SEASONS, parse_date_parts
from .core.diagnostics import Report
from .core.identifiers import normalise_doi
from .core.model import CUSTOM_FULLTEXT_URL, Item, split_keywords
from .core.names import (
    PARTICLES,
    SUFFIXES,
    is_cjk_name,
    is_corporate,
    parse_given_first,
    parse_name,
)
from .core.options import FLAG, WriteOption, flag_value

NAME = "ris"
ALIASES = ("refman",)
EXTENSIONS = (".ris",)
DESCRIPTION = "RIS tagged records (Zotero, EndNote, Mendeley; PubMed, Web of Science, Scopus)"
WRITE_OPTIONS = (
    WriteOption(
        "crlf",
        FLAG,
        "line ends CRLF (the RIS specification's and Zotero's; the default) or LF.",
        flag="--crlf/--lf",
        default=True,
    ),
    WriteOption(
        "bom",
        FLAG,
        "start with a UTF-8 byte-order mark (for EndNote and Windows tools).",
        flag="--bom",
        default=False,
    ),
)

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
_TYPE_GUESSES = (
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
# Kinds whose value needs more than one tag or a look at its content; see _read_special
# and the writer's _special_lines.
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


F = Field
FIELDS: tuple[Field, ...] = (
    F("TI", "title"),
    # Zotero's film: AU is the director (the primary creator), as in the RIS specification
    F("AU", "director", NAMES, only=FILMS),
    F("AU", "author", NAMES, skip=FILMS),
    F("T2", "event-title", CONFERENCE_T2, only=CONFERENCE),  # alone: the proceedings (pandoc)
    F("T2", "collection-title", only=SERIES_IN_T2),
    F("T2", "container-title", skip=CONFERENCE),  # for series types only without a series
    F("A2", "collection-editor", NAMES, only=WHOLE_BOOKS | {"report"}),
    F("A2", "editor", NAMES, skip=WHOLE_BOOKS | {"report"}),
    F("T3", "collection-title", skip=SERIES_IN_T2),
    F("A3", "editor", NAMES, only=WHOLE_BOOKS | {"report"}),
    F("A3", "collection-editor", NAMES, skip=WHOLE_BOOKS | {"report"}),
    F("A4", "translator", NAMES),
    F("AB", "abstract"),
    # the RIS specification and Zotero: C1 is where the proceedings were published, CY
    # where the conference was held
    F("C1", "publisher-place", only=CONFERENCE),
    F("C1", "scale", only=frozenset({"map"})),
    # EndNote's PMCID (GEN: preprints, which read back as document before their type is
    # recognised); Scopus writes the PMID here, read as PMID
    F("C2", "PMCID", PUBMED_ID, only=JOURNALS | {"article", "document"}),
    F("C3", "container-title", only=CONFERENCE),  # Zotero's proceedings title
    F("C7", "number", only=JOURNALS),  # article number, written only beside real pages
    F("CN", "call-number"),
    F("CY", "event-place", only=CONFERENCE),
    F("CY", "publisher-place", skip=CONFERENCE),
    F("DA", "issued", DATE),
    F("PY", "issued", YEAR),
    F("DO", "DOI"),
    F("DP", "source"),
    F("ET", "version", only=VERSIONED),
    F("ET", "available-date", DATE, only=JOURNALS),  # EndNote's "Epub Date"
    F("ET", "edition", skip=JOURNALS),
    F("VL", "volume"),
    F("IS", "issue"),
    F("SP", "page", PAGES),
    F("EP", "page", END_PAGE),
    F("J2", "container-title-short"),
    F("LA", "language"),
    F("M1", "collection-number", only=frozenset({"book"})),
    # Zotero reads M1 of GEN as the issue: a preprint's number goes in AN (see ACCESSION)
    F("M1", "number", skip=JOURNALS | NUMBER_IN_SN | PREPRINTS),
    F("M3", "genre", GENRE),
    F("NV", "number-of-volumes"),
    F("OP", "original-title"),
    F("RI", "reviewed-title"),
    F("PB", "publisher"),
    F("SE", "section"),
    F("SN", "ISSN", SERIAL),  # ISSN, ISBN, or a report/patent number
    F("ST", "title-short"),
    F("SV", "collection-number", skip=frozenset({"book"})),
    F("UR", "URL"),
    F("AN", "PMID", ACCESSION),  # PMID, or any other accession number as archive_location
    F("DB", "archive"),
    F("Y2", "accessed", DATE),
    F("L1", CUSTOM_FULLTEXT_URL, FULLTEXT),
    F("N1", "note", NOTES),
    F("KW", "keyword", KEYWORDS),
    F("ID", "id"),
    # read only: the old specification's tags and those vendors write
    F("T1", "title", write=False),
    F("CT", "title", write=False),
    F("BT", "title", only=WHOLE_BOOKS | {"manuscript"}, write=False),
    F("BT", "container-title", write=False),
    F("A1", "author", NAMES, write=False),
    F("ED", "editor", NAMES, write=False),
    F("Y1", "issued", DATE, write=False),
    F("JF", "container-title", write=False),
    # The specification calls JO the full journal name, and pandoc, citation-js and
    # bibutils read it so; Zotero reads it as the abbreviation. It is the full name
    # unless T2 or JF gave one, then the abbreviation.
    F("JO", "container-title", write=False, overflow="container-title-short"),
    F("JA", "container-title-short", write=False),
    F("J1", "container-title-short", write=False),
    F("JI", "container-title-short", write=False),  # Web of Science
    F("J9", "container-title-short", write=False),  # Web of Science
    F("N2", "abstract", write=False),
    F("RN", "note", NOTES, write=False),
    F("PU", "publisher", write=False),  # Web of Science
    F("PI", "publisher-place", write=False),  # Web of Science
    F("CP", "event-title", only=CONFERENCE, write=False),  # Web of Science
)
_RANK = {field: rank for rank, field in enumerate(FIELDS)}
KNOWN_TAGS = frozenset(field.tag for field in FIELDS) | {"TY", "ER"}

# item["custom"] keys the writer writes
_CUSTOM_WRITTEN = frozenset({CUSTOM_RIS_TAGS, CUSTOM_FULLTEXT_URL})
# Variables the writer handles outside the map, or that mean nothing in a file.
_NOT_DATA = frozenset(
    "id type custom citation-key citation-number first-reference-note-number locator "
    "year-suffix citation-label".split()
)


@dataclass(frozen=True)
class _TypePlan:
    """The rows of the map that apply to one CSL type, prepared for both directions."""

    writes: tuple[Field, ...]
    steps: tuple[tuple[str, str, str, Field], ...]  # (kind, variable, "TAG  - ", row) to write
    reads: dict[str, tuple[tuple[int, Field], ...]]  # tag -> (rank, row) that apply, best first
    consumed: frozenset[str]  # variables the writer writes for this type


_plans: dict[str, _TypePlan] = {}


def _plan(csl_type: str) -> _TypePlan:
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
        plan = _TypePlan(
            writes, steps, {t: tuple(r) for t, r in reads.items()}, frozenset(consumed)
        )
        _plans[csl_type] = plan
    return plan


# --- sniffing ----------------------------------------------------------------------------------

_SNIFF_TY = re.compile(r"^\ufeff?TY {1,2}- ", re.MULTILINE)
_SNIFF_TAG = re.compile(r"^[A-Z][A-Z0-9]  - ", re.MULTILINE)


def sniff(head: str) -> float:
    """A ``TY`` line among the first lines (as Zotero detects RIS); else many tag lines."""
    text = head[:8192]
    first_lines = [line for line in text.splitlines()[:40] if line.strip()][:8]
    if any(_SNIFF_TY.match(line.lstrip("\ufeff")) for line in first_lines):
        return 0.95
    if _SNIFF_TY.search(text):
        return 0.7
    return 0.3 if len(_SNIFF_TAG.findall(text)) >= 3 else 0.0


# --- reading -----------------------------------------------------------------------------------

_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])  -(?:[ \t](.*)|[ \t]*$)")
_TAG_LINE_ONE_SPACE = re.compile(r"([A-Z][A-Z0-9]) -(?:[ \t](.*)|[ \t]*$)")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# values that are HTML or free text, left as written (Zotero unescapes all others)
_NO_UNESCAPE = frozenset({"AB", "N1", "N2", "RN"})
_PARAGRAPH_TAGS = frozenset({"AB", "N2"})
_LINE_TAGS = frozenset({"N1", "RN"})
# a continuation line of these tags is one more value (EndNote writes KW and SN so)
_LIST_TAGS = frozenset({"KW", "SN", "UR", "L1", "L2", "L4"})


class _Record:
    __slots__ = ("index", "line", "max_length", "tags", "ty")

    def __init__(self, ty: str | None, line: int, index: int):
        self.ty = ty
        self.line = line
        self.index = index
        self.tags: list[list[Any]] = []  # [tag, value, line, last physical line length]
        self.max_length = 0


_ODD = re.compile("[\r\ufeff\u2028\u2029]")


def _physical_lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    """Numbered lines without their ends; also split at a lone CR (old Mac files), with
    byte-order marks (concatenated files) dropped and Unicode line separators as spaces."""
    number = 0
    odd = _ODD.search
    for raw in stream:
        number += 1
        line = raw.rstrip("\r\n")
        # isascii() is a flag look-up: an ASCII line can only hold the CR of _ODD
        if (line.isascii() and "\r" not in line) or odd(line) is None:
            yield number, line
            continue
        line = line.replace("\ufeff", "").replace("\u2028", " ").replace("\u2029", " ")
        pieces = line.split("\r")
        for offset, piece in enumerate(pieces):
            yield number + offset, piece
        number += len(pieces) - 1


def _records(stream: TextIO, report: Report) -> Iterator[_Record]:
    """Split the input into records; report what lies outside them.

    A record may hold at most ``stream.max_record`` characters (the CLI's ``--max-line``;
    no bound for a stream without one): a longer one is reported and skipped, its lines
    dropped as they are read, so that a record of endless short lines cannot fill memory.
    """
    record: _Record | None = None
    headless: _Record | None = None  # tag lines met outside a record
    index = 0
    junk_from = 0  # first line of a run of text outside records
    paragraph = False  # a blank line inside AB/N2 is pending
    limit = getattr(stream, "max_record", 0)
    held = 0  # characters of the current record so far
    too_long = False  # the current record passed the limit: drop lines until ER or TY
    tag_line = _TAG_LINE.match
    for number, line in _physical_lines(stream):
        match = tag_line(line)
        if match is None and line[2:4] == " -":
            match = _TAG_LINE_ONE_SPACE.match(line)
            if match and match.group(1) not in KNOWN_TAGS:
                match = None  # "US - based": prose, not a tag
        if too_long:
            if match is None or match.group(1) not in ("TY", "ER"):
                continue
            too_long = False
        if limit and (match is None or match.group(1) not in ("TY", "ER")):
            current = record or headless
            held = held + len(line) if current is not None else 0
            if held > limit and current is not None:
                from .core.limits import size_text

                report.error(
                    f"record longer than {size_text(limit)} (at line {number}); skipped "
                    "(--max-line raises the limit)",
                    line=current.line,
                    record=current.index,
                )
                record = headless = None
                held, too_long = 0, True
                continue
        if match is None:
            current = record or headless
            if current is None or not current.tags:
                if line.strip() and not junk_from:
                    junk_from = number
                continue
            last = current.tags[-1]
            text = line.strip()
            if not text:
                paragraph = last[0] in _PARAGRAPH_TAGS
                continue
            tag = last[0]
            if tag in _LIST_TAGS:
                current.tags.append([tag, text, number, len(line)])
                continue
            if tag in _PARAGRAPH_TAGS:
                if paragraph:
                    joint = "\n\n"
                elif current.max_length > 85 or last[3] < 65:
                    joint = "\n"  # lines were not wrapped at a fixed width: a new line
                else:
                    joint = " "
            elif tag in _LINE_TAGS:
                joint = "\n"
            else:
                joint = " "
            # the pieces are joined once the record is complete (see _complete): joining
            # here, line by line, takes quadratic time over a value of many lines
            if len(last) == 4:
                last.append([last[1]] if last[1] else [])
            pieces = last[4]
            if pieces:
                pieces.append(joint)
            pieces.append(text)
            last[3] = len(line)
            current.max_length = max(current.max_length, len(line))
            paragraph = False
            continue
        paragraph = False
        if junk_from:
            where = (
                f"lines {junk_from}-{number - 1}" if number - 1 > junk_from else f"line {junk_from}"
            )
            report.info(f"text outside any record ignored ({where})")
            junk_from = 0
        tag, value = match.groups()
        value = value.strip() if value else ""
        if tag == "TY":
            if headless is not None:
                yield _headless(_complete(headless), report)
                headless = None
            if record is not None:
                report.warning(
                    f"record has no ER line before the next TY (line {number}); read anyway",
                    line=record.line,
                    record=record.index,
                )
                yield _complete(record)
            index += 1
            record = _Record(value, number, index)
            held = len(line)
            continue
        if tag == "ER":
            if record is not None:
                yield _complete(record)
                record = None
            elif headless is not None:
                yield _headless(_complete(headless), report)
                headless = None
            held = 0
            continue
        current = record
        if current is None:
            if headless is None:
                index += 1
                headless = _Record(None, number, index)
                held = len(line)
            current = headless
        length = len(line)
        current.tags.append([tag, value, number, length])
        if length > current.max_length:
            current.max_length = length
    if junk_from:
        report.info(f"text outside any record ignored (from line {junk_from})")
    if headless is not None:
        yield _headless(_complete(headless), report)
    if record is not None:
        report.warning(
            "record has no ER line before the end of the input; read anyway",
            line=record.line,
            record=record.index,
        )
        yield _complete(record)


def _complete(record: _Record) -> _Record:
    """Join the values that went on over several lines (kept as pieces while reading)."""
    for row in record.tags:
        if len(row) > 4:
            row[1] = "".join(row.pop())
    return record


def _headless(record: _Record, report: Report) -> _Record:
    first = record.tags[0]
    report.error(
        f"record without a TY line (it starts with {first[0]} at line {first[2]}); skipped",
        line=record.line,
        record=record.index,
    )
    record.ty = None
    return record


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    for record in _records(stream, report):
        if record.ty is None:
            continue  # reported by _headless
        if not record.tags:
            report.error(
                f"empty record (TY {record.ty!r} and nothing else); skipped",
                line=record.line,
                record=record.index,
            )
            continue
        yield _item(record, report)


def _record_type(record: _Record, report: Report) -> str:
    ty = record.ty or ""
    upper = ty.upper()
    known = RIS_TO_TYPE.get(upper)
    if known is not None:
        if upper != ty:
            report.warning(
                f"RIS type {ty!r} is not upper case; read as {upper} ({known})",
                line=record.line,
                record=record.index,
            )
        return known
    guess = next((csl for key, csl in _TYPE_GUESSES if key in upper), None)
    if guess is None:
        tags = {t[0] for t in record.tags}
        journal = tags & {"T2", "JO", "JF", "JA"} and tags & {"VL", "IS"}
        guess = "article-journal" if journal else "document"
    shown = repr(ty) if ty else "(empty)"
    report.warning(
        f"unknown RIS type {shown}; read as {guess}", line=record.line, record=record.index
    )
    return guess


Candidate = tuple[int, Field, str]  # (rank of the row, row, value)


def _first(candidate: Candidate) -> int:
    return candidate[0]


def _item(record: _Record, report: Report) -> Item:
    csl_type = _record_type(record, report)
    reads = _plan(csl_type).reads
    extras: dict[str, list[str]] = {}
    found: dict[str, list[Candidate]] = {}  # variable -> candidates
    for tag, value, _line, _length in record.tags:
        if not value:
            continue
        if tag not in _NO_UNESCAPE and "&" in value and _ENTITY.search(value):
            value = html.unescape(value)
        rows = reads.get(tag)
        if not rows:
            extras.setdefault(tag, []).append(value)
            continue
        rank, row = rows[0]
        if row.kind == DATE and row.variable != "issued" and _date(value) is None:
            if len(rows) == 1:  # an access or epub date that is no date: kept as written
                extras.setdefault(tag, []).append(value)
                continue
            rank, row = rows[1]
        candidates = found.get(row.variable)
        if candidates is None:
            found[row.variable] = [(rank, row, value)]
        else:
            candidates.append((rank, row, value))

    item: Item = {"type": csl_type}
    custom: dict[str, Any] = {}
    special: dict[str, list[Candidate]] = {}
    overflow: list[tuple[str, Field, str]] = []
    for variable, candidates in found.items():
        if len(candidates) > 1:
            candidates.sort(key=_first)
        kind = candidates[0][1].kind
        if kind == TEXT:
            best = candidates[0][2]
            item[variable] = best
            for _rank, row, value in candidates[1:]:
                if value == best:
                    continue
                if row.overflow:
                    overflow.append((row.overflow, row, value))
                else:
                    extras.setdefault(row.tag, []).append(value)
        elif kind == NAMES:
            item[variable] = _names(candidates)
        elif kind == KEYWORDS:
            words = [c[2] for c in candidates]
            # keywords with commas (MeSH: "Carcinoma, Hepatocellular") are joined with "; "
            item[variable] = ("; " if any("," in w for w in words) else ", ").join(words)
        elif kind == NOTES:
            item[variable] = "\n".join(_note_text(c[2]) for c in candidates)
        else:
            special[variable] = candidates
    for variable, row, value in overflow:
        if variable in item or variable in found:
            extras.setdefault(row.tag, []).append(value)
        else:
            item[variable] = value

    _read_special(item, special, custom, extras, record, report)
    if "container-title" not in item and "container-title-short" in item and csl_type in JOURNALS:
        item["container-title"] = item["container-title-short"]  # Zotero: "sites like Nature"
    if csl_type == "document" and (record.ty or "").strip().upper() == "GEN" and _is_preprint(item):
        item["type"] = "article"
        if "number" not in item and "archive_location" in item:
            item["number"] = item.pop("archive_location")  # the writer puts it first in AN
    if extras:
        custom[CUSTOM_RIS_TAGS] = extras
    if custom:
        item["custom"] = custom
    return item


_HTML_NOTE = re.compile(r"^\s*<p>|<br\s*/?>")


def _note_text(value: str) -> str:
    """A note as text: Zotero writes notes as HTML (``<p>a<br/>b</p>``)."""
    if not _HTML_NOTE.search(value):
        return value
    text = re.sub(r"<br\s*/?>", "\n", value)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(re.sub(r"</?p>", "", text)).strip()


_PUBMED_STYLE = re.compile(r"^\S+ [A-Z]{1,3}$")  # "Smith JA"


def _ris_name(value: str) -> dict[str, str]:
    """``Family, Given[, Suffix]`` as the specification has it. Without a comma the
    name is kept whole (an organisation, or a name written as one), except CJK names
    and PubMed's ``Smith JA``."""
    if "," in value:
        family, _, given = value.partition(",")
        family, given = family.strip(), given.strip()
        # the common "Family, Given" without particles, suffix or organisation words
        if (
            family.isalpha()
            and given
            and "," not in given
            and given.lower() not in SUFFIXES
            and (value.isascii() or unicodedata.is_normalized("NFC", value))
            and not is_corporate(value)
        ):
            return {"family": family, "given": given}
        words = family.split()
        if (
            len(words) > 1
            and words[-1].isalpha()
            and all(word in PARTICLES for word in words[:-1])
            and given
            and "," not in given
            and given.lower() not in SUFFIXES
            and (value.isascii() or unicodedata.is_normalized("NFC", value))
            and not is_corporate(value)
        ):
            # "van der Berg, Jan": what parse_name makes of it (particles, family, given)
            return {
                "family": words[-1],
                "given": given,
                "non-dropping-particle": " ".join(words[:-1]),
            }
        return parse_name(value)
    text = " ".join(value.split())
    if is_cjk_name(text) or _PUBMED_STYLE.match(text):
        return parse_given_first(text)
    return {"literal": text}


def _names(candidates: list[Candidate]) -> list[dict[str, str]]:
    """All names of the best tag, in order; another tag's names are added when new (Web
    of Science lists group authors in A1 beside the persons in AU; some exporters repeat
    AU as A1)."""
    best = candidates[0][1].tag
    if all(row.tag == best for _rank, row, _value in candidates):
        # one tag: nothing to compare with the names already read
        return [name for name in (_ris_name(c[2]) for c in candidates) if name]
    seen: set[str] = set()
    names = []
    for _rank, row, value in candidates:
        key = " ".join(value.lower().replace(",", " ").split())
        if row.tag != best and key in seen:
            continue
        seen.add(key)
        name = _ris_name(value)
        if name:
            names.append(name)
    return names


# DA/PY/Y1: "YYYY/MM/DD/other", "YYYY", "YYYY-MM-DD", "APR 24" (WoS), "Mar 15" (EndNote)
_RIS_DATE = re.compile(r"^(-?\d{1,4})/(\d{0,2})/(\d{0,2})(?:/(.*))?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SEASON_NAMES = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}


def _date(text: str) -> list[int] | None:
    """Date parts with a year, or None."""
    text = text.strip()
    match = _RIS_DATE.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        return parse_date_parts(text)
    parts = [int(match.group(1))]
    month = int(match.group(2)) if match.group(2) else 0
    day = int(match.group(3)) if match.group(3) else 0
    other = (match.group(4) or "").strip().lower() if match.re is _RIS_DATE else ""
    if 1 <= month <= 12:
        parts.append(month)
        if 1 <= day <= 31:
            parts.append(day)
    elif other in SEASONS:
        parts.append(SEASONS[other])
    return parts


def _range_end(text: str) -> list[int] | None:
    """The end of a date range our writer puts in DA's last part: ``2019/12//2020-01``."""
    match = _RIS_DATE.match(text.strip())
    other = (match.group(4) or "").strip() if match else ""
    return parse_date_parts(other) if other[:1].isdigit() else None


def _month_day(text: str) -> list[int] | None:
    """``[month]`` or ``[month, day]`` from a yearless date such as ``APR 24`` or ``July``."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = next((MONTHS[w.lower()] for w in words if w.lower() in MONTHS), None)
    if month is None:
        season = next((SEASONS[w.lower()] for w in words if w.lower() in SEASONS), None)
        return [season] if season else None
    days = [int(w) for w in words if w.isdigit() and 1 <= int(w) <= 31]
    return [month, days[0]] if len(days) == 1 else [month]


def _read_special(
    item: Item,
    special: dict[str, list[Candidate]],
    custom: dict[str, Any],
    extras: dict[str, list[str]],
    record: _Record,
    report: Report,
) -> None:
    csl_type = item["type"]
    for variable, candidates in special.items():
        kind = candidates[0][1].kind
        if variable == "issued":
            _read_issued(item, candidates, extras, record, report)
        elif kind == DATE:
            item[variable] = {"date-parts": [_date(candidates[0][2])]}
            for _rank, row, value in candidates[1:]:
                extras.setdefault(row.tag, []).append(value)
        elif kind == GENRE:
            for _rank, row, value in candidates:
                doi = normalise_doi(value)
                if doi and not item.get("DOI"):
                    item["DOI"] = doi  # Zotero reads a DOI in M3 ("doi:10...")
                elif doi and doi.lower() == (normalise_doi(item["DOI"]) or "").lower():
                    continue
                elif "genre" not in item:
                    item["genre"] = value
                else:
                    extras.setdefault(row.tag, []).append(value)
        elif kind in (PAGES, END_PAGE):
            _read_pages(item, candidates)
        elif kind == SERIAL:
            _read_serial(item, candidates)
        elif kind == ACCESSION:
            for _rank, row, value in candidates:
                pmid = _pmid(value)
                if pmid and "PMID" not in item:
                    item["PMID"] = pmid
                elif not pmid and "archive_location" not in item:
                    item["archive_location"] = value
                elif pmid != item.get("PMID"):
                    extras.setdefault(row.tag, []).append(value)
        elif kind == PUBMED_ID:
            for _rank, row, value in candidates:
                compact = value.replace(" ", "")
                if re.fullmatch(r"PMC\d+", compact, re.IGNORECASE) and "PMCID" not in item:
                    item["PMCID"] = "PMC" + compact[3:]
                elif compact.isdigit() and "PMID" not in item:
                    item["PMID"] = compact  # Scopus writes the PubMed ID in C2
                elif compact.isdigit() and compact == item.get("PMID"):
                    continue
                else:
                    extras.setdefault(row.tag, []).append(value)
        elif kind == FULLTEXT:
            custom[CUSTOM_FULLTEXT_URL] = candidates[0][2]
            for _rank, row, value in candidates[1:]:
                extras.setdefault(row.tag, []).append(value)
    conference = special.get("event-title")
    if conference is not None:
        _read_conference(item, conference, extras)
    doi = item.get("DOI")
    if doi:
        item["DOI"] = normalise_doi(doi) or doi
    if csl_type in PAGES_ARE_COUNT and "page" in item and not _has_range(item["page"]):
        item["number-of-pages"] = item.pop("page")


def _read_conference(item: Item, candidates: list[Candidate], extras: dict[str, list[str]]):
    """A conference paper's T2 is the conference (Zotero) when C3 names the proceedings;
    alone it is the proceedings, as pandoc and bibutils read it."""
    for _rank, row, value in candidates:
        if row.kind == CONFERENCE_T2 and "container-title" not in item:
            item["container-title"] = value
        elif value == item.get("container-title"):
            continue
        elif "event-title" not in item:
            item["event-title"] = value
        elif value != item["event-title"]:
            extras.setdefault(row.tag, []).append(value)


def _read_issued(
    item: Item,
    candidates: list[Candidate],
    extras: dict[str, list[str]],
    record: _Record,
    report: Report,
) -> None:
    """DA is preferred; Y1 and PY give the year when DA has none (WoS: ``DA  - APR 24``)."""
    dated: list[tuple[str, str, list[int]]] = []
    yearless: tuple[str, str, list[int]] | None = None
    undated: list[tuple[str, str]] = []
    for _rank, row, value in candidates:
        parts = _date(value)
        if parts:
            dated.append((row.tag, value, parts))
        elif yearless is None and (month_day := _month_day(value)):
            yearless = (row.tag, value, month_day)
        else:
            undated.append((row.tag, value))
    if not dated:
        if undated:
            item["issued"] = {"literal": undated[0][1]}
            undated = undated[1:]
        if yearless:
            extras.setdefault(yearless[0], []).append(yearless[1])
        for tag, value in undated:
            extras.setdefault(tag, []).append(value)
        return
    tag, value, parts = dated[0]
    if yearless and len(parts) == 1:
        parts = parts + yearless[2]
    end = _range_end(value)
    item["issued"] = {"date-parts": [parts, end] if end else [parts]}
    for tag_other, value_other in undated:
        extras.setdefault(tag_other, []).append(value_other)
    for other_tag, other_value, other in dated[1:]:
        if other[0] != parts[0]:
            report.warning(
                f"{other_tag} {other_value!r} and {tag} {value!r} disagree on the year; used {tag}",
                line=record.line,
                record=record.index,
            )
            break


_DASHES = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b"
_DASH_CLASS = re.escape(_DASHES)
_RANGE = re.compile(
    rf"^\s*([^\s,;{_DASH_CLASS}]+)\s*[{_DASH_CLASS}]+\s*([^\s,;{_DASH_CLASS}]+)\s*$"
)


def _has_range(page: str) -> bool:
    return any(d in page for d in _DASHES) or "," in page


def _read_pages(item: Item, candidates: list[Candidate]) -> None:
    start = next((c[2] for c in candidates if c[1].kind == PAGES), "")
    end = next((c[2] for c in candidates if c[1].kind == END_PAGE), "")
    if start and end and end != start and not _has_range(start):
        item["page"] = f"{start}-{end}"
    elif start:
        item["page"] = start
    elif end:
        item["page"] = end


_ISSN = re.compile(r"^\d{4}-?\d{3}[\dXx]$")
_SERIAL_LABEL = re.compile(r"\s*\((?:ISSN|ISBN)\)\s*$", re.IGNORECASE)


def _serial_kind(value: str) -> str | None:
    label = value.upper()
    if "(ISSN)" in label:
        return "ISSN"
    if "(ISBN)" in label or label.startswith("ISBN"):
        return "ISBN"
    token = re.split(r"[\s;,(]", value.strip(), maxsplit=1)[0]
    if _ISSN.match(token):
        return "ISSN"
    digits = re.sub(r"[\s-]", "", token).upper()
    if (
        len(digits) in (10, 13)
        and digits[:-1].isdigit()
        and (digits[-1].isdigit() or digits[-1] == "X")
    ):
        return "ISBN"
    return None


def _read_serial(item: Item, candidates: list[Candidate]) -> None:
    csl_type = item["type"]
    found: dict[str, list[str]] = {}
    for _rank, _row, value in candidates:
        # Scopus: "15525996 (ISSN); 978-172811547-4 (ISBN)"
        parts = value.split(";") if "(IS" in value.upper() else [value]
        for part in parts:
            kind = _serial_kind(part)
            if kind is None:
                if csl_type in NUMBER_IN_SN:
                    kind = "number"
                else:
                    kind = "ISSN" if csl_type in JOURNALS or csl_type == "periodical" else "ISBN"
            clean = _SERIAL_LABEL.sub("", part).strip()
            if clean and clean not in found.setdefault(kind, []):
                found[kind].append(clean)
    for variable, values in found.items():
        if variable == "number" and "number" in item:
            values = [item["number"], *values]
        item[variable] = ", ".join(values)


def _pmid(value: str) -> str | None:
    text = value.strip()
    if text.lower().startswith("pmid:"):
        text = text[5:].strip()
    return text if text.isdigit() and len(text) <= 9 else None


def _is_preprint(item: Item) -> bool:
    doi = str(item.get("DOI") or "")
    if doi and _PREPRINT_DOI.match(doi):
        return True
    return any(
        _PREPRINT_NAME.search(str(item[v]))
        for v in ("container-title", "publisher", "source", "genre", "archive_location")
        if v in item
    )


# --- writing -------------------------------------------------------------------------------

_BREAK = re.compile(r"\s*[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class _Writer:
    __slots__ = ("joined", "report", "unwritten")

    def __init__(self, report: Report):
        self.report = report
        self.joined = 0  # values whose line breaks became spaces
        self.unwritten: dict[str, int] = {}  # variable -> items where RIS could not carry it

    def clean(self, value: Any) -> str:
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        text = value if isinstance(value, str) else str(value)
        if text.isprintable():
            return text.strip()
        if _BREAK.search(text):
            self.joined += 1
            text = _BREAK.sub(" ", text)
        return _CONTROL.sub("", text.replace("\t", " ")).strip()


# a particle ending so is written against the family name: "d'Alembert", "al-Farabi"
_JOINING_PARTICLE_ENDS = "'’-"


def _name_text(name: Any) -> str:
    if not isinstance(name, dict):
        return str(name)
    literal = name.get("literal")
    if literal:
        return str(literal)
    family = str(name.get("family") or "")
    particle = name.get("non-dropping-particle")
    if particle:
        particle = str(particle)
        joint = "" if particle[-1] in _JOINING_PARTICLE_ENDS else " "
        family = f"{particle}{joint}{family}" if family else particle
    given = str(name.get("given") or "")
    dropping = name.get("dropping-particle")
    if dropping:
        given = f"{given} {dropping}" if given else str(dropping)
    suffix = name.get("suffix")
    if not family:
        return given
    if not given and not suffix:
        return family
    return f"{family}, {given}, {suffix}" if suffix else f"{family}, {given}"


def _int_parts(parts: Any) -> list[int]:
    try:
        return [int(p) for p in parts[:3]]
    except (TypeError, ValueError):
        return []


def _ris_date(date: Any) -> str | None:
    """``YYYY/MM/DD/other`` (Zotero's form: empty parts stay empty). The free "other"
    part holds a season, or the end of a range as ``YYYY-MM-DD`` (readers that do not
    know it keep the start date)."""
    if not isinstance(date, dict):
        return str(date) if date else None
    parts = date.get("date-parts")
    first = _int_parts(parts[0]) if parts and isinstance(parts[0], list) else []
    if first:
        year = first[0]
        month = first[1] if len(first) > 1 else 0
        day = first[2] if len(first) > 2 else 0
        other = _SEASON_NAMES.get(month, "")
        season = date.get("season")
        if not other and season:
            number = str(season)
            other = _SEASON_NAMES.get(int(number) + 20, number) if number.isdigit() else number
        end = _int_parts(parts[1]) if len(parts) > 1 and isinstance(parts[1], list) else []
        if end and 1 <= end[0] <= 9999:
            other = "-".join([f"{end[0]:04d}", *(f"{p:02d}" for p in end[1:] if 1 <= p <= 31)])
        if not 1 <= month <= 12:
            month = day = 0
        y = f"{year:04d}" if year >= 0 else str(year)
        m = f"{month:02d}" if month else ""
        d = f"{day:02d}" if day else ""
        return f"{y}/{m}/{d}/{other}"
    literal = date.get("literal") or date.get("raw")
    return str(literal) if literal else None


def _year(date: Any) -> str | None:
    if isinstance(date, dict):
        parts = date.get("date-parts")
        if parts and parts[0]:
            try:
                year = int(parts[0][0])
            except (TypeError, ValueError):
                return None
            return f"{year:04d}" if year >= 0 else str(year)
    return None


def _split_pages(page: str) -> tuple[str, str]:
    match = _RANGE.match(page)
    if match:
        return match.group(1), match.group(2)
    return page, ""


def _record_lines(item: Item, writer: _Writer) -> list[str]:
    csl_type = item.get("type") or "document"
    ty = TYPE_TO_RIS.get(csl_type, "GEN")
    plan = _plan(csl_type)
    clean = writer.clean
    lines = [f"TY  - {ty}"]
    add = lines.append
    skipped: list[str] = []
    for kind, variable, prefix, row in plan.steps:
        if kind is TEXT:
            value = item.get(variable)
            if value is None or value == "":
                continue
            if row.tag == "C7":
                # the article number goes in SP, unless SP holds real pages
                if not item.get("page") or str(value) == str(item.get("page")):
                    continue
            elif (
                variable == "container-title"
                and csl_type in SERIES_IN_T2
                and item.get("collection-title")
            ):
                skipped.append(variable)  # T2 holds the series for this type
                continue
            fast = type(value) is str and value.isprintable()
            text = value.strip() if fast else clean(value)
            if text:
                add(prefix + text)
        elif kind is NAMES:
            names = item.get(variable)
            if names:
                for name in names:
                    if (
                        type(name) is dict
                        and len(name) == 2
                        and name.get("family")
                        and name.get("given")
                    ):
                        text = f"{name['family']}, {name['given']}"  # the usual case, quickly
                        if not text.isprintable():
                            text = clean(text)
                    else:
                        text = clean(_name_text(name))
                    if text:
                        add(prefix + text)
        elif kind is DATE:
            value = item.get(variable)
            if value:
                text = _ris_date(value)
                if text:
                    add(prefix + clean(text))
        elif kind is YEAR:
            year = _year(item.get(variable))
            if year:
                add(prefix + year)
        else:
            _special_lines(row, item, csl_type, add, clean)
    custom = item.get("custom")
    extras = custom.get(CUSTOM_RIS_TAGS) if isinstance(custom, dict) else None
    if isinstance(extras, dict):
        for tag, values in extras.items():
            if not (isinstance(tag, str) and len(tag) == 2 and tag not in ("TY", "ER")):
                continue
            for value in values if isinstance(values, list) else [values]:
                text = clean(value)
                if text:
                    add(f"{tag}  - {text}")
    key = item.get("citation-key") or item.get("id")
    if key:
        add(f"ID  - {clean(key)}")
    add("ER  - ")
    if (
        csl_type not in SN_IS_ISSN
        and csl_type not in NUMBER_IN_SN
        and item.get("ISSN") not in (None, "")
        and item.get("ISBN") in (None, "")
    ):
        skipped.append("ISSN")  # Zotero would read it as the ISBN
    unwritten = writer.unwritten
    for k, v in item.items():
        if k not in plan.consumed and k not in _NOT_DATA and v not in (None, "", [], {}):
            skipped.append(k)
    if isinstance(custom, dict):
        skipped.extend(
            f"custom.{k}"
            for k, v in custom.items()
            if k not in _CUSTOM_WRITTEN and v not in (None, "", [], {})
        )
    for variable in skipped:
        unwritten[variable] = unwritten.get(variable, 0) + 1
    return lines


def _special_lines(row: Field, item: Item, csl_type: str, add: Any, clean: Any) -> None:
    kind = row.kind
    if kind == PAGES:
        page = item.get("page")
        if page not in (None, ""):
            start, end = _split_pages(clean(page))
            add(f"SP  - {start}")
            if end:
                add(f"EP  - {end}")
        elif csl_type in JOURNALS and item.get("number") not in (None, ""):
            add(f"SP  - {clean(item['number'])}")  # an article number alone in SP
        elif csl_type in PAGES_ARE_COUNT and item.get("number-of-pages") not in (None, ""):
            add(f"SP  - {clean(item['number-of-pages'])}")
    elif kind == KEYWORDS:
        value = item.get("keyword")
        if value:
            for word in split_keywords(value):
                text = clean(word)
                if text:
                    add(f"KW  - {text}")
    elif kind == NOTES:
        value = item.get("note")
        if value:
            text = _note_html(str(value), clean)
            if text:
                add(f"N1  - {text}")
    elif kind == SERIAL:
        # Zotero keeps the first SN only, as the ISSN (journals), the report or patent
        # number, or else the ISBN; the others are for readers that tell them apart
        if csl_type in NUMBER_IN_SN:
            order: tuple[str, ...] = ("number", "ISBN", "ISSN")
        elif csl_type in SN_IS_ISSN:
            order = ("ISSN", "ISBN")
        elif item.get("ISBN") not in (None, ""):
            order = ("ISBN", "ISSN")
        else:
            order = ()  # an ISSN alone would be read as the ISBN: reported as not written
        for variable in order:
            value = item.get(variable)
            if value not in (None, ""):
                add(f"SN  - {clean(value)}")
    elif kind == ACCESSION:
        variables = (
            ("PMID", "number", "archive_location")
            if csl_type in PREPRINTS
            else ("PMID", "archive_location")
        )
        for variable in variables:
            value = item.get(variable)
            if value not in (None, ""):
                add(f"AN  - {clean(value)}")
    elif kind == PUBMED_ID:
        value = item.get("PMCID")
        if value:
            add(f"C2  - {clean(value)}")
    elif kind == FULLTEXT:
        custom = item.get("custom")
        value = custom.get(CUSTOM_FULLTEXT_URL) if isinstance(custom, dict) else None
        if value:
            add(f"L1  - {clean(value)}")
    elif kind == CONFERENCE_T2:
        value = item.get("event-title")  # the proceedings title is in C3
        if value:
            add(f"T2  - {clean(value)}")
    elif kind == GENRE:
        value = item.get("genre")
        if value:
            add(f"M3  - {clean(value)}")


def _note_html(note: str, clean: Any) -> str:
    """A note of one line as it is; of several as the HTML Zotero makes of (and exports
    for) a note with line breaks, so that it stays one note on one line."""
    lines = note.strip().splitlines()
    if len(lines) < 2:
        return clean(note)
    paragraphs = re.split(r"\n\s*\n", note.strip())
    return clean(
        "<p>"
        + "</p><p>".join(
            "<br/>".join(html.escape(line.strip(), quote=False) for line in p.splitlines())
            for p in paragraphs
        )
        + "</p>"
    )


def write(
    items: Iterable[Item],
    out: TextIO,
    report: Report,
    *,
    crlf: bool | str = True,
    bom: bool | str = False,
) -> None:
    """Items as RIS: CRLF line ends unless ``crlf=False``; a UTF-8 BOM if ``bom=True``."""
    eol = "\r\n" if flag_value(crlf, "crlf") else "\n"
    if flag_value(bom, "bom"):
        out.write("\ufeff")
    writer = _Writer(report)
    between = eol + eol
    for item in items:
        out.write(eol.join(_record_lines(item, writer)) + between)
    for variable, count in sorted(writer.unwritten.items()):
        report.warning(f"RIS has no tag for {variable}: not written ({count} item(s))")
    if writer.joined:
        report.info(
            f"{writer.joined} value(s) had line breaks, written as spaces "
            "(a RIS value is one line; pandoc rejects continuation lines)"
        )
