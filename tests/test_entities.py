"""HTML entities and numeric references in every text field of every reader: decoded once.

``&amp;`` is an ampersand, ``&#x3b1;`` an alpha, and ``&amp;lt;`` the text ``&lt;`` (the
source escaped an entity; decoding it twice would make a ``<`` of it).
"""

from __future__ import annotations

import json

from refconv.converters import Report, read

TITLE = "A &amp;lt; B &#x3b1; &#946;"
DECODED_TITLE = "A &lt; B α β"
JOURNAL = "Journal of Law &amp; Society"
DECODED_JOURNAL = "Journal of Law & Society"


def _one(text: str, format: str) -> dict:
    report = Report()
    [item] = read(text, format, report=report)
    assert report.collected == []
    return item


def test_crossref():
    work = {
        "DOI": "10.1234/x",
        "type": "journal-article",
        "title": [TITLE],
        "container-title": [JOURNAL],
        "publisher": "Wiley &amp; Sons",
        "author": [{"family": "M&uuml;ller", "given": "Ann &amp; Bo"}],
        "abstract": "<jats:p>a &amp;lt; b &amp; c</jats:p>",
        "subject": ["Law &amp; Society"],
        "note": "See &#x201c;Errata&#x201d;",
    }
    item = _one(json.dumps(work), "crossref")
    assert item["title"] == DECODED_TITLE
    assert item["container-title"] == DECODED_JOURNAL
    assert item["publisher"] == "Wiley & Sons"
    assert item["author"] == [{"family": "Müller", "given": "Ann & Bo"}]
    assert item["abstract"] == "a &lt; b & c"
    assert item["keyword"] == "Law & Society"
    assert item["note"] == "See “Errata”"


def test_openalex():
    work = {
        "id": "https://openalex.org/W1",
        "type": "article",
        "title": TITLE,
        "authorships": [{"author": {"display_name": "Ann M&uuml;ller"}}],
        "primary_location": {
            "source": {
                "display_name": JOURNAL,
                "type": "journal",
                "host_organization_name": "Wiley &amp; Sons",
            }
        },
        "abstract_inverted_index": {"a": [0], "&amp;lt;": [1], "b": [2]},
    }
    item = _one(json.dumps(work), "openalex")
    assert item["title"] == DECODED_TITLE
    assert item["container-title"] == DECODED_JOURNAL
    assert item["publisher"] == "Wiley & Sons"
    assert item["author"] == [{"family": "Müller", "given": "Ann"}]
    assert item["abstract"] == "a &lt; b"


def test_semantic_scholar():
    paper = {
        "paperId": "abc",
        "title": TITLE,
        "authors": [{"name": "Ann M&uuml;ller"}],
        "journal": {"name": JOURNAL},
        "abstract": "a &amp;lt; b",
        "publicationTypes": ["JournalArticle"],
    }
    item = _one(json.dumps(paper), "semantic-scholar")
    assert item["title"] == DECODED_TITLE
    assert item["container-title"] == DECODED_JOURNAL
    assert item["author"] == [{"family": "Müller", "given": "Ann"}]
    assert item["abstract"] == "a &lt; b"


def test_paper_record():
    record = {
        "title": TITLE,
        "authors": "Ann M&uuml;ller, Bo Li, Cy Wu",
        "journal": {"name": JOURNAL},
        "publisher": "Wiley &amp; Sons",
        "abstract": "<p>a &amp;lt; b</p>",
        "publicationTypes": "Journal Article",
    }
    item = _one(json.dumps(record), "paper-record")
    assert item["title"] == DECODED_TITLE
    assert item["container-title"] == DECODED_JOURNAL
    assert item["publisher"] == "Wiley & Sons"
    assert item["author"][0] == {"family": "Müller", "given": "Ann"}
    assert item["abstract"] == "a &lt; b"


def test_pubmed_xml():
    """XML's own entities are decoded by the parser, once: ``&amp;lt;`` is ``&lt;``."""
    xml = f"""<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<Journal><Title>{JOURNAL}</Title></Journal>
<ArticleTitle>{TITLE}</ArticleTitle>
<Abstract><AbstractText>a &amp;lt; b &#x3b1;</AbstractText></Abstract>
<AuthorList><Author><LastName>M&#252;ller</LastName><ForeName>Ann</ForeName></Author></AuthorList>
</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>
"""
    item = _one(xml, "pubmed")
    assert item["title"] == DECODED_TITLE
    assert item["container-title"] == DECODED_JOURNAL
    assert item["author"] == [{"family": "Müller", "given": "Ann"}]
    assert item["abstract"] == "a &lt; b α"


def test_medline_text_has_no_entities_to_decode():
    """MEDLINE is plain text: an ``&`` is an ampersand and what follows it stays as written."""
    text = "PMID- 1\nTI  - Salt &amp; pepper: &lt; 5 grams.\nJT  - Journal of Law & Society\n"
    item = _one(text, "pubmed")
    assert item["title"] == "Salt &amp; pepper: &lt; 5 grams"
    assert item["container-title"] == "Journal of Law & Society"
