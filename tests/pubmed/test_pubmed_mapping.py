"""PubMed records → CSL: every mapping rule, on the samples (both exports) and on small records."""

from __future__ import annotations

import pytest
from pubmed_support import (
    SAMPLES,
    XML,
    article,
    article_set,
    by_pmid,
    items_of,
    notes,
    problems,
)

from refconv.converters import Report, read
from refconv.converters.core.numbering import expand_page_ranges


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
