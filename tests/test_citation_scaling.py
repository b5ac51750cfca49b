"""The formatter's cost grows with the items, not with their square (issue 17).

Disambiguation is where a processor turns quadratic: the cites that clash are
rendered again at every step. These tests count the renders of short cites on a
bibliography where many items clash, and check the result that work buys.
"""

from __future__ import annotations

import pytest

from refconv.converters.core.diagnostics import Report
from refconv.converters.formatting.csl import processor as csl_processor
from refconv.converters.formatting.csl.style import LayoutOptions, StyleOptions
from refconv.converters.formatting.engine import Engine
from refconv.converters.formatting.items import prepare


def clashing(count: int) -> list[dict]:
    """``count`` reports of one organisation in one year, and as many works of distinct
    authors: the reports all cite as "World Health Organization, 2019"."""
    items = []
    for index in range(count):
        items.append(
            {
                "id": f"who{index}",
                "type": "report",
                "author": [{"literal": "World Health Organization"}],
                "issued": {"date-parts": [[2019]]},
                "title": f"Report number {index}",
            }
        )
        items.append(
            {
                "id": f"solo{index}",
                "type": "book",
                "author": [{"family": f"Author{index:04d}", "given": "Ann"}],
                "issued": {"date-parts": [[2000 + index % 20]]},
                "title": f"Book {index}",
            }
        )
    return items


def short_cite_renders(count: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, Engine]:
    renders = 0
    original = csl_processor.Processor._render_ambiguous_cite

    def counted(self, *args):
        nonlocal renders
        renders += 1
        return original(self, *args)

    monkeypatch.setattr(csl_processor.Processor, "_render_ambiguous_cite", counted)
    engine = Engine("apa")
    engine.bibliography(prepare(clashing(count), Report()))
    return renders, engine


@pytest.mark.parametrize("count", [30, 120])
def test_clashing_cites_are_rendered_a_fixed_number_of_times_each(count, monkeypatch):
    renders, engine = short_cite_renders(count, monkeypatch)
    # once to register each of the 2 * count items, then each report once to start its
    # group and once for the step that settles it: nothing per pair of clashing items
    assert renders <= 2 * count + 2 * count + 1
    suffixes = sorted(engine.processor.tokens[f"who{i}"].disambig.year_suffix for i in range(count))
    assert suffixes == list(range(count))  # 2019a … one suffix each, none shared


def test_twice_the_clashing_items_cost_twice_the_renders(monkeypatch):
    small, _ = short_cite_renders(60, monkeypatch)
    large, _ = short_cite_renders(120, monkeypatch)
    assert large <= 2 * small + 10


def test_style_options_are_typed_records_read_when_compiled():
    engine = Engine("apa")
    style = engine.processor.style
    assert isinstance(style.options, StyleOptions)
    assert style.options.page_range_format == "expanded"
    citation = style.citation.options
    assert isinstance(citation, LayoutOptions)
    assert citation.disambiguate_add_year_suffix is True
    assert citation.givenname_disambiguation_rule == "primary-name-with-initials"
    assert citation.near_note_distance == 5
    assert LayoutOptions.read({"near-note-distance": "x"}).near_note_distance == 5
