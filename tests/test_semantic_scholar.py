"""The Semantic Scholar reader: every layout, every mapping rule, every kind of bad input."""

from __future__ import annotations

import gzip
import json

import pytest

from conftest import (
    EXAMPLES,
    GOLDEN,
    SEED,
    assert_golden,
    convert_on_one_and_two_workers,
    jsonl_with_failures,
    requires_shared,
    run_cli,
)
from refconv.converters import Report, convert, formats, read
from refconv.converters.core.numbering import normalise_pages
from refconv.converters.core.registry import default_registry
from refconv.converters.semantic_scholar import csl_type, paper_to_item, sniff

SAMPLES = EXAMPLES / "semantic-scholar"
SAMPLE_FILES = sorted(SAMPLES.iterdir())


def items_of(data, report: Report | None = None) -> list[dict]:
    return list(read(data, "semantic-scholar", report=report or Report()))


def by_title(items: list[dict], start: str) -> dict:
    [item] = [i for i in items if i.get("title", "").startswith(start)]
    return item


def paper(**fields) -> dict:
    return {"paperId": "0" * 40, "title": "A paper", **fields}


def reading_as(stderr: str, source: str) -> str | None:
    """The reader --verbose says it chose for ``source``."""
    for line in stderr.splitlines():
        if line.startswith(source + ":") and "reading as " in line:
            return line.rsplit("reading as ", 1)[1].strip()
    return None


# --- golden output for every sample ----------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_matches_golden_csl_json(path):
    result = run_cli("convert", str(path), "-t", "csl-json")
    # the batch response holds a null for an id S2 does not know: that record failed
    assert result.exit_code == (1 if path.name == "batch.json" else 0), result.stderr
    golden = GOLDEN / "semantic-scholar" / (path.name.split(".")[0] + ".json")
    assert_golden(golden, result.stdout)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_is_detected_without_from(path):
    result = run_cli("convert", str(path), "-t", "csl-json", "--verbose")
    assert reading_as(result.stderr, str(path)) == "semantic-scholar"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_is_detected_from_stdin(path):
    """No file name to go by: the content alone decides."""
    result = run_cli("convert", "-t", "csl-json", "--verbose", input=path.read_bytes())
    assert reading_as(result.stderr, "<stdin>") == "semantic-scholar"


# --- the single paper ------------------------------------------------------------------


def test_single_paper_fields():
    [item] = items_of(SAMPLES / "paper.json")
    assert item["id"] == "harris2020array"
    assert item["type"] == "article-journal"
    assert item["title"] == "Array programming with NumPy"
    assert len(item["author"]) == 26
    assert item["author"][0] == {"family": "Harris", "given": "Charles R."}
    assert item["author"][1] == {"family": "Millman", "given": "K. Jarrod"}
    assert item["author"][2] == {
        "family": "Walt",
        "given": "Stéfan J.",
        "non-dropping-particle": "van der",
    }
    assert item["author"][13] == {
        "family": "Kerkwijk",
        "given": "M.",
        "non-dropping-particle": "van",
    }
    assert item["author"][-1] == {"family": "Oliphant", "given": "T."}
    assert item["container-title"] == "Nature"
    # S2 packs volume and issue together: "585 7825"
    assert (item["volume"], item["issue"], item["page"]) == ("585", "7825", "357-362")
    assert item["issued"] == {"date-parts": [[2020, 6, 18]]}
    assert item["DOI"] == "10.1038/s41586-020-2649-2"
    assert item["PMID"] == "32939066"
    assert item["PMCID"] == "PMC7759461"
    assert item["ISSN"] == "0028-0836"
    assert "URL" not in item  # the DOI is the link; the S2 page is not the paper
    assert item["abstract"].startswith("Array programming provides")
    assert item["keyword"] == "Computer Science, Medicine, Mathematics"
    custom = item["custom"]
    assert custom["arxiv"] == "2006.10256"
    assert custom["citation-count"] == 12873
    assert custom["influential-citation-count"] == 611
    assert custom["reference-count"] == 62
    assert custom["fulltext-url"] == "https://www.nature.com/articles/s41586-020-2649-2.pdf"
    assert custom["open-access"] is True
    assert custom["license"] == "CCBY"
    assert custom["s2-paper-id"] == "fef6f5e18b71d9b9d9c2b1b4cf0b6e1a3d1c6c6a"
    assert custom["s2-corpus-id"] == 219792763
    assert custom["mag-id"] == "3086466624"
    assert custom["tldr"].startswith("How a few fundamental")


# --- the awkward records of the search response ----------------------------------------


@pytest.fixture(scope="module")
def search_items() -> list[dict]:
    report = Report()
    items = items_of(SAMPLES / "search.json", report)
    assert [d for d in report.collected if d.severity >= 20] == []
    return items


def test_search_response_yields_every_record(search_items):
    assert len(search_items) == 8


def test_retracted_article_is_marked(search_items):
    item = by_title(search_items, "RETRACTED: Ileal")
    assert item["status"] == "retracted"
    assert item["title"].startswith("RETRACTED: ")  # the title stays as published
    assert item["author"][0] == {"family": "Wakefield", "given": "A."}
    assert item["author"][-1] == {"family": "Walker-Smith", "given": "J."}
    assert (item["volume"], item["issue"], item["page"]) == ("351", "9103", "637-641")


def test_collective_author_and_more_than_fifty(search_items):
    item = by_title(search_items, "Observation of a new particle")
    assert len(item["author"]) == 62
    assert item["author"][0] == {"literal": "The ATLAS Collaboration"}
    assert item["author"][1] == {"family": "Aad", "given": "G."}
    assert {"family": "Åkesson", "given": "T."} in item["author"]
    assert "authors-truncated" not in item.get("custom", {})


def test_no_authors_and_one_page_range(search_items):
    item = by_title(search_items, "Announcement: Reducing")
    assert "author" not in item
    assert item["page"] == "398"  # "398 - 398"
    assert item["type"] == "article-journal"  # Editorial
    assert item["id"] == "2013announcement"


def test_missing_volume_and_article_number(search_items):
    item = by_title(search_items, "Long-term outcomes")
    assert "volume" not in item and "issue" not in item
    assert item["page"] == "e117"
    assert item["issued"] == {"date-parts": [[2024, 3, 8]]}


def test_non_ascii_names_and_particles(search_items):
    names = by_title(search_items, "Long-term outcomes")["author"]
    assert names == [
        {"family": "Kamiński", "given": "Łukasz"},
        {"family": "García-López", "given": "María José"},
        {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
        {"family": "An", "given": "Nguyễn Văn"},
        {"family": "Østergaard", "given": "Søren Kierkegaard"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
    ]


def test_cjk_title_and_names(search_items):
    item = by_title(search_items, "基于深度学习")
    assert item["author"] == [
        {"family": "张", "given": "伟"},
        {"family": "欧阳", "given": "娜"},
        {"family": "李", "given": "明"},
    ]
    assert item["container-title"] == "中华肝脏病杂志"
    assert (item["volume"], item["issue"]) == ("31", "5")


def test_ieee_early_access_placeholders_are_left_out(search_items):
    item = by_title(search_items, "Self-supervised depth")
    assert "volume" not in item and "issue" not in item and "page" not in item
    assert item["status"] == "advance online publication"
    assert item["issued"] == {"date-parts": [[2024, 4, 22]]}


def test_conference_paper_from_venue(search_items):
    item = by_title(search_items, "BERT")
    assert item["type"] == "paper-conference"
    assert item["container-title"] == (
        "North American Chapter of the Association for Computational Linguistics"
    )
    assert item["page"] == "4171-4186"
    assert item["custom"]["acl-id"] == "N19-1423"
    assert item["custom"]["dblp-key"] == "conf/naacl/DevlinCLT19"


def test_book_without_date_uses_year_and_s2_url(search_items):
    item = by_title(search_items, "Deep Learning")
    assert item["type"] == "book"
    assert item["issued"] == {"date-parts": [[2016]]}
    assert item["URL"].startswith("https://www.semanticscholar.org/paper/")
    assert "container-title" not in item  # venue ""


# --- batch, JSON Lines, bulk dataset ---------------------------------------------------


def test_batch_response_with_unknown_id():
    report = Report()
    items = items_of(SAMPLES / "batch.json", report)
    assert [i["id"] for i in items] == ["vaswani2017attention", "openai2023gpt"]
    [error] = report.collected
    assert error.record == 2 and error.message.startswith("null instead of a paper")
    attention, gpt4 = items
    # an arXiv listing ("ArXiv", "abs/1706.03762") is not a journal volume
    assert attention["type"] == "paper-conference"
    assert attention["container-title"] == "Neural Information Processing Systems"
    assert "volume" not in attention
    assert attention["URL"] == "https://arxiv.org/abs/1706.03762"
    # arXiv only: a preprint, as Zotero writes them in CSL-JSON
    assert gpt4["type"] == "article"
    assert (gpt4["publisher"], gpt4["number"]) == ("arXiv", "arXiv:2303.08774")
    assert "container-title" not in gpt4
    assert "fulltext-url" not in gpt4["custom"]  # openAccessPdf.url is ""


def test_batch_null_fails_that_record_only():
    result = run_cli("convert", str(SAMPLES / "batch.json"), "-t", "csl-json")
    assert result.exit_code == 1
    assert "batch.json: line 1 (record 2): error: null instead of a paper" in result.stderr
    assert len(json.loads(result.stdout)) == 2


def test_json_lines():
    items = items_of(SAMPLES / "papers.jsonl")
    assert [i["id"] for i in items] == [
        "wakefield1998retracted",
        "harris2020array",
        "vaswani2017attention",
    ]


def test_bulk_dataset_lines_use_lower_case_keys():
    items = items_of(SAMPLES / "bulk-papers.jsonl")
    japanese, editorial, bert = items
    assert japanese["author"] == [
        {"family": "加藤", "given": "智美"},
        {"family": "鈴木", "given": "康之"},
    ]
    assert japanese["issued"] == {"date-parts": [[2005]]}
    assert japanese["keyword"] == "Medicine"
    assert japanese["custom"]["s2-corpus-id"] == 211932277
    assert editorial["DOI"] == "10.1038/496398a"
    assert editorial["custom"]["citation-count"] == 96
    assert bert["type"] == "paper-conference"
    assert bert["issued"] == {"date-parts": [[2019, 6, 1]]}
    assert bert["custom"]["influential-citation-count"] == 19802


def test_gzip_bulk_file(tmp_path):
    path = tmp_path / "papers-part0.gz"
    path.write_bytes(gzip.compress((SAMPLES / "bulk-papers.jsonl").read_bytes()))
    result = run_cli("convert", str(path), "-t", "csl-json", "--jsonl")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_json_lines_stream_one_record_at_a_time():
    consumed = []

    def lines():
        for number in range(1, 100_001):
            consumed.append(number)
            yield json.dumps(paper(title=f"Paper {number}", year=2020)) + "\n"

    items = read(lines(), "semantic-scholar")
    first = next(items)
    assert first["title"] == "Paper 1"
    assert len(consumed) <= 3
    assert next(items)["title"] == "Paper 2"
    assert len(consumed) <= 4


def test_several_pages_written_one_after_another():
    page = {"total": 3, "offset": 0, "data": [paper(title="One"), paper(title="Two")]}
    more = {"data": [paper(title="Three")]}
    text = json.dumps(page, indent=2) + "\n" + json.dumps(more, indent=1)
    assert [i["title"] for i in items_of(text)] == ["One", "Two", "Three"]


def test_citations_and_references_responses_are_unwrapped():
    response = {
        "offset": 0,
        "data": [
            {"isInfluential": True, "contexts": ["..."], "citingPaper": paper(title="Citing")},
            {"intents": [], "citedPaper": paper(title="Cited")},
        ],
    }
    assert [i["title"] for i in items_of(json.dumps(response, indent=2))] == ["Citing", "Cited"]


def test_recommendations_response():
    response = {"recommendedPapers": [paper(title="Recommended")]}
    assert [i["title"] for i in items_of(json.dumps(response))] == ["Recommended"]


# --- mapping rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("types", "venue_type", "container", "preprint", "expected"),
    [
        (["JournalArticle"], None, True, False, "article-journal"),
        (["Review", "JournalArticle"], "journal", True, False, "article-journal"),
        (["JournalArticle", "Conference"], "conference", True, False, "paper-conference"),
        (["JournalArticle", "Conference"], "journal", True, False, "article-journal"),
        (["BookSection"], None, True, False, "chapter"),
        (["Book"], None, False, False, "book"),
        (["Book", "JournalArticle"], None, True, False, "article-journal"),
        (["Dataset"], None, False, False, "dataset"),
        (["News"], None, True, False, "article-newspaper"),
        (["LettersAndComments"], None, True, False, "article-journal"),
        (["JournalArticle"], None, False, True, "article"),
        (["Conference"], None, False, True, "paper-conference"),
        ([], "conference", True, False, "paper-conference"),
        ([], None, True, False, "article-journal"),
        ([], None, False, False, "document"),
    ],
)
def test_csl_type(types, venue_type, container, preprint, expected):
    assert csl_type(types, venue_type, container, preprint) == expected


def test_volume_forms():
    def volume(text):
        item = paper_to_item(paper(journal={"name": "J", "volume": text}))
        return item.get("volume"), item.get("issue")

    assert volume("92 5") == ("92", "5")
    assert volume("92") == ("92", None)
    assert volume("21 Suppl 1") == ("21 Suppl 1", None)  # a volume supplement, number kept
    assert volume("abs/2303.08774") == (None, None)


def test_one_page_range_helper():
    assert normalise_pages("398 - 398") == "398"
    assert normalise_pages("398 - 399") == "398-399"


def test_names_with_initials_are_given_names():
    item = paper_to_item(paper(authors=[{"name": "A. Wakefield"}, {"name": "K. Jarrod Millman"}]))
    assert item["author"] == [
        {"family": "Wakefield", "given": "A."},
        {"family": "Millman", "given": "K. Jarrod"},
    ]


def test_author_without_name_is_left_out_with_a_warning():
    report = Report()
    item = paper_to_item(
        paper(authors=[{"authorId": "1", "name": "Ada Lovelace"}, {"authorId": "2", "name": ""}]),
        report,
        record=4,
    )
    assert item["author"] == [{"family": "Lovelace", "given": "Ada"}]
    [warning] = report.collected
    assert warning.message == "author 2 has no name; left out" and warning.record == 4


def test_ids_are_cleaned():
    item = paper_to_item(
        paper(
            externalIds={
                "DOI": "https://doi.org/10.1000/XYZ.1",
                "PubMed": "123",
                "PubMedCentral": "PMC456",
            }
        )
    )
    assert (item["DOI"], item["PMID"], item["PMCID"]) == ("10.1000/XYZ.1", "123", "PMC456")


def test_bad_doi_is_kept_in_custom_with_a_warning():
    report = Report()
    item = paper_to_item(paper(externalIds={"DOI": "not-a-doi"}), report)
    assert "DOI" not in item and item["custom"]["doi-unparsed"] == "not-a-doi"
    assert "is not a DOI" in report.collected[0].message


def test_html_in_abstract_becomes_plain_text_with_paragraphs():
    item = paper_to_item(paper(abstract="<p>First &amp; one.</p><p>Second.</p>"))
    assert item["abstract"] == "First & one.\n\nSecond."


def test_title_keeps_rich_text_and_loses_the_final_period():
    item = paper_to_item(paper(title="Growth of <i>E. coli</i> in H<sub>2</sub>O."))
    assert item["title"] == "Growth of <i>E. coli</i> in H<sub>2</sub>O"


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"authors": "Ada Lovelace"}, "field 'authors' must be an array, not a string"),
        ({"journal": ["Nature"]}, "field 'journal' must be an object, not an array"),
        ({"title": {"en": "x"}}, "field 'title' must be text, not an object"),
        ({"authors": [42]}, "author 1 must be an object, not a number"),
        ({"externalIds": "10.1/x"}, "field 'externalIds' must be an object, not a string"),
    ],
)
def test_wrong_types_fail_the_record_only(fields, message):
    records = [paper(title="Good one"), paper(**fields), paper(title="Good two")]
    report = Report()
    items = items_of("\n".join(json.dumps(r) for r in records), report)
    assert [i["title"] for i in items] == ["Good one", "Good two"]
    [error] = report.collected
    assert (error.message, error.line, error.record) == (message, 2, 2)


def test_wrong_type_cli_message_names_file_and_record(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(paper()) + "\n" + json.dumps(paper(journal=[])) + "\n")
    result = run_cli("convert", str(path), "-t", "csl-json")
    assert result.exit_code == 1
    assert (
        f"{path}: line 2 (record 2): error: field 'journal' must be an object, not an array"
        in result.stderr.splitlines()
    )
    assert len(json.loads(result.stdout)) == 1


def test_truncated_response_keeps_the_records_before_the_cut(tmp_path):
    text = (SAMPLES / "search.json").read_text(encoding="utf-8")
    cut = text.index('"title": "BERT')  # inside the 7th record
    path = tmp_path / "search.json"
    path.write_text(text[:cut], encoding="utf-8")
    result = run_cli("convert", str(path), "-t", "csl-json")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}: line ")
    assert "(record 7): error: truncated JSON: the input ends inside a record" in errors[0]
    assert len(json.loads(result.stdout)) == 6


def test_truncated_json_lines_keep_the_lines_before(tmp_path):
    text = (SAMPLES / "papers.jsonl").read_text(encoding="utf-8")
    path = tmp_path / "papers.jsonl"
    path.write_text(text[: len(text) - 200], encoding="utf-8")
    result = run_cli("convert", str(path), "-t", "csl-json", "-f", "s2")
    assert result.exit_code == 1
    assert f"{path}: line 3 (record 3): error: truncated JSON" in result.stderr
    assert len(json.loads(result.stdout)) == 2


def test_damaged_json_names_line_and_column():
    report = Report()
    text = '{\n  "data": [\n    {"paperId": "1", "title": "A"},\n    {"title" "B"}\n]}'
    items = items_of(text, report)
    assert [i["title"] for i in items] == ["A"]
    [error] = report.collected
    assert error.record == 2 and error.line == 4
    assert error.message.startswith("invalid JSON: expecting ':' delimiter (column 14)")


def test_not_a_paper_object():
    report = Report()
    assert items_of('[{"name": "Ada", "affiliations": []}, 7]', report) == []
    first, second = report.collected
    assert first.message == "not a Semantic Scholar paper (its keys: affiliations, name)"
    assert second.message == "expected a paper object, got a number"


def test_api_error_response_is_explained():
    result = run_cli(
        "convert", "-f", "semantic-scholar", "-t", "csl-json",
        input='{"message": "Too Many Requests. Please wait and try again or apply for a key"}',
    )  # fmt: skip
    assert result.exit_code == 1
    assert "the input is an API error response, not papers: Too Many Requests." in result.stderr


def test_empty_input(tmp_path):
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    result = run_cli("convert", str(path), "-f", "semantic-scholar", "-t", "csl-json")
    assert result.exit_code == 1
    assert f"{path}: error: empty input: no records" in result.stderr
    detected = run_cli("convert", str(path), "-t", "csl-json")
    assert detected.exit_code != 0
    assert f"{path}: error: empty input" in detected.stderr


def test_empty_search_result_has_no_records():
    result = run_cli(
        "convert", "-f", "s2", "-t", "csl-json", input='{"total": 0, "offset": 0, "data": []}'
    )
    assert result.exit_code == 1
    assert "no records found" in result.stderr
    assert result.stdout == "[]\n"


def test_binary_input(tmp_path):
    path = tmp_path / "paper.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run_cli("convert", str(path), "-f", "semantic-scholar", "-t", "csl-json")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert str(path) in line and "binary" in line


# --- detection -------------------------------------------------------------------------


def other_samples() -> list:
    """Samples of every other reader that exists in examples/."""
    paths = [SEED, EXAMPLES / "records.json", EXAMPLES / "records.jsonl"]
    for folder in ("openalex", "crossref", "pubmed", "csl-json"):
        if (EXAMPLES / folder).is_dir():
            paths += sorted((EXAMPLES / folder).iterdir())
    paths.append(GOLDEN / "semantic-scholar" / "search.json")  # our own CSL-JSON output
    return [p for p in paths if p.is_file()]


@pytest.mark.parametrize("path", other_samples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_other_formats_are_never_taken_for_semantic_scholar(path):
    head = path.read_text(encoding="utf-8")[: 64 * 1024]
    chosen = default_registry().detect(head)
    assert chosen is not None and chosen.name != "semantic-scholar"
    assert sniff(head) < 0.5


def test_paper_record_built_from_s2_data_stays_a_paper_record():
    """Aggregator records carry S2 fields (publicationTypes, openAccessPdf) and paperid."""
    head = SEED.read_text(encoding="utf-8")
    assert default_registry().detect(head).name == "paper-record"
    hybrid = json.dumps({**json.loads(head.splitlines()[0]), "externalIds": {}})
    assert default_registry().detect(hybrid).name == "paper-record"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_samples_win_over_every_other_reader(path):
    head = path.read_text(encoding="utf-8")[: 64 * 1024]
    mine = sniff(head)
    assert mine >= 0.7
    for info in default_registry().all():
        if info.can_read and info.name != "semantic-scholar":
            other = getattr(info.load(), "sniff", None)
            if other is not None:
                assert other(head) < mine, info.name


# --- onward conversion -----------------------------------------------------------------


def writers() -> list[str]:
    return [info.name for info in formats() if info.can_write]


@pytest.mark.parametrize("writer", writers())
def test_every_sample_converts_onward_through_every_writer(writer):
    for path in SAMPLE_FILES:
        report = Report()
        text = convert(path.read_bytes(), to=writer, report=report)
        assert text.strip(), f"{path.name} → {writer} wrote nothing"
        errors = [
            d
            for d in report.collected
            if d.severity >= 30 and not d.message.startswith("null instead of a paper")
        ]
        assert errors == [], f"{path.name} → {writer}: {errors}"


@requires_shared
def test_csl_json_output_is_schema_valid():
    import jsonschema

    from conftest import SHARED

    schema = json.loads((SHARED / "reference" / "csl-data.json").read_text(encoding="utf-8"))
    for path in SAMPLE_FILES:
        data = json.loads(convert(path.read_bytes(), to="csl-json"))
        jsonschema.validate(data, schema)


# --- reading on several processes ------------------------------------------------------


def test_workers_do_not_change_output_or_messages(tmp_path):
    lines = (SAMPLES / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    lines += (SAMPLES / "bulk-papers.jsonl").read_text(encoding="utf-8").splitlines()
    batch = (SAMPLES / "batch.json").read_text(encoding="utf-8").strip()  # 3 records, a null
    broken = json.dumps(paper(authors="broken"))
    path = jsonl_with_failures(tmp_path / "big.jsonl", lines, broken, special=batch)
    exit_code, output, errors = convert_on_one_and_two_workers(path)
    assert exit_code == 1
    assert len(output) == 2600 - 3 + 1
    assert errors == [
        f"{path}: line 6 (record 6)",
        f"{path}: line 1201 (record 1202)",
        f"{path}: line 1501 (record 1503)",
        f"{path}: line 2600 (record 2602)",
    ]
