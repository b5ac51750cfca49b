"""The PubMed reader: EFetch XML and MEDLINE text, every mapping rule, bad input, detection."""

from __future__ import annotations

import gzip
import io
import json
import time
import tracemalloc

import pytest

from conftest import EXAMPLES, GOLDEN, SHARED, assert_golden, requires_shared, run_cli
from refconv.converters import Report, Severity, read
from refconv.converters.core.numbering import expand_page_ranges
from refconv.converters.core.pipeline import open_source
from refconv.converters.core.registry import default_registry
from refconv.converters.core.text import strip_rich_text
from refconv.converters.pubmed import sniff
from refconv.converters.pubmed.record import given_name, language_tag, medline_date, person

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


# --- the samples ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_sample_matches_golden_csl_json(name):
    result = run_cli("convert", str(SAMPLES / name), "-f", "pubmed", "-t", "csl-json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)) == SAMPLE_COUNTS[name]
    assert_golden(GOLDEN / "pubmed" / f"{name.replace('.', '-')}.json", result.stdout)


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_sample_is_detected_without_format(name):
    named = run_cli("convert", str(SAMPLES / name), "-f", "pubmed", "-t", "csl-json")
    detected = run_cli("convert", str(SAMPLES / name), "-t", "csl-json", "--verbose")
    assert detected.exit_code == 0, detected.stderr
    assert "reading as pubmed" in detected.stderr
    assert detected.stdout == named.stdout
    piped = run_cli("convert", "-t", "csl-json", input=(SAMPLES / name).read_bytes())
    assert piped.stdout == named.stdout


def test_nbib_saved_as_txt_is_still_pubmed(tmp_path):
    """PubMed's "Save" names the file pubmed-….txt, an extension paper records claim too."""
    path = tmp_path / "pubmed-atrialfibr-set.txt"
    path.write_bytes(NBIB.read_bytes())
    result = run_cli("convert", str(path), "-t", "csl-json", "--verbose")
    assert result.exit_code == 0, result.stderr
    assert "reading as pubmed" in result.stderr


def _head(path) -> str:
    with open(path, "rb") as handle:
        return open_source(handle, str(path), str(path)).head


def test_detection_against_every_reader_and_every_sample():
    """Each PubMed sample goes to pubmed; no other example is claimed by the PubMed sniffer."""
    registry = default_registry()
    readers = [info for info in registry.all() if info.can_read]
    for path in sorted(p for p in EXAMPLES.rglob("*") if p.is_file()):
        head = _head(path)
        scores = {
            info.name: float(getattr(info.load(), "sniff", lambda h: 0.0)(head)) for info in readers
        }
        if path.parent == SAMPLES:
            others = max(v for k, v in scores.items() if k != "pubmed")
            assert scores["pubmed"] > others, (path.name, scores)
            assert registry.detect(head).name == "pubmed"
            assert registry.detect(head, str(path)).name == "pubmed"
        else:
            assert scores["pubmed"] == 0.0, (path, scores)


def test_sniff():
    assert sniff(DOCTYPE + "<PubmedArticleSet>") == 0.95
    assert sniff("<PubmedArticle><MedlineCitation>") == 0.95
    assert sniff("\nPMID- 31452104\nOWN - NLM\n") == 0.95
    assert sniff('<?xml version="1.0"?><mods xmlns="http://www.loc.gov/mods/v3">') == 0.0
    assert sniff("TY  - JOUR\nAU  - Smith, J\nTI  - A title\nER  - \n") == 0.0
    assert sniff('{"title": "x", "PeriodicalIF": 1}') == 0.0
    assert sniff("@article{key, title={PMID- 1}}") == 0.0


def test_xml_and_medline_exports_give_the_same_items():
    """The same thirteen records, exported both ways, map to the same CSL."""
    from_xml = list(read(XML))
    from_nbib = list(read(NBIB))
    assert len(from_xml) == len(from_nbib) == 13
    for x, m in zip(from_xml, from_nbib, strict=True):
        x, m = dict(x), dict(m)
        # MEDLINE text has no markup: compare titles without the rich text
        for item in (x, m):
            for key in ("title", "container-title"):
                if key in item:
                    item[key] = strip_rich_text(item[key])
        if x["PMID"] == "20301340":  # PubMed writes the ® of GeneReviews® as "(®)" in MEDLINE
            assert (x.pop("container-title"), m.pop("container-title")) == (
                "GeneReviews®",
                "GeneReviews(®)",
            )
        assert x == m, x["PMID"]


@requires_shared
def test_output_validates_against_the_csl_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SHARED / "reference" / "csl-data.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    for name in SAMPLE_COUNTS:
        result = run_cli("convert", str(SAMPLES / name), "-t", "csl-json")
        assert list(validator.iter_errors(json.loads(result.stdout))) == [], name


def test_every_sample_converts_onward_to_every_writer():
    writers = [info.name for info in default_registry().all() if info.can_write]
    for name in SAMPLE_COUNTS:
        for writer in writers:
            result = run_cli("convert", str(SAMPLES / name), "-t", writer)
            assert result.exit_code == 0, (name, writer, result.stderr)
            assert result.stdout.strip(), (name, writer)


# --- mapping (on the samples) ----------------------------------------------------------------


@pytest.fixture(scope="module", params=["efetch.xml", "pubmed.nbib"])
def sample(request) -> dict[str, dict]:
    return by_pmid(list(read(SAMPLES / request.param)))


def test_full_author_names_particles_suffixes_and_collectives(sample):
    assert sample["31452104"]["author"] == [
        {"family": "Berg", "given": "Jan Willem", "non-dropping-particle": "van den"},
        {"family": "Müller", "given": "Hans-Jürgen"},
        {"family": "Østergaard", "given": "Søren"},
        {"family": "Núñez", "given": "María José"},
        {"family": "Roberts", "given": "Richard J.", "suffix": "Jr."},
        {"literal": "Structural Genomics Consortium"},
    ]
    assert sample["9823456"]["author"][:2] == [
        {"family": "Smith", "given": "J."},
        {"family": "Cruz", "given": "A. B.", "non-dropping-particle": "de la"},
    ]
    assert sample["35000001"]["author"] == [{"literal": "LHCb Collaboration"}]
    assert len(sample["33205991"]["author"]) == 58  # 57 people and the trial group
    assert "author" not in sample["27654321"]  # an editorial without authors


def test_dates(sample):
    assert sample["31452104"]["issued"] == {"date-parts": [[2019, 8]]}
    assert sample["31452104"]["available-date"] == {"date-parts": [[2019, 8, 21]]}
    assert sample["9823456"]["issued"] == {"date-parts": [[1998, 12], [1999, 1]]}  # MedlineDate
    assert sample["31000002"]["issued"] == {"date-parts": [[2019, 21]]}  # 2019 Spring
    assert sample["38012345"]["issued"] == {"date-parts": [[2023, 11, 28]]}  # e-pub ahead of print
    assert "available-date" not in sample["38012345"]


def test_pages_and_article_numbers(sample):
    assert sample["9823456"]["page"] == "739-748"  # MedlinePgn 739-48
    assert sample["20123456"]["page"] == "677-689"
    assert sample["31000002"]["page"] == "S12-S15"
    assert sample["30789012"]["page"] == "e0212345"
    assert "volume" not in sample["31000002"]  # a supplement issue without a volume
    assert "page" not in sample["38012345"]


def test_identifiers_journal_names_and_language(sample):
    nature = sample["31452104"]
    assert (nature["DOI"], nature["PMCID"]) == ("10.1038/s41586-019-1501-0", "PMC6780331")
    assert nature["ISSN"] == "1476-4687, 0028-0836"
    assert nature["container-title"] == "Nature"
    assert "container-title-short" not in nature  # the same as the title
    nejm = sample["33205991"]
    assert (nejm["container-title"], nejm["container-title-short"]) == (
        "The New England journal of medicine",
        "N Engl J Med",
    )
    assert sample["29876543"]["language"] == "de"


def test_translated_titles(sample):
    german = sample["29876543"]
    assert german["title"] == "Treatment of atrial fibrillation in the elderly"
    assert german["original-title"] == "Behandlung von Vorhofflimmern bei älteren Menschen"


def test_mesh_terms_and_keywords(sample):
    assert sample["31452104"]["keyword"] == (
        "Bacterial Proteins, Carbon Dioxide, Cryoelectron Microscopy, Pseudomonas, "
        "bicarbonate transport, cryo-EM"
    )


def test_structured_abstract(sample):
    assert sample["31452104"]["abstract"] == (
        "BACKGROUND: Carbon uptake in Pseudomonas is poorly understood.\n\n"
        "METHODS: We solved cryo-EM structures at 2.9 Å.\n\n"
        "RESULTS: The transporter binds HCO3− with high affinity.\n\n"
        "CONCLUSIONS: Uptake is coupled to sodium."
    )


def test_publication_types(sample):
    assert sample["37123456"]["type"] == "article"  # Preprint
    assert sample["20301340"]["type"] == "chapter"
    assert sample["33205991"]["type"] == "article-journal"
    assert sample["33205991"]["custom"]["publication-types"][0] == "Clinical Trial, Phase III"


def test_retracted_and_notices(sample):
    retracted = sample["20123456"]
    assert retracted["status"] == "retracted"
    assert retracted["custom"]["retraction"] == [
        "Cell. 2012 Jan 20;148(1-2):359. doi: 10.1016/j.cell.2012.01.002. PMID: 22265410"
    ]
    notice = sample["22265410"]
    assert "status" not in notice
    assert notice["custom"]["retraction-of"][0].endswith("PMID: 20123456")
    assert sample["38012345"]["status"] == "advance online publication"


def test_book_chapter(sample):
    chapter = sample["20301340"]
    assert chapter["title"] == "Alzheimer Disease Overview"
    assert chapter["editor"] == [
        {"family": "Adam", "given": "Margaret P."},
        {"family": "Feldman", "given": "Jerry"},
    ]
    assert (chapter["publisher"], chapter["publisher-place"]) == (
        "University of Washington, Seattle",
        "Seattle (WA)",
    )
    assert chapter["URL"] == "https://www.ncbi.nlm.nih.gov/books/NBK1116/"


def test_xml_keeps_rich_text_and_mathml():
    items = by_pmid(list(read(XML)))
    assert items["31452104"]["title"] == (
        "Structural basis of <i>Pseudomonas</i> CO<sub>2</sub> uptake by the Ci transporter"
    )
    assert items["35000001"]["title"] == (
        "Observation of B<sup>+</sup> → K<sup>+</sup>μ<sup>+</sup>μ<sup>−</sup> decays"
    )


def test_retraction_is_explained_with_verbose():
    report = Report(keep_info=True)
    items_of(XML.read_bytes(), report)
    assert "PMID 20123456 is retracted (retraction in: Cell. 2012 Jan 20;148(1-2):359. " in (
        "\n".join(notes(report))
    )
    assert "PMID 22265410 is a retraction notice" in notes(report)


# --- mapping (helpers and small records) -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2019 Aug 21", [[2019, 8, 21]]),
        ("2019 Aug", [[2019, 8]]),
        ("2019", [[2019]]),
        ("2010 Sep-Oct", [[2010, 9], [2010, 10]]),
        ("1998 Dec-1999 Jan", [[1998, 12], [1999, 1]]),
        ("2000 Spring", [[2000, 21]]),
        ("2000 Spring-Summer", [[2000, 21], [2000, 22]]),
        ("1977-1978", [[1977], [1978]]),
        ("2001 Jan 3-17", [[2001, 1, 3], [2001, 1, 17]]),
        ("2019 Nov/Dec", [[2019, 11], [2019, 12]]),
        ("Winter 2018", [[2018, 24]]),
    ],
)
def test_medline_dates(text, parts):
    assert medline_date(text) == {"date-parts": parts}


def test_unreadable_medline_date_keeps_year_and_text():
    assert medline_date("1st Quarter 2008") == {
        "date-parts": [[2008]],
        "literal": "1st Quarter 2008",
    }
    assert medline_date("") is None


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("739-48", "739-748"),
        ("1095-101", "1095-1101"),
        ("12-3", "12-13"),
        ("S12-5", "S12-S15"),
        ("R35-R40", "R35-R40"),
        ("e1003", "e1003"),
        ("739–48, 750-2", "739-748, 750-752"),
        ("1-10; discussion 11-2", "1-10; discussion 11-12"),
        ("99-1", "99-1"),
        ("iii-xii", "iii-xii"),
        ("1234-1236", "1234-1236"),
    ],
)
def test_abbreviated_page_ranges_expanded(pages, expected):
    assert expand_page_ranges(pages) == expected


def test_name_helpers():
    assert given_name("John A") == "John A."
    assert given_name("JA") == "J. A."
    assert given_name("Mei Ling") == "Mei Ling"
    assert person("Smith", "John A Jr") == {"family": "Smith", "given": "John A.", "suffix": "Jr."}
    assert person("Ludwig", "van", "") == {"family": "Ludwig", "given": "van"}
    # an organisation word in a family name does not make a person an organisation
    assert person("Group", "Anna") == {"family": "Group", "given": "Anna"}
    assert language_tag("eng") == "en"
    assert language_tag("und") is None
    assert language_tag("xho") == "xho"


def test_invalid_authors_are_left_out_and_incomplete_lists_flagged():
    authors = (
        '<AuthorList CompleteYN="N">'
        '<Author ValidYN="Y"><LastName>Kim</LastName><ForeName>Ji-woo</ForeName></Author>'
        '<Author ValidYN="N"><LastName>Kimm</LastName><ForeName>J</ForeName></Author>'
        "</AuthorList>"
    )
    [item] = items_of(article_set(article(authors)))
    assert item["author"] == [{"family": "Kim", "given": "Ji-woo"}]
    assert item["custom"]["authors-truncated"] is True


def test_reference_list_ids_do_not_leak_into_the_record():
    data = (
        '<ArticleIdList><ArticleId IdType="pubmed">1</ArticleId></ArticleIdList>'
        "<ReferenceList><Reference><Citation>X</Citation><ArticleIdList>"
        '<ArticleId IdType="doi">10.9999/reference</ArticleId>'
        '<ArticleId IdType="pmc">PMC999</ArticleId></ArticleIdList></Reference></ReferenceList>'
    )
    [item] = items_of(article_set(article(data=data)))
    assert "DOI" not in item and "PMCID" not in item


def test_title_falls_back_to_the_vernacular_title():
    vernacular = "<VernacularTitle>Behandlung von Vorhofflimmern.</VernacularTitle>"
    [item] = items_of(article_set(article(vernacular, title="")))
    assert item["title"] == "Behandlung von Vorhofflimmern"
    assert "original-title" not in item
    report = Report()
    [item] = items_of(article_set(article(title="")), report)
    assert "title" not in item
    assert problems(report) == ["PMID 1 has no title"]


def test_article_number_from_electronic_location():
    eloc = '<ELocationID EIdType="pii" ValidYN="Y">e42000</ELocationID>'
    [item] = items_of(article_set(article(eloc)))
    assert (item["page"], item["number"]) == ("e42000", "e42000")
    lancet = '<ELocationID EIdType="pii" ValidYN="Y">S0140-6736(20)30183-5</ELocationID>'
    [item] = items_of(article_set(article(lancet)))
    assert "page" not in item and "number" not in item


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


def test_medline_records_without_blank_lines_continuations_and_crlf():
    text = (
        "PMID- 1\r\nTI  - A title that goes on\r\n      over two lines.\r\nFAU - Doe, Jane\r\n"
        "AU  - Doe J\r\nDP  - 2020 Mar\r\nPMID- 2\r\nTI  - Second.\r\nAU  - Roe RA\r\n"
        "CN  - The Writing Committee\r\nDP  - 2021\r\n"
    )
    first, second = items_of(text)
    assert first["title"] == "A title that goes on over two lines"
    assert first["author"] == [{"family": "Doe", "given": "Jane"}]
    assert second["author"] == [
        {"family": "Roe", "given": "R. A."},
        {"literal": "The Writing Committee"},
    ]


def test_medline_stray_lines_are_reported_not_swallowed():
    report = Report()
    [item] = items_of("PMID- 7\nTI  - Title.\nthis line is not a field\nDP  - 2020\n", report)
    assert item["issued"] == {"date-parts": [[2020]]}
    assert problems(report) == ["line 3: not a MEDLINE field, ignored: 'this line is not a field'"]


# --- safety and streaming ----------------------------------------------------------------------


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


class _Generated(io.TextIOBase):
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


def _xml_parts(records: int):
    yield DOCTYPE + "<PubmedArticleSet>\n"
    for n in range(1, records + 1):
        yield article(pmid=str(n), title=f"Record {n} " + "x" * 400) + "\n"
    yield "</PubmedArticleSet>\n"


def test_xml_streams_with_flat_memory():
    from refconv.converters import pubmed

    stream = _Generated(_xml_parts(20_000))
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

    stream = _Generated(part.replace("\n", "") for part in _xml_parts(5_000))
    items = pubmed.read(stream, Report())
    assert next(items)["PMID"] == "1"
    assert stream.produced < 200_000
    assert sum(1 for _ in items) == 4_999


def test_medline_streams_record_by_record():
    from refconv.converters import pubmed

    def lines():
        for n in range(1, 100_000):
            yield f"PMID- {n}\nTI  - Title {n}.\nDP  - 2020\n\n"

    stream = _Generated(lines())
    items = pubmed.read(stream, Report())
    assert [next(items)["PMID"], next(items)["PMID"]] == ["1", "2"]
    assert stream.produced < 20_000


def test_gzip_input(tmp_path):
    packed = tmp_path / "pubmed25n0001.xml.gz"
    packed.write_bytes(gzip.compress(XML.read_bytes()))
    plain = run_cli("convert", str(XML), "-t", "csl-json")
    result = run_cli("convert", str(packed), "-t", "csl-json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == plain.stdout


# --- bad input ---------------------------------------------------------------------------------


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


def test_medline_record_without_pmid_or_title(tmp_path):
    path = tmp_path / "odd.nbib"
    path.write_text(
        "PMID- 1\nTI  - Fine.\n\nAU  - Nobody N\nDP  - 2020\n\nPMID- 3\nTI  - Also fine.\n"
    )
    result = run_cli("convert", str(path), "-t", "csl-json", "--jsonl")
    assert result.exit_code == 1
    assert [json.loads(line)["PMID"] for line in result.stdout.splitlines()] == ["1", "3"]
    assert (
        f"{path}: line 4 (record 2): error: record has neither a PMID nor a title" in result.stderr
    )


def test_empty_and_binary_input(tmp_path):
    empty = tmp_path / "empty.nbib"
    empty.write_bytes(b"")
    result = run_cli("convert", str(empty), "-t", "csl-json")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{empty}: error: empty input: no records"
    binary = tmp_path / "blob.xml"
    binary.write_bytes(b"\x1f\x8b" + b"not really gzip" + bytes(range(256)))
    result = run_cli("convert", str(binary), "-f", "pubmed", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"refconv: error: {binary}: damaged gzip data")
    assert not (tmp_path / "out.json").exists()
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run_cli("convert", str(binary), "-f", "pubmed")
    assert result.exit_code == 2
    assert "binary data, not a text format refconv reads" in result.stderr
