"""Paper records from scholarly aggregators: a JSON object, optionally followed by a
plain-text trailer (``引用次数`` citation count, ``Abstract``, ``期刊介绍`` journal
description).

Accepted layouts: one record per file with its trailer; several such records
concatenated; JSON Lines of record objects; a JSON array of record objects.
(gzip is handled for every format by the pipeline.) JSON Lines stream one
record at a time, so memory stays flat however long the input.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any, TextIO

from .core import model
from .core.dates import date_variable
from .core.diagnostics import Report
from .core.fields import RecordError, json_kind, object_field, text_field
from .core.identifiers import is_doi_link, normalise_doi, pmcid_from_text
from .core.jsonrecords import (
    PAPER_RECORD_KEY,
    PAPER_RECORD_KEYS,
    TOO_DEEP,
    ValueEnd,
    document_records,
    lone_surrogate_error,
    may_hold_surrogates,
)
from .core.model import Item
from .core.names import split_name_list
from .core.numbering import normalise_pages, split_volume
from .core.source_types import (
    CUSTOM_SOURCE_TYPE,
    TypeMatch,
    entry_type,
    fallback_type,
    match_any_vocabulary,
    match_type_text,
)
from .core.text import clean_title, decode_entities, html_to_plain_text

NAME = "paper-record"
ALIASES = ("paper", "record", "aggregator")
EXTENSIONS = (".txt", ".jsonl", ".json")
DESCRIPTION = "paper records from aggregators (JSON + text trailer, JSON Lines, JSON array)"
# JSON Lines and concatenated records may be cut before any line starting with "{"
# and the pieces read apart (core/parallel.py).
CHUNKABLE = True

_TRAILER_MARK = re.compile(r"^(?:引用次数|Abstract|期刊介绍)\s*[:：]?", re.MULTILINE)


def sniff(head: str) -> float:
    text = head.lstrip()
    if not text.startswith(("{", "[")):
        return 0.0
    hits = len(set(PAPER_RECORD_KEY.findall(text[:16384])))
    if hits and _TRAILER_MARK.search(text):
        return 1.0  # the aggregator's own file form: no other format looks like it
    if hits >= 2:
        return 0.9
    return 0.5 if hits else 0.0


# --- splitting the input into records -------------------------------------------------


@functools.cache
def _json():  # type: ignore[no-untyped-def]
    """The standard library's json, imported only for input that is not one record object
    a line (JSON Lines never need it)."""
    import json

    return json


@functools.cache
def _decoder():  # type: ignore[no-untyped-def]
    return _json().JSONDecoder()


class _RecordText:
    __slots__ = ("index", "line", "trailer", "value")

    def __init__(self, value: Any, line: int, index: int):
        self.value = value
        self.line = line
        self.index = index
        self.trailer: list[str] = []


_OK, _INCOMPLETE, _INVALID = range(3)
_TOO_DEEP_MESSAGE = TOO_DEEP.removeprefix("invalid JSON: ")


def _try_decode(text: str) -> tuple[int, Any, str, str]:
    """(status, value, text after the value, error message) for JSON at the start of text."""
    import msgspec

    try:
        return _OK, msgspec.json.decode(text), "", ""
    except (msgspec.DecodeError, RecursionError):
        pass
    stripped = text.lstrip()
    try:
        value, end = _decoder().raw_decode(stripped)
    except _json().JSONDecodeError as error:
        # JSON strings cannot span lines, but a file cut short ends inside one
        if error.pos >= len(stripped.rstrip()) or error.msg.startswith("Unterminated string"):
            return _INCOMPLETE, None, "", error.msg
        return _INVALID, None, "", f"{error.msg} (line {error.lineno}, column {error.colno})"
    except RecursionError:
        return _INVALID, None, "", TOO_DEEP.removeprefix("invalid JSON: ")
    return _OK, value, stripped[end:].strip(), ""


def _split_records(stream: TextIO, report: Report) -> Iterator[_RecordText]:
    """Yield each record's JSON value with its trailer lines; report what does not parse.

    A record starts at a line that begins with ``{`` or ``[`` and runs until its
    JSON ends; what follows, up to the next record, is its trailer. A record may
    also start in the middle of a trailer line, where files without a final
    newline were concatenated (``...online.{"title": ...``).
    """
    import msgspec

    decode, decode_error = msgspec.json.decode, msgspec.DecodeError
    index = 0  # records met so far, for messages
    current: _RecordText | None = None  # the record whose trailer is being collected
    pending: list[str] = []  # lines of a JSON value that spans lines
    pending_start = 0
    value_end = ValueEnd()  # where the pending value ends, found without decoding it
    for line_number, line in enumerate(stream, 1):
        if not pending and line.startswith("{"):
            # a whole record object on its line (JSON Lines): what the general steps
            # below do for it, without them
            try:
                value = decode(line)
            except (decode_error, RecursionError):
                value = None
            if type(value) is dict:
                if current is not None and current.value is not None:
                    yield current
                index += 1
                current = _RecordText(value, line_number, index)
                continue
        stripped = line.lstrip()
        starts_record = line.startswith(("{", "[")) or (
            stripped.startswith(("{", "[")) and (current is None or _looks_like_record(stripped))
        )
        if pending and line.startswith(("{", "[")):
            # a new top-level value begins: the pending one never ended
            index += 1
            report.error(
                "incomplete JSON: the record ends before the next one starts",
                line=pending_start,
                record=index,
            )
            pending = []
        scanned = None  # an array of records to decode element by element
        if pending:
            pending.append(line)
            end = value_end.feed(line)
            if end is None and not value_end.broken:
                continue
            text = "".join(pending)
            status, value, rest, message = _try_decode(text)
            if status == _INCOMPLETE:
                continue
            start = pending_start
            pending = []
            if status == _INVALID and message == _TOO_DEEP_MESSAGE and end is not None:
                value_text = text[: len(text) - len(line) + end]
                if value_text.lstrip().startswith("["):
                    # each element decoded alone, so that one nested too deeply fails alone
                    scanned, rest = value_text, line[end:].strip()
        elif starts_record:
            status, value, rest, message = _try_decode(stripped)
            if status == _INCOMPLETE:
                pending, pending_start = [line], line_number
                value_end = ValueEnd()
                if value_end.feed(stripped) is not None:
                    value_end.broken = True  # the decoder and the scan disagree: decode each line
                continue
            start = line_number
        elif current is not None:
            glued = _glued_record(line) if current.value is not None else None
            if glued is None:
                current.trailer.append(line)
                continue
            current.trailer.append(line[: glued[0]])
            status, value, rest, message = _OK, glued[1], glued[2], ""
            start = line_number
        else:
            if stripped:
                index += 1
                report.error(
                    "text outside any record (expected a JSON object)",
                    line=line_number,
                    record=index,
                )
                current = _RecordText(None, line_number, index)  # swallows the rest of the run
            continue
        if current is not None and current.value is not None:
            yield current
        if scanned is not None:
            records, index = _array_records(scanned, start, index, report)
        elif status == _INVALID:
            index += 1
            report.error(f"invalid JSON: {message}", line=start, record=index)
            current = _RecordText(None, start, index)  # its trailer goes with it
            continue
        else:
            records = list(_values(value, start, index + 1, report))
            index += len(value) if isinstance(value, list) else 1
        yield from records[:-1]
        current = records[-1] if records else _RecordText(None, start, index)
        if rest:
            current.trailer.append(rest)
    if pending:
        index += 1
        report.error(
            "truncated JSON: the input ends inside the record", line=pending_start, record=index
        )
    if current is not None and current.value is not None:
        yield current


def _array_records(
    text: str, line: int, index: int, report: Report
) -> tuple[list[_RecordText], int]:
    """The records of an array that starts at ``line``, after ``index`` records, each
    decoded alone; and the index of the last element."""
    found, last = document_records(text, report, first_line=line, first_index=index)
    records = [
        record
        for element in found
        if (record := _element(element.value, element.line or line, element.index, report))
    ]
    return records, last


def _glued_record(line: str) -> tuple[int, dict[str, Any], str] | None:
    """A record glued to the end of a trailer line: (where it starts, value, text after)."""
    glued = line.find('{"')
    if glued <= 0:
        return None
    try:
        value, end = _decoder().raw_decode(line[glued:])
    except (_json().JSONDecodeError, RecursionError):
        return None
    if may_hold_surrogates(line) and lone_surrogate_error(value):
        return None
    if isinstance(value, dict) and _is_record(value):
        return glued, value, line[glued + end :].strip()
    return None


def _looks_like_record(line: str) -> bool:
    return line.startswith(("[", '{"', "{ ")) or line.strip() == "{"


def _is_record(value: dict[str, Any]) -> bool:
    return "title" in value or "authors" in value or any(k in value for k in PAPER_RECORD_KEYS)


def _element(value: Any, line: int, index: int, report: Report) -> _RecordText | None:
    """An array element as a record, or None when it is reported as none."""
    problem = lone_surrogate_error(value)
    if problem:
        report.error(problem, line=line, record=index)
    elif isinstance(value, dict):
        return _RecordText(value, line, index)
    else:
        report.error(
            f"array element is {json_kind(value)}, not a record object", line=line, record=index
        )
    return None


def _values(value: Any, line: int, index: int, report: Report) -> Iterator[_RecordText]:
    """A decoded JSON value → records: an object is one, an array holds several."""
    # only values that spread over lines or share one get here (not the JSON Lines fast
    # path), some decoded by Python's json, which lets lone surrogates through
    if isinstance(value, list):
        for offset, element in enumerate(value):
            record = _element(element, line, index + offset, report)
            if record is not None:
                yield record
        return
    problem = lone_surrogate_error(value)
    if problem:
        report.error(problem, line=line, record=index)
    elif isinstance(value, dict):
        yield _RecordText(value, line, index)
    else:
        report.error(f"expected a record object, got {json_kind(value)}", line=line, record=index)


# --- the text trailer -------------------------------------------------------------------

_SECTION = re.compile(r"^\s*(引用次数|Abstract|摘要|期刊介绍)\s*[:：]?\s*(.*)$")


def parse_trailer(lines: list[str]) -> dict[str, str]:
    """``引用次数: 0`` / ``Abstract`` / ``期刊介绍:`` sections → {section: text}."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        match = _SECTION.match(line)
        if match:
            current = match.group(1)
            sections[current] = [match.group(2)] if match.group(2) else []
        elif current is not None:
            sections[current].append(line.rstrip("\n"))
    return {key: "\n".join(value).strip() for key, value in sections.items()}


# --- mapping one record -----------------------------------------------------------------


def _type_match(publication_types: Any) -> TypeMatch:
    """What ``publicationTypes`` names: a list, or a text (PubMed's types joined by ", ")."""
    if isinstance(publication_types, str):
        return match_type_text(publication_types)
    if isinstance(publication_types, list):
        values = [str(t).strip() for t in publication_types if t is not None]
    else:
        values = [] if publication_types is None else [str(publication_types)]
    return match_any_vocabulary(value for value in values if value)


def csl_type(publication_types: Any, has_container: bool, container: str | None = None) -> str:
    """``publicationTypes`` in any source's vocabulary (Semantic Scholar, PubMed, Crossref,
    OpenAlex, DataCite, schema.org) → a CSL type; unknown ones leave it to the container."""
    return _chosen_type(_type_match(publication_types), has_container, container)


def _chosen_type(match: TypeMatch, has_container: bool, container: str | None) -> str:
    if match.csl == "entry-encyclopedia":
        return entry_type(container)
    return match.csl or fallback_type(has_container)


# Record fields that map to CSL variables (everything else is kept in custom).
_MAPPED = frozenset(
    "title authors doi DOIUrl url abstract journal publicationDate publicationTypes "
    "fieldsOfStudy openAccessPdf citationCount platform PeriodicalName PeriodicalIF "
    "ListUrlMain TitleCN AbstractTextCN PMCID EPubDate JCR JCRName isOpenAccess PMID pmid "
    "ISSN issn ISBN language publisher keywords ".split()
)
_CUSTOM_RENAMES = {
    "PeriodicalIF": model.CUSTOM_IMPACT_FACTOR,
    "JCR": model.CUSTOM_JCR_QUARTILE,
    "JCRName": model.CUSTOM_JCR_CATEGORY,
    "platform": model.CUSTOM_SOURCE_PLATFORM,
    "isOpenAccess": model.CUSTOM_OPEN_ACCESS,
}
# mapped fields not also kept in custom under a new name
_MAPPED_ONLY = _MAPPED.difference(_CUSTOM_RENAMES)
# record fields whose text is the variable's value as it is
_AS_TEXT = (
    ("ISSN", "ISSN"),
    ("issn", "ISSN"),
    ("ISBN", "ISBN"),
    ("publisher", "publisher"),
    ("language", "language"),
)


def record_to_item(record: dict[str, Any], trailer: dict[str, str] | None = None) -> Item:
    """One aggregator record (and its parsed trailer) → a CSL-JSON item without ``id``."""
    trailer = trailer or {}
    item: Item = {}
    extra: dict[str, Any] = {}

    title = text_field(record, "title")
    if title:
        item["title"] = clean_title(title)
    title_cn = text_field(record, "TitleCN")
    if title_cn:
        extra[model.CUSTOM_TITLE_CN] = clean_title(title_cn)

    authors = record.get("authors")
    if authors is not None:
        if isinstance(authors, list):
            authors = (
                "; ".join(
                    a
                    if isinstance(a, str)
                    else str(a.get("name", ""))
                    if isinstance(a, dict)
                    else ""
                    for a in authors
                )
                if not all(isinstance(a, str) for a in authors) or any("," in a for a in authors)
                else ", ".join(authors)
            )
        elif not isinstance(authors, str):
            raise RecordError(f"field 'authors' must be text or a list, not {json_kind(authors)}")
        names, truncated = split_name_list(decode_entities(authors))
        if names:
            item["author"] = names
        if truncated:
            extra[model.CUSTOM_AUTHORS_TRUNCATED] = True

    journal = object_field(record, "journal")
    container = text_field(journal, "name") or text_field(record, "PeriodicalName")
    if container:
        item["container-title"] = (
            clean_title(container) if "<" in container else decode_entities(container)
        )
    volume_text = text_field(journal, "volume")
    if volume_text:
        volume, issue = split_volume(volume_text)
        if volume:
            item["volume"] = volume
        if issue:
            item["issue"] = issue
    pages = text_field(journal, "pages")
    if pages:
        item["page"] = normalise_pages(pages)

    issued = date_variable(text_field(record, "publicationDate"))
    if issued:
        item["issued"] = issued
    epub = date_variable(text_field(record, "EPubDate"))
    if epub:
        item["available-date"] = epub

    doi = normalise_doi(text_field(record, "doi") or text_field(record, "DOIUrl"))
    if doi:
        item["DOI"] = doi
    for key in ("url", "ListUrlMain", "DOIUrl"):
        url = text_field(record, key)
        if url and url.startswith(("http://", "https://")) and not is_doi_link(url, doi):
            item["URL"] = url
            break

    pdf = record.get("openAccessPdf")
    pdf_url = pdf.get("url") if isinstance(pdf, dict) else pdf
    if isinstance(pdf_url, str) and pdf_url.strip():
        extra[model.CUSTOM_FULLTEXT_URL] = pdf_url.strip()
    pmcid = pmcid_from_text(text_field(record, "PMCID"))
    if not pmcid:
        for key in ("openAccessPdf", "url", "ListUrlMain", "DOIUrl"):
            value = pdf_url if key == "openAccessPdf" else record.get(key)
            pmcid = (
                pmcid_from_text(value)
                if isinstance(value, str) and "pmc" in value.lower()
                else None
            )
            if pmcid:
                break
    if pmcid:
        item["PMCID"] = pmcid
    pmid = text_field(record, "PMID") or text_field(record, "pmid")
    if pmid:
        item["PMID"] = pmid
    for source_key, variable in _AS_TEXT:
        if record.get(source_key) is not None:
            value = text_field(record, source_key)
            if value:
                item[variable] = decode_entities(value)

    abstract_cn = text_field(record, "AbstractTextCN", collapse=False)
    if abstract_cn:
        extra[model.CUSTOM_ABSTRACT_CN] = html_to_plain_text(abstract_cn)
    abstract = text_field(record, "abstract", collapse=False)
    if abstract:
        item["abstract"] = html_to_plain_text(abstract)
    elif trailer.get("Abstract") or trailer.get("摘要"):
        item["abstract"] = html_to_plain_text(trailer.get("Abstract") or trailer["摘要"])

    types = _type_match(record.get("publicationTypes"))
    item["type"] = _chosen_type(types, container is not None, container)
    if types.unknown:
        extra[CUSTOM_SOURCE_TYPE] = ", ".join(types.unknown)

    keywords = []
    for key in ("fieldsOfStudy", "keywords"):
        value = record.get(key)
        if isinstance(value, list):
            keywords += [str(v).strip() for v in value if str(v).strip()]
        elif isinstance(value, str) and value.strip():
            keywords += [k.strip() for k in re.split(r"[;,]", value) if k.strip()]
    if keywords:
        item["keyword"] = model.join_keywords(keywords)

    count = record.get("citationCount")
    if trailer.get("引用次数"):
        count = trailer["引用次数"]
    if count not in (None, ""):
        try:
            extra[model.CUSTOM_CITATION_COUNT] = int(str(count).strip())
        except ValueError:
            extra[model.CUSTOM_CITATION_COUNT] = count
    if trailer.get("期刊介绍"):
        extra[model.CUSTOM_JOURNAL_DESCRIPTION] = trailer["期刊介绍"]

    for key in [key for key in record if key not in _MAPPED_ONLY]:
        value = record[key]
        if value is None or value == "" or (isinstance(value, (list, dict)) and not value):
            continue
        renamed = _CUSTOM_RENAMES.get(key)
        if renamed is not None:
            extra[renamed] = value
        else:
            extra.setdefault(model.CUSTOM_SOURCE_FIELDS, {})[key] = value
    if extra:
        item["custom"] = extra
    return item


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    for record in _split_records(stream, report):
        try:
            trailer = parse_trailer(record.trailer) if record.trailer else None
            yield record_to_item(record.value, trailer)
        except RecordError as error:
            report.error(str(error), line=record.line, record=record.index)
