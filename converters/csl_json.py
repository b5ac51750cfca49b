"""CSL-JSON: the citeproc data model, as an array, a single item, or JSON Lines."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from .core.dates import normalise_date
from .core.diagnostics import Report
from .core.fields import json_kind
from .core.jsonrecords import TOO_DEEP, json_records, may_hold_surrogates
from .core.model import DATE_VARIABLES, NAME_VARIABLES, Item, custom, variable_rank
from .core.names import parse_name
from .core.options import FLAG, NUMBER, WriteOption, flag_value, whole_number

NAME = "csl-json"
ALIASES = ("csljson", "csl", "citeproc-json")
EXTENSIONS = (".json", ".jsonl", ".ndjson")
EXTENSION_OPTIONS = ((".jsonl", "jsonl", True), (".ndjson", "jsonl", True))  # -o items.jsonl
DESCRIPTION = "CSL-JSON items (the citeproc data model); --jsonl for JSON Lines"
# JSON Lines and concatenated records may be cut before any line starting with "{"
# and the pieces read apart (core/parallel.py).
CHUNKABLE = True
WRITE_OPTIONS = (
    WriteOption("indent", NUMBER, "spaces of indentation (default 2).", flag="--indent", default=2),
    WriteOption("jsonl", FLAG, "one item per line (JSON Lines).", flag="--jsonl", default=False),
)

# Top-level keys the CSL 1.0.2 schema allows; anything else is moved into `custom`.
SCHEMA_VARIABLES = frozenset(
    "type id citation-key categories language journalAbbreviation shortTitle accessed "
    "available-date event-date issued original-date submitted abstract annote archive "
    "archive_collection archive_location archive-place authority call-number "
    "chapter-number citation-number citation-label collection-number collection-title "
    "container-title container-title-short dimensions division DOI edition event "
    "event-title event-place first-reference-note-number genre ISBN ISSN issue "
    "jurisdiction keyword locator medium note number number-of-pages number-of-volumes "
    "original-publisher original-publisher-place original-title page page-first part "
    "part-title PMCID PMID printing publisher publisher-place references reviewed-genre "
    "reviewed-title scale section source status supplement title title-short URL version "
    "volume volume-title volume-title-short year-suffix custom ".split()
).union(NAME_VARIABLES)
_NUMBER_OR_STRING = frozenset(
    "chapter-number citation-number collection-number edition first-reference-note-number "
    "issue locator number number-of-pages number-of-volumes page page-first part printing "
    "section supplement version volume ".split()
)
_NAME_PARTS = frozenset(
    "family given dropping-particle non-dropping-particle suffix comma-suffix "
    "static-ordering literal parse-names ".split()
)
_NAME_VARIABLES = frozenset(NAME_VARIABLES)
_DATE_VARIABLES = frozenset(DATE_VARIABLES)
# schema variables written as they are (every one but names and number-or-string ones)
_AS_IS = SCHEMA_VARIABLES - _NAME_VARIABLES - _NUMBER_OR_STRING
_LINES_PER_WRITE = 64
_CSL_HINTS = re.compile(r'"(?:type|id)"\s*:')
_CSL_VARIABLE_HINTS = re.compile(
    r'"(?:date-parts|container-title|family|citation-key|issued|title-short|ISSN|DOI)"\s*:'
)


def sniff(head: str) -> float:
    text = head.lstrip()
    if not text.startswith(("[", "{")):
        return 0.0
    if _CSL_HINTS.search(text) and _CSL_VARIABLE_HINTS.search(text):
        return 0.6
    return 0.05  # some JSON; a more specific reader should win


def _json():
    import msgspec

    return msgspec


def _decode_error(error: Exception, text: str) -> tuple[str, int | None]:
    """msgspec's message and the line it points at (it reports a byte position)."""
    message = str(error).removeprefix("JSON is malformed: ")
    match = re.search(r"\(byte (\d+)\)", message)
    if not match:
        return message, None
    byte = int(match.group(1))
    line = text.encode("utf-8")[:byte].count(b"\n") + 1
    return re.sub(r"\s*\(byte \d+\)", "", message), line


def read(stream: TextIO, report: Report) -> Iterator[Item]:
    msgspec = _json()
    first = ""
    line_number = 0
    for line in stream:
        line_number += 1
        if line.strip():
            first = line
            break
    if not first:
        return
    stripped = first.strip()
    if stripped.startswith("{"):
        try:
            value = msgspec.json.decode(stripped)
        except (msgspec.DecodeError, RecursionError):
            value = None
        if isinstance(value, dict):  # JSON Lines: one item per line, streamed
            yield from _items_from_lines(first, line_number, stream, report)
            return
    text = first + stream.read()
    try:
        value = msgspec.json.decode(text)
    except RecursionError:
        yield from _items_one_by_one(text, line_number, report)
        return
    except msgspec.DecodeError as error:
        if may_hold_surrogates(text):
            yield from _items_one_by_one(text, line_number, report)
            return
        message, line = _decode_error(error, text)
        report.error(f"invalid JSON: {message}", line=(line or 1) + line_number - 1)
        return
    values = value if isinstance(value, list) else [value]
    for index, entry in enumerate(values, 1):
        item = _item(entry, report, record=index, line=None)
        if item is not None:
            yield item


def _items_one_by_one(text: str, first_number: int, report: Report) -> Iterator[Item]:
    """Items of a document that msgspec refuses as a whole for what one record holds
    (a value nested too deeply, a lone surrogate): read record by record, so that
    only that record fails."""
    padded = "\n" * (first_number - 1) + text  # keeps the reported line numbers
    for record in json_records(io.StringIO(padded), report):
        item = _item(record.value, report, record=record.index, line=record.line)
        if item is not None:
            yield item


def _items_from_lines(first: str, first_number: int, rest: TextIO, report: Report):
    msgspec = _json()
    decoder = msgspec.json.Decoder()
    record = 0
    for number, line in _numbered(first, first_number, rest):
        if not line.strip():
            continue
        record += 1
        try:
            value = decoder.decode(line)
        except msgspec.DecodeError as error:
            report.error(
                f"invalid JSON: {_decode_error(error, line)[0]}", line=number, record=record
            )
            continue
        except RecursionError:
            report.error(TOO_DEEP, line=number, record=record)
            continue
        item = _item(value, report, record=record, line=number)
        if item is not None:
            yield item


def _numbered(first: str, first_number: int, rest: TextIO) -> Iterator[tuple[int, str]]:
    yield first_number, first
    yield from enumerate(rest, first_number + 1)


def _item(value: Any, report: Report, *, record: int, line: int | None) -> Item | None:
    """A CSL-JSON value → a clean item: dates as date-parts, names as objects."""
    if not isinstance(value, dict):
        report.error(
            f"expected a CSL-JSON object, got {type(value).__name__}", line=line, record=record
        )
        return None
    item: Item = {}
    extra: dict[str, Any] = {}
    for key, val in value.items():
        if val is None or val == "" or val == []:
            continue
        if key in _NAME_VARIABLES:
            names = _names(val)
            if names is None:
                report.error(f"{key!r} must be a list of names", line=line, record=record)
                return None
            item[key] = names
        elif key in _DATE_VARIABLES:
            date = normalise_date(val)
            if date is None:
                report.warning(
                    f"{key!r}: unreadable date {val!r} kept in note", line=line, record=record
                )
                extra[key] = val
            else:
                item[key] = date
        elif key == "id":
            item["id"] = str(val)
        elif key == "type" and not isinstance(val, str):
            report.error(f"'type' must be a string, not {json_kind(val)}", line=line, record=record)
            return None
        elif key == "custom":
            if not isinstance(val, dict):
                report.error(
                    f"'custom' must be an object, not {json_kind(val)}", line=line, record=record
                )
                return None
            extra = {**val, **extra}
        elif key in SCHEMA_VARIABLES:
            item[key] = val
        else:
            extra[key] = val  # e.g. Zotero's "system_id"; kept, not lost
    if extra:
        custom(item).update(extra)
    return item


def _names(value: Any) -> list[dict[str, Any]] | None:
    if isinstance(value, str):
        return [parse_name(part) for part in value.split(" and ") if part.strip()]
    if not isinstance(value, list):
        return None
    names = []
    for name in value:
        if isinstance(name, str):
            names.append(parse_name(name))
        elif isinstance(name, dict):
            names.append({k: v for k, v in name.items() if v not in (None, "")})
        else:
            return None
    return names


def schema_clean(item: Item) -> Item:
    """An item the CSL 1.0.2 schema accepts, in the stable written order.

    Keys the schema does not know, and name parts it does not know, move into
    ``custom`` rather than being dropped.
    """
    result: Item = {}
    extra: dict[str, Any] = {}
    for key in sorted(item, key=variable_rank):
        value = item[key]
        if value is None:
            continue
        if key in _AS_IS:
            result[key] = value
        elif key not in SCHEMA_VARIABLES:
            extra[key] = value
        elif key in _NAME_VARIABLES and isinstance(value, list):
            if not _known_name_parts(value):
                value = [
                    {k: v for k, v in n.items() if k in _NAME_PARTS} if isinstance(n, dict) else n
                    for n in value
                ]
            result[key] = value
        elif key in _NUMBER_OR_STRING and not isinstance(value, (str, int, float)):
            result[key] = str(value)
        else:
            result[key] = value
    if extra:
        merged = {k: v for k, v in (result.pop("custom", None) or {}).items()}
        merged.update(extra)
        result["custom"] = merged
    return result


def _known_name_parts(names: list[Any]) -> bool:
    """Are all elements plain name objects with only CSL name parts (nothing to filter)?"""
    return set(map(type, names)) == {dict} and _NAME_PARTS.issuperset(set().union(*names))


def write(
    items: Iterable[Item],
    out: TextIO,
    report: Report,
    *,
    indent: int | None = None,
    jsonl: bool = False,
) -> None:
    msgspec = _json()
    encoder = msgspec.json.Encoder()
    if jsonl and flag_value(jsonl, "jsonl"):
        # a few lines per write: one encode and one write call for the batch
        batch: list[Item] = []
        try:
            for item in items:
                batch.append(schema_clean(item))
                if len(batch) == _LINES_PER_WRITE:
                    out.write(encoder.encode_lines(batch).decode("utf-8"))
                    batch.clear()
        finally:  # also when the input fails part-way: what was read is written
            if batch:
                out.write(encoder.encode_lines(batch).decode("utf-8"))
        return
    step = 2 if indent is None else max(0, whole_number(indent, "indent"))
    wrote_any = False
    for item in items:
        out.write(",\n" if wrote_any else "[\n")
        encoded = encoder.encode([schema_clean(item)])
        if step:
            # format the item as the only element of a list, keep the element's lines
            text = msgspec.json.format(encoded, indent=step).decode("utf-8")[2:-2]
        else:
            text = encoded.decode("utf-8")[1:-1]
        out.write(text)
        wrote_any = True
    out.write("\n]\n" if wrote_any else "[]\n")
