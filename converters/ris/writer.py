"""CSL-JSON items → RIS, through the field map.

Writing follows the RIS specification and Zotero's export: ``TY`` first and ``ER  - ``
last, ``TAG  - value`` with one value per line (no continuation lines: pandoc's RIS
reader rejects them), CRLF line endings by default, ``PY  - YYYY`` always plus
``DA  - YYYY/MM/DD/``, pages split into ``SP``/``EP``, an article number alone in ``SP``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from ..core.diagnostics import Report
from ..core.model import CUSTOM_FULLTEXT_URL, Item, split_keywords
from ..core.options import flag_value
from .mapping import (
    ACCESSION,
    CONFERENCE_T2,
    CUSTOM_RIS_TAGS,
    DATE,
    FULLTEXT,
    GENRE,
    JOURNALS,
    KEYWORDS,
    NAMES,
    NOTES,
    NUMBER_IN_SN,
    PAGES,
    PAGES_ARE_COUNT,
    PREPRINTS,
    PUBMED_ID,
    SERIAL,
    SERIES_IN_T2,
    SN_IS_ISSN,
    TEXT,
    TYPE_TO_RIS,
    YEAR,
    Row,
    type_plan,
)
from .values import date_to_ris, name_to_ris, note_to_ris, split_pages, year_to_ris

_BREAK = re.compile(r"\s*[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

# item["custom"] keys the writer writes
_CUSTOM_WRITTEN = frozenset({CUSTOM_RIS_TAGS, CUSTOM_FULLTEXT_URL})
# Variables the writer handles outside the map, or that mean nothing in a file.
_NOT_DATA = frozenset(
    "id type custom citation-key citation-number first-reference-note-number locator "
    "year-suffix citation-label".split()
)


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


def _name_line(name: Any, clean: Callable[[Any], str]) -> str:
    """A name as an ``AU``/``A2``… value: ``Family, Given[, Suffix]`` or a literal, cleaned."""
    if type(name) is dict and len(name) == 2 and name.get("family") and name.get("given"):
        # the usual name (no particle, no suffix): what name_to_ris makes of it, directly
        text = f"{name['family']}, {name['given']}"
        return text.strip() if text.isprintable() else clean(text)
    return clean(name_to_ris(name))


def _record_lines(item: Item, writer: _Writer) -> list[str]:
    csl_type = item.get("type") or "document"
    ty = TYPE_TO_RIS.get(csl_type, "GEN")
    plan = type_plan(csl_type)
    clean = writer.clean
    lines = [f"TY  - {ty}"]
    add = lines.append
    skipped: list[str] = []
    for kind, variable, prefix, row in plan.steps:
        if kind is TEXT:
            value = item.get(variable)
            if value is None or value == "":
                continue
            if row.field == "C7":
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
            text = clean(value)
            if text:
                add(prefix + text)
        elif kind is NAMES:
            names = item.get(variable)
            if names:
                for name in names:
                    text = _name_line(name, clean)
                    if text:
                        add(prefix + text)
        elif kind is DATE:
            value = item.get(variable)
            if value:
                text = date_to_ris(value)
                if text:
                    add(prefix + clean(text))
        elif kind is YEAR:
            year = year_to_ris(item.get(variable))
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


def _special_lines(row: Row, item: Item, csl_type: str, add: Any, clean: Any) -> None:
    kind = row.kind
    if kind == PAGES:
        page = item.get("page")
        if page not in (None, ""):
            start, end = split_pages(clean(page))
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
            text = note_to_ris(str(value), clean)
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
