"""Helpers shared by the PubMed tests: the samples, small EFetch XML records built in the
test, reading them, and a stream that produces its text only as it is read."""

from __future__ import annotations

import io

from conftest import EXAMPLES
from refconv.converters import Report, Severity, read

SAMPLES = EXAMPLES / "pubmed"
XML = SAMPLES / "efetch.xml"
NBIB = SAMPLES / "pubmed.nbib"
SAMPLE_COUNTS = {"efetch.xml": 13, "pubmed.nbib": 13}
DOCTYPE = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)


def items_of(text: str | bytes, report: Report | None = None) -> list[dict]:
    return list(read(text, "pubmed", report=report or Report()))


def problems(report: Report) -> list[str]:
    return [d.message for d in report.collected if d.severity >= Severity.WARNING]


def notes(report: Report) -> list[str]:
    return [d.message for d in report.collected if d.severity == Severity.INFO]


def article(
    inner: str = "", *, pmid: str = "1", title: str = "A title.", data: str = "", status=""
) -> str:
    """One <PubmedArticle> with the given extra <Article> children."""
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}'
        '</PMID><Article PubModel="Print"><Journal><ISSN IssnType="Print">0000-0001</ISSN>'
        "<JournalIssue><Volume>1</Volume><PubDate><Year>2020</Year></PubDate></JournalIssue>"
        f"<Title>Journal of tests</Title><ISOAbbreviation>J Tests</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{title}</ArticleTitle>{inner}</Article>{status}</MedlineCitation>"
        f"<PubmedData>{data}</PubmedData></PubmedArticle>"
    )


def article_set(*articles: str) -> str:
    return DOCTYPE + "<PubmedArticleSet>\n" + "\n".join(articles) + "\n</PubmedArticleSet>\n"


def by_pmid(items: list[dict]) -> dict[str, dict]:
    return {item["PMID"]: item for item in items}


class GeneratedStream(io.TextIOBase):
    """A text stream that produces its text only as it is read, counting what was asked for."""

    def __init__(self, parts):
        self.produced = 0
        self._parts = iter(parts)
        self._buffer = ""

    def readable(self) -> bool:
        return True

    def _fill(self, enough) -> None:
        while not enough():
            part = next(self._parts, None)
            if part is None:
                return
            self._buffer += part

    def read(self, size: int | None = -1) -> str:
        unlimited = size is None or size < 0
        self._fill(lambda: not unlimited and len(self._buffer) >= size)
        cut = len(self._buffer) if unlimited else size
        out, self._buffer = self._buffer[:cut], self._buffer[cut:]
        self.produced += len(out)
        return out

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self._fill(lambda: "\n" in self._buffer)
        end = self._buffer.find("\n") + 1 or len(self._buffer)
        out, self._buffer = self._buffer[:end], self._buffer[end:]
        self.produced += len(out)
        return out

    def __iter__(self):
        return iter(self.readline, "")
