"""RIS types: every CSL type has a TY that reads back, and GEN preprints are recognised."""

from __future__ import annotations

import pytest
from ris_support import read_ris, write_ris

from refconv.converters.core.diagnostics import Severity
from refconv.converters.core.model import CSL_TYPES
from refconv.converters.ris.mapping import FIELD_MAP, RIS_TO_TYPE, TYPE_TO_RIS, type_plan

WARNING, ERROR, INFO = Severity.WARNING, Severity.ERROR, Severity.INFO


def one(text: str) -> dict:
    items, report = read_ris(text)
    assert len(items) == 1, report.collected
    return items[0]


def test_every_csl_type_has_a_ris_type_and_every_ris_type_is_read() -> None:
    assert set(TYPE_TO_RIS) == set(CSL_TYPES)
    assert set(TYPE_TO_RIS.values()) <= set(RIS_TO_TYPE)
    assert set(RIS_TO_TYPE.values()) <= set(CSL_TYPES)


# Types written with a RIS type another CSL type owns; documented in the README.
SHARED_RIS_TYPES = {
    "article": "document",  # GEN, as Zotero writes preprints; see the preprint test
    "collection": "document",
    "entry": "document",
    "event": "document",
    "performance": "document",
    "treaty": "document",
    "broadcast": "motion_picture",
    "interview": "personal_communication",
    "review": "article-journal",
    "review-book": "article-journal",
}


@pytest.mark.parametrize("csl_type", sorted(CSL_TYPES))
def test_types_come_back(csl_type: str) -> None:
    back = one(write_ris([{"type": csl_type, "title": "T"}]))
    assert back["type"] == SHARED_RIS_TYPES.get(csl_type, csl_type)


def test_issue_type_table() -> None:
    expected = {
        "article-journal": "JOUR",
        "book": "BOOK",
        "chapter": "CHAP",
        "paper-conference": "CONF",
        "thesis": "THES",
        "report": "RPRT",
        "webpage": "ELEC",
        "dataset": "DATA",
        "software": "COMP",
        "article": "GEN",
        "document": "GEN",
        "event": "GEN",
    }
    assert {t: TYPE_TO_RIS[t] for t in expected} == expected
    assert RIS_TO_TYPE["CPAPER"] == "paper-conference"


def test_gen_preprints_are_recognised() -> None:
    preprint = {"type": "article", "title": "P", "DOI": "10.48550/arXiv.1706.03762"}
    assert one(write_ris([preprint]))["type"] == "article"
    server = {"type": "article", "title": "P", "container-title": "bioRxiv"}
    assert one(write_ris([server]))["type"] == "article"
    assert one(write_ris([{"type": "document", "title": "D"}]))["type"] == "document"


@pytest.mark.parametrize("csl_type", sorted({*TYPE_TO_RIS, "document", "made-up"}))
def test_type_plans_come_from_the_field_map(csl_type: str) -> None:
    """RIS keeps per type only what it derives from the engine's plans: each row's rank
    for reading, each written row's line prefix, and the variables written."""
    plan = type_plan(csl_type)
    assert plan.reads == {
        tag: tuple((FIELD_MAP.position(row), row) for row in rows)
        for tag, rows in FIELD_MAP.reading(csl_type).items()
    }
    written = FIELD_MAP.writing(csl_type)
    assert [(kind, variable, row) for kind, variable, _prefix, row in plan.steps] == [
        (row.kind, row.variable, row) for row in written
    ]
    assert [prefix for _kind, _variable, prefix, _row in plan.steps] == [
        f"{row.field}  - " for row in written
    ]
    assert {row.variable for row in written} <= plan.consumed
