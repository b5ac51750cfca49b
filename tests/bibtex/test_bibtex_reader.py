"""The reader's field decoders (converters/bibtex/reader.py): the short cuts for plain
pages and DOIs give what the general decoding gives."""

from __future__ import annotations

import io

import pytest

from refconv.converters import bibtex
from refconv.converters.bibtex import latex
from refconv.converters.bibtex.mapping import PLAIN_DOI
from refconv.converters.bibtex.reader import _PAGE_DASHES, ReadContext, _decode_pages
from refconv.converters.core.diagnostics import Report
from refconv.converters.core.identifiers import normalise_doi


@pytest.mark.parametrize(
    "value", ["12--34", "12-34", "e1--e5", "12---34", "A1-B2", "12", "12 -- 34", "{12}--34"]
)
def test_read_pages(value: str) -> None:
    ctx = ReadContext(Report())
    general = latex.from_latex(value) if latex.LATEX_SYNTAX.search(value) else value
    expected = _PAGE_DASHES.sub("-", general).strip()
    assert _decode_pages(value, ctx, "pages") == expected


@pytest.mark.parametrize(
    "doi",
    [
        "10.1038/nature12373",
        "10.1002/(SICI)1097-4636(199606)31:2<181::AID-JBM5>3.0.CO;2-K",
        "10.1000/x.",
        "10.1000/a%2Fb",
        "10.123/x",
        "10.12345/sp ace",
        "10.1000/\u00e9",
        "10.1000/x\n",
    ],
)
def test_plain_doi_is_what_normalise_doi_keeps(doi: str) -> None:
    if PLAIN_DOI.fullmatch(doi) and doi.isascii():
        assert normalise_doi(doi) == doi
    entry = f"@article{{k,\n  doi = {{{doi}}}\n}}\n"
    report = Report()
    (item,) = bibtex.read(io.StringIO(entry), report)
    expected = normalise_doi(doi.strip())
    assert item["DOI"] == (expected if expected is not None else doi.strip())
