"""The field-map engine: one table of rows maps a tag format's fields to CSL variables.

A format (BibTeX, RIS) describes itself as a tuple of :class:`Row` and wraps it in a
:class:`FieldMap`. The reader asks the map which rows a field has in an entry type
(:meth:`FieldMap.reading`), the writer which rows to write for a type and dialect
(:meth:`FieldMap.writing`, in table order: the table order is the written order), so
both directions come from the same rows and cannot drift apart. What a value of each
``kind`` becomes is the format's own business (its codecs); the engine knows rows only.

Like citation-js's ``Translator`` (a statement per mapping, with ``when`` conditions
and one list of statements per direction), worked out once per entry type: both plans
are cached per type, bounded so that files inventing entry types cannot grow them.

A format with one dialect leaves ``write`` at ``None`` (written) or :data:`READ_ONLY`
and calls ``writing(t)`` without one; where rows compete for a variable,
:meth:`FieldMap.position` ranks them (earlier wins). What a format derives per type
beyond the rows (its codec per row, a line prefix) it caches itself, keyed by the type.
"""

from __future__ import annotations

from collections.abc import Iterable

# `write` of a row that only the reader uses (an old or vendor tag)
READ_ONLY: frozenset[str] = frozenset()

# plans kept per direction; a type beyond these is planned afresh at each use
MAX_PLANS = 256


class Row:
    """One correspondence: format ``field`` (a BibTeX field, a RIS tag) ⇄ CSL ``variable``.

    ``kind`` names the value codec. The row applies to the entry types in ``only``
    (``None``: any) that are not in ``skip``. ``write`` holds the dialects whose
    writer writes it (``None``: every dialect; :data:`READ_ONLY`: none). ``overflow``
    names the variable a value goes to when a better row has already set ``variable``.

    (A plain class, not a dataclass: decorating one costs start-up time.)
    """

    __slots__ = ("field", "kind", "only", "overflow", "skip", "variable", "write")

    def __init__(
        self,
        field: str,
        variable: str,
        kind: str,
        *,
        only: frozenset[str] | None = None,
        skip: frozenset[str] = frozenset(),
        write: frozenset[str] | None = None,
        overflow: str | None = None,
    ) -> None:
        self.field = field
        self.variable = variable
        self.kind = kind
        self.only = only
        self.skip = skip
        self.write = write
        self.overflow = overflow

    def applies(self, entry_type: str) -> bool:
        return (self.only is None or entry_type in self.only) and entry_type not in self.skip

    def writes(self, dialect: str | None = None) -> bool:
        return self.write is None or dialect in self.write

    def renamed(self, field: str) -> Row:
        """The same row under another field name (where a type forbids this one)."""
        return Row(
            field,
            self.variable,
            self.kind,
            only=self.only,
            skip=self.skip,
            write=self.write,
            overflow=self.overflow,
        )

    def __repr__(self) -> str:
        options = [
            f"{name}={value!r}"
            for name, value, default in (
                ("only", self.only and sorted(self.only), None),
                ("skip", sorted(self.skip), []),
                ("write", self.write if self.write is None else sorted(self.write), None),
                ("overflow", self.overflow, None),
            )
            if value != default
        ]
        arguments = [repr(self.field), repr(self.variable), repr(self.kind), *options]
        return f"Row({', '.join(arguments)})"


class FieldMap:
    """A format's rows, with the per-type plans of both directions.

    ``reading(t)``: field → the rows that apply to ``t``, in table order (the first is
    the best). ``writing(t, dialect)``: the rows that apply to ``t`` and that the
    dialect writes, in table order.
    """

    __slots__ = ("_named", "_position", "_reading", "_writing", "rows")

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows: tuple[Row, ...] = tuple(rows)
        self._position = {id(row): index for index, row in enumerate(self.rows)}
        named: dict[str, list[Row]] = {}
        for row in self.rows:
            named.setdefault(row.field, []).append(row)
        self._named = {field: tuple(rows) for field, rows in named.items()}
        self._reading: dict[str, dict[str, tuple[Row, ...]]] = {}
        self._writing: dict[tuple[str, str | None], tuple[Row, ...]] = {}

    def named(self, field: str) -> tuple[Row, ...]:
        """Every row of ``field``, whatever type it applies to, in table order."""
        return self._named.get(field, ())

    def position(self, row: Row) -> int:
        """The row's place in the table (its rank: earlier rows win)."""
        return self._position[id(row)]

    def fields(self, variable: str | None = None) -> tuple[str, ...]:
        """The field names in table order, each once (only those of ``variable``, if given)."""
        return tuple(
            dict.fromkeys(
                row.field for row in self.rows if variable is None or row.variable == variable
            )
        )

    def reading(self, entry_type: str) -> dict[str, tuple[Row, ...]]:
        plan = self._reading.get(entry_type)
        if plan is None:
            plan = {}
            for row in self.rows:
                if row.applies(entry_type):
                    plan[row.field] = (*plan.get(row.field, ()), row)
            if len(self._reading) < MAX_PLANS:
                self._reading[entry_type] = plan
        return plan

    def read_row(self, field: str, entry_type: str) -> Row | None:
        """The best row for ``field`` in ``entry_type``: the first that applies."""
        rows = self.reading(entry_type).get(field)
        return rows[0] if rows else None

    def writing(self, entry_type: str, dialect: str | None = None) -> tuple[Row, ...]:
        key = (entry_type, dialect)
        plan = self._writing.get(key)
        if plan is None:
            plan = tuple(
                row for row in self.rows if row.applies(entry_type) and row.writes(dialect)
            )
            if len(self._writing) < MAX_PLANS:
                self._writing[key] = plan
        return plan
