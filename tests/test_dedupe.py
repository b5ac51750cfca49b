"""--dedupe merges only on evidence of the same work (issue 16 item 8).

Each pair below is two different works that the old rule (normalised title, year and
first author) merged or could merge; none may be merged. The same-work pairs must be.
"""

from __future__ import annotations

import copy

import pytest

from refconv.converters.core.dedupe import dedupe
from refconv.converters.core.diagnostics import Report


def article(**fields):
    item = {
        "type": "article-journal",
        "title": "Exosome-based immunotherapy",
        "author": [{"family": "Liu", "given": "Hong"}, {"family": "Wang", "given": "GuoWei"}],
        "issued": {"date-parts": [[2025]]},
        "container-title": "Clinical and Experimental Medicine",
        "volume": "25",
        "issue": "1",
        "page": "120-131",
    }
    item.update(fields)
    return {k: v for k, v in item.items() if v is not None}


def editorial(**fields):
    return article(title="Editorial", author=None, **fields)


DIFFERENT_WORKS = {
    "author-less editorials of one year in two journals": (
        editorial(**{"container-title": "Nature"}, volume=None, issue=None, page=None),
        editorial(**{"container-title": "Science"}, volume=None, issue=None, page=None),
    ),
    "editorials in issue 1 and issue 4": (
        editorial(issue="1", page="1-2"),
        editorial(issue="4", page="301-302"),
    ),
    "an article and its same-title correction (Crossref update-to)": (
        article(),
        article(page="200", custom={"updates": [{"type": "correction", "DOI": "10.1/x"}]}),
    ),
    "an article and its same-title retraction notice (PubMed)": (
        article(page=None),
        article(page=None, custom={"publication-types": ["Retraction of Publication"]}),
    ),
    "an article and its same-title erratum (genre)": (
        article(page=None),
        article(page=None, genre="Erratum"),
    ),
    "titles that differ only in a sign": (
        article(title="Response to a +5 V bias", page=None),
        article(title="Response to a −5 V bias", page=None),
    ),
    "titles that differ only in case": (
        article(title="Binding of CO to haem", page=None),
        article(title="Binding of Co to haem", page=None),
    ),
    "titles that differ only in a symbol": (
        article(title="Ca2+ imaging in neurons", page=None),
        article(title="Ca2 imaging in neurons", page=None),
    ),
    "same title and year, another first author": (
        article(),
        article(author=[{"family": "Chen", "given": "Li"}]),
    ),
    "same title, year and first author, other co-authors": (
        article(page=None),
        article(page=None, author=[{"family": "Liu", "given": "Hong"}]),
    ),
    "same title and authors, another year": (
        article(),
        article(issued={"date-parts": [[2026]]}),
    ),
    "one dated, one undated": (
        article(),
        article(issued=None),
    ),
    "another edition": (
        article(type="book", edition="1", page=None),
        article(type="book", edition="2", page=None),
    ),
    "another volume of the same work": (
        article(volume="25", page=None),
        article(volume="26", page=None),
    ),
    "the same issue, other pages (a two-part paper)": (
        article(page="120-131"),
        article(page="132-140"),
    ),
    "two different DOIs (a preprint and its published version)": (
        article(DOI="10.1101/2024.01.01.123456"),
        article(DOI="10.1007/s10238-025-01659-2"),
    ),
}


@pytest.mark.parametrize("pair", DIFFERENT_WORKS.values(), ids=list(DIFFERENT_WORKS))
def test_different_works_are_not_merged(pair):
    report = Report()
    kept = dedupe(copy.deepcopy(list(pair)), report)
    assert kept == list(pair)
    assert report.tally.merged == 0 and report.collected == []


def test_sixteen_kinds_of_different_works():
    assert len(DIFFERENT_WORKS) == 16


SAME_WORKS = {
    "same DOI, in another case and with a resolver prefix": (
        article(DOI="10.1007/S10238-025-01659-2", page=None),
        article(DOI="https://doi.org/10.1007/s10238-025-01659-2", abstract="Text."),
        "same DOI",
    ),
    "same DOI, titles in another case": (
        article(DOI="10.1/abc"),
        article(DOI="10.1/ABC", title="EXOSOME-BASED IMMUNOTHERAPY"),
        "same DOI",
    ),
    "no DOIs: exact title, year, creators; the second knows the abstract": (
        article(page=None),
        article(abstract="Text.", issued={"date-parts": [[2025, 4, 24]]}),
        "same title, year and creators",
    ),
    "a DOI on one side only, the start page on the other": (
        article(DOI="10.1/abc", page="120"),
        article(page="120–131", title="Exosome-based  immunotherapy"),
        "same title, year and creators",
    ),
}


@pytest.mark.parametrize("case", SAME_WORKS.values(), ids=list(SAME_WORKS))
def test_the_same_work_is_merged_and_reported(case):
    first, second, reason = case
    report = Report()
    kept = dedupe([copy.deepcopy(first), copy.deepcopy(second)], report)
    assert len(kept) == 1
    assert report.tally.merged == 1
    (note,) = report.collected
    assert note.record == 2 and reason in note.message
    assert kept[0]["title"] == first["title"]
    for key, value in second.items():  # what only the second knew was taken
        if key not in first:
            assert kept[0][key] == value


def test_notices_merge_with_their_own_duplicates_only():
    notice = article(page="200", custom={"updates": [{"type": "correction", "DOI": "10.1/x"}]})
    items = [article(), copy.deepcopy(notice), article(), copy.deepcopy(notice)]
    report = Report()
    kept = dedupe(items, report)
    assert len(kept) == 2 and report.tally.merged == 2
    assert [d.record for d in report.collected] == [3, 4]
