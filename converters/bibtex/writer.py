"""Writing: CSL items → BibTeX or biblatex entries.

Escapes everything TeX or BibTeX would interpret (a value can never break out of its
field), turns non-ASCII into LaTeX in the ``bibtex`` dialect (UTF-8 in ``biblatex``;
the ``ascii`` option flips either way), protects the capitals of acronyms in titles,
and writes names in ``von Last, Jr, First`` form.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TextIO

from ..core.diagnostics import Report
from ..core.fieldmap import Row
from ..core.identifiers import normalise_doi
from ..core.keys import VALID_KEY, KeyAllocator, citation_key
from ..core.model import CUSTOM_AUTHORS_TRUNCATED, Item
from ..core.options import flag_value
from ..core.patterns import lazy_pattern
from .biblatex import allowed_fields, allowed_rows
from .dates import date_fields, loose_date
from .latex import escape_text, protect_plain_case, to_latex
from .mapping import (
    BIBLATEX,
    BIBTEX,
    CUSTOM_FIELDS,
    CUSTOM_PREFIX,
    CUSTOM_TYPE,
    DIALECTS,
    FIELD_MAP,
    FIELDS,
    LANGIDS,
    PLAIN_DOI,
    PUBSTATE_KEYS,
    VERBATIM_FIELDS,
    Macro,
    custom_value,
    eprint_fields,
    genre_value,
    has_value,
    write_type,
)
from .names import AND_WORD, encode_names


class WriteContext:
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


def _encode_text(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
    if type(value) is str and _plain(value):
        return value
    text = " ".join(str(value).split())
    return ctx.latex(text) if text else None


# a title whose only markup is one <i>…</i> span (a species, a book in a review's title)
_ONE_ITALIC = lazy_pattern(r"([^<>]*)<i>([^<>]+)</i>([^<>]*)")


def _encode_title(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
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


def _encode_paragraphs(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
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


def _encode_list(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
    """biblatex list fields split at "and": protect one that is part of a name."""
    if type(value) is str:
        memo = _PLAIN_LISTS[ctx.dialect]
        latex = memo.get(value)
        if latex is not None:
            return latex
        if _plain(value):
            if ctx.dialect == BIBLATEX and AND_WORD.search(value):
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
    if ctx.dialect == BIBLATEX and AND_WORD.search(text):
        return "{" + latex + "}"
    return latex


_PAGE_DASH = lazy_pattern(r"(?<=\w)\s*(?:-+|[–—‐‑‒−])\s*(?=\w)")


_PLAIN_PAGES = lazy_pattern(r"([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?")


def _encode_pages(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
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


def _verbatim(value: Any, ctx: WriteContext) -> str | None:
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


def _encode_url(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
    return _verbatim(value, ctx)


def _encode_doi(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
    if type(value) is str and PLAIN_DOI.fullmatch(value) and value.isascii():
        return value
    return _verbatim(normalise_doi(str(value)) or value, ctx)


def _encode_genre(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
    return _encode_text(value, ctx, row, item)


def _encode_langid(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
    code = str(value).strip()
    if row.field == "langid":  # biblatex wants the babel name; unknown codes go to language
        return LANGIDS.get(code.lower()) or LANGIDS.get(code.lower().split("-")[0])
    return _encode_text(code, ctx, row, item)


def _encode_pubstate(value: Any, ctx: WriteContext, row: Row, item: Item) -> str | None:
    text = " ".join(str(value).split())
    return PUBSTATE_KEYS.get(text.lower()) or _encode_text(text, ctx, row, item)


_ENCODERS: dict[str, Callable[[Any, WriteContext, Row, Item], str | None]] = {
    "pubstate": _encode_pubstate,
    "langid": _encode_langid,
    "names": encode_names,
    "title": _encode_title,
    "text": _encode_text,
    "list": _encode_list,
    "paragraphs": _encode_paragraphs,
    "pages": _encode_pages,
    "genre": _encode_genre,
    "doi": _encode_doi,
    "url": _encode_url,
}


def _key(item: Item, ctx: WriteContext, allocator: KeyAllocator, trusted: bool) -> str:
    given = str(item.get("id") or "").strip()
    if given and VALID_KEY.match(given) and given != "0":  # biber skips a key Perl finds false
        if trusted and given in allocator:
            return given  # made unique by this allocator already (assign_ids)
        base = given
    else:
        from ..core.keys import ascii_fold

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


_DATE_KINDS = frozenset({"year", "month", "date"})
_NOT_FIELDS = frozenset({"id", "type", "custom", "citation-key"})
_FIELD_NAME = lazy_pattern(r"^[a-z][\w.:+-]*$")


# How entry_fields treats a row (plain ints: compared for every row of every entry)
_ENCODE_VALUE = 0  # its encoder gives the field from its variable's value
_WRITE_EPRINT = 1  # eprint and its companions, from eprint_fields
_WRITE_GENRE = 2  # type = {...}, unless the entry type says it (@phdthesis)
_WRITE_DATE = 3  # year/month or date, from _write_date


class _RowVisit(NamedTuple):
    """A row the writer visits for an entry type, with what it needs at hand."""

    position: int  # in the written order (unique: visits sort by it alone)
    row: Row
    encode: Callable[[Any, WriteContext, Row, Item], str | None] | None
    treatment: int
    variable: str
    field: str


@functools.cache
def _plan(
    dialect: str, entry_type: str
) -> tuple[dict[str, tuple[_RowVisit, ...]], tuple[_RowVisit, ...]]:
    """The writer's visits by CSL variable, and those it always makes (eprint, genre):
    looking up an item's few variables is faster than walking every row, and the encoder
    is found once per entry type."""
    by_variable: dict[str, list[_RowVisit]] = {}
    always: list[_RowVisit] = []
    rows = FIELD_MAP.writing(entry_type, dialect)
    if dialect == BIBLATEX:
        rows = allowed_rows(rows, entry_type)
    for index, row in enumerate(rows):
        csl, name = row.variable, row.field
        if row.kind == "eprint":
            always.append(_RowVisit(index, row, None, _WRITE_EPRINT, csl, name))
        elif row.kind == "genre":
            always.append(_RowVisit(index, row, None, _WRITE_GENRE, csl, name))
        elif row.kind in _DATE_KINDS:
            visit = _RowVisit(index, row, None, _WRITE_DATE, csl, name)
            by_variable.setdefault(csl, []).append(visit)
        else:
            visit = _RowVisit(index, row, _ENCODERS[row.kind], _ENCODE_VALUE, csl, name)
            by_variable.setdefault(csl, []).append(visit)
    return {k: tuple(v) for k, v in by_variable.items()}, tuple(always)


# (dialect, entry type, the item's variables in order) → the rows to visit: items from one
# source share a few such shapes, so the rows are looked up and sorted once per shape
# and the item's variables that are data (for the report of what was not written)
_VISITS: dict[tuple[str, ...], tuple[list[_RowVisit], frozenset[str]]] = {}


def _visits(dialect: str, entry_type: str, item: Item) -> tuple[list[_RowVisit], frozenset[str]]:
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


def entry_fields(item: Item, ctx: WriteContext) -> tuple[str, list[tuple[str, str]]]:
    """An item → (entry type, [(field, value)]) in the written order; values are LaTeX."""
    dialect = ctx.dialect
    entry_type, type_fields = write_type(item, dialect)
    ctx.entry_type = entry_type
    eprint, consumed = eprint_fields(item, dialect)
    written: dict[str, str] = {}
    visits, data = _visits(dialect, entry_type, item)
    for _, row, encode, treatment, csl, name in visits:
        if treatment == _ENCODE_VALUE:
            if csl in consumed or name in written:
                continue
            value = item[csl]
            if not value and (value is None or value == "" or value == [] or value == {}):
                continue
            encoded = encode(value, ctx, row, item)
            if encoded:
                written[name] = encoded
                consumed.add(csl)
        elif treatment == _WRITE_DATE:
            if csl in consumed or name in written:
                continue
            value = item[csl]
            if not value and (value is None or value == "" or value == [] or value == {}):
                continue
            if _write_date(row, value, item, ctx, written):
                consumed.add(csl)
        elif treatment == _WRITE_EPRINT:
            for eprint_field, value in eprint:
                written.setdefault(eprint_field, _verbatim(value, ctx) or value)
        else:
            genre = genre_value(item, entry_type, dialect)
            if genre:
                written.setdefault("type", ctx.latex(genre))
            consumed.add("genre")  # written, or what the entry type says (@phdthesis)
    for name, value in type_fields:
        written.setdefault(name, value)
    left = (
        []
        if consumed.issuperset(data)  # all written: the usual case
        else [v for v in data.difference(consumed) if has_value(item[v])]
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
            if name in written or not _FIELD_NAME.match(name) or not has_value(value):
                continue
            if name in VERBATIM_FIELDS:
                written[name] = _verbatim(value, ctx) or ""
            else:
                written[name] = _encode_paragraphs(value, ctx, FIELDS[0], item) or ""
    return entry_type, list(written.items())


_WRITER_CUSTOM = frozenset({CUSTOM_FIELDS, CUSTOM_TYPE, CUSTOM_AUTHORS_TRUNCATED})
_CUSTOM_KEY = lazy_pattern(r"[a-z0-9][a-z0-9_.:+-]*")


def _write_custom(custom_data: dict[str, Any], written: dict[str, str], ctx: WriteContext) -> None:
    """custom.* as ``x-key`` fields (BibTeX only: biblatex's data model has no place for
    them): text as it is, other values as JSON (and text that would read as JSON)."""
    for key, value in custom_data.items():
        if key in _WRITER_CUSTOM or not has_value(value):
            continue
        name = CUSTOM_PREFIX + str(key)
        if ctx.dialect != BIBTEX or not _CUSTOM_KEY.fullmatch(str(key)) or name in written:
            variable = f"custom.{key}"
            ctx.unwritten[variable] = ctx.unwritten.get(variable, 0) + 1
            ctx.report.info(
                f"no {ctx.dialect} field for {variable}; not written", record=ctx.record
            )
            continue
        if type(value) is str and custom_value(value) == value:
            text = value
        else:
            import json

            text = json.dumps(value, ensure_ascii=False, default=str)
        written[name] = _encode_paragraphs(text, ctx, FIELDS[0], {}) or ""


def _write_date(
    row: Row, value: Any, item: Item, ctx: WriteContext, written: dict[str, str]
) -> bool:
    """A date variable → year/month/date (bibtex, issued) or one date field; False when
    the value holds no date and no text to write."""
    dialect = ctx.dialect
    issued = row.variable == "issued"
    fields = date_fields(value, dialect, issued)
    if not fields:
        # a string, "raw" or "literal", or date-parts that are not numbers: parsed where
        # it is a date, else written as escaped text (never verbatim: a value could close
        # its field and add fields or entries)
        date = loose_date(value)
        if date is None:
            return False
        if "date-parts" in date:
            fields = date_fields(date, dialect, issued)
        if not fields:
            text = " ".join(str(date.get("literal") or "").split())
            if not text:
                return False
            if (
                dialect == BIBLATEX
                and issued
                and text.lower() in PUBSTATE_KEYS
                and not has_value(item.get("status"))
                and "pubstate" in allowed_fields(ctx.entry_type)
            ):
                written.setdefault("pubstate", PUBSTATE_KEYS[text.lower()])
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
            f"  {name} = {value}" if type(value) is Macro else f"  {name} = {{{value}}}"
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
    ctx = WriteContext(dialect, ascii_only, report)
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
