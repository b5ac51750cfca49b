"""Volume and issue strings as PubMed, Crossref and the aggregators write them.

Supplements, parts and special issues stay with the element they belong to; only a
plain number after a volume is its issue; a supplement never loses its number.
"""

from __future__ import annotations

import json

import pytest

from refconv.converters import Report, read
from refconv.converters.core.numbering import split_volume

# (combined string, volume, issue)
SHAPES = [
    ("25 1", "25", "1"),
    ("25(1)", "25", "1"),
    ("Vol. 12, No. 3", "12", "3"),
    ("25 Suppl 2", "25 Suppl 2", None),
    ("25 Suppl. 2", "25 Suppl. 2", None),
    ("25 Suppl", "25 Suppl", None),
    ("Suppl 3", "Suppl 3", None),
    ("12 Pt 2", "12 Pt 2", None),
    ("Spec No", "Spec No", None),
    ("Spec No 2", "Spec No 2", None),
    ("7-8", "7-8", None),
    ("7-8 2", "7-8", "2"),
    ("25 3 Suppl 1", "25", "3 Suppl 1"),
    ("45 (3 Pt 1)", "45", "3 Pt 1"),
    ("25 (Suppl 2)", "25", "Suppl 2"),
    ("Vol 25 Suppl 2", "25 Suppl 2", None),
]


@pytest.mark.parametrize(("text", "volume", "issue"), SHAPES)
def test_split_volume(text, volume, issue):
    assert split_volume(text) == (volume, issue)


def _one(text: str, format: str) -> dict:
    report = Report()
    [item] = read(text, format, report=report)
    return item


@pytest.mark.parametrize(("text", "volume", "issue"), SHAPES)
def test_paper_record_and_semantic_scholar_combined_strings(text, volume, issue):
    record = {"title": "T", "authors": "Ann Smith", "journal": {"name": "J", "volume": text}}
    paper = {"paperId": "abc", "title": "T", "journal": {"name": "J", "volume": text}}
    for item in (_one(json.dumps(record), "paper-record"), _one(json.dumps(paper), "s2")):
        assert (item.get("volume"), item.get("issue")) == (volume, issue)


# PubMed and Crossref write volume and issue apart: each stays as written
APART = [
    ("25 Suppl 2", None),
    ("25", "Suppl 3"),
    ("12 Pt 2", None),
    ("12", "3 Pt 2"),
    ("Spec No", None),
    ("47", "Spec No"),
    ("7-8", None),
    ("33", "7-8"),
    ("2", "Suppl_1"),
]


@pytest.mark.parametrize(("volume", "issue"), APART)
def test_pubmed_keeps_each_element(volume, issue):
    issue_xml = f"<Issue>{issue}</Issue>" if issue else ""
    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        f"<Journal><JournalIssue><Volume>{volume}</Volume>{issue_xml}</JournalIssue>"
        "<Title>J</Title></Journal><ArticleTitle>T</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    medline = f"PMID- 1\nTI  - T\nJT  - J\nVI  - {volume}\n" + (f"IP  - {issue}\n" if issue else "")
    for item in (_one(xml, "pubmed"), _one(medline, "pubmed")):
        assert (item.get("volume"), item.get("issue")) == (volume, issue)


@pytest.mark.parametrize(("volume", "issue"), APART)
def test_crossref_keeps_each_element(volume, issue):
    work = {"DOI": "10.1/x", "type": "journal-article", "title": ["T"], "volume": volume}
    if issue:
        work["issue"] = issue
    item = _one(json.dumps(work), "crossref")
    assert (item.get("volume"), item.get("issue")) == (volume, issue)


@pytest.mark.parametrize(("volume", "issue"), APART)
def test_openalex_keeps_each_element(volume, issue):
    work = {"id": "https://openalex.org/W1", "title": "T", "biblio": {"volume": volume}}
    if issue:
        work["biblio"]["issue"] = issue
    item = _one(json.dumps(work), "openalex")
    assert (item.get("volume"), item.get("issue")) == (volume, issue)
