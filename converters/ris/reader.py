"""RIS records → CSL-JSON items, through the field map.

Lower-case or unknown ``TY`` values are read with a warning; old and new tags are
read alike; tags with no CSL variable are kept in ``item["custom"]["ris-tags"]`` for
the writer to write back, so RIS → refconv → RIS loses nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any, TextIO

from ..core.diagnostics import Report
from ..core.identifiers import normalise_doi
from ..core.model import CUSTOM_FULLTEXT_URL, Item
from .mapping import (
    ACCESSION,
    CONFERENCE_T2,
    CUSTOM_RIS_TAGS,
    DATE,
    END_PAGE,
    FULLTEXT,
    GENRE,
    JOURNALS,
    KEYWORDS,
    NAMES,
    NOTES,
    NUMBER_IN_SN,
    PAGES,
    PAGES_ARE_COUNT,
    PUBMED_ID,
    RIS_TO_TYPE,
    SERIAL,
    TEXT,
    TYPE_GUESSES,
    Row,
    is_preprint,
    type_plan,
)
from .syntax import Record, records
from .values import (
    date_from_ris,
    date_range_end,
    has_range,
    month_day_from_ris,
    name_from_ris,
    note_from_ris,
    pmid_from_ris,
    serial_kind,
)

_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# values that are HTML or free text, left as written (Zotero unescapes all others)
_NO_UNESCAPE = frozenset({"AB", "N1", "N2", "RN"})


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    for record in records(stream, report):
        if record.ty is None:
            continue  # reported by syntax._headless
        if not record.tags:
            report.error(
                f"empty record (TY {record.ty!r} and nothing else); skipped",
                line=record.line,
                record=record.index,
            )
            continue
        yield _record_to_item(record, report)


def _record_type(record: Record, report: Report) -> str:
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
    guess = next((csl for key, csl in TYPE_GUESSES if key in upper), None)
    if guess is None:
        tags = {t[0] for t in record.tags}
        journal = tags & {"T2", "JO", "JF", "JA"} and tags & {"VL", "IS"}
        guess = "article-journal" if journal else "document"
    shown = repr(ty) if ty else "(empty)"
    report.warning(
        f"unknown RIS type {shown}; read as {guess}", line=record.line, record=record.index
    )
    return guess


Candidate = tuple[int, Row, str]  # (rank of the row, row, value)


def _rank_of(candidate: Candidate) -> int:
    return candidate[0]


def _record_to_item(record: Record, report: Report) -> Item:
    csl_type = _record_type(record, report)
    reads = type_plan(csl_type).reads
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
        if row.kind == DATE and row.variable != "issued" and date_from_ris(value) is None:
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
    overflow: list[tuple[str, Row, str]] = []
    for variable, candidates in found.items():
        if len(candidates) > 1:
            candidates.sort(key=_rank_of)
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
                    extras.setdefault(row.field, []).append(value)
        elif kind == NAMES:
            item[variable] = _names(candidates)
        elif kind == KEYWORDS:
            words = [c[2] for c in candidates]
            # keywords with commas (MeSH: "Carcinoma, Hepatocellular") are joined with "; "
            item[variable] = ("; " if any("," in w for w in words) else ", ").join(words)
        elif kind == NOTES:
            item[variable] = "\n".join(note_from_ris(c[2]) for c in candidates)
        else:
            special[variable] = candidates
    for variable, row, value in overflow:
        if variable in item or variable in found:
            extras.setdefault(row.field, []).append(value)
        else:
            item[variable] = value

    _read_special(item, special, custom, extras, record, report)
    if "container-title" not in item and "container-title-short" in item and csl_type in JOURNALS:
        item["container-title"] = item["container-title-short"]  # Zotero: "sites like Nature"
    if csl_type == "document" and (record.ty or "").strip().upper() == "GEN" and is_preprint(item):
        item["type"] = "article"
        if "number" not in item and "archive_location" in item:
            item["number"] = item.pop("archive_location")  # the writer puts it first in AN
    if extras:
        custom[CUSTOM_RIS_TAGS] = extras
    if custom:
        item["custom"] = custom
    return item


def _names(candidates: list[Candidate]) -> list[dict[str, str]]:
    """All names of the best tag, in order; another tag's names are added when new (Web
    of Science lists group authors in A1 beside the persons in AU; some exporters repeat
    AU as A1)."""
    best = candidates[0][1].field
    if all(row.field == best for _rank, row, _value in candidates):
        # one tag: nothing to compare with the names already read
        return [name for name in (name_from_ris(c[2]) for c in candidates) if name]
    seen: set[str] = set()
    names = []
    for _rank, row, value in candidates:
        key = " ".join(value.lower().replace(",", " ").split())
        if row.field != best and key in seen:
            continue
        seen.add(key)
        name = name_from_ris(value)
        if name:
            names.append(name)
    return names


def _read_special(
    item: Item,
    special: dict[str, list[Candidate]],
    custom: dict[str, Any],
    extras: dict[str, list[str]],
    record: Record,
    report: Report,
) -> None:
    csl_type = item["type"]
    for variable, candidates in special.items():
        kind = candidates[0][1].kind
        if variable == "issued":
            _read_issued(item, candidates, extras, record, report)
        elif kind == DATE:
            item[variable] = {"date-parts": [date_from_ris(candidates[0][2])]}
            for _rank, row, value in candidates[1:]:
                extras.setdefault(row.field, []).append(value)
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
                    extras.setdefault(row.field, []).append(value)
        elif kind in (PAGES, END_PAGE):
            _read_pages(item, candidates)
        elif kind == SERIAL:
            _read_serial(item, candidates)
        elif kind == ACCESSION:
            for _rank, row, value in candidates:
                pmid = pmid_from_ris(value)
                if pmid and "PMID" not in item:
                    item["PMID"] = pmid
                elif not pmid and "archive_location" not in item:
                    item["archive_location"] = value
                elif pmid != item.get("PMID"):
                    extras.setdefault(row.field, []).append(value)
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
                    extras.setdefault(row.field, []).append(value)
        elif kind == FULLTEXT:
            custom[CUSTOM_FULLTEXT_URL] = candidates[0][2]
            for _rank, row, value in candidates[1:]:
                extras.setdefault(row.field, []).append(value)
    conference = special.get("event-title")
    if conference is not None:
        _read_conference(item, conference, extras)
    doi = item.get("DOI")
    if doi:
        item["DOI"] = normalise_doi(doi) or doi
    if csl_type in PAGES_ARE_COUNT and "page" in item and not has_range(item["page"]):
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
            extras.setdefault(row.field, []).append(value)


def _read_issued(
    item: Item,
    candidates: list[Candidate],
    extras: dict[str, list[str]],
    record: Record,
    report: Report,
) -> None:
    """DA is preferred; Y1 and PY give the year when DA has none (WoS: ``DA  - APR 24``)."""
    dated: list[tuple[str, str, list[int]]] = []
    yearless: tuple[str, str, list[int]] | None = None
    undated: list[tuple[str, str]] = []
    for _rank, row, value in candidates:
        parts = date_from_ris(value)
        if parts:
            dated.append((row.field, value, parts))
        elif yearless is None and (month_day := month_day_from_ris(value)):
            yearless = (row.field, value, month_day)
        else:
            undated.append((row.field, value))
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
    end = date_range_end(value)
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


def _read_pages(item: Item, candidates: list[Candidate]) -> None:
    start = next((c[2] for c in candidates if c[1].kind == PAGES), "")
    end = next((c[2] for c in candidates if c[1].kind == END_PAGE), "")
    if start and end and end != start and not has_range(start):
        item["page"] = f"{start}-{end}"
    elif start:
        item["page"] = start
    elif end:
        item["page"] = end


_SERIAL_LABEL = re.compile(r"\s*\((?:ISSN|ISBN)\)\s*$", re.IGNORECASE)


def _read_serial(item: Item, candidates: list[Candidate]) -> None:
    csl_type = item["type"]
    found: dict[str, list[str]] = {}
    for _rank, _row, value in candidates:
        # Scopus: "15525996 (ISSN); 978-172811547-4 (ISBN)"
        parts = value.split(";") if "(IS" in value.upper() else [value]
        for part in parts:
            kind = serial_kind(part)
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
