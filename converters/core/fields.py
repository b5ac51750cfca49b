"""Typed access to the fields of a JSON record, for readers.

A field of the wrong type (``"authors": 42``) makes the record unconvertible:
the accessors raise :class:`RecordError` with a message naming the field and
what was found, the reader reports it against the record's line and goes on
with the next record.
"""

from __future__ import annotations

from typing import Any

from .text import collapse_space


class RecordError(ValueError):
    """This record cannot be converted; the message says why."""


def json_kind(value: Any) -> str:
    """``"an object"``, ``"an array"``, ``"a string"``... for messages."""
    if isinstance(value, bool):
        return "a boolean"
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        type(None): "null",
        int: "a number",
        float: "a number",
    }.get(type(value), "a value")


def _scalar_text(value: Any, key: str, collapse: bool) -> str | None:
    if type(value) is not str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RecordError(f"field {key!r} must be text, not {json_kind(value)}")
        value = str(value)
    return (collapse_space(value) if collapse else value.strip()) or None


def text_field(
    record: dict[str, Any], key: str, *, collapse: bool = True, first_of_list: bool = False
) -> str | None:
    """A text (or number) field as text, white space collapsed; ``None`` when absent or empty.

    ``collapse=False`` only trims the ends (abstracts keep their paragraphs);
    ``first_of_list`` takes the first non-empty element of an array (Crossref
    wraps most texts in arrays).
    """
    value = record.get(key)
    if value is None:
        return None
    if type(value) is str:  # the usual case, without the checks below
        return (collapse_space(value) if collapse else value.strip()) or None
    if first_of_list and isinstance(value, list):
        value = next((v for v in value if v not in (None, "")), None)
        if value is None:
            return None
    return _scalar_text(value, key, collapse)


def text_fields(record: dict[str, Any], key: str) -> list[str]:
    """An array of texts (a single text counts as an array of one), empty ones dropped."""
    value = record.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise RecordError(f"field {key!r} must be a list of texts, not {json_kind(value)}")
    texts = []
    for element in value:
        if element is None:
            continue
        if isinstance(element, bool) or not isinstance(element, str | int | float):
            raise RecordError(f"field {key!r} must hold texts, not {json_kind(element)}")
        text = collapse_space(str(element))
        if text:
            texts.append(text)
    return texts


def object_field(record: dict[str, Any], key: str) -> dict[str, Any]:
    """An object field; ``{}`` when absent."""
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordError(f"field {key!r} must be an object, not {json_kind(value)}")
    return value


def list_field(record: dict[str, Any], key: str) -> list[Any]:
    """An array field; ``[]`` when absent."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"field {key!r} must be an array, not {json_kind(value)}")
    return value


def object_fields(record: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """An array of objects; ``[]`` when absent."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"field {key!r} must be a list of objects, not {json_kind(value)}")
    for element in value:
        if not isinstance(element, dict):
            raise RecordError(f"field {key!r} must hold objects, not {json_kind(element)}")
    return value
