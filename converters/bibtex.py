"""BibTeX and biblatex: one reader for both, one writer with two dialects.

The entry-type table (:data:`WRITE_TYPES`, :data:`READ_TYPES`) and the field
table (:data:`FIELDS`) are the single description of how CSL variables and
BibTeX/biblatex fields correspond. The writer walks :data:`FIELDS` in order to
emit fields (so the table order is the written field order); the reader looks
fields up in the same table, so the two directions cannot drift apart.

Writing escapes everything TeX or BibTeX would interpret (a value can never
break out of its field), turns non-ASCII into LaTeX in the ``bibtex`` dialect
(UTF-8 in ``biblatex``; the ``ascii`` option flips either way), protects the
capitals of acronyms in titles, and writes names in ``von Last, Jr, First``
form. Reading uses bibtexparser 2's splitter (or, for input made only of plain
well-formed entries, an equivalent regular-expression fast path), resolves
``@string`` macros, concatenation and ``crossref``, and decodes LaTeX only in
values that contain any.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from .core.dates import MONTHS, SEASONS, is_plain_iso_date, normalise_date
from .core.diagnostics import Report
from .core.identifiers import normalise_doi
from .core.keys import VALID_KEY, KeyAllocator, citation_key
from .core.latex import (
    LATEX_SYNTAX,
    Macros,
    escape_text,
    from_latex,
    latex_table,
    learn_definitions,
    protect_plain_case,
    to_latex,
)
from .core.model import CUSTOM_AUTHORS_TRUNCATED, Item, Name, custom
from .core.options import FLAG, WriteOption, flag_value
from .core.patterns import lazy_pattern
from .core.text import strip_rich_text

NAME = "bibtex"
ALIASES = ("bib",)
EXTENSIONS = (".bib", ".bibtex")
DESCRIPTION = "BibTeX (.bib): LaTeX-encoded, classic entry types; -O ascii=false keeps UTF-8"
WRITE_OPTIONS = (
    WriteOption(
        "ascii",
        FLAG,
        "non-ASCII as LaTeX commands (the bibtex default) or kept as UTF-8 (the biblatex default).",
        flag="--ascii/--no-ascii",
    ),
)
# write() also takes keys=, the run's KeyAllocator (see write_items)
TAKES_KEYS = True

BIBTEX = "bibtex"
BIBLATEX = "biblatex"
DIALECTS = (BIBTEX, BIBLATEX)
CUSTOM_FIELDS = "bibtex-fields"  # fields no CSL variable holds, written back as they were
CUSTOM_TYPE = "bibtex-type"  # an entry type CSL cannot tell apart (@manual, @proceedings)

# ---------------------------------------------------------------------------
# Entry types

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
# a function of the item decides (see _write_type).
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
_TYPE_ALIASES = {"conference": "inproceedings", "electronic": "online", "www": "online"}
# entry types the writer always gives back for what they read as (no need to keep them)
_SAME_TYPE_BACK = frozenset({"article", "inproceedings"})
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
_THESIS_LABELS = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
# biblatex localisation keys accepted in `type` and the genre they stand for
_TYPE_KEYS = {
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


# ---------------------------------------------------------------------------
# Fields


class Field:
    """One correspondence: BibTeX/biblatex ``field`` ⇄ CSL variable ``csl``.

    ``kind`` names how values convert (see :data:`_ENCODERS` and
    :data:`_DECODERS`); ``write`` lists the dialects whose writer emits the field
    (the reader accepts every row whatever the dialect); ``types`` limits the
    row to those entry types (``None``: any type). When several rows share a
    field name, the reader uses the first row whose ``types`` contains the
    entry's type, else the first without ``types``, else the first.

    (Plain classes here and below, not dataclasses: decorating one costs start-up time.)
    """

    __slots__ = ("csl", "field", "kind", "types", "write")

    def __init__(
        self,
        field: str,
        csl: str,
        kind: str,
        write: frozenset[str] = frozenset(DIALECTS),
        types: frozenset[str] | None = None,
    ) -> None:
        self.field = field
        self.csl = csl
        self.kind = kind
        self.write = write
        self.types = types

    def __repr__(self) -> str:
        return (
            f"Field({self.field!r}, {self.csl!r}, {self.kind!r}, "
            f"{set(self.write) or '{}'}, {self.types and set(self.types)})"
        )


_BT = frozenset({BIBTEX})
_BL = frozenset({BIBLATEX})
_NEITHER: frozenset[str] = frozenset()
_ISSUE_TYPES = ARTICLES | {"periodical"}
_NUMBERED = REPORTS | frozenset(
    "patent standard manual dataset misc software online unpublished booklet".split()
)

FIELDS: tuple[Field, ...] = (
    Field("author", "author", "names"),
    Field("editor", "editor", "names"),
    Field("bookauthor", "container-author", "names"),
    Field("translator", "translator", "names"),
    Field("title", "title", "title"),
    Field("shorttitle", "title-short", "title"),
    Field("origtitle", "original-title", "title"),
    Field("journal", "container-title", "title", _BT, ARTICLES),
    Field("journaltitle", "container-title", "title", _BL, _ISSUE_TYPES),
    Field("booktitle", "container-title", "title", types=PARTS),
    Field("howpublished", "container-title", "text", types=frozenset({"misc", "software"})),
    Field("organization", "container-title", "text", _BL, frozenset({"online", "dataset"})),
    Field("booktitle", "container-title", "title"),
    Field("shortjournal", "container-title-short", "text"),
    Field("eventtitle", "event-title", "title"),
    Field("series", "collection-title", "title"),
    Field("year", "issued", "year", _BT),
    Field("month", "issued", "month", _BT),
    Field("day", "issued", "day", _NEITHER),
    Field("date", "issued", "date"),
    Field("pubstate", "status", "pubstate"),
    Field("volume", "volume", "text"),
    Field("volumes", "number-of-volumes", "text"),
    Field("number", "issue", "text", types=_ISSUE_TYPES),
    Field("number", "number", "text", types=_NUMBERED),
    Field("number", "collection-number", "text", types=BOOKS | PARTS | THESES),
    Field("eid", "number", "text", types=ARTICLES),
    Field("issue", "issue", "text"),
    Field("number", "number", "text"),
    Field("pages", "page", "pages"),
    Field("chapter", "chapter-number", "text"),
    Field("edition", "edition", "text"),
    Field("pagetotal", "number-of-pages", "text"),
    Field("type", "genre", "genre"),
    Field("school", "publisher", "text", _BT, THESES),
    Field("institution", "publisher", "list", types=THESES | REPORTS),
    Field("howpublished", "publisher", "text", types=frozenset({"booklet", "unpublished"})),
    # biblatex's @misc and @software have no publisher field; organization is its place
    Field("organization", "publisher", "list", _BL, frozenset({"misc", "software"})),
    Field(
        "organization",
        "publisher",
        "list",
        _NEITHER,
        frozenset("manual proceedings inproceedings report techreport".split()),
    ),
    Field("publisher", "publisher", "list"),
    Field("address", "publisher-place", "text", _BT),
    Field("location", "publisher-place", "list", _BL),
    Field("venue", "event-place", "text"),
    Field("eventdate", "event-date", "date"),
    Field("origdate", "original-date", "date"),
    Field("urldate", "accessed", "date"),
    Field("isbn", "ISBN", "text"),
    Field("issn", "ISSN", "text"),
    Field("doi", "DOI", "doi"),
    Field("eprint", "", "eprint"),
    Field("pmid", "PMID", "text"),
    Field("pmcid", "PMCID", "text"),
    Field("url", "URL", "url"),
    Field("langid", "language", "langid", _BL),
    Field("language", "language", "langid"),
    Field("version", "version", "text"),
    # CSL variables that no field of the classic styles holds: written under biblatex's
    # name where its data model allows it everywhere (library, origpublisher, origlocation),
    # else (BibTeX only: biblatex's data model forbids unknown fields) under the variable's
    # own name without punctuation, which our reader reads back
    Field("library", "archive", "text"),
    Field("origpublisher", "original-publisher", "list"),
    Field("origlocation", "original-publisher-place", "list"),
    *(
        Field(variable.replace("-", "").replace("_", ""), variable, kind, _BT)
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
    Field("keywords", "keyword", "text"),
    Field("abstract", "abstract", "paragraphs"),
    Field("note", "note", "paragraphs"),
    Field("annote", "annote", "paragraphs", _BT),
    Field("annotation", "annote", "paragraphs", _BL),
)
_READ_FIELDS: dict[str, list[Field]] = {}
for _row in FIELDS:
    _READ_FIELDS.setdefault(_row.field, []).append(_row)
# fields the eprint row writes and reads together
_EPRINT_FIELDS = frozenset({"eprint", "eprinttype", "archiveprefix", "eprintclass", "primaryclass"})
# title-like fields: case protection when written, nocase spans when read
_TITLE_KINDS = frozenset({"title"})
_VERBATIM = frozenset("url doi eprint file pdf verba verbb verbc".split())
# fields of the reading side only: inheritance, sorting and labels
_STRUCTURAL = frozenset("crossref xdata xref ids entryset".split())
_SUBTITLES = {
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
_LANGIDS = {code.lower(): name for name, code in reversed(LANGUAGE_NAMES.items())}

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def field_order() -> list[str]:
    """The written field order (the order of :data:`FIELDS`, each name once)."""
    return list(dict.fromkeys(row.field for row in FIELDS))


# ---------------------------------------------------------------------------
# Sniffing

_SNIFF = lazy_pattern(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_SNIFF_ENTRY = lazy_pattern(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*[^\s,={}()\"]*\s*,", re.MULTILINE)


def sniff(head: str) -> float:
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        return 0.0
    if _SNIFF_ENTRY.search(head):
        return 0.9
    if _SNIFF.search(head):
        return 0.6
    return 0.0


# ---------------------------------------------------------------------------
# Reading: blocks


class _Entry:
    __slots__ = ("fields", "key", "line", "type")

    def __init__(self, type: str, key: str, fields: list[str], line: int) -> None:
        self.type = type
        self.key = key
        # name as written, raw value expression, name, value...: one flat list, not a pair
        # per field, so that splitting a large file leaves the garbage collector a few
        # objects per entry to scan, not a dozen
        self.fields = fields
        self.line = line  # 1-based

    def _state(self) -> tuple[Any, ...]:
        return (self.type, self.key, self.fields, self.line)

    def __eq__(self, other: object) -> bool:
        return type(other) is _Entry and self._state() == other._state()

    def __repr__(self) -> str:
        return f"_Entry{self._state()!r}"


class _Block:
    __slots__ = ("entry", "kind", "line", "name", "value")

    def __init__(
        self, kind: str, line: int, entry: _Entry | None = None, name: str = "", value: str = ""
    ) -> None:
        self.kind = kind  # entry, string, preamble, comment, failed
        self.line = line
        self.entry = entry
        self.name = name
        self.value = value

    def _state(self) -> tuple[Any, ...]:
        return (self.kind, self.line, self.entry, self.name, self.value)

    def __eq__(self, other: object) -> bool:
        return type(other) is _Block and self._state() == other._state()

    def __repr__(self) -> str:
        return f"_Block{self._state()!r}"


_BLOCK_START = lazy_pattern(r"@\w*[ \t]*(?=[{(])")
# The fast path accepts only what bibtexparser's splitter reads the same way:
# {}-delimited blocks, keys and field names without odd characters, braced values
# nested up to four deep, simple quoted values, numbers and macro names.
_INNER = r"(?:[^{}@]++|(?<=\S)@)*+"
_BRACED = r"\{" + _INNER
for _ in range(4):
    _BRACED = r"\{" + _INNER + r"(?:" + _BRACED + r"\}" + _INNER + r")*"
_BRACED += r"\}"
_VALUE = r"(?:" + _BRACED + r'|"[^"{}@]*"|\d+|[A-Za-z][\w.:+/-]*)'
_FIELD_RE = r"[A-Za-z][\w.:+-]*"
_FAST_HEAD = lazy_pattern(
    r"@(?P<type>[A-Za-z]\w*)[ \t]*\{[ \t]*(?P<key>[^\s,{}()\"#%'=\\@~]+)[ \t]*,"
)
_NOT_ENTRIES = frozenset({"comment", "string", "preamble"})
# an entry without a key, straight into its fields (EndNote's export): read with a key
# generated, not lost (bibtex would stop at it)
_KEYLESS_HEAD = lazy_pattern(r"@(?P<type>[A-Za-z]\w*)[ \t]*\{(?=\s*[A-Za-z][\w.:+-]*\s*=)(?P<key>)")
_FAST_FIELD = lazy_pattern(r"\s*(" + _FIELD_RE + r")\s*=\s*(" + _VALUE + r")\s*(,?)")
_FAST_END = lazy_pattern(r"\s*\}")
_FAST_OTHER = lazy_pattern(
    r"@(?P<type>comment|string|preamble)[ \t]*\{(?P<body>"
    + _INNER
    + r"(?:"
    + _BRACED
    + _INNER
    + r")*)\}",
    re.IGNORECASE,
)
_FAST_STRING = lazy_pattern(r"\s*(" + _FIELD_RE + r")\s*=\s*(" + _VALUE + r")\s*$")


# bibtexparser's splitter ends any open block where a line starts with a block
# start (white space, "@", a name, "{" or "("), so the text between two such places
# parses the same on its own as within the whole file.
_BLOCK_AT = lazy_pattern(r"@\w*[ \t]*[{(]")


def _line_start_blocks(text: str) -> Iterator[int]:
    """Where blocks start at the start of a line (``str.find`` is far faster than a
    multi-line regular expression over a large file)."""
    position = text.find("@")
    while position >= 0:
        before = position - 1
        while before >= 0 and text[before] in " \t\r\f\v":
            before -= 1
        if (before < 0 or text[before] == "\n") and _BLOCK_AT.match(text, position):
            yield position
        position = text.find("@", position + 1)


_FIELD_START = lazy_pattern(r"\s*(" + _FIELD_RE + r")\s*=\s*")
_BARE_VALUE = lazy_pattern(r"\d+|[A-Za-z][\w.:+/-]*")
_AFTER_VALUE = lazy_pattern(r"\s*(,?)")


def _closing_brace(text: str, position: int, end: int) -> int:
    """The index after the brace closing the one at ``position``, or -1 before ``end``."""
    depth = 0
    while True:
        close = text.find("}", position, end)
        if close < 0:
            return -1
        opening = text.find("{", position, close)
        if opening >= 0:
            depth += 1
            position = opening + 1
            continue
        depth -= 1
        position = close + 1
        if depth == 0:
            return position


_QUOTED_STOP = lazy_pattern(r'[{}"]')


def _closing_quote(text: str, position: int, end: int) -> int:
    """The index after the quote closing the one at ``position`` (quotes inside braces
    are text), or -1 before ``end`` or on an unbalanced brace."""
    depth = 0
    for match in _QUOTED_STOP.finditer(text, position + 1, end):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return -1
        elif depth == 0:
            return match.end()
    return -1


def _fast_block(text: str, start: int, end: int, line: int) -> _Block | None:
    """The block at ``text[start:end]`` when the fast path reads it for certain, else None."""
    head = _FAST_HEAD.match(text, start, end) or _KEYLESS_HEAD.match(text, start, end)
    if head is not None and head.group("type").lower() not in _NOT_ENTRIES:
        # fields one after another, a comma between each, an optional one after the last;
        # values braced, quoted without braces, numbers or macro names
        fields: list[str] = []
        position = head.end()
        while True:
            # one regular expression reads the common field (values braced at most five
            # deep, without " @"); it ends where the steps below would
            plain = _FAST_FIELD.match(text, position, end)
            if plain is not None:
                field_name, value, comma = plain.groups()
                fields += field_name, value
                position = plain.end()
                if not comma:
                    break
                continue
            name = _FIELD_START.match(text, position, end)
            if name is None:
                break
            position = name.end()
            first = text[position : position + 1]
            if first == "{":
                after = _closing_brace(text, position, end)
            elif first == '"':
                after = text.find('"', position + 1, end) + 1
                if after and ("{" in text[position:after] or "}" in text[position:after]):
                    # "{Zum Teil \"optionalen\" Kapitel}.": quotes inside braces are
                    # text to BibTeX (bibtexparser's splitter fails on them)
                    after = _closing_quote(text, position, end)
            else:
                bare = _BARE_VALUE.match(text, position, end)
                after = bare.end() if bare is not None else -1
            if after < 0:
                return None
            fields += name.group(1), text[position:after]
            separator = _AFTER_VALUE.match(text, after, end)
            position = separator.end()
            if not separator.group(1):
                break
        close = _FAST_END.match(text, position, end)
        if close is None:
            return None
        after = close.end()
        backslash = text.find("\\", start, after)  # escaped braces only after a backslash
        if backslash >= 0 and (
            text.find("\\{", backslash, after) >= 0 or text.find("\\}", backslash, after) >= 0
        ):
            return None
        if _BLOCK_START.search(text, after, end):
            return None
        key = head.group("key") or ""
        return _Block("entry", line, _Entry(head.group("type"), key, fields, line))
    match = _FAST_OTHER.match(text, start, end)
    if match is None:
        return None
    span = match.group()
    if "\\{" in span or "\\}" in span or _BLOCK_START.search(text, match.end(), end):
        return None
    kind = match.group("type").lower()
    body = match.group("body")
    if kind != "string":
        return _Block(kind, line, value=body.strip() if kind == "comment" else body)
    definition = _FAST_STRING.match(body)
    if definition is None:
        return None
    return _Block("string", line, name=definition.group(1), value=definition.group(2))


@contextlib.contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    # bibtexparser logs every failed block; we report them ourselves
    import logging

    names = ["bibtexparser", "bibtexparser.splitter", "bibtexparser.entrypoint"]
    names += [n for n in logging.root.manager.loggerDict if n.startswith("bibtexparser.")]
    loggers = [logging.getLogger(name) for name in dict.fromkeys(names)]
    states = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, state in zip(loggers, states, strict=True):
            logger.disabled = state


def _bibtexparser_blocks(text: str) -> list[_Block]:
    import bibtexparser
    from bibtexparser import model

    try:
        with _quiet_bibtexparser():
            library = bibtexparser.parse_string(text, parse_stack=[])
    except Exception as error:  # a guard: one stretch of the file fails, not the file
        return [_Block("failed", 1, value=f"unreadable ({type(error).__name__}: {error})")]
    blocks: list[_Block] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.Entry):
            fields = [part for f in block.fields for part in (f.key, f.value)]
            blocks.append(_Block("entry", line, _Entry(block.entry_type, block.key, fields, line)))
        elif isinstance(block, model.DuplicateFieldKeyBlock | model.DuplicateBlockKeyBlock):
            duplicate = block.ignore_error_block
            if isinstance(duplicate, model.Entry):
                fields = [part for f in duplicate.fields for part in (f.key, f.value)]
                entry = _Entry(duplicate.entry_type, duplicate.key, fields, line)
                blocks.append(_Block("entry", line, entry))
            elif isinstance(duplicate, model.String):  # @string{a=...} twice: the last wins
                blocks.append(_Block("string", line, name=duplicate.key, value=duplicate.value))
        elif isinstance(block, model.ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", "") or str(block.error)
            if reason.startswith("Unexpectedly reached end of file"):
                reason = "a brace or quote is not closed before the next entry or the end"
            key = re.match(r"@\w+\s*[{(]\s*([^,\s{}()\"=]+)", block.raw or "")
            blocks.append(_Block("failed", line, value=reason, name=key.group(1) if key else ""))
        elif isinstance(block, model.String):
            blocks.append(_Block("string", line, name=block.key, value=block.value))
        elif isinstance(block, model.Preamble):
            blocks.append(_Block("preamble", line, value=block.value))
        elif isinstance(block, model.ExplicitComment):
            blocks.append(_Block("comment", line, value=block.comment))
        # text between blocks (an implicit comment) is ignored, as BibTeX does
    return blocks


_PERCENT_LINE = lazy_pattern(r"^[ \t]*%[^\n]*", re.MULTILINE)


def _blank_comment_lines(text: str) -> str:
    """Lines starting with ``%`` outside field values emptied: biber, pandoc and every
    reader of real files take them as comments (``%@ARTICLE{old,`` is no entry), while
    bibtexparser would start an entry there."""
    if "%" not in text:
        return text
    pieces: list[str] = []
    position = depth = 0
    for match in _PERCENT_LINE.finditer(text):
        start = match.start()
        depth += text.count("{", position, start) - text.count("}", position, start)
        pieces.append(text[position:start])
        position = match.end()
        if depth <= 1:  # between entries, or between the fields of one
            continue
        pieces.append(match.group())
        depth += match.group().count("{") - match.group().count("}")
    if position == 0:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def split_blocks(text: str) -> list[_Block]:
    """The blocks of a .bib file, in order.

    Each stretch between line-start block starts is read by a regular expression
    when it is a plain well-formed block (the common case, and fast); any other
    stretch goes to bibtexparser, which reads it exactly as within the whole file.
    """
    text = _blank_comment_lines(text)
    starts = list(_line_start_blocks(text))
    blocks: list[_Block] = []
    bounds = [0, *starts, len(text)] if not starts or starts[0] != 0 else [*starts, len(text)]
    line = 1
    for index in range(len(bounds) - 1):
        start, end = bounds[index], bounds[index + 1]
        block = None
        if text.startswith("@", start):
            block = _fast_block(text, start, end, line)
        if block is not None:
            blocks.append(block)
        elif _BLOCK_START.search(text, start, end):
            for found in _bibtexparser_blocks(text[start:end]):
                found.line += line - 1
                if found.entry is not None:
                    found.entry.line = found.line
                blocks.append(found)
        line += text.count("\n", start, end)
    return blocks


# ---------------------------------------------------------------------------
# Reading: values


class _MacroTable:
    """@string macros (case-insensitive), with BibTeX's month macros predefined."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {m: _MONTH_NAMES[i] for i, m in enumerate(MONTH_MACROS)}

    def get(self, name: str) -> str | None:
        return self.values.get(name.lower())


def _split_concatenation(raw: str) -> list[str] | None:
    """``{a} # jan # "b"`` → the pieces; ``None`` when it is not a valid expression."""
    pieces: list[str] = []
    i, n = 0, len(raw)
    while True:
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            return None
        start = i
        if raw[i] == "{":
            depth = 0
            while i < n:
                if raw[i] == "{":
                    depth += 1
                elif raw[i] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            if i >= n:
                return None
            i += 1
        elif raw[i] == '"':
            i += 1
            depth = 0
            while i < n and (raw[i] != '"' or depth > 0):
                if raw[i] == "{":
                    depth += 1
                elif raw[i] == "}":
                    depth -= 1
                i += 1
            if i >= n:
                return None
            i += 1
        else:
            while i < n and raw[i] != "#" and not raw[i].isspace():
                i += 1
            if i == start:  # "# {}": a concatenation without its first piece
                return None
        pieces.append(raw[start:i])
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            return pieces
        if raw[i] != "#":
            return None
        i += 1


# The longest value (of a field or an @string) that expanding @string macros may make:
# macros that double one another reach gigabytes in a few hundred bytes of input.
MAX_VALUE_CHARS = 1_000_000


class ValueTooLarge(ValueError):
    """A value whose macros expand beyond :data:`MAX_VALUE_CHARS` characters."""


def _evaluate(raw: str, macros: _MacroTable, problems: list[str]) -> str:
    """A field's value expression → its LaTeX text (macros expanded, pieces joined).

    Raises :class:`ValueTooLarge` when the text would exceed :data:`MAX_VALUE_CHARS`.
    """
    raw = raw.strip()
    if not raw:
        return ""
    if "#" not in raw:
        first = raw[0]
        if first == "{" and raw[-1] == "}":
            return raw[1:-1]
        if first == '"' and raw[-1] == '"' and len(raw) > 1:
            return raw[1:-1]
        if raw.isdigit():
            return raw
        if raw.isalnum():  # a macro name alone (month = jan): one piece
            value = macros.get(raw)
            if value is None:
                problems.append(f"undefined @string macro {raw!r} kept as text")
                return raw
            return value
    pieces = _split_concatenation(raw)
    if pieces is None:
        problems.append(f"unreadable value {raw[:40]!r} kept as written")
        return raw
    out = []
    size = 0
    for piece in pieces:
        if piece[0] in '{"':
            value = piece[1:-1]
        elif piece.isdigit():
            value = piece
        else:
            value = macros.get(piece)
            if value is None:
                problems.append(f"undefined @string macro {piece!r} kept as text")
                value = piece
        size += len(value)
        if size > MAX_VALUE_CHARS:
            raise ValueTooLarge(
                f"@string macros expand to more than {MAX_VALUE_CHARS:,} characters"
            )
        out.append(value)
    return "".join(out)


# --- names

_AND = lazy_pattern(r"\s+and\s+", re.IGNORECASE)
_FOREIGN_LETTERS = {
    "oe": False,
    "ae": False,
    "aa": False,
    "o": False,
    "l": False,
    "ss": False,
    "i": False,
    "j": False,
    "OE": True,
    "AE": True,
    "AA": True,
    "O": True,
    "L": True,
}


_BRACE = lazy_pattern(r"[{}]")


def _depth0_matches(text: str, separator: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The matches of ``separator`` outside braces (a separator never contains a brace,
    so a match lies wholly inside or outside a group)."""
    braces = [(m.start(), 1 if m.group() == "{" else -1) for m in _BRACE.finditer(text)]
    index, depth = 0, 0
    for match in separator.finditer(text):
        while index < len(braces) and braces[index][0] < match.start():
            depth += braces[index][1]
            index += 1
        if depth == 0 and match.end() > match.start():
            yield match


def _depth0_split(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split where ``separator`` matches outside braces."""
    if "{" not in text:
        return separator.split(text)
    parts, start = [], 0
    for match in _depth0_matches(text, separator):
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    return parts


# white space, ties and hyphens part a name's tokens; not the accent \~ nor the
# discretionary hyphen \- (Herm\"an\~n is one token, read as Hermänñ)
_TOKEN_SEPARATOR = lazy_pattern(r"(?:\s|(?<!\\)~)+|(?<!\\)-")
_COMMA = lazy_pattern(r",")


_SPACE_SEPARATOR = lazy_pattern(r"(?:\s|(?<!\\)~)+")


def _name_tokens(part: str, hyphens: bool) -> list[tuple[str, str]]:
    """(token, separator before it) pairs of one comma-free part of a name."""
    separator = _TOKEN_SEPARATOR if hyphens else _SPACE_SEPARATOR
    part = part.strip()
    if "{" not in part:  # no groups to keep whole: the separators are all there is
        pieces = separator.split(part)
        if len(pieces) == 1:
            return [(part, "")] if part else []
        separators = ["", *separator.findall(part)]
        return [(token, sep) for token, sep in zip(pieces, separators, strict=True) if token]
    tokens: list[tuple[str, str]] = []
    start, sep = 0, ""
    for match in _depth0_matches(part, separator):
        if match.start() > start:
            tokens.append((part[start : match.start()], sep))
        sep = match.group()
        start = match.end()
    if start < len(part):
        tokens.append((part[start:], sep))
    return tokens


def _is_lower(token: str) -> bool:
    """BibTeX's test for a "von" token: its first letter at brace depth 0 is lower-case."""
    depth = 0
    i = 0
    while i < len(token):
        char = token[i]
        if char == "{":
            if depth == 0 and token.startswith("{\\", i):
                match = re.match(r"\{\\([A-Za-z]+|.)\s*", token[i:])
                if match:
                    name = match.group(1)
                    if name in _FOREIGN_LETTERS:
                        return not _FOREIGN_LETTERS[name]
                    rest = token[i + match.end() :]
                    letter = next((c for c in rest if c.isalpha()), "")
                    return bool(letter) and letter.islower()
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isalpha():
            return char.islower()
        i += 1
    return False


def _join(tokens: list[tuple[str, str]]) -> str:
    out = []
    for index, (token, sep) in enumerate(tokens):
        if index:
            out.append("-" if sep == "-" else " ")
        out.append(token)
    return "".join(out)


def _single_group(text: str) -> bool:
    """``{World Health Organization}``: one brace group, not a special character."""
    if not (text.startswith("{") and text.endswith("}")) or text.startswith("{\\"):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return True


# biblatex's extended name format (biblatex manual §3.4, biber manual §3.4):
# "family=Goethe, given=Johann Wolfgang, prefix=von, useprefix=false"
_EXTENDED_NAME = lazy_pattern(r"^\s*[A-Za-z][\w-]*\s*=")
_EXTENDED_PARTS = {"family": "family", "given": "given", "suffix": "suffix"}


def _parse_extended_name(source: str) -> tuple[dict[str, str], str | None]:
    parts: dict[str, str] = {}
    prefix, useprefix, ignored = "", None, []
    for piece in _depth0_split(source, _COMMA):
        key, equals, value = piece.partition("=")
        key, value = key.strip().lower(), value.strip()
        if len(value) > 1 and value[0] == value[-1] == '"':
            value = value[1:-1].strip()
        if not equals or not value:
            continue
        if key in _EXTENDED_PARTS:
            parts[_EXTENDED_PARTS[key]] = value
        elif key == "prefix":
            prefix = value
        elif key == "useprefix":
            useprefix = value.lower() in ("true", "1", "yes")
        else:
            ignored.append(key)  # given-i (initials), id, ...: CSL has no place for them
    if prefix:
        # useprefix=false (biblatex's default): "Goethe, Johann Wolfgang von" in lists and
        # "Goethe" in citations, CSL's dropping particle; true: "von Goethe" throughout
        drops = useprefix is False
        parts["dropping-particle" if drops else "non-dropping-particle"] = prefix
    problem = f"name parts {', '.join(ignored)} ignored in {source!r}" if ignored else None
    return parts, problem


def parse_bibtex_name(source: str) -> tuple[dict[str, str], str | None]:
    """One BibTeX name (LaTeX source) → (CSL name of LaTeX parts, problem or None)."""
    source = source.strip()
    if _single_group(source):
        return {"literal": source[1:-1]}, None
    if "=" in source and _EXTENDED_NAME.match(source):
        return _parse_extended_name(source)
    parts = [p.strip() for p in _depth0_split(source, _COMMA)]
    problem = None
    if len(parts) > 3:
        problem = f"too many commas in name {source!r}; extra parts joined to the given name"
        parts = [parts[0], parts[1], ", ".join(parts[2:])]
    if len(parts) == 1:
        tokens = _name_tokens(parts[0], hyphens=True)
        if not tokens:
            return {}, None
        last_index = len(tokens) - 1
        von_start = next((i for i in range(last_index) if _is_lower(tokens[i][0])), None)
        if von_start is None:
            # BibTeX's Last is the last token and those hyphens join to it (bibtex.web
            # backs up "over hyphen-separated tokens"): Hashem El-Husseini
            last_start = last_index
            while last_start > 0 and tokens[last_start][1] == "-":
                last_start -= 1
            first, von, last = tokens[:last_start], [], tokens[last_start:]
        else:
            von_end = von_start
            for i in range(von_start, last_index):
                if _is_lower(tokens[i][0]):
                    von_end = i + 1
            first, von, last = tokens[:von_start], tokens[von_start:von_end], tokens[von_end:]
        jr: list[tuple[str, str]] = []
    else:
        tokens = _name_tokens(parts[0], hyphens=False)
        von_end = 0
        if tokens and _is_lower(tokens[0][0]):
            # a leading run of lower-case words is the particle ("van der Berg")
            while von_end < len(tokens) - 1 and _is_lower(tokens[von_end][0]):
                von_end += 1
        von, last = tokens[:von_end], tokens[von_end:]
        jr = _name_tokens(parts[1], hyphens=False) if len(parts) == 3 else []
        first = _name_tokens(parts[-1], hyphens=False)
    name: dict[str, str] = {}
    if last:
        name["family"] = _join(last)
    if first:
        name["given"] = _join(first)
    if von:
        name["non-dropping-particle"] = _join(von)
    if jr:
        name["suffix"] = _join(jr)
    return name, problem


# "Family, Given" with capitalised family words and no LaTeX: the common case, which
# needs none of BibTeX's name rules
_PLAIN_BIBTEX_NAME = lazy_pattern(
    r"((?:[a-z]+ )*)([^\s,]+(?: [^\s,]+)*), ([^\s,][^,]*[^\s,]|[^\s,])"
)
# a BibTeX special character: {\"u}, {\v{r}}, {\ss}, {\L}
# (captured: splitting at them gives text, special character, text, ...)
_SPECIAL_CHARACTER = lazy_pattern(r"(\{\\[^{}]*(?:\{[^{}]*\}[^{}]*)?\})")


def _special_character(group: str) -> str:
    """The letter a special character stands for, or the group itself when it is not
    one letter (so that reading it in place cannot change how the name splits)."""
    text = from_latex(group)
    return text if text.isalpha() else group


class _SpecialCharacters(dict[str, str]):
    """special character → :func:`_special_character`, worked out the first time it is met
    (a file uses a few, over and over)."""

    def __missing__(self, group: str) -> str:
        if len(self) >= 4096:
            self.clear()
        letter = self[group] = _special_character(group)
        return letter


_SPECIAL_CHARACTERS = _SpecialCharacters()


def _decode_names(latex: str, ctx: _ReadContext, field: str) -> tuple[list[Name], bool]:
    names: list[Name] = []
    truncated = False
    if "{\\" in latex:
        # a special character is one letter of the case of its letter, for BibTeX as
        # in Unicode: reading them first leaves most names without braces (fast)
        # (a split and a list, not a substitution: that calls back into Python for each)
        pieces = _SPECIAL_CHARACTER.split(latex)
        if len(pieces) > 1:
            letters = _SPECIAL_CHARACTERS
            pieces[1::2] = [letters[group] for group in pieces[1::2]]
            latex = "".join(pieces)
    plain_list = (
        not LATEX_SYNTAX.search(latex)
        and "  " not in latex
        and "\n" not in latex
        and "=" not in latex  # biblatex's extended name format: family=..., given=...
    )
    if plain_list and latex.isprintable() and latex.count("and") == latex.lower().count("and"):
        # only single spaces and only a lower-case "and": what _AND splits at is " and "
        parts = latex.strip().split(" and ")
    else:
        parts = _depth0_split(latex.strip(), _AND)
    append = names.append
    for part in parts:
        if plain_list:
            # "Family, Given" (the parts of a plain list never start or end with space)
            family, comma, given = part.partition(", ")
            if comma and given and "," not in given and given[-1] != " ":
                if family.isalpha() and not family[0].islower():
                    append({"family": family, "given": given})
                    continue
                if " " in family and not given[0].isspace() and not given[-1].isspace():
                    # "van der Berg, Anna": lower-case ASCII words, then one capitalised
                    # word: what _PLAIN_BIBTEX_NAME reads below, without the expression
                    particle, _, last = family.rpartition(" ")
                    if (
                        last.isalpha()
                        and last[0].isupper()
                        and particle.isascii()
                        and particle.replace(" ", "").isalpha()
                        and particle.islower()
                        and "  " not in particle
                        and particle[0] != " "
                        and particle[-1] != " "
                    ):
                        append({"family": last, "given": given, "non-dropping-particle": particle})
                        continue
        part = part.strip()
        if not part:
            continue
        if len(part) == 6 and part.lower() == "others":
            truncated = True
            continue
        plain = _PLAIN_BIBTEX_NAME.fullmatch(part) if plain_list else None
        if plain is not None and all(w[:1].isupper() for w in plain.group(2).split(" ")):
            particle, family, given = plain.groups()
            if particle:
                append({"family": family, "given": given, "non-dropping-particle": particle[:-1]})
            else:
                append({"family": family, "given": given})
            continue
        if ctx.macros:
            name, problems = _read_name(part, ctx.macros)
        else:
            name, problems = _read_name_cached(part)
        for problem in problems:
            ctx.warn(f"{ctx.key!r} {field}: {problem}")
        if name:
            names.append(dict(name))
    return names, truncated


def _read_name(source: str, macros: Macros | None) -> tuple[Name, tuple[str, ...]]:
    """One BibTeX name → a CSL name with its parts decoded, and what could not be."""
    parsed, problem = parse_bibtex_name(source)
    problems = [problem] if problem else []
    name: Name = {}
    for key, value in parsed.items():
        text = strip_rich_text(from_latex(value, macros=macros, problems=problems)) if value else ""
        if text:
            name[key] = text
    return name, tuple(problems)


@functools.lru_cache(maxsize=16384)
def _read_name_cached(source: str) -> tuple[Name, tuple[str, ...]]:
    # the same names recur through a bibliography; callers copy the dict
    return _read_name(source, None)


# --- dates

_EDTF = lazy_pattern(
    r"^(?P<year>-?\d{1,4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?"
    r"(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?(?P<flags>[~?%]*)$"
)
_YEAR_RANGE = lazy_pattern(r"^(\d{4})\s*(?:-{1,3}|–|—|/)\s*(\d{2,4})$")
_DAY_MONTH = lazy_pattern(r"(\d{1,2})")


def _edtf_parts(text: str) -> tuple[list[int], bool] | None:
    text = text.strip()
    if is_plain_iso_date(text):  # the common date, as _EDTF reads it
        year, month_text, day_text, flags = text[:4], text[5:7], text[8:], ""
    else:
        match = _EDTF.match(text)
        if match is None:
            return None
        year, month_text, day_text, flags = match.group("year", "month", "day", "flags")
    parts = [int(year)]
    if parts[0] <= 0 and year[:1] in "-0":
        # astronomical numbering (biblatex manual table 5: -0876 is 877 BCE, 0000 is
        # 1 BCE); CSL-JSON counts years before the common era from -1
        parts[0] -= 1
    if month_text:
        month = int(month_text)
        if not (1 <= month <= 12 or 21 <= month <= 24):
            return None
        parts.append(month)
        if day_text:
            day = int(day_text)
            if not 1 <= day <= 31 or month > 12:
                return None
            parts.append(day)
    return parts, bool(flags)


# ends of a range that say there is none: EDTF's "" and "..", biblatex's older words
_OPEN_ENDS = frozenset({"", "..", "open", "unknown"})
# EDTF unspecified digits (biblatex: 19uu, EDTF 2019: 19XX): the range they span
_UNSPECIFIED = lazy_pattern(r"^(\d{1,3})([uX]{1,3})$")


def parse_edtf(text: str) -> dict[str, Any] | None:
    """biblatex ``date`` (ISO 8601 / EDTF level 1, biblatex manual §2.3.8): ``2025-04-24``,
    ``2019/2020``, ``2020~``, ``-0876`` (877 BCE), open ranges ``1999-10-14/``, ``1999/open``
    and ``/2015``, seasons ``2004-22`` (summer), unspecified digits ``19uu``."""
    text = text.strip()
    if not text:
        return None
    if "/" in text:
        start, _, end = text.partition("/")
        start, end = start.strip(), end.strip()
        if end in _OPEN_ENDS:  # open end: CSL's [[start], [0]] (citeproc-js prints "1999–")
            first = _edtf_parts(start) if start not in _OPEN_ENDS else None
            if first is None:
                return None
            date = {"date-parts": [first[0], [0]]}
            if first[1]:
                date["circa"] = True
            return date
        if start in _OPEN_ENDS:  # open start: CSL has no form for it
            second = _edtf_parts(end)
            return None if second is None else {"literal": f"–{end}"}
        first, second = _edtf_parts(start), _edtf_parts(end)
        if first is None or second is None:
            return None
        date: dict[str, Any] = {"date-parts": [first[0], second[0]]}
        if first[1] or second[1]:
            date["circa"] = True
        return date
    unspecified = _UNSPECIFIED.match(text)
    if unspecified is not None and len(text) == 4:
        known, unknown = unspecified.groups()
        low = int(known + "0" * len(unknown))
        return {"date-parts": [[low], [low + 10 ** len(unknown) - 1]]}
    single = _edtf_parts(text)
    if single is None:
        return None
    date = {"date-parts": [single[0]]}  # a season stays month 21-24, as EDTF has it
    if single[1]:
        date["circa"] = True
    return date


# a season in place of a month (month = {Winter}), as EDTF numbers them (CSL: 21-24)
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
# a year with an open end ("1987--", "1987–date", Beebe's journal files)
_OPEN_YEAR = lazy_pattern(r"^(\d{4})\s*(?:-{1,3}|–|—)\s*(?:date|present|today|now)?$", re.I)
# a year with unspecified digits (19xx, 19??)
_VAGUE_YEAR = lazy_pattern(r"^(\d{2,3})([xX?]{1,2})$")


def _month_number(text: str) -> tuple[int | None, int | None]:
    """``apr``, ``April``, ``4``, ``10~January`` → (month, day)."""
    text = text.strip().strip(".")
    if text.isdigit():
        number = int(text)
        return (number if 1 <= number <= 12 else None), None
    month = day = None
    for word in _LETTERS.findall(text):
        month = MONTHS.get(word.lower()) or _SEASONS.get(word.lower())
        if month:
            break
    if month:
        digits = [int(d) for d in _DAY_MONTH.findall(text)]
        if len(digits) == 1 and 1 <= digits[0] <= 31:
            day = digits[0]
    return month, day


def _compose_date(parts: dict[str, str], ctx: _ReadContext) -> dict[str, Any] | None:
    """``date`` wins; otherwise ``year`` + ``month`` + ``day`` (text already decoded)."""
    if parts.get("date"):
        date = parse_edtf(parts["date"])
        if date is not None:
            return date
        ctx.warn(f"date {parts['date']!r} is not an ISO 8601/EDTF date")
        if not parts.get("year"):
            return {"literal": parts["date"]}
    year_text = parts.get("year", "").strip()
    if not year_text:
        if parts.get("month"):
            ctx.warn("month without a year ignored")
        return None
    open_match = _OPEN_YEAR.match(year_text)
    if open_match:
        return {"date-parts": [[int(open_match.group(1))], [0]]}
    vague = _VAGUE_YEAR.match(year_text)
    if vague is not None and len(year_text) == 4:
        known, unknown = vague.groups()
        low = int(known + "0" * len(unknown))
        return {"date-parts": [[low], [low + 10 ** len(unknown) - 1]]}
    range_match = _YEAR_RANGE.match(year_text)
    if range_match:
        first, second = range_match.groups()
        if len(second) < 4:
            second = first[: 4 - len(second)] + second
        return {"date-parts": [[int(first)], [int(second)]]}
    year_match = _YEAR_TEXT.match(year_text)
    if year_match is None:
        ctx.warn(f"year {year_text!r} is not a number; kept as a literal date")
        return {"literal": year_text}
    date_parts = [int(year_match.group(1))]
    if parts.get("month"):
        month, day = _month_number(parts["month"])
        if month is None:
            ctx.warn(f"unreadable month {parts['month']!r} ignored")
        else:
            date_parts.append(month)
            day_text = parts.get("day", "").strip()
            if day_text.isdigit() and 1 <= int(day_text) <= 31:
                day = int(day_text)
            if day:
                date_parts.append(day)
    return {"date-parts": [date_parts]}


# --- the other kinds


_LETTERS = lazy_pattern(r"[A-Za-z]+")
_YEAR_TEXT = lazy_pattern(r"^(-?\d{1,4})([a-z]?)$")
_PAGE_DASHES = lazy_pattern(r"\s*(?:-{1,3}|[–—‐‑‒−])\s*")
_URL_COMMAND = lazy_pattern(r"^\\(?:url|path|nolinkurl)\s*\{(.*)\}$", re.DOTALL)
_ESCAPED_IN_URL = lazy_pattern(r"\\([_%#&$~])")


_PLAIN_PAGE_RANGE = lazy_pattern(r"([0-9A-Za-z]+)(?:-{1,3}([0-9A-Za-z]+))?")


def _decode_pages(latex: str, ctx: _ReadContext, name: str) -> str:
    plain = _PLAIN_PAGE_RANGE.fullmatch(latex)
    if plain is not None:  # "12--34", "e1021": the common case
        first, last = plain.groups()
        return f"{first}-{last}" if last else first
    text = ctx.latex(latex, name) if LATEX_SYNTAX.search(latex) else latex
    return _PAGE_DASHES.sub("-", strip_rich_text(text)).strip()


# a tilde as files write it in URLs for styles that print them as text
_TILDE_IN_URL = lazy_pattern(
    r"\{?\\(?:symbol\{126\}|symbol\{\"7[Ee]\}|char126\b|textasciitilde\b(?:\{\})?|~\{\})\}?"
)


def _decode_verbatim(latex: str) -> str:
    text = latex.strip()
    wrapped = _URL_COMMAND.match(text) if "\\" in text else None
    if wrapped:
        text = wrapped.group(1)
    if "\\" in text and ("symbol" in text or "126" in text or "tilde" in text or "~{" in text):
        text = _TILDE_IN_URL.sub("~", text)
    # real-world files escape for BibTeX styles that print the field as text
    return _ESCAPED_IN_URL.sub(r"\1", text).strip() if "\\" in text else text


_URL_LIKE = lazy_pattern(r"^(?:https?|ftp)://\S+$", re.IGNORECASE)


class _ReadContext:
    __slots__ = ("dialect", "key", "line", "macros", "record", "report")

    def __init__(
        self,
        report: Report,
        macros: Macros | None = None,
        line: int | None = None,
        record: int | None = None,
        key: str = "",
        dialect: str = BIBTEX,
    ) -> None:
        self.report = report
        self.macros = {} if macros is None else macros
        self.line = line
        self.record = record
        self.key = key
        self.dialect = dialect

    def warn(self, message: str) -> None:
        self.report.warning(message, line=self.line, record=self.record)

    def latex(self, value: str, name: str, *, title: bool = False, paragraphs: bool = False) -> str:
        """:func:`from_latex` of a field's value; what it cannot decode is reported."""
        problems: list[str] = []
        text = from_latex(
            value, title=title, paragraphs=paragraphs, macros=self.macros, problems=problems
        )
        for problem in problems:
            self.warn(f"{self.key!r} {name}: {problem}")
        return text


@functools.lru_cache(maxsize=4096)
def _read_row(name: str, entry_type: str) -> Field | None:
    """The row the reader uses for a field of an entry type (see :class:`Field`)."""
    rows = _READ_FIELDS.get(name)
    return _choose_row(rows, entry_type) if rows else None


def _choose_row(rows: list[Field], entry_type: str) -> Field:
    for row in rows:
        if row.types is not None and entry_type in row.types:
            return row
    for row in rows:
        if row.types is None:
            return row
    return rows[0]


def _read_type(entry: _Entry, fields: dict[str, str], ctx: _ReadContext) -> tuple[str, str]:
    """(CSL type, normalised entry type) of an entry."""
    entry_type = entry.type.lower()
    csl_type = READ_TYPES.get(entry_type)
    if csl_type is None:
        ctx.warn(f"unknown entry type @{entry.type} read as CSL 'document'")
        csl_type = "document"
    subtype = fields.get("entrysubtype", "").strip().lower()
    if csl_type == "article-journal" and subtype in ("magazine", "newspaper"):
        csl_type = f"article-{subtype}"
    if entry_type in ("misc", "online", "unpublished") and _eprint_kind(fields) == "arxiv":
        csl_type = "article"
    return csl_type, _TYPE_ALIASES.get(entry_type, entry_type)


def _eprint_kind(fields: dict[str, str]) -> str:
    kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
    kind = strip_rich_text(from_latex(kind)) if LATEX_SYNTAX.search(kind) else kind
    if not kind and re.match(r"^\d{4}\.\d{4,5}(v\d+)?$", fields.get("eprint", "").strip()):
        kind = "arxiv"
    return kind


def _read_eprint(fields: dict[str, str], item: Item, extra: dict[str, str]) -> None:
    eprint = _decode_verbatim(fields.get("eprint", ""))
    kind = _eprint_kind(fields)
    eprint_class = fields.get("eprintclass") or fields.get("primaryclass") or ""
    eprint_class = strip_rich_text(from_latex(eprint_class)) if eprint_class else ""
    if kind == "arxiv" and eprint and "number" not in item:
        item["number"] = f"arXiv:{eprint}" + (f" [{eprint_class}]" if eprint_class else "")
    elif kind in ("pubmed", "pmid") and eprint.isdigit() and "PMID" not in item:
        item["PMID"] = eprint
    elif kind == "pmcid" and eprint and "PMCID" not in item:
        item["PMCID"] = eprint
    else:
        for name in _EPRINT_FIELDS:
            if name in fields:
                extra[name] = fields[name] if name == "eprint" else from_latex(fields[name])


# how _entry_to_item treats a field, per entry type and field name: (treatment, row,
# decoder), worked out once
# (_SECONDARY: decoded like _DECODE, unless the entry has the field that comes first:
# an @inproceedings' organization is its publisher only when it names none)
_SKIP, _EXTRA, _DATE_PART, _DECODE, _SECONDARY = 0, 1, 2, 3, 4
_PRIMARY = {"organization": "publisher"}
_ReadStep = tuple[int, Field | None, Callable[[str, _ReadContext, str], Any] | None]
_READ_PLANS: dict[str, dict[str, _ReadStep]] = {}


def _read_step(name: str, entry_type: str) -> _ReadStep:
    if (
        name in _STRUCTURAL
        or name == "entrysubtype"
        or name in _EPRINT_FIELDS
        or name in _SUBTITLES
        or name in _ROLE_TYPES
    ):
        return _SKIP, None, None  # read by the steps after the loop, or not at all
    row = _read_row(name, entry_type)
    if row is None:
        return _EXTRA, None, None
    if row.kind in ("year", "month", "day", "date"):
        return _DATE_PART, row, None
    if name == "organization" and row.csl == "publisher":
        return _SECONDARY, row, _DECODERS[row.kind]
    return _DECODE, row, _READ_DECODERS.get(name) or _DECODERS[row.kind]


def _entry_to_item(entry: _Entry, fields: dict[str, str], ctx: _ReadContext) -> Item:
    """One entry (fields already evaluated to LaTeX, crossrefs resolved) → a CSL item."""
    csl_type, entry_type = _read_type(entry, fields, ctx)
    item: Item = {"type": csl_type}
    if entry.key.strip():
        item["id"] = entry.key.strip()
    else:
        ctx.warn(f"@{entry.type} entry without a key; a key is generated")
    extra: dict[str, str] = {}
    date_parts: dict[str, dict[str, str]] = {}
    plan = _READ_PLANS.get(entry_type)
    if plan is None:
        plan = {}
        if len(_READ_PLANS) < 256:  # bounded, whatever types and fields a file makes up
            _READ_PLANS[entry_type] = plan
    subtitles = roles = False
    for name, value in fields.items():
        step = plan.get(name)
        if step is None:
            step = _read_step(name, entry_type)
            if len(plan) < 1024:
                plan[name] = step
        treatment, row, decode = step
        if treatment == _DECODE:  # the common case, first (the same steps as below)
            if not value.strip():
                continue
            csl = row.csl
            if csl not in item:
                decoded = decode(value, ctx, name)
                if not decoded:  # None, "" or []
                    continue
                kind = row.kind
                if kind == "names":
                    names, truncated = decoded
                    if not names:
                        continue
                    item[csl] = names
                    if truncated and csl == "author":
                        custom(item)[CUSTOM_AUTHORS_TRUNCATED] = True
                    continue
                if name == "howpublished" and _URL_LIKE.match(decoded) and "URL" not in item:
                    item["URL"] = decoded
                    continue
                item[csl] = decoded
                continue
        if treatment == _SKIP:
            if name in _SUBTITLES:
                subtitles = True
            elif name in _ROLE_TYPES:
                roles = True
            continue
        if (
            treatment == _SECONDARY
            and value.strip()
            and _PRIMARY[name] not in fields
            and row.csl not in item
        ):
            decoded = decode(value, ctx, name)
            if decoded:
                item[row.csl] = decoded
                continue
        if not value.strip():
            continue
        if treatment == _EXTRA:
            extra[name] = (
                _decode_verbatim(value)
                if name in _VERBATIM
                else ctx.latex(value, name, paragraphs=True)
            )
            if name.startswith(CUSTOM_PREFIX) and len(name) > 2:  # custom data we wrote
                custom(item)[name[2:]] = _custom_value(extra.pop(name))
            continue
        kind = row.kind
        if treatment == _DATE_PART:
            text = value if kind == "date" else ctx.latex(value, name)
            date_parts.setdefault(row.csl, {})[name if kind != "date" else "date"] = text
            continue
        # left: a field whose variable an earlier field has set, kept as an extra field
        extra[name] = (
            _decode_verbatim(value)
            if kind in ("url", "doi")
            else ctx.latex(value, name, paragraphs=True)
        )
    if roles:
        _read_roles(fields, item, extra, ctx)
    if (
        entry_type in _COLLECTIONS
        and "booktitle" in fields
        and fields["booktitle"].strip() == fields.get("title", "").strip()
        and "container-title" in item
    ):
        # a book's booktitle that repeats its title (given for crossref children to
        # inherit) names the book itself, not a container
        extra["booktitle"] = item.pop("container-title")
    if subtitles:
        for name, base in _SUBTITLES.items():
            if name in fields and fields[name].strip():
                _append_subtitle(item, base, name, fields[name], ctx, extra)
    if "eprint" in fields:
        _read_eprint(fields, item, extra)
    for variable, parts in date_parts.items():
        date = _compose_date(parts, ctx)
        if date is not None:
            item[variable] = date
    if "issued" not in item and "pubstate" in fields and item.get("status"):
        item["issued"] = {"literal": item.pop("status")}  # "in press" in place of a date
    if csl_type == "thesis" and "genre" not in item and entry_type in _THESIS_LABELS:
        item["genre"] = _THESIS_LABELS[entry_type]
    if "DOI" in item:
        doi = item["DOI"]
        if not (_PLAIN_DOI.fullmatch(doi) and doi.isascii()):  # else normalise_doi keeps it
            doi = normalise_doi(doi)
            if doi is None:
                ctx.warn(f"doi {item['DOI']!r} is not a DOI; kept as written")
            else:
                item["DOI"] = doi
    if extra:
        custom(item)[CUSTOM_FIELDS] = extra
    if (
        entry_type not in _SAME_TYPE_BACK
        and entry_type not in _TYPE_ALIASES
        and entry_type in READ_TYPES
        and any(
            entry_type in DIALECT_TYPES[dialect] and _write_type(item, dialect)[0] != entry_type
            for dialect in DIALECTS
        )
    ):
        custom(item)[CUSTOM_TYPE] = entry_type
    return item


# whole works made of parts: their booktitle, when it repeats the title, is the one
# their parts inherit through crossref
_COLLECTIONS = frozenset(
    "collection mvcollection proceedings mvproceedings reference mvreference mvbook".split()
)
# biblatex's editor role fields (editortype = {director}) and their names fields
_ROLE_TYPES = {
    "editortype": "editor",
    "editoratype": "editora",
    "editorbtype": "editorb",
    "editorctype": "editorc",
}
# biblatex editor roles (biblatex manual §2.3.6, "editortype") → CSL name variables
EDITOR_ROLES = {
    "editor": "editor",
    "compiler": "compiler",
    "director": "director",
    "organizer": "organizer",
    "translator": "translator",
    "collaborator": "contributor",
    "redactor": "editor",
    "reviser": "editor",
    "producer": "producer",
    "composer": "composer",
    "illustrator": "illustrator",
    "curator": "curator",
    "narrator": "narrator",
    "performer": "performer",
    "host": "host",
    "interviewer": "interviewer",
    "founder": "editorial-director",
    "continuator": "editor",
}


def _read_roles(fields: dict[str, str], item: Item, extra: dict[str, str], ctx: _ReadContext):
    """editor/editora/editorb/editorc with their ``*type`` → the CSL role they name."""
    for type_field, names_field in _ROLE_TYPES.items():
        role_text = fields.get(type_field, "").strip()
        if not role_text:
            continue
        role = strip_rich_text(ctx.latex(role_text, type_field)).strip().lower()
        variable = EDITOR_ROLES.get(role)
        if variable is None:
            ctx.warn(f"{type_field} {role!r} has no CSL role; {names_field} read as editor")
            variable = "editor"
        if names_field == "editor":
            names = item.pop("editor", None)
        else:
            names = None
            if fields.get(names_field, "").strip():
                names = _decode_names(fields[names_field], ctx, names_field)[0]
                extra.pop(names_field, None)
        if not names:
            continue
        if variable in item:
            ctx.warn(f"{names_field} as {role} joins the {variable} names already read")
            item[variable] = [*item[variable], *names]
        else:
            item[variable] = names


def _append_subtitle(
    item: Item, base: str, name: str, value: str, ctx: _ReadContext, extra: dict[str, str]
) -> None:
    rows = _READ_FIELDS.get(base)
    variable = rows[0].csl if rows else None
    text = ctx.latex(value, name, title=True)
    if variable and item.get(variable):
        joiner = ": " if name.endswith("subtitle") else ". "
        head = item[variable]
        if strip_rich_text(head)[-1:] in "?!:.":
            joiner = " "
        item[variable] = f"{head}{joiner}{text}"
    else:
        extra[name] = text


def _decode_text(latex: str, ctx: _ReadContext, name: str) -> str:
    if latex.isalnum():  # "12", "Nature": no space to clean up, no LaTeX
        return latex
    return ctx.latex(latex, name) if LATEX_SYNTAX.search(latex) else " ".join(latex.split())


def _decode_title(latex: str, ctx: _ReadContext, name: str) -> str:
    return ctx.latex(latex, name, title=True)


def _decode_paragraphs(latex: str, ctx: _ReadContext, name: str) -> str:
    return ctx.latex(latex, name, paragraphs=True)


def _decode_list(latex: str, ctx: _ReadContext, name: str) -> str:
    """biblatex list fields (location, publisher, institution, organization): items
    parted by "and" outside braces, joined by "; " as CSL has it ("München; Berlin");
    a localisation key as an item is its English text (countryfr → France).

    BibTeX's publisher, institution and organization are plain text ("Springer Science
    and Business Media"): split only in a biblatex file, and location always (BibTeX
    has no such field)."""
    if ctx.dialect != BIBLATEX and name != "location":
        return _decode_text(latex, ctx, name)
    if " and " not in latex.lower() and "\n" not in latex and "\t" not in latex:
        return _localised(_decode_text(latex, ctx, name))
    texts = []
    for part in _depth0_split(latex.strip(), _AND):
        text = _decode_text(part, ctx, name).strip()
        if text == "others":
            text = "et al."
        if text:
            texts.append(_localised(text))
    return "; ".join(texts)


def _localised(text: str) -> str:
    """A biblatex localisation key (newseries, countryfr) → its English string."""
    if text.isalpha() and text.islower():
        from .core.bibstrings import BIBSTRINGS

        return BIBSTRINGS.get(text, text)
    return text


def _decode_series(latex: str, ctx: _ReadContext, name: str) -> str:
    """``series``: a title, or a localisation key (``newseries``: biblatex prints it
    through \\bibstring, as it does for journal series)."""
    return _localised(_decode_title(latex, ctx, name))


def _decode_genre(latex: str, ctx: _ReadContext, name: str) -> str:
    text = _decode_text(latex, ctx, name)
    return _TYPE_KEYS.get(text.lower().replace(" ", "")) or _localised(text)


def _decode_langid(latex: str, ctx: _ReadContext, name: str) -> str:
    text = _decode_text(latex, ctx, name)
    return LANGUAGE_NAMES.get(text.lower(), text)


# biblatex publication states (pubstate keys) and how CSL writes them
PUBSTATES = {
    "inpress": "in press",
    "forthcoming": "forthcoming",
    "submitted": "submitted",
    "prepublished": "prepublished",
    "inpreparation": "in preparation",
}
_PUBSTATE_KEYS = {text: key for key, text in PUBSTATES.items()}


def _decode_pubstate(latex: str, ctx: _ReadContext, name: str) -> str:
    text = _decode_text(latex, ctx, name)
    return PUBSTATES.get(text.lower().replace(" ", ""), text)


# decoders of single fields, in place of their kind's
_READ_DECODERS: dict[str, Callable[[str, _ReadContext, str], Any]] = {
    "series": _decode_series,
}
_DECODERS: dict[str, Callable[[str, _ReadContext, str], Any]] = {
    "pubstate": _decode_pubstate,
    "langid": _decode_langid,
    "names": _decode_names,
    "title": _decode_title,
    "text": _decode_text,
    "list": _decode_list,
    "paragraphs": _decode_paragraphs,
    "pages": _decode_pages,
    "genre": _decode_genre,
    "doi": lambda latex, ctx, name: _decode_verbatim(latex),
    "url": lambda latex, ctx, name: _decode_verbatim(latex),
}


# ---------------------------------------------------------------------------
# Reading: the whole file

_INHERIT_NEVER = frozenset({"crossref", "xref", "xdata", "ids", "entryset", "key", "label"})


def _inherit(child: dict[str, str], child_type: str, parent: dict[str, str], parent_type: str):
    """BibTeX crossref inheritance, with biblatex's title → booktitle for parts of books."""
    is_part = child_type in PARTS and parent_type in BOOKS
    for name, value in parent.items():
        if name in _INHERIT_NEVER:
            continue
        target = name
        if is_part and name in ("title", "subtitle", "titleaddon"):
            target = {
                "title": "booktitle",
                "subtitle": "booksubtitle",
                "titleaddon": "booktitleaddon",
            }[name]
        elif is_part and name == "author" and child_type in ("inbook", "bookinbook", "suppbook"):
            child.setdefault("bookauthor", value)  # biblatex: the book's author is both
        elif child_type == "article" and parent_type == "periodical" and name == "title":
            target = "journaltitle"
        if target not in child:
            child[target] = value


def read(stream: TextIO, report: Report, *, dialect: str = BIBTEX) -> Iterator[Item]:
    """Items of a .bib file; ``dialect`` biblatex splits list fields (publisher,
    institution, organization) at "and" as biber does."""
    text = stream.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    blocks = split_blocks(text)
    macros = _MacroTable()
    preamble: Macros = {}
    entries: list[tuple[_Entry, dict[str, str], int]] = []
    first_line: dict[str, int] = {}
    record = 0
    for block in blocks:
        if block.kind == "failed":
            record += 1
            which = f" {block.name!r}" if block.name else ""
            report.error(
                f"malformed entry{which} skipped: {block.value.strip()}",
                line=block.line,
                record=record,
            )
        elif block.kind == "string":
            problems: list[str] = []
            try:
                macros.values[block.name.lower()] = _evaluate(block.value, macros, problems)
            except ValueTooLarge as error:
                report.error(f"@string {block.name} left undefined: {error}", line=block.line)
            for problem in problems:
                report.warning(f"@string {block.name}: {problem}", line=block.line)
        elif block.kind == "preamble":
            skipped: list[str] = []
            try:
                learn_definitions(_evaluate(block.value, macros, []), preamble, skipped)
            except ValueTooLarge as error:
                report.error(f"@preamble ignored: {error}", line=block.line)
            if skipped:
                report.info(
                    "@preamble: conditional or ambiguous definitions not applied: "
                    + ", ".join(f"\\{name}" for name in dict.fromkeys(skipped)),
                    line=block.line,
                )
        elif block.kind == "entry" and block.entry is not None:
            entry = block.entry
            if entry.type.lower() == "comment":  # @comment{...}: ignored, as biber does
                continue
            record += 1
            fields: dict[str, str] = {}
            problems = []
            duplicates = []
            pairs = iter(entry.fields)
            too_large = None
            for name, raw in zip(pairs, pairs, strict=True):
                lower = name.strip().lower()
                if lower in fields:
                    duplicates.append(lower)
                    continue
                if raw[:1] == "{" and raw[-1:] == "}" and "#" not in raw:
                    fields[lower] = raw[1:-1]  # what _evaluate makes of a braced value
                    continue
                try:
                    fields[lower] = _evaluate(raw, macros, problems)
                except ValueTooLarge as error:
                    too_large = f"field {lower}: {error}"
                    break
            if too_large is not None:
                report.error(
                    f"entry {entry.key!r} skipped: {too_large}", line=entry.line, record=record
                )
                continue
            for problem in problems:
                report.warning(problem, line=entry.line, record=record)
            if duplicates:
                report.warning(
                    f"duplicate field{'s' if len(duplicates) > 1 else ''} "
                    f"{', '.join(sorted(set(duplicates)))} in {entry.key!r}: kept the first",
                    line=entry.line,
                    record=record,
                )
            key = entry.key.strip().lower()
            if key and key in first_line:
                report.warning(
                    f"duplicate key {entry.key!r} (first used at line {first_line[key]}); "
                    "both entries converted",
                    line=entry.line,
                    record=record,
                )
            elif key:
                first_line[key] = entry.line
            entries.append((entry, fields, record))
    by_key: dict[str, tuple[_Entry, dict[str, str]]] | None = None  # made when first needed
    for entry, fields, record in entries:
        ctx = _ReadContext(report, preamble, entry.line, record, entry.key.strip(), dialect)
        entry_type = entry.type.lower()
        if entry_type == "xdata":
            report.info(
                f"@xdata {entry.key!r} merged into the entries that name it",
                line=entry.line,
                record=record,
            )
            continue
        if entry_type == "set":
            ctx.warn(
                f"@set {entry.key!r} not converted: an entry set has no CSL equivalent "
                "(its members are converted)"
            )
            continue
        if ("crossref" in fields or "xdata" in fields) and by_key is None:
            by_key = {}
            for parent, parent_fields, _ in entries:
                by_key.setdefault(parent.key.strip().lower(), (parent, parent_fields))
        try:
            if by_key is not None and ("crossref" in fields or "xdata" in fields):
                _resolve_inheritance(entry, fields, by_key, ctx)
            item = _entry_to_item(entry, fields, ctx)
        except RecursionError:
            report.error(
                f"entry {entry.key!r} nests too deeply to read", line=entry.line, record=record
            )
            continue
        except Exception as error:  # a guard: one entry fails, never the file
            report.error(
                f"entry {entry.key!r} could not be read ({type(error).__name__}: {error}); skipped",
                line=entry.line,
                record=record,
            )
            continue
        yield item


def _resolve_inheritance(
    entry: _Entry,
    fields: dict[str, str],
    by_key: dict[str, tuple[_Entry, dict[str, str]]],
    ctx: _ReadContext,
) -> None:
    seen = {entry.key.strip().lower()}
    for name in ("xdata", "crossref"):
        if name not in fields:
            continue
        keys = [k.strip() for k in strip_rich_text(fields[name]).split(",") if k.strip()]
        for key in keys if name == "xdata" else keys[:1]:
            current_type = entry.type.lower()
            parent_key = key
            depth = 0
            while parent_key and depth < 10:
                lower = parent_key.lower()
                if lower in seen and depth:
                    ctx.warn(f"{name} cycle through {parent_key!r} ignored")
                    break
                found = by_key.get(lower)
                if found is None:
                    ctx.warn(f"{name} {parent_key!r} not found; converted without its fields")
                    break
                seen.add(lower)
                parent, parent_fields = found
                _inherit(fields, current_type, parent_fields, parent.type.lower())
                parent_key = parent_fields.get("crossref", "").strip() if name == "crossref" else ""
                current_type = parent.type.lower()
                depth += 1


# ---------------------------------------------------------------------------
# Writing


class _WriteContext:
    __slots__ = ("ascii_only", "dialect", "entry_type", "record", "report", "unknown", "unwritten")

    def __init__(self, dialect: str, ascii_only: bool, report: Report) -> None:
        self.dialect = dialect
        self.ascii_only = ascii_only
        self.report = report
        self.record = 0
        self.unknown: set[str] = set()
        self.unwritten: dict[str, int] = {}  # CSL variable → items it was not written for
        self.entry_type = ""

    def latex(self, text: str, *, protect: bool = False) -> str:
        if not protect and "<" not in text:
            return escape_text(text, ascii_only=self.ascii_only, unknown=self.unknown)
        return to_latex(
            str(text), ascii_only=self.ascii_only, protect_case=protect, unknown=self.unknown
        )


class _Macro(str):
    """A value written without braces (a month macro)."""

    __slots__ = ()


_AND_WORD = lazy_pattern(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


_SIMPLE_PART = lazy_pattern(r"[A-Za-z][A-Za-z .'-]*")


def _is_and(family: str, given: str) -> bool:
    """Is either name part the word "and" (which would split the name list)?"""
    return (len(family) == 3 and family.lower() == "and") or (
        len(given) == 3 and given.lower() == "and"
    )


def _name_part(text: str, ctx: _WriteContext) -> str:
    if _SIMPLE_PART.fullmatch(text) and "--" not in text and "''" not in text:
        latex = text  # the common case: nothing to escape
    else:
        latex = ctx.latex(strip_rich_text(text))
    if "," in latex or (
        ("and" in latex or "AND" in latex or "And" in latex) and _AND_WORD.search(latex)
    ):
        return "{" + latex + "}"
    return latex


def _family_needs_braces(family: str) -> bool:
    """A lower-case word after the first would make BibTeX read the start as "von"."""
    words = family.split()
    return any(_is_lower(w) for w in words[1:-1]) and not _is_lower(words[0])


# "Family, Given" needs no escaping or protection when both are capitalised words
# of letters (and . ' -); by far the most common case
_PLAIN_NAME_ASCII = lazy_pattern(r"[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*)*")
_PLAIN_NAME_UTF8 = lazy_pattern(r"[^\W\d_](?:[^\W_]|[.'’-])*(?: [^\W\d_](?:[^\W_]|[.'’-])*)*")


def _plain_name(text: str, ascii_only: bool) -> bool:
    if not (_PLAIN_NAME_ASCII if ascii_only else _PLAIN_NAME_UTF8).fullmatch(text):
        return False
    if "--" in text or "''" in text:
        return False
    return ascii_only or all(word[0].isupper() for word in text.split(" "))


def _one_line(value: Any) -> str:
    if not value:
        return ""
    text = str(value)
    if not text.isprintable():  # control characters are white space (as escape_text has it)
        text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return " ".join(text.split())


# "Family, Given" made of capitalised words of letters (and . ' ’ - , no ligature pairs):
# no BibTeX name rule applies, only letters may need converting. By far the most names.
_PLAIN_WORD = r"[^\W\d_](?:[^\W_]|[.'’-](?![-'’]))*"
_PLAIN_PAIR = lazy_pattern(f"{_PLAIN_WORD}(?: {_PLAIN_WORD})*, {_PLAIN_WORD}(?: {_PLAIN_WORD})*")
_ASCII_WORD = r"[A-Za-z](?:[A-Za-z.]|[-'](?![-']))*"
_PLAIN_PAIR_ASCII = lazy_pattern(
    f"{_ASCII_WORD}(?: {_ASCII_WORD})*, {_ASCII_WORD}(?: {_ASCII_WORD})*"
)
_TRANSLATE_ASCII = latex_table(True)


_PLAIN_PARTICLE = lazy_pattern(r"[a-z]+(?: [a-z]+)*")


def _whole_name(text: str, ctx: _WriteContext) -> str:
    """A name BibTeX takes as a whole (an organisation's): one brace group."""
    latex = ctx.latex(text)
    # "{\..." would be a special character to BibTeX, not an organisation's name
    return "{{}" + latex + "}" if latex.startswith("\\") else "{" + latex + "}"


def _name_to_bibtex(name: Any, ctx: _WriteContext) -> str | None:
    if type(name) is dict and 2 <= len(name) <= 3:
        family, given = name.get("family"), name.get("given")
        particle = name.get("non-dropping-particle") if len(name) == 3 else ""
        if type(family) is str and type(given) is str and type(particle) is str:
            # one word of letters each, the family's not lower-case: "Family, Given" as
            # it is; no BibTeX name rule can apply (the most common names by far)
            simple = (
                family.isalpha()
                and given.isalpha()
                and not family[0].islower()
                and (not particle or (particle.isalpha() and particle.islower()))
            )
            pair = f"{particle} {family}, {given}" if particle else f"{family}, {given}"
            if not simple and (
                not particle or (_PLAIN_PARTICLE.fullmatch(particle) and particle != "and")
            ):
                plain = _PLAIN_PAIR_ASCII if pair.isascii() else _PLAIN_PAIR
                simple = bool(plain.fullmatch(pair, len(particle) + 1 if particle else 0)) and (
                    pair.istitle() if not particle else f"{family}, {given}".istitle()
                )
            if simple and (particle == "and" or _is_and(family, given)):
                simple = False
            if simple:
                if not ctx.ascii_only or pair.isascii():
                    return pair
                # translated part by part (the same as the whole: one character at a time);
                # "" when a part is not NFC-normalised, and then neither is the pair
                latex = _ascii_name(family, given, particle, ctx)
                if latex:
                    return latex
    if isinstance(name, str):
        name = {"literal": name}
    if not isinstance(name, dict):
        return None
    family = _one_line(name.get("family"))
    given = _one_line(name.get("given"))
    literal = _one_line(name.get("literal"))
    if literal or not (family or given):
        if not literal:
            return None
        return _whole_name(strip_rich_text(literal), ctx)
    if not family:  # a name with a given name only ("Plato")
        family, given = given, ""
    particles = " ".join(
        _one_line(p) for p in (name.get("dropping-particle"), name.get("non-dropping-particle"))
    ).strip()
    family_latex = _name_part(family, ctx)
    if _family_needs_braces(family) and not family_latex.startswith("{"):
        family_latex = "{" + family_latex + "}"
    # a particle ending in ' or - is written against the family name: d'Alembert
    joint = "" if particles[-1:] in ("'", "\u2019", "-") else " "
    head = f"{_name_part(particles, ctx)}{joint}{family_latex}" if particles else family_latex
    suffix = _one_line(name.get("suffix"))
    if particles and (given or suffix) and "," in f"{family}{given}{suffix}":
        # with a particle, biber counts the commas inside braces too ("too many commas")
        head = _whole_name(f"{particles} {family}", ctx)
    if suffix and given:
        return f"{head}, {_name_part(suffix, ctx)}, {_name_part(given, ctx)}"
    if suffix:  # BibTeX has no place for a suffix without a given name
        return _whole_name(f"{particles} {family}, {suffix}".strip(), ctx)
    if given:
        return f"{head}, {_name_part(given, ctx)}"
    # No given name. "Family," would do in the grammar, but bibtex and biber reject a
    # trailing comma; without one, BibTeX reads the last word as the family name and lower-case
    # words before it as the particle, so a family of several words (or a hyphen) is braced,
    # and a particle that is not all lower case is braced with it (a name as a whole).
    if not re.fullmatch(r"[^\s~-]+", family) and not _single_group(family_latex):
        family_latex = "{" + family_latex + "}"
    if not particles:  # a name "others" alone would stand for "et al."
        return "{" + family_latex + "}" if family_latex.lower() == "others" else family_latex
    if all(_is_lower(word) for word in particles.split()):
        return f"{_name_part(particles, ctx)} {family_latex}"
    return _whole_name(f"{particles} {family}", ctx)


# name part → its LaTeX for ASCII output ("" when not NFC-normalised): given and family
# names recur through a bibliography, and translating one costs more than looking it up
_ASCII_NAME_PARTS: dict[str, str] = {}


def _ascii_name_part(part: str) -> str:
    latex = _ASCII_NAME_PARTS.get(part)
    if latex is None:
        if len(_ASCII_NAME_PARTS) >= 65536:
            _ASCII_NAME_PARTS.clear()
        latex = part.translate(_TRANSLATE_ASCII) if unicodedata.is_normalized("NFC", part) else ""
        _ASCII_NAME_PARTS[part] = latex
    return latex


def _ascii_name(family: str, given: str, particle: str, ctx: _WriteContext) -> str:
    """A plain name (see _encode_names) with non-ASCII letters, in ASCII output: what
    _name_to_bibtex makes of it, or "" when a part is not NFC-normalised."""
    family_latex = family if family.isascii() else _ascii_name_part(family)
    given_latex = given if given.isascii() else _ascii_name_part(given)
    particle_latex = particle if particle.isascii() else _ascii_name_part(particle)
    if not (family_latex and given_latex and (particle_latex or not particle)):
        return ""
    latex = (
        f"{particle_latex} {family_latex}, {given_latex}"
        if particle
        else f"{family_latex}, {given_latex}"
    )
    if not latex.isascii():
        ctx.unknown.update(char for char in latex if ord(char) > 127)
    return latex


def _encode_names(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    if not isinstance(value, list):
        return None
    names: list[str] = []
    append = names.append
    ascii_only = ctx.ascii_only
    for name in value:
        # the most common names by far, {"family": one word of letters, not lower-case,
        # "given": one word of letters} with perhaps a "non-dropping-particle" of one
        # lower-case word, are "[particle ]Family, Given" as they are (what _name_to_bibtex
        # gives them, non-ASCII letters translated one part at a time)
        if type(name) is dict:
            size = len(name)
            family = name.get("family")
            given = name.get("given")
            if size == 2:
                if (
                    type(family) is str
                    and type(given) is str
                    and family.isalpha()
                    and given.isalpha()
                    and not family[0].islower()
                    and (len(given) != 3 or given.lower() != "and")  # "X, and" splits
                ):
                    pair = f"{family}, {given}"
                    if not ascii_only or pair.isascii():
                        append(pair)
                        continue
                    latex = _ascii_name(family, given, "", ctx)
                    if latex:
                        append(latex)
                        continue
            elif size == 3:
                particle = name.get("non-dropping-particle")
                if (
                    type(family) is str
                    and type(given) is str
                    and type(particle) is str
                    and family.isalpha()
                    and given.isalpha()
                    and not family[0].islower()
                    and (len(given) != 3 or given.lower() != "and")  # "X, and" splits
                    and particle.isalpha()
                    and particle.islower()
                    and particle != "and"
                ):
                    pair = f"{particle} {family}, {given}"
                    if not ascii_only or pair.isascii():
                        append(pair)
                        continue
                    latex = _ascii_name(family, given, particle, ctx)
                    if latex:
                        append(latex)
                        continue
        text = _name_to_bibtex(name, ctx)
        if text:
            append(text)
    if not names:
        return None
    if row.csl == "author" and (item.get("custom") or {}).get(CUSTOM_AUTHORS_TRUNCATED):
        names.append("others")
    return " and ".join(names)


# printable ASCII with no character TeX or BibTeX would read
_PLAIN_CLASS = lazy_pattern(r"[0-9A-Za-z!\"()*+./:;=?@\[\]',\- ]+")


# Short values recur through a bibliography (journal and publisher names, volume and
# issue numbers): the short ones the plain paths below have read are remembered, so a
# value is checked once, not once per entry. Bounded: cleared when full.
_SHORT = 64
_MEMO_SIZE = 16384
_PLAIN_SEEN: set[str] = set()
_PROTECTED_TITLES: dict[str, str] = {}  # plain title → protect_plain_case(title)
_PLAIN_LISTS: dict[str, dict[str, str]] = {BIBTEX: {}, BIBLATEX: {}}  # by dialect


def _remember(memo: dict[str, str], key: str, value: str) -> None:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value


def _plain(text: str) -> bool:
    """Is ``text`` left as it is by white-space clean-up and :func:`escape_text`? (ASCII
    with nothing to escape, no ligature run, single spaces between words)"""
    if text in _PLAIN_SEEN:
        return True
    plain = (
        _PLAIN_CLASS.fullmatch(text) is not None
        and text[0] != " "
        and text[-1] != " "
        and "  " not in text
        and "--" not in text
        and "''" not in text
        and ",," not in text
    )
    if plain and len(text) <= _SHORT:
        if len(_PLAIN_SEEN) >= _MEMO_SIZE:
            _PLAIN_SEEN.clear()
        _PLAIN_SEEN.add(text)
    return plain


def _encode_text(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    if type(value) is str and _plain(value):
        return value
    text = " ".join(str(value).split())
    return ctx.latex(text) if text else None


# a title whose only markup is one <i>…</i> span (a species, a book in a review's title)
_ONE_ITALIC = lazy_pattern(r"([^<>]*)<i>([^<>]+)</i>([^<>]*)")


def _encode_title(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    if type(value) is str:
        latex = _PROTECTED_TITLES.get(value)
        if latex is not None:
            return latex
        if _plain(value):
            latex = protect_plain_case(value)
            if len(value) <= _SHORT:  # a journal's or a series' name, most likely
                _remember(_PROTECTED_TITLES, value, latex)
            return latex
        italic = _ONE_ITALIC.fullmatch(value) if "<i>" in value else None
        if italic is not None and _plain(value.replace("<i>", "").replace("</i>", "")):
            # what to_latex makes of it: the protected words outside braced, the
            # italic text braced whole when a word in it needs protecting
            before, inside, after = italic.groups()
            return (
                (protect_plain_case(before) if before else "")
                + "\\textit{"
                + (inside if protect_plain_case(inside) == inside else "{" + inside + "}")
                + "}"
                + (protect_plain_case(after) if after else "")
            )
    text = " ".join(str(value).split())
    return ctx.latex(text, protect=True) if text else None


def _encode_paragraphs(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    text = str(value)
    if "\n" not in text and "  " not in text and "\t" not in text and "\r" not in text:
        return ctx.latex(text.strip()) or None
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    # a paragraph starting with "@name(" would look like a new entry to line-based parsers
    text = "\n\n".join(
        "{@}" + latex[1:] if latex.startswith("@") else latex
        for latex in (ctx.latex(p) for p in paragraphs if p)
    )
    return text or None


def _encode_list(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    """biblatex list fields split at "and": protect one that is part of a name."""
    if type(value) is str:
        memo = _PLAIN_LISTS[ctx.dialect]
        latex = memo.get(value)
        if latex is not None:
            return latex
        if _plain(value):
            if ctx.dialect == BIBLATEX and _AND_WORD.search(value):
                latex = "{" + value + "}"
            else:
                latex = value
            if len(value) <= _SHORT:
                _remember(memo, value, latex)
            return latex
    text = " ".join(str(value).split())
    if not text:
        return None
    latex = ctx.latex(text)
    if ctx.dialect == BIBLATEX and _AND_WORD.search(text):
        return "{" + latex + "}"
    return latex


_PAGE_DASH = lazy_pattern(r"(?<=\w)\s*(?:-+|[–—‐‑‒−])\s*(?=\w)")


_PLAIN_PAGES = lazy_pattern(r"([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?")


def _encode_pages(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    if type(value) is str:
        plain = _PLAIN_PAGES.fullmatch(value)
        if plain is not None:
            first, last = plain.groups()
            return f"{first}--{last}" if last else first
    text = " ".join(str(value).split())
    if not text:
        return None
    # ranges get BibTeX's en dash; each side is escaped on its own
    return "--".join(ctx.latex(part) for part in _PAGE_DASH.split(text))


# URLs are short: a regular expression is fine. Control characters and noncharacters too:
# a NUL aborts biber, a noncharacter makes it refuse the whole file
_VERBATIM_UNSAFE = lazy_pattern(r"[{}\\\s\x00-\x1f\x7f\x80-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def _verbatim(value: Any, ctx: _WriteContext) -> str | None:
    """URLs and DOIs: written as they are; only what would break the field is %-encoded."""
    text = str(value).strip()
    if not text:
        return None
    if (
        not _VERBATIM_UNSAFE.search(text)
        and (text.isascii() or not ctx.ascii_only)
        and (text.isascii() or text.isprintable())
    ):
        return text
    out = []
    for char in text:
        if (
            char in "{}\\"
            or char.isspace()
            or not char.isprintable()
            or (ctx.ascii_only and not char.isascii())
        ):
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)


def _encode_url(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    return _verbatim(value, ctx)


# a bare DOI normalise_doi keeps as it is and _verbatim need not encode
_PLAIN_DOI = lazy_pattern(r"10\.\d{4,9}/[^\s{}\\%]*[^\s{}\\%.]")


def _encode_doi(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    if type(value) is str and _PLAIN_DOI.fullmatch(value) and value.isascii():
        return value
    return _verbatim(normalise_doi(str(value)) or value, ctx)


def _encode_genre(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    return _encode_text(value, ctx, row, item)


def _encode_langid(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    code = str(value).strip()
    if row.field == "langid":  # biblatex wants the babel name; unknown codes go to language
        return _LANGIDS.get(code.lower()) or _LANGIDS.get(code.lower().split("-")[0])
    return _encode_text(code, ctx, row, item)


def _encode_pubstate(value: Any, ctx: _WriteContext, row: Field, item: Item) -> str | None:
    text = " ".join(str(value).split())
    return _PUBSTATE_KEYS.get(text.lower()) or _encode_text(text, ctx, row, item)


_ENCODERS: dict[str, Callable[[Any, _WriteContext, Field, Item], str | None]] = {
    "pubstate": _encode_pubstate,
    "langid": _encode_langid,
    "names": _encode_names,
    "title": _encode_title,
    "text": _encode_text,
    "list": _encode_list,
    "paragraphs": _encode_paragraphs,
    "pages": _encode_pages,
    "genre": _encode_genre,
    "doi": _encode_doi,
    "url": _encode_url,
}


def _edtf(parts: list[Any]) -> str | None:
    try:
        numbers = [int(p) for p in parts]
    except (TypeError, ValueError):
        return None
    if not numbers:
        return None
    year = numbers[0]
    if year < 0:
        # CSL counts 1 BCE as -1; EDTF and biblatex count it as 0 (astronomical year
        # numbering, biblatex manual table 5): CSL -877 is biblatex -0876
        year += 1
    text = f"{year:04d}" if year >= 0 else f"-{-year:04d}"
    month = numbers[1] if len(numbers) > 1 else 0
    if 1 <= month <= 12 or 21 <= month <= 24:  # a month or a season, else the year alone
        text += f"-{month:02d}"
        day = numbers[2] if len(numbers) > 2 else 0
        if 1 <= day <= 31 and month <= 12:
            text += f"-{day:02d}"
    return text


def _is_open_end(parts: list[Any]) -> bool:
    try:
        return bool(parts) and all(int(p) == 0 for p in parts)
    except (TypeError, ValueError):
        return False


def _date_fields(date: Any, dialect: str, is_issued: bool) -> list[tuple[str, str]]:
    """A CSL date → (field suffix, value) pairs: ``year``/``month``/``date``."""
    if type(date) is dict and len(date) == 1:
        # [[year, month, day]], the common date, without the general machinery below
        parts = date.get("date-parts")
        start = parts[0] if type(parts) is list and len(parts) == 1 else None
        size = len(start) if type(start) is list else 0
        year, month, day = (*start, 0, 0)[:3] if 1 <= size <= 3 else (-1, 0, 0)
        if (
            type(year) is int
            and type(month) is int
            and type(day) is int
            and year >= 0
            and 0 <= month <= 12
            and 0 <= day <= 31
            and (size < 3 or month)
        ):
            edtf = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
            if day:
                edtf += f"-{day:02d}"
            if dialect == BIBLATEX or not is_issued:
                return [("date", edtf)]
            out = [("year", str(year))]
            if month:
                out.append(("month", _Macro(MONTH_MACROS[month - 1])))
            if size > 2:
                out.append(("date", edtf))
            return out
    if not isinstance(date, dict):
        return []
    parts = date.get("date-parts")
    if not (isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]):
        return []  # a literal or raw date: _write_date writes it as text
    circa = "~" if date.get("circa") else ""
    start = parts[0]
    end = parts[1] if len(parts) > 1 and isinstance(parts[1], list) else None
    # CSL has no year 0: an end of [0] is an open end ("1999 onwards"), EDTF "1999/"
    open_end = end is not None and _is_open_end(end)
    edtf_parts = [_edtf(start)] if open_end else [_edtf(p) for p in (start, end) if p is not None]
    if any(p is None for p in edtf_parts):
        return []
    edtf = "/".join(f"{p}{circa}" for p in edtf_parts) + ("/" if open_end else "")
    if dialect == BIBLATEX or not is_issued:
        return [("date", edtf)]
    year = str(int(start[0]))
    if open_end:
        year += "--"
    elif end and end[:1] != start[:1]:
        year += "--" + str(int(end[0]))
    out = [("year", year)]
    month = int(start[1]) if len(start) > 1 and start[1] else 0
    same_month = end is None or list(end[:2]) == list(start[:2])
    if 1 <= month <= 12 and same_month:
        out.append(("month", _Macro(MONTH_MACROS[month - 1])))
    needs_date = bool(circa) or end is not None or len(start) > 2 or month > 12
    if needs_date:
        out.append(("date", edtf))
    return out


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


def _eprint_fields(item: Item, dialect: str) -> tuple[list[tuple[str, str]], set[str]]:
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


def _has_value(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def _write_type(item: Item, dialect: str) -> tuple[str, list[tuple[str, str]]]:
    """The entry type for an item, plus any fields the type implies (entrysubtype)."""
    csl_type = str(item.get("type") or "")
    extra: list[tuple[str, str]] = []
    stored = str((item.get("custom") or {}).get(CUSTOM_TYPE) or "")
    if stored in DIALECT_TYPES[dialect] and READ_TYPES.get(stored) == csl_type:
        return stored, extra
    bibtex_type, biblatex_type = WRITE_TYPES.get(csl_type, ("misc", "misc"))
    entry_type = biblatex_type if dialect == BIBLATEX else bibtex_type
    has_container = _has_value(item.get("container-title"))
    if csl_type == "chapter" and not (has_container or _has_value(item.get("editor"))):
        entry_type = "inbook"
    elif csl_type.startswith("entry") and not has_container:
        entry_type = "misc"
    elif csl_type == "thesis" and dialect == BIBTEX:
        if _MASTERS.search(str(item.get("genre") or "")):
            entry_type = "mastersthesis"
    elif csl_type == "book" and dialect == BIBLATEX:
        if _has_value(item.get("editor")) and not _has_value(item.get("author")):
            entry_type = "collection"
    elif (
        entry_type == "online"
        and not any(_has_value(item.get(v)) for v in ("URL", "DOI"))
        and not _eprint_fields(item, dialect)[0]
    ):
        entry_type = "misc"  # biblatex @online needs a url, doi or eprint
    if dialect == BIBLATEX and csl_type in ("article-magazine", "article-newspaper"):
        extra.append(("entrysubtype", csl_type.split("-", 1)[1]))
    return entry_type, extra


def _genre_value(item: Item, entry_type: str, dialect: str) -> str | None:
    genre = str(item.get("genre") or "").strip()
    if entry_type in ("phdthesis", "mastersthesis"):
        default = _THESIS_LABELS[entry_type]
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


def _key(item: Item, ctx: _WriteContext, allocator: KeyAllocator, trusted: bool) -> str:
    given = str(item.get("id") or "").strip()
    if given and VALID_KEY.match(given) and given != "0":  # biber skips a key Perl finds false
        if trusted and given in allocator:
            return given  # made unique by this allocator already (assign_ids)
        base = given
    else:
        from .core.keys import ascii_fold

        folded = (
            "".join(ascii_fold(ch) if not ch.isascii() else ch for ch in given) if given else ""
        )
        base = re.sub(r"[^A-Za-z0-9_:.\-+/]", "", folded)
        if not base or base == "0":
            base = citation_key(item)
    key = allocator.allocate(base)
    if given and key != given:
        ctx.report.warning(
            f"citation key {given!r} "
            + ("is not a valid BibTeX key" if base != given else "is used twice")
            + f"; written as {key!r}",
            record=ctx.record,
        )
    return key


@functools.cache
def _rows_for(dialect: str, entry_type: str) -> tuple[Field, ...]:
    """The rows of :data:`FIELDS` the writer uses for one dialect and entry type.

    In biblatex, a row whose field the data model forbids in the entry type writes to a
    field that carries the same variable there, or is left out (its variable is then
    reported as not written)."""
    rows = [
        row
        for row in FIELDS
        if dialect in row.write and (row.types is None or entry_type in row.types)
    ]
    if dialect == BIBLATEX:
        allowed = _allowed_fields(entry_type)
        for index, row in enumerate(rows):
            if row.field not in allowed and row.kind != "eprint":
                carriers = _carriers(row.field, entry_type)
                rows[index] = (
                    Field(carriers[0], row.csl, row.kind, row.write, row.types)
                    if carriers
                    else None
                )
    return tuple(row for row in rows if row is not None)


_DATE_KINDS = frozenset({"year", "month", "date"})
_NOT_FIELDS = frozenset({"id", "type", "custom", "citation-key"})
_FIELD_NAME = lazy_pattern(r"^[a-z][\w.:+-]*$")


# how entry_fields treats a row: encode its variable's value, or one of these
_ENCODE, _EPRINT, _GENRE, _DATE = 0, 1, 2, 3
_Visit = tuple[
    int, Field, Callable[[Any, "_WriteContext", Field, Item], str | None] | None, int, str, str
]


@functools.cache
def _plan(
    dialect: str, entry_type: str
) -> tuple[dict[str, tuple[_Visit, ...]], tuple[_Visit, ...]]:
    """The writer's rows by CSL variable, and the rows it always visits (eprint, genre), as
    (place in the order, row, encoder, treatment, variable, field): looking up an item's few
    variables is faster than walking every row, and the encoder is found once per entry
    type."""
    by_variable: dict[str, list[_Visit]] = {}
    always: list[_Visit] = []
    for index, row in enumerate(_rows_for(dialect, entry_type)):
        csl, name = row.csl, row.field
        if row.kind == "eprint":
            always.append((index, row, None, _EPRINT, csl, name))
        elif row.kind == "genre":
            always.append((index, row, None, _GENRE, csl, name))
        elif row.kind in _DATE_KINDS:
            by_variable.setdefault(csl, []).append((index, row, None, _DATE, csl, name))
        else:
            visit = (index, row, _ENCODERS[row.kind], _ENCODE, csl, name)
            by_variable.setdefault(csl, []).append(visit)
    return {k: tuple(v) for k, v in by_variable.items()}, tuple(always)


# (dialect, entry type, the item's variables in order) → the rows to visit: items from one
# source share a few such shapes, so the rows are looked up and sorted once per shape
# and the item's variables that are data (for the report of what was not written)
_VISITS: dict[tuple[str, ...], tuple[list[_Visit], frozenset[str]]] = {}


def _visits(dialect: str, entry_type: str, item: Item) -> tuple[list[_Visit], frozenset[str]]:
    shape = (dialect, entry_type, *item)
    found = _VISITS.get(shape)
    if found is None:
        by_variable, always = _plan(dialect, entry_type)
        visits = [*always]
        for variable in item:
            rows = by_variable.get(variable)
            if rows is not None:
                visits += rows
        visits.sort()  # by place in the table (places are unique: rows are never compared)
        if len(_VISITS) >= 4096:
            _VISITS.clear()
        found = _VISITS[shape] = (visits, frozenset(item).difference(_NOT_FIELDS))
    return found


# how many items an explanation of what was not written names, per variable (the warning
# at the end counts them all)
NAMED_ITEMS = 10


def entry_fields(item: Item, ctx: _WriteContext) -> tuple[str, list[tuple[str, str]]]:
    """An item → (entry type, [(field, value)]) in the written order; values are LaTeX."""
    dialect = ctx.dialect
    entry_type, type_fields = _write_type(item, dialect)
    ctx.entry_type = entry_type
    eprint, consumed = _eprint_fields(item, dialect)
    written: dict[str, str] = {}
    visits, data = _visits(dialect, entry_type, item)
    for _, row, encode, treatment, csl, name in visits:
        if not treatment:  # _ENCODE
            if csl in consumed or name in written:
                continue
            value = item[csl]
            if not value and (value is None or value == "" or value == [] or value == {}):
                continue
            encoded = encode(value, ctx, row, item)
            if encoded:
                written[name] = encoded
                consumed.add(csl)
        elif treatment == _DATE:
            if csl in consumed or name in written:
                continue
            value = item[csl]
            if not value and (value is None or value == "" or value == [] or value == {}):
                continue
            if _write_date(row, value, item, ctx, written):
                consumed.add(csl)
        elif treatment == _EPRINT:
            for eprint_field, value in eprint:
                written.setdefault(eprint_field, _verbatim(value, ctx) or value)
        else:
            genre = _genre_value(item, entry_type, dialect)
            if genre:
                written.setdefault("type", ctx.latex(genre))
            consumed.add("genre")  # written, or what the entry type says (@phdthesis)
    for name, value in type_fields:
        written.setdefault(name, value)
    left = (
        []
        if consumed.issuperset(data)  # all written: the usual case
        else [v for v in data.difference(consumed) if _has_value(item[v])]
    )
    if left:
        unwritten = ctx.unwritten
        named = False  # each variable's first few items are named (--verbose), all counted
        for variable in left:
            count = unwritten[variable] = unwritten.get(variable, 0) + 1
            named = named or count <= NAMED_ITEMS
        if named:
            ctx.report.info(
                f"no {dialect} field for {', '.join(sorted(left))} in @{entry_type}; not written",
                record=ctx.record,
            )
    custom_data = item.get("custom")
    if not isinstance(custom_data, dict):
        return entry_type, list(written.items())
    if len(custom_data) > (CUSTOM_FIELDS in custom_data) + (CUSTOM_TYPE in custom_data):
        _write_custom(custom_data, written, ctx)
    extra = custom_data.get(CUSTOM_FIELDS)
    if isinstance(extra, dict):
        # fields that came from the input are written back as they were, allowed or not
        for name, value in extra.items():
            name = str(name).lower()
            if name in written or not _FIELD_NAME.match(name) or not _has_value(value):
                continue
            if name in _VERBATIM:
                written[name] = _verbatim(value, ctx) or ""
            else:
                written[name] = _encode_paragraphs(value, ctx, FIELDS[0], item) or ""
    return entry_type, list(written.items())


# a date as people write it ("24 Apr 2025", "2020/2021", "Spring 2019"): digits, month and
# season names and separators only, so nothing else in the text is lost when it is parsed
_DATE_WORDS = lazy_pattern(r"\d+|[A-Za-z]+|[\s,./-]+")


def _loose_date(value: Any) -> dict[str, Any] | None:
    """A CSL date in any shape → date-parts, or ``{"literal": text}`` when it is text."""
    if isinstance(value, dict):
        text = value.get("raw") if "date-parts" not in value else None
        if not isinstance(text, str):
            date = normalise_date(value)
            if date is not None and "literal" in date:
                date["literal"] = str(date["literal"])
            return date
    elif isinstance(value, str):
        text = value
    else:
        return normalise_date(value)
    text = text.strip()
    if not text:
        return None
    words = [w for w in _DATE_WORDS.findall(text) if w[0].isalpha()]
    if len("".join(_DATE_WORDS.findall(text))) == len(text) and all(
        w.lower() in MONTHS or w.lower() in SEASONS for w in words
    ):
        return normalise_date(text)
    return {"literal": text}


@functools.cache
def _allowed_fields(entry_type: str) -> frozenset[str]:
    """The fields biblatex's data model allows in ``entry_type`` (any field in a type it
    does not know: biber does not check those)."""
    from ._biblatex_datamodel import EVERY_TYPE, TYPE_FIELDS

    fields = TYPE_FIELDS.get(entry_type)
    return EVERY_TYPE | fields if fields is not None else frozenset(_ALL_FIELDS)


_ALL_FIELDS = frozenset(row.field for row in FIELDS) | _EPRINT_FIELDS | {"entrysubtype", "year"}
# the fields that hold each CSL variable (in the table's order): where a field the data
# model forbids in an entry type can go instead
_FIELDS_OF: dict[str, tuple[str, ...]] = {}
for _row in FIELDS:
    if _row.csl and _row.field not in _FIELDS_OF.get(_row.csl, ()):
        _FIELDS_OF[_row.csl] = (*_FIELDS_OF.get(_row.csl, ()), _row.field)


def _carriers(name: str, entry_type: str) -> tuple[str, ...]:
    """The fields that can hold what ``name`` holds where the data model forbids ``name`` in
    ``entry_type``: allowed there, and read by our reader as the same CSL variable
    (publisher → institution in @report, organization in @misc, howpublished in @booklet)."""
    rows = _READ_FIELDS.get(name)
    if not rows:
        return ()
    variable = _choose_row(rows, entry_type).csl
    allowed = _allowed_fields(entry_type)
    return tuple(
        target
        for target in _FIELDS_OF.get(variable, ())
        if target != name
        and target in allowed
        and _choose_row(_READ_FIELDS[target], entry_type).csl == variable
    )


# custom data (CSL-JSON's "custom" object: citation counts, full-text links, retraction
# notices) in BibTeX: one field per key, the key prefixed, read back into "custom"
CUSTOM_PREFIX = "x-"
_WRITER_CUSTOM = frozenset({CUSTOM_FIELDS, CUSTOM_TYPE, CUSTOM_AUTHORS_TRUNCATED})
_CUSTOM_KEY = lazy_pattern(r"[a-z0-9][a-z0-9_.:+-]*")


def _write_custom(custom_data: dict[str, Any], written: dict[str, str], ctx: _WriteContext) -> None:
    """custom.* as ``x-key`` fields (BibTeX only: biblatex's data model has no place for
    them): text as it is, other values as JSON (and text that would read as JSON)."""
    for key, value in custom_data.items():
        if key in _WRITER_CUSTOM or not _has_value(value):
            continue
        name = CUSTOM_PREFIX + str(key)
        if ctx.dialect != BIBTEX or not _CUSTOM_KEY.fullmatch(str(key)) or name in written:
            variable = f"custom.{key}"
            ctx.unwritten[variable] = ctx.unwritten.get(variable, 0) + 1
            ctx.report.info(
                f"no {ctx.dialect} field for {variable}; not written", record=ctx.record
            )
            continue
        if type(value) is str and _custom_value(value) == value:
            text = value
        else:
            import json

            text = json.dumps(value, ensure_ascii=False, default=str)
        written[name] = _encode_paragraphs(text, ctx, FIELDS[0], {}) or ""


_JSON_START = frozenset('[{"-0123456789tfn')


def _custom_value(text: str) -> Any:
    """A custom field's text → the value written (JSON where it reads as JSON)."""
    if text[:1] in _JSON_START:
        import json

        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _write_date(
    row: Field, value: Any, item: Item, ctx: _WriteContext, written: dict[str, str]
) -> bool:
    """A date variable → year/month/date (bibtex, issued) or one date field; False when
    the value holds no date and no text to write."""
    dialect = ctx.dialect
    issued = row.csl == "issued"
    fields = _date_fields(value, dialect, issued)
    if not fields:
        # a string, "raw" or "literal", or date-parts that are not numbers: parsed where
        # it is a date, else written as escaped text (never verbatim: a value could close
        # its field and add fields or entries)
        date = _loose_date(value)
        if date is None:
            return False
        if "date-parts" in date:
            fields = _date_fields(date, dialect, issued)
        if not fields:
            text = " ".join(str(date.get("literal") or "").split())
            if not text:
                return False
            if (
                dialect == BIBLATEX
                and issued
                and text.lower() in _PUBSTATE_KEYS
                and not _has_value(item.get("status"))
                and "pubstate" in _allowed_fields(ctx.entry_type)
            ):
                written.setdefault("pubstate", _PUBSTATE_KEYS[text.lower()])
                return True
            written.setdefault("year" if issued else row.field, ctx.latex(text))
            return True
    for suffix, text in fields:
        written.setdefault(suffix if issued else row.field, text)
    return True


def format_entry(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """``@type{key,``, one ``  field = {value}`` per line (macros unbraced), ``}``."""
    body = ",\n".join(
        [
            f"  {name} = {value}" if type(value) is _Macro else f"  {name} = {{{value}}}"
            for name, value in fields
        ]
    )
    return f"@{entry_type}{{{key},\n{body}\n}}\n" if fields else f"@{entry_type}{{{key},\n}}\n"


def write(
    items: Iterable[Item],
    out: TextIO,
    report: Report,
    *,
    ascii: bool | str | None = None,
    dialect: str = BIBTEX,
    keys: KeyAllocator | None = None,
) -> None:
    """Write items as BibTeX (``dialect="bibtex"``) or biblatex.

    ``ascii``: non-ASCII characters as LaTeX commands (default in the bibtex
    dialect) or as UTF-8 (default in biblatex). ``keys``: the allocator that made
    the items' ids unique (:func:`~.core.pipeline.assign_ids`); valid keys it
    handed out are written as they are, and only keys that must change (not valid
    BibTeX) are allocated from it, so a run makes its keys unique once.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected bibtex or biblatex")
    ascii_only = dialect == BIBTEX if ascii is None else flag_value(ascii, "ascii")
    allocator = keys if keys is not None else KeyAllocator()
    trusted = keys is not None
    first = True
    ctx = _WriteContext(dialect, ascii_only, report)
    for record, item in enumerate(items, 1):
        ctx.record = record
        if ctx.unknown:
            ctx.unknown = set()
        entry_type, fields = entry_fields(item, ctx)
        key = _key(item, ctx, allocator, trusted)
        if ctx.unknown:
            chars = "".join(sorted(ctx.unknown))
            report.warning(
                f"{key}: {len(ctx.unknown)} character{'s' if len(ctx.unknown) > 1 else ''} "
                f"with no LaTeX form kept as UTF-8: {chars}",
                record=record,
            )
        if not first:
            out.write("\n")
        out.write(format_entry(entry_type, key, fields))
        first = False
    for variable, count in sorted(ctx.unwritten.items()):
        named = "the items" if count <= NAMED_ITEMS else f"the first {NAMED_ITEMS}"
        report.warning(
            f"{variable} not written for {count} item{'s' if count > 1 else ''}: "
            f"{dialect} has no field for it in the entry type (--verbose names {named})"
        )
