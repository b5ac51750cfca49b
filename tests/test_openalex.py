"""The OpenAlex reader: every layout, every mapping rule, every kind of bad input."""

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
from refconv.converters.core.registry import default_registry
from refconv.converters.openalex import (
    RecordError,
    csl_type,
    rebuild_abstract,
    sniff,
    work_to_item,
)

SAMPLES = EXAMPLES / "openalex"
SAMPLE_FILES = sorted(SAMPLES.iterdir())


def items_of(data, report: Report | None = None) -> list[dict]:
    return list(read(data, "openalex", report=report or Report()))


def by_title(items: list[dict], start: str) -> dict:
    [item] = [i for i in items if i.get("title", "").startswith(start)]
    return item


def work(**fields) -> dict:
    return {"id": "https://openalex.org/W1", "title": "A work", **fields}


def inverted(text: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(text.split()):
        index.setdefault(word, []).append(position)
    return index


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
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / "openalex" / (path.name.split(".")[0] + ".json")
    assert_golden(golden, result.stdout)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_is_detected_without_from(path):
    result = run_cli("convert", str(path), "-t", "csl-json", "--verbose")
    assert reading_as(result.stderr, str(path)) == "openalex"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_is_detected_from_stdin(path):
    result = run_cli("convert", "-t", "csl-json", "--verbose", input=path.read_bytes())
    assert reading_as(result.stderr, "<stdin>") == "openalex"


# --- the single work -------------------------------------------------------------------


def test_single_work_fields():
    report = Report(keep_info=True)
    [item] = items_of(SAMPLES / "work.json", report)
    assert item["id"] == "piwowar2018state"
    assert item["type"] == "article-journal"
    assert item["title"].startswith("The state of OA: a large-scale analysis")
    assert len(item["author"]) == 9
    assert item["author"][2] == {"family": "Larivière", "given": "Vincent"}
    assert item["author"][3] == {"family": "Alperin", "given": "Juan Pablo"}
    assert item["container-title"] == "PeerJ"
    assert item["publisher"] == "PeerJ, Inc."
    assert item["ISSN"] == "2167-8359"
    # an article number: first_page == last_page
    assert (item["volume"], item["page"]) == ("6", "e4375")
    assert "issue" not in item
    assert item["issued"] == {"date-parts": [[2018, 2, 13]]}
    assert item["DOI"] == "10.7717/peerj.4375"
    assert item["PMID"] == "29456894"
    assert item["PMCID"] == "PMC5815332"  # OpenAlex's pmcid link has no "PMC"
    assert "URL" not in item  # the landing page is the DOI link
    assert item["language"] == "en"
    assert item["keyword"] == "Open access, Citation advantage"
    # the inverted index rebuilt, without the "Abstract" heading Crossref's JATS left in
    assert item["abstract"].startswith("Despite growing interest in Open Access (OA) to")
    assert item["abstract"].endswith("at least 28% of the scholarly literature is OA.")
    custom = item["custom"]
    assert custom["openalex-id"] == "W2741809807"
    assert custom["mag-id"] == "2741809807"
    assert custom["citation-count"] == 1053
    assert custom["fulltext-url"] == "https://peerj.com/articles/4375.pdf"
    assert custom["open-access"] is True
    assert custom["license"] == "cc-by"
    assert [d.message for d in report.collected if d.record is not None] == [
        "the heading 'Abstract' at the start of the abstract left out"
    ]


# --- the awkward works of the results page ---------------------------------------------


@pytest.fixture(scope="module")
def page_items() -> list[dict]:
    return items_of(SAMPLES / "works-page.json")


def test_results_page_yields_every_work(page_items):
    assert len(page_items) == 7


def test_retracted_work(page_items):
    item = by_title(page_items, "RETRACTED: Ileal")
    assert item["status"] == "retracted"
    assert item["author"][0] == {"family": "Wakefield", "given": "Andrew J."}
    assert item["author"][3] == {"family": "Linnell", "given": "J"}
    # a MeSH term holds a comma, so keywords are joined with "; "
    assert item["keyword"] == "Humans; Colitis; Child Development Disorders, Pervasive"
    assert item["ISSN"] == "0140-6736, 1474-547X"


def test_truncated_author_list_is_flagged():
    report = Report()
    items = items_of(SAMPLES / "works-page.json", report)
    item = by_title(items, "Observation of a new particle")
    assert len(item["author"]) == 100
    assert item["author"][0] == {"literal": "ATLAS Collaboration"}
    assert item["custom"]["authors-truncated"] is True
    [warning] = [d for d in report.collected if d.severity == 20]
    assert warning.record == 2
    assert warning.message.startswith("OpenAlex lists only the first 100 authors")
    # the DOI's landing page is not a full-text link
    assert "fulltext-url" not in item["custom"]


def test_paratext_without_authors(page_items):
    item = by_title(page_items, "Front Matter")
    assert "author" not in item
    assert item["type"] == "document"
    assert (item["volume"], item["issue"]) == ("615", "7951")
    assert "page" not in item


def test_preprint_in_a_repository(page_items):
    item = by_title(page_items, "Quantum error correction")
    assert item["type"] == "article"
    assert "container-title" not in item
    assert item["publisher"] == "arXiv (Cornell University)"
    assert item["title"].endswith("a <i>practical</i> guide")
    assert item["author"] == [
        {"family": "Kamiński", "given": "Łukasz"},
        {"family": "García-López", "given": "María José"},
        {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
        {"family": "张", "given": "伟"},
    ]
    assert item["custom"]["fulltext-url"] == "http://arxiv.org/pdf/2401.01234"


def test_chapter_in_a_book_series(page_items):
    item = by_title(page_items, "Verifying concurrent programs")
    assert item["type"] == "chapter"
    assert item["collection-title"] == "Lecture notes in computer science"
    assert item["collection-number"] == "12651"
    assert "volume" not in item and "container-title" not in item
    assert item["page"] == "45-67"
    assert item["author"][0] == {"family": "O'Hearn", "given": "Peter W."}
    assert item["author"][1] == {
        "family": "Brink",
        "given": "Ludwig",
        "non-dropping-particle": "van den",
    }


def test_dissertation_names_the_university(page_items):
    item = by_title(page_items, "Essays on the economics")
    assert item["type"] == "thesis"
    assert item["publisher"] == "Massachusetts Institute of Technology"
    assert item["URL"] == "https://dspace.mit.edu/handle/1721.1/144912"  # no DOI
    assert "DOI" not in item


def test_online_first_without_volume(page_items):
    item = by_title(page_items, "Neoadjuvant immunotherapy")
    assert "volume" not in item and "issue" not in item and "page" not in item
    assert item["issued"] == {"date-parts": [[2024, 3, 14]]}
    assert item["abstract"].startswith("PURPOSE To report")


# --- snapshot lines --------------------------------------------------------------------


def test_snapshot_lines_including_a_pre_2023_work():
    items = items_of(SAMPLES / "works-snapshot.jsonl")
    assert [i["id"] for i in items] == [
        "piwowar2018state",
        "wakefield1998retracted",
        "kucsko2013nanometre",
        "kaminski2024quantum",
    ]
    legacy = items[2]
    assert legacy["container-title"] == "Nature"
    assert legacy["publisher"] == "Springer Nature"
    assert (legacy["volume"], legacy["issue"], legacy["page"]) == ("500", "7460", "54-58")
    assert legacy["type"] == "article-journal"  # "journal-article", the old Crossref type
    assert legacy["PMCID"] == "PMC4221854"
    assert legacy["abstract"] == (
        "Sensitive probing of temperature variations on nanometre scales is an outstanding "
        "challenge."
    )  # Microsoft Academic's {"IndexLength", "InvertedIndex"} form
    assert legacy["custom"]["mag-id"] == "2100837269"


def test_gzip_snapshot_part_without_extension(tmp_path):
    path = tmp_path / "part_000.gz"
    path.write_bytes(gzip.compress((SAMPLES / "works-snapshot.jsonl").read_bytes()))
    result = run_cli("convert", str(path), "-t", "csl-json", "--jsonl", "--verbose")
    assert result.exit_code == 0, result.stderr
    assert "reading as openalex" in result.stderr
    assert len(result.stdout.splitlines()) == 4


def test_json_lines_stream_one_record_at_a_time():
    consumed = []

    def lines():
        for number in range(1, 100_001):
            consumed.append(number)
            yield json.dumps(work(title=f"Work {number}", publication_year=2020)) + "\n"

    items = read(lines(), "openalex")
    assert next(items)["title"] == "Work 1"
    assert len(consumed) <= 3
    assert next(items)["title"] == "Work 2"
    assert len(consumed) <= 4


def test_pages_of_results_one_after_another_and_as_lines():
    pages = [{"meta": {"count": 3}, "results": [work(title="One"), work(title="Two")]}]
    pages.append({"meta": {"count": 3}, "results": [work(title="Three")]})
    pretty = "\n".join(json.dumps(p, indent=2) for p in pages)
    lines = "\n".join(json.dumps(p) for p in pages)
    assert [i["title"] for i in items_of(pretty)] == ["One", "Two", "Three"]
    assert [i["title"] for i in items_of(lines)] == ["One", "Two", "Three"]


# --- mapping rules ---------------------------------------------------------------------


def test_rebuild_abstract():
    text = "The cat sat on the mat . The end"
    assert rebuild_abstract(inverted(text)) == text
    assert rebuild_abstract({"b": [2], "a": [0]}) == "a b"  # a gap is closed
    assert rebuild_abstract(json.dumps(inverted("as a string"))) == "as a string"
    assert rebuild_abstract({"IndexLength": 2, "InvertedIndex": {"x": [1], "y": [0]}}) == "y x"
    assert rebuild_abstract({}) is None
    assert rebuild_abstract(None) is None
    assert rebuild_abstract({"<p>Hello": [0], "world</p>": [1]}) == "Hello world"


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ([1, 2], "abstract_inverted_index must be an object, not an array"),
        (
            {"word": 3},
            "abstract_inverted_index: positions of 'word' must be an array, not a number",
        ),
        ({"word": [-1]}, "abstract_inverted_index: position -1 of 'word' is not a whole number"),
        ({"word": ["0"]}, "abstract_inverted_index: position '0' of 'word' is not a whole number"),
        ("{not json", "abstract_inverted_index is text that is not JSON"),
    ],
)
def test_broken_inverted_index(index, message):
    with pytest.raises(RecordError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        rebuild_abstract(index)


def test_huge_positions_do_not_allocate():
    assert rebuild_abstract({"far": [10**12], "near": [0]}) == "near far"


@pytest.mark.parametrize(
    ("work_type", "crossref", "source", "expected"),
    [
        ("article", "journal-article", "journal", "article-journal"),
        ("article", "proceedings-article", "conference", "paper-conference"),
        ("article", "journal-article", "conference", "paper-conference"),
        ("article", "posted-content", "repository", "article"),
        ("preprint", "posted-content", "repository", "article"),
        ("review", "journal-article", "journal", "article-journal"),
        ("book", "monograph", None, "book"),
        ("book-chapter", "book-chapter", "book series", "chapter"),
        ("dissertation", "dissertation", "repository", "thesis"),
        ("dataset", "dataset", "repository", "dataset"),
        ("reference-entry", "reference-entry", None, "entry-encyclopedia"),
        ("peer-review", "peer-review", None, "review"),
        ("book-review", None, "journal", "review-book"),
        ("standard", "standard", None, "standard"),
        ("report", "report", None, "report"),
        ("paratext", "other", "journal", "document"),
        ("libguides", None, None, "webpage"),
        ("retraction", "journal-article", "journal", "article-journal"),
        ("journal-article", None, "journal", "article-journal"),
        ("proceedings-article", None, None, "paper-conference"),
        ("something-new", None, None, "document"),
        (None, "book-chapter", None, "chapter"),
        (None, None, "journal", "article-journal"),
        (None, None, None, "document"),
    ],
)
def test_csl_type(work_type, crossref, source, expected):
    assert csl_type(work_type, crossref, source) == expected


def test_unknown_type_is_explained():
    report = Report(keep_info=True)
    item = work_to_item(work(type="hologram"), report)
    assert item["type"] == "document"
    [note] = [d for d in report.collected if "hologram" in d.message]
    assert note.message == "work type 'hologram' not known; typed as document"


def test_raw_author_name_when_there_is_no_display_name():
    report = Report()
    authorships = [
        {"author": {"id": None, "display_name": None}, "raw_author_name": "Jane Q. Public"},
        {"author": {}, "raw_author_name": ""},
    ]
    item = work_to_item(work(authorships=authorships), report, record=3)
    assert item["author"] == [{"family": "Public", "given": "Jane Q."}]
    [warning] = report.collected
    assert (warning.message, warning.record) == ("author 2 has no name; left out", 3)


def test_publication_year_when_there_is_no_date():
    item = work_to_item(work(publication_year=1998, publication_date=None))
    assert item["issued"] == {"date-parts": [[1998]]}


def test_page_range_from_first_and_last_page():
    def pages(first, last):
        return work_to_item(work(biblio={"first_page": first, "last_page": last})).get("page")

    assert pages("100", "110") == "100-110"
    assert pages("100", None) == "100"
    assert pages("e0123", "e0123") == "e0123"
    assert pages(None, None) is None


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"authorships": "Ada Lovelace"}, "field 'authorships' must be an array, not a string"),
        ({"authorships": [7]}, "authorship 1 must be an object, not a number"),
        ({"biblio": ["6", "e4375"]}, "field 'biblio' must be an object, not an array"),
        ({"title": ["A"]}, "field 'title' must be text, not an array"),
        ({"primary_location": "PeerJ"}, "field 'primary_location' must be an object, not a string"),
        (
            {"abstract_inverted_index": [1]},
            "abstract_inverted_index must be an object, not an array",
        ),
    ],
)
def test_wrong_types_fail_the_record_only(fields, message):
    records = [work(title="Good one"), work(**fields), work(title="Good two")]
    report = Report()
    items = items_of("\n".join(json.dumps(r) for r in records), report)
    assert [i["title"] for i in items] == ["Good one", "Good two"]
    [error] = report.collected
    assert (error.message, error.line, error.record) == (message, 2, 2)


def test_other_openalex_entities_are_refused():
    report = Report()
    author = {"id": "https://openalex.org/A5023888391", "display_name": "Jason Priem"}
    assert items_of(json.dumps({"results": [author]}), report) == []
    assert report.collected[0].message == "A5023888391 is an OpenAlex author, not a work"


def test_api_error_response_is_explained():
    result = run_cli(
        "convert", "-f", "openalex", "-t", "csl-json",
        input='{"error": "Invalid query parameters error.", "message": "page is too high"}',
    )  # fmt: skip
    assert result.exit_code == 1
    assert "the input is an API error response, not works: page is too high" in result.stderr


def test_truncated_page_keeps_the_works_before_the_cut(tmp_path):
    text = (SAMPLES / "works-page.json").read_text(encoding="utf-8")
    cut = text.index('"title": "Essays on the economics')  # inside the 6th work
    path = tmp_path / "page.json"
    path.write_text(text[:cut], encoding="utf-8")
    result = run_cli("convert", str(path), "-t", "csl-json")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1
    assert "(record 6): error: truncated JSON: the input ends inside a record" in errors[0]
    assert errors[0].startswith(f"{path}: line ")
    assert len(json.loads(result.stdout)) == 5


def test_damaged_snapshot_line(tmp_path):
    lines = (SAMPLES / "works-snapshot.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][:300] + "\x7f" + lines[1][300:].replace('"', "", 1)
    path = tmp_path / "part_001"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("convert", str(path), "-f", "openalex", "-t", "csl-json")
    assert result.exit_code == 1
    [error] = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert error.startswith(f"{path}: line 2 (record 2): error: invalid JSON")
    assert len(json.loads(result.stdout)) == 3


def test_empty_and_binary_input(tmp_path):
    empty = tmp_path / "works.json"
    empty.write_bytes(b"\n\n")
    result = run_cli("convert", str(empty), "-f", "openalex", "-t", "csl-json")
    assert result.exit_code == 1
    assert "empty input: no records" in result.stderr
    binary = tmp_path / "works.jsonl"
    binary.write_bytes(gzip.compress(b"x")[:10] + b"\x00" * 20)
    result = run_cli("convert", str(binary), "-f", "openalex", "-t", "csl-json")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert str(binary) in line


# --- detection -------------------------------------------------------------------------


def other_samples() -> list:
    paths = [SEED, EXAMPLES / "records.json", EXAMPLES / "records.jsonl"]
    for folder in ("semantic-scholar", "crossref", "pubmed", "csl-json"):
        if (EXAMPLES / folder).is_dir():
            paths += sorted((EXAMPLES / folder).iterdir())
    paths.append(GOLDEN / "openalex" / "works-page.json")  # our own CSL-JSON output
    return [p for p in paths if p.is_file()]


@pytest.mark.parametrize("path", other_samples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_other_formats_are_never_taken_for_openalex(path):
    head = path.read_text(encoding="utf-8")[: 64 * 1024]
    chosen = default_registry().detect(head)
    assert chosen is not None and chosen.name != "openalex"
    assert sniff(head) < 0.5


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_samples_win_over_every_other_reader(path):
    head = path.read_text(encoding="utf-8")[: 64 * 1024]
    mine = sniff(head)
    assert mine >= 0.9
    for info in default_registry().all():
        if info.can_read and info.name != "openalex":
            other = getattr(info.load(), "sniff", None)
            if other is not None:
                assert other(head) < mine, info.name


def test_a_work_with_few_fields_is_still_recognised():
    head = json.dumps({"id": "https://openalex.org/W2741809807", "display_name": "x"})
    assert default_registry().detect(head).name == "openalex"


# --- onward conversion -----------------------------------------------------------------


def writers() -> list[str]:
    return [info.name for info in formats() if info.can_write]


@pytest.mark.parametrize("writer", writers())
def test_every_sample_converts_onward_through_every_writer(writer):
    for path in SAMPLE_FILES:
        report = Report()
        text = convert(path.read_bytes(), to=writer, report=report)
        assert text.strip(), f"{path.name} → {writer} wrote nothing"
        errors = [d for d in report.collected if d.severity >= 30]
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
    lines = (SAMPLES / "works-snapshot.jsonl").read_text(encoding="utf-8").splitlines()
    page = json.dumps(json.loads((SAMPLES / "works-page.json").read_text(encoding="utf-8")))
    broken = json.dumps(work(biblio=[]))
    # line 1201: a whole results page on one line, 7 records
    path = jsonl_with_failures(tmp_path / "part_000", lines, broken, special=page)
    exit_code, output, errors = convert_on_one_and_two_workers(path)
    assert exit_code == 1
    assert len(output) == 2600 - 3 - 1 + 7
    assert errors == [
        f"{path}: line 6 (record 6)",
        f"{path}: line 1501 (record 1507)",
        f"{path}: line 2600 (record 2606)",
    ]
