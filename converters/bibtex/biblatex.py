"""biblatex's data model, as the writer needs it: the fields each entry type allows, and
the field that carries a forbidden one's variable instead (publisher → institution)."""

from __future__ import annotations

import functools

from ..core.fieldmap import Row
from .mapping import EPRINT_FIELDS, FIELD_MAP, field_row


@functools.cache
def allowed_fields(entry_type: str) -> frozenset[str]:
    """The fields biblatex's data model allows in ``entry_type`` (any field in a type it
    does not know: biber does not check those)."""
    from ._biblatex_datamodel import EVERY_TYPE, TYPE_FIELDS

    fields = TYPE_FIELDS.get(entry_type)
    return EVERY_TYPE | fields if fields is not None else frozenset(_ALL_FIELDS)


_ALL_FIELDS = frozenset(FIELD_MAP.fields()) | EPRINT_FIELDS | {"entrysubtype", "year"}


def carrier_fields(name: str, entry_type: str) -> tuple[str, ...]:
    """The fields that can hold what ``name`` holds where the data model forbids ``name`` in
    ``entry_type``: allowed there, and read by our reader as the same CSL variable
    (publisher → institution in @report, organization in @misc, howpublished in @booklet)."""
    row = field_row(name, entry_type)
    if row is None or not row.variable:
        return ()
    variable = row.variable
    allowed = allowed_fields(entry_type)
    return tuple(
        target
        for target in FIELD_MAP.fields(variable)
        if target != name
        and target in allowed
        and getattr(field_row(target, entry_type), "variable", None) == variable
    )


def allowed_rows(rows: tuple[Row, ...], entry_type: str) -> tuple[Row, ...]:
    """The writer's ``rows`` for ``entry_type`` as the data model allows them: a row whose
    field it forbids writes to a field that carries the same variable there, or is left
    out (its variable is then reported as not written)."""
    allowed = allowed_fields(entry_type)
    kept: list[Row] = []
    for row in rows:
        if row.field in allowed or row.kind == "eprint":
            kept.append(row)
        else:
            carriers = carrier_fields(row.field, entry_type)
            if carriers:
                kept.append(row.renamed(carriers[0]))
    return tuple(kept)
