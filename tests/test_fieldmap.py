"""The field-map engine (converters/core/fieldmap.py): rows, per-type plans, bounds."""

from __future__ import annotations

import pytest

from refconv.converters.bibtex import BIBLATEX, BIBTEX
from refconv.converters.bibtex.mapping import FIELD_MAP
from refconv.converters.core import fieldmap
from refconv.converters.core.fieldmap import READ_ONLY, FieldMap, Row
from refconv.converters.ris.mapping import FIELD_MAP as RIS_FIELD_MAP

JOURNALS = frozenset({"article-journal", "article-magazine"})
ROWS = (
    Row("T2", "container-title", "text", only=JOURNALS),
    Row("T2", "collection-title", "text", skip=JOURNALS),
    Row("AU", "author", "names"),
    Row("JO", "container-title", "text", write=READ_ONLY, overflow="container-title-short"),
    Row("YR", "issued", "year", write=frozenset({"old"})),
    Row("DA", "issued", "date"),
)


def test_reading_gives_the_rows_that_apply_in_table_order() -> None:
    fields = FieldMap(ROWS)
    journal = fields.reading("article-journal")
    assert [row.variable for row in journal["T2"]] == ["container-title"]
    assert [row.variable for row in fields.reading("book")["T2"]] == ["collection-title"]
    assert [row.field for row in journal["YR"]] == ["YR"]  # every row reads, written or not
    assert journal["JO"][0].overflow == "container-title-short"
    assert fields.read_row("T2", "report").variable == "collection-title"
    assert fields.read_row("XX", "report") is None


def test_writing_keeps_table_order_and_leaves_out_read_only_and_other_dialects() -> None:
    fields = FieldMap(ROWS)
    assert [row.field for row in fields.writing("article-journal")] == ["T2", "AU", "DA"]
    assert [row.field for row in fields.writing("book", "old")] == ["T2", "AU", "YR", "DA"]
    assert fields.writing("book")[0].variable == "collection-title"


def test_named_position_and_fields() -> None:
    fields = FieldMap(ROWS)
    assert [row.variable for row in fields.named("T2")] == ["container-title", "collection-title"]
    assert fields.named("nope") == ()
    assert [fields.position(row) for row in fields.rows] == list(range(len(ROWS)))
    assert fields.fields() == ("T2", "AU", "JO", "YR", "DA")
    assert fields.fields("container-title") == ("T2", "JO")


def test_renamed_row_keeps_everything_but_the_field() -> None:
    row = ROWS[3].renamed("JF")
    assert (row.field, row.variable, row.kind, row.write, row.overflow) == (
        "JF",
        "container-title",
        "text",
        READ_ONLY,
        "container-title-short",
    )
    assert repr(row) == (
        "Row('JF', 'container-title', 'text', write=[], overflow='container-title-short')"
    )


def test_plans_are_cached_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fieldmap, "MAX_PLANS", 3)
    fields = FieldMap(ROWS)
    assert fields.reading("book") is fields.reading("book")
    assert fields.writing("book") is fields.writing("book")
    made_up = [f"type{n}" for n in range(50)]
    for entry_type in made_up:
        fields.reading(entry_type)
        fields.writing(entry_type)
    assert len(fields._reading) == 3 and len(fields._writing) == 3
    # a type beyond the bound is still planned right, only not kept
    assert [row.variable for row in fields.reading("type49")["T2"]] == ["collection-title"]


def test_bibtex_table_reads_a_field_by_the_rows_of_its_entry_type() -> None:
    assert FIELD_MAP.read_row("number", "article").variable == "issue"
    assert FIELD_MAP.read_row("number", "techreport").variable == "number"
    assert FIELD_MAP.read_row("number", "book").variable == "collection-number"
    assert FIELD_MAP.read_row("number", "thing").variable == "number"
    assert FIELD_MAP.read_row("journal", "book") is None  # the reader then takes its first row
    bibtex_fields = [row.field for row in FIELD_MAP.writing("article", BIBTEX)]
    biblatex_fields = [row.field for row in FIELD_MAP.writing("article", BIBLATEX)]
    assert "journal" in bibtex_fields and "journaltitle" not in bibtex_fields
    assert "journaltitle" in biblatex_fields and "journal" not in biblatex_fields
    assert "day" not in bibtex_fields + biblatex_fields  # read only


def test_ris_table_reads_and_writes_a_tag_by_the_rows_of_its_type() -> None:
    assert RIS_FIELD_MAP.read_row("T2", "book").variable == "collection-title"
    assert RIS_FIELD_MAP.read_row("T2", "article-journal").variable == "container-title"
    assert RIS_FIELD_MAP.read_row("T2", "paper-conference").kind == "conference-t2"
    assert RIS_FIELD_MAP.read_row("AU", "motion_picture").variable == "director"
    assert RIS_FIELD_MAP.read_row("JO", "article-journal").overflow == "container-title-short"
    journal = [row.field for row in RIS_FIELD_MAP.writing("article-journal")]
    assert journal[:3] == ["TI", "AU", "T2"]
    # EP is written with SP, ID from the citation key, T1 and JO only read
    assert not {"EP", "ID", "T1", "JO"} & set(journal)
