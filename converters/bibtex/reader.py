"""Reading: a .bib file → CSL items (entry type and fields decoded by the field table)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from ..core.diagnostics import Report
from ..core.fieldmap import Row
from ..core.identifiers import normalise_doi
from ..core.model import CUSTOM_AUTHORS_TRUNCATED, Item, custom
from ..core.patterns import lazy_pattern
from ..core.text import strip_rich_text
from .dates import compose_date
from .latex import LATEX_SYNTAX, Macros, from_latex, learn_definitions
from .mapping import (
    BIBLATEX,
    BIBTEX,
    CUSTOM_FIELDS,
    CUSTOM_PREFIX,
    CUSTOM_TYPE,
    DIALECT_TYPES,
    DIALECTS,
    EPRINT_FIELDS,
    FIELD_MAP,
    LANGUAGE_NAMES,
    PLAIN_DOI,
    PUBSTATES,
    READ_TYPES,
    SAME_TYPE_BACK,
    STRUCTURAL_FIELDS,
    SUBTITLES,
    THESIS_LABELS,
    TYPE_ALIASES,
    TYPE_KEYS,
    VERBATIM_FIELDS,
    custom_value,
    field_row,
    write_type,
)
from .names import AND_SEPARATOR, decode_names, depth0_split
from .syntax import (
    Entry,
    MacroTable,
    ValueTooLarge,
    evaluate,
    resolve_inheritance,
    split_blocks,
)

_PAGE_DASHES = lazy_pattern(r"\s*(?:-{1,3}|[–—‐‑‒−])\s*")
_URL_COMMAND = lazy_pattern(r"^\\(?:url|path|nolinkurl)\s*\{(.*)\}$", re.DOTALL)
_ESCAPED_IN_URL = lazy_pattern(r"\\([_%#&$~])")


_PLAIN_PAGE_RANGE = lazy_pattern(r"([0-9A-Za-z]+)(?:-{1,3}([0-9A-Za-z]+))?")


def _decode_pages(latex: str, ctx: ReadContext, name: str) -> str:
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


class ReadContext:
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


def _read_type(entry: Entry, fields: dict[str, str], ctx: ReadContext) -> tuple[str, str]:
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
    return csl_type, TYPE_ALIASES.get(entry_type, entry_type)


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
        for name in fields:  # in the entry's order: a set's order changes from run to run
            if name in EPRINT_FIELDS:
                extra[name] = fields[name] if name == "eprint" else from_latex(fields[name])


# How _entry_to_item treats a field (plain ints, not an enum: the loop over every field
# compares them, and an enum member lookup costs several times an int's)
_READ_LATER = 0  # read by the steps after the field loop, or not at all
_KEEP_AS_EXTRA = 1  # no row for it: kept in custom "bibtex-fields"
_DATE_PART = 2  # year, month, day or date: composed into one date after the loop
_DECODE = 3  # its row's decoder gives its row's variable
# as _DECODE, unless the entry has the field that comes first: an @inproceedings'
# organization is its publisher only when it names none
_DECODE_UNLESS_PRIMARY = 4
_PRIMARY = {"organization": "publisher"}
# (treatment, row, decoder) of a field, per entry type and field name, worked out once
_ReadStep = tuple[int, Row | None, Callable[[str, ReadContext, str], Any] | None]
_READ_STEPS: dict[str, dict[str, _ReadStep]] = {}


def _read_step(name: str, entry_type: str) -> _ReadStep:
    if (
        name in STRUCTURAL_FIELDS
        or name == "entrysubtype"
        or name in EPRINT_FIELDS
        or name in SUBTITLES
        or name in _ROLE_TYPES
    ):
        return _READ_LATER, None, None  # read by the steps after the loop, or not at all
    row = field_row(name, entry_type)
    if row is None:
        return _KEEP_AS_EXTRA, None, None
    if row.kind in ("year", "month", "day", "date"):
        return _DATE_PART, row, None
    if name == "organization" and row.variable == "publisher":
        return _DECODE_UNLESS_PRIMARY, row, _DECODERS[row.kind]
    return _DECODE, row, _READ_DECODERS.get(name) or _DECODERS[row.kind]


def _entry_to_item(entry: Entry, fields: dict[str, str], ctx: ReadContext) -> Item:
    """One entry (fields already evaluated to LaTeX, crossrefs resolved) → a CSL item."""
    csl_type, entry_type = _read_type(entry, fields, ctx)
    item: Item = {"type": csl_type}
    if entry.key.strip():
        item["id"] = entry.key.strip()
    else:
        ctx.warn(f"@{entry.type} entry without a key; a key is generated")
    extra: dict[str, str] = {}
    date_parts: dict[str, dict[str, str]] = {}
    plan = _READ_STEPS.get(entry_type)
    if plan is None:
        plan = {}
        if len(_READ_STEPS) < 256:  # bounded, whatever types and fields a file makes up
            _READ_STEPS[entry_type] = plan
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
            csl = row.variable
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
        if treatment == _READ_LATER:
            if name in SUBTITLES:
                subtitles = True
            elif name in _ROLE_TYPES:
                roles = True
            continue
        if (
            treatment == _DECODE_UNLESS_PRIMARY
            and value.strip()
            and _PRIMARY[name] not in fields
            and row.variable not in item
        ):
            decoded = decode(value, ctx, name)
            if decoded:
                item[row.variable] = decoded
                continue
        if not value.strip():
            continue
        if treatment == _KEEP_AS_EXTRA:
            extra[name] = (
                _decode_verbatim(value)
                if name in VERBATIM_FIELDS
                else ctx.latex(value, name, paragraphs=True)
            )
            if name.startswith(CUSTOM_PREFIX) and len(name) > 2:  # custom data we wrote
                custom(item)[name[2:]] = custom_value(extra.pop(name))
            continue
        kind = row.kind
        if treatment == _DATE_PART:
            text = value if kind == "date" else ctx.latex(value, name)
            date_parts.setdefault(row.variable, {})[name if kind != "date" else "date"] = text
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
        for name, base in SUBTITLES.items():
            if name in fields and fields[name].strip():
                _append_subtitle(item, base, name, fields[name], ctx, extra)
    if "eprint" in fields:
        _read_eprint(fields, item, extra)
    for variable, parts in date_parts.items():
        date = compose_date(parts, ctx)
        if date is not None:
            item[variable] = date
    if "issued" not in item and "pubstate" in fields and item.get("status"):
        item["issued"] = {"literal": item.pop("status")}  # "in press" in place of a date
    if csl_type == "thesis" and "genre" not in item and entry_type in THESIS_LABELS:
        item["genre"] = THESIS_LABELS[entry_type]
    if "DOI" in item:
        doi = item["DOI"]
        if not (PLAIN_DOI.fullmatch(doi) and doi.isascii()):  # else normalise_doi keeps it
            doi = normalise_doi(doi)
            if doi is None:
                ctx.warn(f"doi {item['DOI']!r} is not a DOI; kept as written")
            else:
                item["DOI"] = doi
    if extra:
        custom(item)[CUSTOM_FIELDS] = extra
    if (
        entry_type not in SAME_TYPE_BACK
        and entry_type not in TYPE_ALIASES
        and entry_type in READ_TYPES
        and any(
            entry_type in DIALECT_TYPES[dialect] and write_type(item, dialect)[0] != entry_type
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


def _read_roles(fields: dict[str, str], item: Item, extra: dict[str, str], ctx: ReadContext):
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
                names = decode_names(fields[names_field], ctx, names_field)[0]
                extra.pop(names_field, None)
        if not names:
            continue
        if variable in item:
            ctx.warn(f"{names_field} as {role} joins the {variable} names already read")
            item[variable] = [*item[variable], *names]
        else:
            item[variable] = names


def _append_subtitle(
    item: Item, base: str, name: str, value: str, ctx: ReadContext, extra: dict[str, str]
) -> None:
    rows = FIELD_MAP.named(base)
    variable = rows[0].variable if rows else None
    text = ctx.latex(value, name, title=True)
    if variable and item.get(variable):
        joiner = ": " if name.endswith("subtitle") else ". "
        head = item[variable]
        if strip_rich_text(head)[-1:] in "?!:.":
            joiner = " "
        item[variable] = f"{head}{joiner}{text}"
    else:
        extra[name] = text


def _decode_text(latex: str, ctx: ReadContext, name: str) -> str:
    if latex.isalnum():  # "12", "Nature": no space to clean up, no LaTeX
        return latex
    return ctx.latex(latex, name) if LATEX_SYNTAX.search(latex) else " ".join(latex.split())


def _decode_title(latex: str, ctx: ReadContext, name: str) -> str:
    return ctx.latex(latex, name, title=True)


def _decode_paragraphs(latex: str, ctx: ReadContext, name: str) -> str:
    return ctx.latex(latex, name, paragraphs=True)


def _decode_list(latex: str, ctx: ReadContext, name: str) -> str:
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
    for part in depth0_split(latex.strip(), AND_SEPARATOR):
        text = _decode_text(part, ctx, name).strip()
        if text == "others":
            text = "et al."
        if text:
            texts.append(_localised(text))
    return "; ".join(texts)


def _localised(text: str) -> str:
    """A biblatex localisation key (newseries, countryfr) → its English string."""
    if text.isalpha() and text.islower():
        from .bibstrings import BIBSTRINGS

        return BIBSTRINGS.get(text, text)
    return text


def _decode_series(latex: str, ctx: ReadContext, name: str) -> str:
    """``series``: a title, or a localisation key (``newseries``: biblatex prints it
    through \\bibstring, as it does for journal series)."""
    return _localised(_decode_title(latex, ctx, name))


def _decode_genre(latex: str, ctx: ReadContext, name: str) -> str:
    text = _decode_text(latex, ctx, name)
    return TYPE_KEYS.get(text.lower().replace(" ", "")) or _localised(text)


def _decode_langid(latex: str, ctx: ReadContext, name: str) -> str:
    text = _decode_text(latex, ctx, name)
    return LANGUAGE_NAMES.get(text.lower(), text)


def _decode_pubstate(latex: str, ctx: ReadContext, name: str) -> str:
    text = _decode_text(latex, ctx, name)
    return PUBSTATES.get(text.lower().replace(" ", ""), text)


# decoders of single fields, in place of their kind's
_READ_DECODERS: dict[str, Callable[[str, ReadContext, str], Any]] = {
    "series": _decode_series,
}
_DECODERS: dict[str, Callable[[str, ReadContext, str], Any]] = {
    "pubstate": _decode_pubstate,
    "langid": _decode_langid,
    "names": decode_names,
    "title": _decode_title,
    "text": _decode_text,
    "list": _decode_list,
    "paragraphs": _decode_paragraphs,
    "pages": _decode_pages,
    "genre": _decode_genre,
    "doi": lambda latex, ctx, name: _decode_verbatim(latex),
    "url": lambda latex, ctx, name: _decode_verbatim(latex),
}


def read(stream: TextIO, report: Report, *, dialect: str = BIBTEX) -> Iterator[Item]:
    """Items of a .bib file; ``dialect`` biblatex splits list fields (publisher,
    institution, organization) at "and" as biber does."""
    text = stream.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    blocks = split_blocks(text)
    macros = MacroTable()
    preamble: Macros = {}
    entries: list[tuple[Entry, dict[str, str], int]] = []
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
                macros.values[block.name.lower()] = evaluate(block.value, macros, problems)
            except ValueTooLarge as error:
                report.error(f"@string {block.name} left undefined: {error}", line=block.line)
            for problem in problems:
                report.warning(f"@string {block.name}: {problem}", line=block.line)
        elif block.kind == "preamble":
            skipped: list[str] = []
            try:
                learn_definitions(evaluate(block.value, macros, []), preamble, skipped)
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
                    fields[lower] = raw[1:-1]  # what evaluate makes of a braced value
                    continue
                try:
                    fields[lower] = evaluate(raw, macros, problems)
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
    by_key: dict[str, tuple[Entry, dict[str, str]]] | None = None  # made when first needed
    for entry, fields, record in entries:
        ctx = ReadContext(report, preamble, entry.line, record, entry.key.strip(), dialect)
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
                resolve_inheritance(entry, fields, by_key, ctx)
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
