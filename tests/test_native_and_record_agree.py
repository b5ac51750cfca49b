"""The same work read from its source's own file and from its aggregator paper record
gives the same type, title, container, volume, issue, page, date and DOI.

The paper record is the real one in ``examples/records``; the native records describe
the same article as PubMed (EFetch XML and MEDLINE), Crossref, OpenAlex and Semantic
Scholar write it, each with its own vocabulary for the type. (The DOI is the article's;
the PMID, OpenAlex and Semantic Scholar ids only fill the fields those formats expect.)
"""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES
from refconv.converters import Report, Severity, read

RECORD = EXAMPLES / "records" / "liu2025exosome.txt"
COMPARED = ("type", "title", "container-title", "volume", "issue", "page", "issued", "DOI")

PUBMED_XML = """<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM" IndexingMethod="Automated">
    <PMID Version="1">40272630</PMID>
    <Article PubModel="Electronic">
      <Journal>
        <ISSN IssnType="Electronic">1591-9528</ISSN>
        <JournalIssue CitedMedium="Internet">
          <Volume>25</Volume>
          <Issue>1</Issue>
          <PubDate><Year>2025</Year><Month>Apr</Month><Day>24</Day></PubDate>
        </JournalIssue>
        <Title>Clinical and experimental medicine</Title>
        <ISOAbbreviation>Clin Exp Med</ISOAbbreviation>
      </Journal>
      <ArticleTitle>Exosome-based immunotherapy in hepatocellular carcinoma.</ArticleTitle>
      <Pagination><StartPage>127</StartPage><MedlinePgn>127</MedlinePgn></Pagination>
      <ELocationID EIdType="doi" ValidYN="Y">10.1007/s10238-025-01659-2</ELocationID>
      <AuthorList CompleteYN="Y">
        <Author ValidYN="Y">
          <LastName>Liu</LastName><ForeName>Hong</ForeName><Initials>H</Initials>
        </Author>
      </AuthorList>
      <Language>eng</Language>
      <PublicationTypeList>
        <PublicationType UI="D016428">Journal Article</PublicationType>
        <PublicationType UI="D016454">Review</PublicationType>
      </PublicationTypeList>
    </Article>
  </MedlineCitation>
</PubmedArticle>
</PubmedArticleSet>
"""

MEDLINE = """PMID- 40272630
STAT- MEDLINE
IS  - 1591-9528 (Electronic)
VI  - 25
IP  - 1
DP  - 2025 Apr 24
TI  - Exosome-based immunotherapy in hepatocellular carcinoma.
PG  - 127
LID - 127
LID - 10.1007/s10238-025-01659-2 [doi]
FAU - Liu, Hong
AU  - Liu H
LA  - eng
PT  - Journal Article
PT  - Review
TA  - Clin Exp Med
JT  - Clinical and experimental medicine
"""

CROSSREF = {
    "DOI": "10.1007/s10238-025-01659-2",
    "type": "journal-article",
    "title": ["Exosome-based immunotherapy in hepatocellular carcinoma"],
    "container-title": ["Clinical and Experimental Medicine"],
    "short-container-title": ["Clin Exp Med"],
    "publisher": "Springer Science and Business Media LLC",
    "volume": "25",
    "issue": "1",
    "article-number": "127",
    "published-online": {"date-parts": [[2025, 4, 24]]},
    "published": {"date-parts": [[2025, 4, 24]]},
    "issued": {"date-parts": [[2025, 4, 24]]},
    "author": [{"given": "Hong", "family": "Liu", "sequence": "first"}],
    "ISSN": ["1591-9528"],
}

OPENALEX = {
    "id": "https://openalex.org/W4409733530",
    "doi": "https://doi.org/10.1007/s10238-025-01659-2",
    "title": "Exosome-based immunotherapy in hepatocellular carcinoma",
    "publication_date": "2025-04-24",
    "publication_year": 2025,
    "type": "review",
    "type_crossref": "journal-article",
    "primary_location": {
        "source": {"display_name": "Clinical and Experimental Medicine", "type": "journal"}
    },
    "biblio": {"volume": "25", "issue": "1", "first_page": "127", "last_page": "127"},
    "authorships": [{"author": {"display_name": "Hong Liu"}}],
}

SEMANTIC_SCHOLAR = {
    "paperId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6",
    "externalIds": {"DOI": "10.1007/s10238-025-01659-2", "PubMed": "40272630"},
    "title": "Exosome-based immunotherapy in hepatocellular carcinoma",
    "publicationTypes": ["JournalArticle", "Review"],
    "publicationDate": "2025-04-24",
    "journal": {"name": "Clinical and Experimental Medicine", "volume": "25 1", "pages": "127"},
    "authors": [{"authorId": "1", "name": "Hong Liu"}],
}


def _one(text: str, format: str) -> dict:
    report = Report()
    [item] = read(text, format, report=report)
    assert [str(d) for d in report.collected if d.severity >= Severity.WARNING] == []
    return item


def _compared(item: dict) -> dict:
    fields = {key: item.get(key) for key in COMPARED}
    # NLM writes journal titles in sentence case ("Clinical and experimental medicine")
    fields["container-title"] = (fields["container-title"] or "").casefold()
    return fields


@pytest.fixture(scope="module")
def from_record() -> dict:
    return _one(RECORD.read_text(encoding="utf-8"), "paper-record")


@pytest.mark.parametrize(
    ("text", "format"),
    [
        (PUBMED_XML, "pubmed"),
        (MEDLINE, "pubmed"),
        (json.dumps(CROSSREF), "crossref"),
        (json.dumps(OPENALEX), "openalex"),
        (json.dumps(SEMANTIC_SCHOLAR), "semantic-scholar"),
    ],
    ids=["pubmed-xml", "medline", "crossref", "openalex", "semantic-scholar"],
)
def test_native_file_and_paper_record_agree(from_record, text, format):
    assert _compared(_one(text, format)) == _compared(from_record)


def test_the_record_compared_is_complete(from_record):
    assert _compared(from_record) == {
        "type": "article-journal",
        "title": "Exosome-based immunotherapy in hepatocellular carcinoma",
        "container-title": "clinical and experimental medicine",
        "volume": "25",
        "issue": "1",
        "page": "127",
        "issued": {"date-parts": [[2025, 4, 24]]},
        "DOI": "10.1007/s10238-025-01659-2",
    }


@pytest.mark.parametrize(
    ("native_types", "record_types"),
    [
        (("Case Reports", "Journal Article"), "Case Reports, Journal Article"),
        (
            ("Journal Article", "Research Support, Non-U.S. Gov't"),
            "Journal Article, Research Support, Non-U.S. Gov't",
        ),
        (("Preprint",), "Preprint"),
        (("Congress",), "Congress"),
    ],
)
def test_pubmed_types_agree_in_both_readers(native_types, record_types):
    """What the paper record's publicationTypes say, PubMed's own file says in PT lines."""
    medline = MEDLINE.replace("PT  - Journal Article\nPT  - Review\n", "").rstrip("\n")
    medline += "\n" + "".join(f"PT  - {t}\n" for t in native_types)
    record = json.loads(RECORD.read_text(encoding="utf-8").split("\n", 1)[0])
    record["publicationTypes"] = record_types
    native, aggregated = _one(medline, "pubmed"), _one(json.dumps(record), "paper-record")
    assert native["type"] == aggregated["type"]
