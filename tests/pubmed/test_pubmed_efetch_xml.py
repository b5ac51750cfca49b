"""EFetch XML: layouts, deleted citations, safety against entities and DTDs, streaming,
damaged XML."""

from __future__ import annotations

import json
import time
import tracemalloc

from pubmed_support import (
    DOCTYPE,
    XML,
    GeneratedStream,
    article,
    article_set,
    items_of,
    notes,
    problems,
)

from conftest import run_cli
from refconv.converters import Report


def test_reference_list_ids_do_not_leak_into_the_record():
    data = (
        '<ArticleIdList><ArticleId IdType="pubmed">1</ArticleId></ArticleIdList>'
        "<ReferenceList><Reference><Citation>X</Citation><ArticleIdList>"
        '<ArticleId IdType="doi">10.9999/reference</ArticleId>'
        '<ArticleId IdType="pmc">PMC999</ArticleId></ArticleIdList></Reference></ReferenceList>'
    )
    [item] = items_of(article_set(article(data=data)))
    assert "DOI" not in item and "PMCID" not in item


def test_old_medline_citation_set_layout():
    text = (
        "<MedlineCitationSet><MedlineCitation><PMID>42</PMID><Article><Journal>"
        "<JournalIssue><PubDate><Year>1999</Year></PubDate></JournalIssue><Title>J</Title>"
        "</Journal><ArticleTitle>Old layout.</ArticleTitle></Article></MedlineCitation>"
        "</MedlineCitationSet>"
    )
    [item] = items_of(text)
    assert (item["PMID"], item["title"], item["issued"]) == (
        "42",
        "Old layout",
        {"date-parts": [[1999]]},
    )


def test_delete_citations_are_not_records():
    report = Report(keep_info=True)
    delete = (
        '<DeleteCitation><PMID Version="1">123</PMID><PMID Version="1">124</PMID></DeleteCitation>'
    )
    items = items_of(article_set(article(), delete), report)
    assert len(items) == 1
    assert "2 DeleteCitation notice(s) skipped: they name PMIDs to delete" in notes(report)


def test_external_entities_and_dtds_are_never_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n'
        f'<!ENTITY xxe SYSTEM "file://{secret}">\n'
        '<!ENTITY remote SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
        '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
        "]>\n<PubmedArticleSet>\n"
        + article(title="Leak &xxe; &remote; &lol3;")
        + "\n</PubmedArticleSet>\n"
    )
    started = time.perf_counter()
    result = run_cli("convert", "-f", "pubmed", "-t", "csl-json", input=text)
    assert time.perf_counter() - started < 30
    assert "TOP-SECRET" not in result.stdout
    assert "lollollol" not in result.stdout
    assert result.exit_code == 0, result.stderr


def _xml_parts(records: int):
    yield DOCTYPE + "<PubmedArticleSet>\n"
    for n in range(1, records + 1):
        yield article(pmid=str(n), title=f"Record {n} " + "x" * 400) + "\n"
    yield "</PubmedArticleSet>\n"


def test_xml_streams_with_flat_memory():
    from refconv.converters import pubmed

    stream = GeneratedStream(_xml_parts(20_000))
    items = pubmed.read(stream, Report())
    assert next(items)["PMID"] == "1"
    assert stream.produced < 200_000  # the first record came before the input was read
    tracemalloc.start()
    count = 1 + sum(1 for _ in items)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 20_000
    assert stream.produced > 15_000_000
    assert peak < 8_000_000  # a few MiB for ~16 MB of XML: articles are freed as they go


def test_one_line_xml_streams_too():
    """EFetch output saved without newlines is still read in blocks, not as one line."""
    from refconv.converters import pubmed

    stream = GeneratedStream(part.replace("\n", "") for part in _xml_parts(5_000))
    items = pubmed.read(stream, Report())
    assert next(items)["PMID"] == "1"
    assert stream.produced < 200_000
    assert sum(1 for _ in items) == 4_999


def test_truncated_xml_keeps_the_records_before_the_cut(tmp_path):
    text = XML.read_text(encoding="utf-8")
    cut = text.index('<PMID Version="1">20123456</PMID>')
    path = tmp_path / "cut.xml"
    path.write_text(text[:cut], encoding="utf-8")
    result = run_cli("convert", str(path), "-t", "csl-json")
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 5
    [error] = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert error.startswith(f"{path}: line ")
    assert error.endswith(
        "(record 6): error: truncated XML: the input ends before the document is complete"
    )


def test_malformed_xml_names_the_line_and_keeps_earlier_records(tmp_path):
    path = tmp_path / "bad.xml"
    broken = article(pmid="2").replace("</ArticleTitle>", "</Title>", 1)
    path.write_text(article_set(article(pmid="1"), broken, article(pmid="3")), encoding="utf-8")
    result = run_cli("convert", str(path), "-t", "csl-json")
    assert result.exit_code == 1
    assert [i["PMID"] for i in json.loads(result.stdout)] == ["1"]
    [error] = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert error.startswith(
        f"{path}: line 5 (record 2): error: invalid XML: Opening and ending tag"
    )
    assert error.endswith("nothing after this point was read")


def test_record_without_article_is_skipped_and_others_converted():
    report = Report()
    empty = (
        '<PubmedArticle><MedlineCitation><PMID Version="1">9</PMID></MedlineCitation>'
        "</PubmedArticle>"
    )
    items = items_of(article_set(article(pmid="1"), empty, article(pmid="3")), report)
    assert [i["PMID"] for i in items] == ["1", "3"]
    assert problems(report) == ["PMID 9: the record has no <Article>"]


def test_not_pubmed_xml_and_efetch_errors():
    report = Report()
    assert (
        items_of('<?xml version="1.0"?>\n<eSearchResult><Count>0</Count></eSearchResult>', report)
        == []
    )
    assert problems(report) == [
        "not PubMed XML: the document element is <eSearchResult> (expected <PubmedArticleSet>)"
    ]
    report = Report()
    assert (
        items_of("<eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>", report)
        == []
    )
    assert problems(report) == [
        "the input is an EFetch error response: Empty id list - nothing todo"
    ]
