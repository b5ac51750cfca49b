"""The Crossref reader: every input shape, every mapping rule, bad input, detection."""

from __future__ import annotations

import gzip
import io
import json

import pytest

from conftest import (
    EXAMPLES,
    GOLDEN,
    SHARED,
    assert_golden,
    convert_on_one_and_two_workers,
    jsonl_with_failures,
    requires_shared,
    run_cli,
)
from refconv.converters import Report, Severity, read
from refconv.converters.core.mathml import flatten_mathml
from refconv.converters.core.pipeline import open_source
from refconv.converters.core.registry import default_registry
from refconv.converters.crossref import csl_type, sniff, work_to_item

SAMPLES = EXAMPLES / "crossref"
SAMPLE_COUNTS = {"work.json": 1, "works.json": 12, "works.jsonl": 4, "csl.json": 1}


def item_of(work: dict, report: Report | None = None) -> dict:
    return work_to_item({"DOI": "10.1234/x", "type": "journal-article", **work}, report)


def items_of(text: str | bytes, report: Report | None = None) -> list[dict]:
    return list(read(text, "crossref", report=report or Report()))


def problems(report: Report, severity: Severity = Severity.WARNING) -> list[str]:
    return [d.message for d in report.collected if d.severity >= severity]


def notes(report: Report) -> list[str]:
    return [d.message for d in report.collected if d.severity == Severity.INFO]


def envelope(*works: dict) -> str:
    return json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": works}})


# --- the samples ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_sample_matches_golden_csl_json(name):
    result = run_cli("convert", str(SAMPLES / name), "-f", "crossref", "-t", "csl-json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)) == SAMPLE_COUNTS[name]
    assert_golden(GOLDEN / "crossref" / f"{name.replace('.', '-')}.json", result.stdout)


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_sample_is_detected_without_format(name):
    named = run_cli("convert", str(SAMPLES / name), "-f", "crossref", "-t", "csl-json")
    detected = run_cli("convert", str(SAMPLES / name), "-t", "csl-json", "--verbose")
    assert detected.exit_code == 0, detected.stderr
    assert "reading as crossref" in detected.stderr
    assert detected.stdout == named.stdout
    piped = run_cli("convert", "-t", "csl-json", input=(SAMPLES / name).read_bytes())
    assert piped.stdout == named.stdout


def _head(path) -> str:
    with open(path, "rb") as handle:
        return open_source(handle, str(path), str(path)).head


def test_detection_against_every_reader_and_every_sample():
    """Each Crossref sample goes to crossref; no other example (paper records, CSL-JSON,
    Semantic Scholar, OpenAlex, PubMed, ...) is claimed by the Crossref sniffer."""
    registry = default_registry()
    readers = [info for info in registry.all() if info.can_read]
    for path in sorted(p for p in EXAMPLES.rglob("*") if p.is_file()):
        head = _head(path)
        scores = {
            info.name: float(getattr(info.load(), "sniff", lambda h: 0.0)(head)) for info in readers
        }
        if path.parent == SAMPLES:
            others = max(v for k, v in scores.items() if k != "crossref")
            assert scores["crossref"] > others, (path.name, scores)
            assert registry.detect(head).name == "crossref"
            assert registry.detect(head, str(path)).name == "crossref"
        else:
            assert scores["crossref"] == 0.0, (path, scores)


def test_sniff_leaves_other_json_alone():
    assert sniff('{"paperId": "abc", "externalIds": {"DOI": "10.1/x"}, "title": "T"}') == 0.0
    openalex = '{"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1/x", '
    openalex += '"display_name": "T", "authorships": [], "primary_location": {}}'
    assert sniff(openalex) == 0.0
    assert (
        sniff('[{"id": "a", "type": "article-journal", "issued": {"date-parts": [[2020]]}}]') == 0.0
    )
    assert sniff('{"title": "T", "PeriodicalIF": 2.1, "PeriodicalName": "J"}') == 0.0
    assert sniff("TY  - JOUR\nER  - \n") == 0.0
    # refconv's own CSL-JSON of a Crossref work keeps none of the Crossref-only keys
    ours = run_cli("convert", str(SAMPLES / "works.json"), "-t", "csl-json")
    assert sniff(ours.stdout) == 0.0


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


# --- input shapes ------------------------------------------------------------------------


def test_single_work_response():
    [item] = items_of((SAMPLES / "work.json").read_bytes())
    assert item["DOI"] == "10.1038/s41559-021-01485-1"


def test_work_list_bare_work_array_and_public_data_file_shapes():
    work = {"DOI": "10.1234/a", "type": "journal-article", "title": ["A"]}
    other = {"DOI": "10.1234/b", "type": "journal-article", "title": ["B"]}
    for text in (
        envelope(work, other),
        json.dumps([work, other]),
        json.dumps({"items": [work, other]}),
        json.dumps(work) + "\n" + json.dumps(other) + "\n",
        json.dumps({"status": "ok", "message-type": "work", "message": work})
        + "\n"
        + json.dumps(other),
    ):
        assert [i["title"] for i in items_of(text)] == ["A", "B"], text[:60]


def test_pretty_printed_list_with_records_numbered_by_line():
    text = json.dumps(json.loads(envelope({"DOI": "10.1234/a", "title": ["A"]}, 7)), indent=2)
    report = Report()
    assert [i["title"] for i in items_of(text, report)] == ["A"]
    [error] = [d for d in report.collected if d.severity >= Severity.WARNING]
    assert error.record == 2
    assert error.line is not None and error.line > 5
    assert error.message == "expected a Crossref work object, got a number"


def test_json_lines_stream_one_line_at_a_time():
    """The first item is ready after the first line: the rest is not read ahead."""
    consumed = 0

    def lines():
        nonlocal consumed
        for n in range(100_000):
            consumed += 1
            yield json.dumps({"DOI": f"10.1234/{n}", "type": "journal-article", "title": [f"T{n}"]})

    items = read(lines(), "crossref")
    first = next(items)
    assert first["title"] == "T0"
    assert consumed < 10


def test_workers_do_not_change_output_or_messages(tmp_path):
    lines = (SAMPLES / "works.jsonl").read_text(encoding="utf-8").splitlines()
    listed = json.dumps(json.loads((SAMPLES / "works.json").read_text(encoding="utf-8")))
    broken = json.dumps({"DOI": "10.1234/broken", "author": "Smith, J."})
    # line 1201: a whole work-list response on one line, 12 works
    path = jsonl_with_failures(tmp_path / "big.jsonl", lines, broken, special=listed)
    exit_code, output, errors = convert_on_one_and_two_workers(path)
    assert exit_code == 1
    assert len(output) == 2600 - 4 + 12
    assert errors == [
        f"{path}: line 6 (record 6)",
        f"{path}: line 1501 (record 1512)",
        f"{path}: line 2600 (record 2611)",
    ]


def test_gzip_input(tmp_path):
    packed = tmp_path / "works.json.gz"
    packed.write_bytes(gzip.compress((SAMPLES / "works.json").read_bytes()))
    plain = run_cli("convert", str(SAMPLES / "works.json"), "-t", "csl-json")
    result = run_cli("convert", str(packed), "-t", "csl-json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == plain.stdout


# --- mapping -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The <i>Hukou</i> System at 50", "The <i>Hukou</i> System at 50"),
        ("Microbial CO<sub>2</sub> vent", "Microbial CO<sub>2</sub> vent"),
        (
            "<jats:italic>E. coli</jats:italic> in <jats:sup>13</jats:sup>C",
            "<i>E. coli</i> in <sup>13</sup>C",
        ),
        ("Small <scp>DNA</scp> caps &amp; more", "Small DNA caps & more"),
        ("How the Mind Hurts and Heals the Body.", "How the Mind Hurts and Heals the Body"),
        (
            'Bounds on <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:semantics>'
            "<mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msup>"
            '<mml:annotation encoding="application/x-tex">x^2</mml:annotation>'
            "</mml:semantics></mml:math> growth",
            "Bounds on x<sup>2</sup> growth",
        ),
    ],
)
def test_rich_text_titles(raw, expected):
    item = item_of({"title": [raw]})
    assert item["title"] == expected
    assert "mml" not in item["title"] and "jats" not in item["title"]


def test_mathml_rendering():
    frac = "<math><mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mn>2</mn></mfrac></math>"
    assert flatten_mathml(frac) == "(a+b)/2"
    assert flatten_mathml("<math><msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup></math>") == (
        "x<sub>i</sub><sup>2</sup>"
    )
    assert flatten_mathml("<math><msqrt><mi>n</mi></msqrt></math>") == "√n"
    assert flatten_mathml("<math><mi>p</mi><mo>&lt;</mo><mn>0.05</mn></math>") == "p &lt; 0.05"
    # JATS alternatives: the TeX twin of a MathML formula is not printed twice
    both = (
        "<alternatives><mml:math><mml:mi>k</mml:mi></mml:math><tex-math>k</tex-math></alternatives>"
    )
    assert flatten_mathml(both) == "k"
    # an undeclared entity: no parse, but the TeX annotation still does not leak
    broken = "<math><mi>x</mi>&foo;<annotation>x^2</annotation></math>"
    assert "x^2" not in flatten_mathml(broken)
    assert flatten_mathml("no formula here") == "no formula here"


@pytest.mark.parametrize(
    ("title", "subtitle", "expected"),
    [
        ("Deep learning", "a review", "Deep learning: a review"),
        ("Why sleep?", "Evidence from mice", "Why sleep? Evidence from mice"),
        ("Chapter: one", "one", "Chapter: one"),
        ("Topology:", "an introduction", "Topology: an introduction"),
    ],
)
def test_subtitle(title, subtitle, expected):
    assert item_of({"title": [title], "subtitle": [subtitle]})["title"] == expected


def test_dates_print_first_online_as_available_date():
    item = item_of(
        {
            "published-print": {"date-parts": [[2021, 7]]},
            "published-online": {"date-parts": [[2021, 6, 14]]},
            "issued": {"date-parts": [[2021, 6, 14]]},
        }
    )
    assert item["issued"] == {"date-parts": [[2021, 7]]}
    assert item["available-date"] == {"date-parts": [[2021, 6, 14]]}


def test_online_only_date_is_issued_without_available_date():
    online = {"date-parts": [[2022, 3, 7]], "date-time": "2022-03-07T00:00:00Z", "timestamp": 1}
    item = item_of({"published-online": online, "issued": {"date-parts": [[2022, 3, 7]]}})
    assert item["issued"] == {"date-parts": [[2022, 3, 7]]}
    assert "available-date" not in item


def test_unknown_date_parts_are_no_date():
    item = item_of({"issued": {"date-parts": [[None]]}, "title": ["T"]})
    assert "issued" not in item


def test_posted_and_approved_dates_fill_in():
    assert item_of({"type": "posted-content", "posted": {"date-parts": [[2023, 4, 20]]}})[
        "issued"
    ] == {"date-parts": [[2023, 4, 20]]}
    assert item_of({"type": "dissertation", "approved": {"date-parts": [[2019, 5]]}})["issued"] == {
        "date-parts": [[2019, 5]]
    }


def test_article_number_and_pages():
    item = item_of({"article-number": "e1009876"})
    assert (item["number"], item["page"]) == ("e1009876", "e1009876")
    item = item_of({"article-number": "12", "page": "1-14"})
    assert (item["number"], item["page"]) == ("12", "1-14")
    assert item_of({"page": "1012–24"})["page"] == "1012-1024"


def test_containers_by_type():
    chapter = item_of(
        {
            "type": "book-chapter",
            "container-title": ["Lecture Notes in Computer Science", "Computer Vision – ECCV 2020"],
            "volume": "12346",
        }
    )
    assert chapter["container-title"] == "Computer Vision – ECCV 2020"
    assert chapter["collection-title"] == "Lecture Notes in Computer Science"
    assert chapter["collection-number"] == "12346"
    assert "volume" not in chapter
    book = item_of({"type": "book", "container-title": ["ACS Symposium Series"], "volume": "1027"})
    assert "container-title" not in book
    assert (book["collection-title"], book["collection-number"]) == ("ACS Symposium Series", "1027")
    journal = item_of(
        {
            "container-title": ["Nature Ecology &amp; Evolution"],
            "short-container-title": ["Nat Ecol Evol"],
        }
    )
    assert journal["container-title"] == "Nature Ecology & Evolution"
    assert journal["container-title-short"] == "Nat Ecol Evol"
    same = item_of({"container-title": ["Cell"], "short-container-title": ["Cell"]})
    assert "container-title-short" not in same


@pytest.mark.parametrize(
    ("crossref_type", "subtype", "expected"),
    [
        ("journal-article", None, "article-journal"),
        ("proceedings-article", None, "paper-conference"),
        ("book-chapter", None, "chapter"),
        ("edited-book", None, "book"),
        ("reference-entry", None, "entry-encyclopedia"),
        ("posted-content", "preprint", "article"),
        ("posted-content", None, "article"),
        ("posted-content", "other", "post-weblog"),
        ("dissertation", None, "thesis"),
        ("dataset", None, "dataset"),
        ("peer-review", None, "review"),
        ("standard", None, "standard"),
        ("other", None, "document"),
        ("something-new", None, "document"),
        ("article-journal", None, "article-journal"),  # Crossref's CSL-JSON
    ],
)
def test_types(crossref_type, subtype, expected):
    assert csl_type(crossref_type, subtype) == expected


def test_names():
    item = item_of(
        {
            "author": [
                {"given": "Anna", "family": "van der Berg", "sequence": "first"},
                {"given": "Martin Luther", "family": "King", "suffix": "Jr."},
                {"name": "The UniProt Consortium", "sequence": "additional"},
                {
                    "given": "Jürgen",
                    "family": "Müller-Lüdenscheidt",
                    "ORCID": "https://orcid.org/1",
                },
                {"family": "Paderborn University"},
                {"sequence": "additional", "affiliation": []},
            ],
            "editor": [{"given": "Jason A.", "family": "Papin"}],
        }
    )
    assert item["author"] == [
        {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"literal": "The UniProt Consortium"},
        {"family": "Müller-Lüdenscheidt", "given": "Jürgen"},
        {"literal": "Paderborn University"},
    ]
    assert item["editor"] == [{"family": "Papin", "given": "Jason A."}]


def test_identifiers_urls_and_numbers():
    item = item_of(
        {
            "DOI": "10.1038/S41559-021-01485-1",
            "URL": "http://dx.doi.org/10.1038/S41559-021-01485-1",
            "resource": {"primary": {"URL": "https://www.nature.com/articles/x"}},
            "ISSN": ["1935-990X", "0003-066X"],
            "issn-type": [
                {"value": "0003-066X", "type": "print"},
                {"value": "1935-990X", "type": "electronic"},
            ],
            "ISBN": ["9783030584528", "9783030584511"],
            "isbn-type": [{"value": "9783030584511", "type": "print"}],
            "edition-number": "2",
            "is-referenced-by-count": 83,
        }
    )
    assert item["DOI"] == "10.1038/S41559-021-01485-1"
    assert item["URL"] == "https://www.nature.com/articles/x"
    assert item["ISSN"] == "0003-066X, 1935-990X"
    assert item["ISBN"] == "9783030584511, 9783030584528"
    assert item["edition"] == "2"
    assert item["custom"]["citation-count"] == 83
    # the DOI resolver link alone is not a URL worth keeping
    assert "URL" not in item_of({"DOI": "10.1234/x", "URL": "https://doi.org/10.1234/x"})


def test_license_funder_and_full_text_link_kept_in_custom():
    item = item_of(
        {
            "license": [
                {
                    "start": {"date-parts": [[2021, 6, 14]], "timestamp": 1},
                    "content-version": "vor",
                    "delay-in-days": 0,
                    "URL": "https://creativecommons.org/licenses/by/4.0",
                }
            ],
            "funder": [
                {
                    "DOI": "10.13039/100000001",
                    "name": "National Science Foundation",
                    "award": ["DEB-1", "DEB-1"],
                },
                {"name": "Wellcome Trust"},
            ],
            "link": [
                {
                    "URL": "https://x/sim.pdf",
                    "content-type": "application/pdf",
                    "intended-application": "similarity-checking",
                },
                {
                    "URL": "https://x/a.pdf",
                    "content-type": "application/pdf",
                    "intended-application": "text-mining",
                },
            ],
        }
    )
    assert item["custom"]["license"] == [
        {
            "URL": "https://creativecommons.org/licenses/by/4.0",
            "start": "2021-06-14",
            "content-version": "vor",
            "delay-in-days": 0,
        }
    ]
    assert item["custom"]["funder"] == [
        {"name": "National Science Foundation", "DOI": "10.13039/100000001", "award": ["DEB-1"]},
        {"name": "Wellcome Trust"},
    ]
    assert item["custom"]["fulltext-url"] == "https://x/a.pdf"


def test_abstract_jats_to_plain_paragraphs():
    item = item_of(
        {
            "abstract": "<jats:title>Abstract</jats:title>"
            "<jats:p>First <jats:italic>para</jats:italic>.</jats:p>"
            "<jats:p>Second &amp; last.</jats:p>"
        }
    )
    assert item["abstract"] == "First para.\n\nSecond & last."


def test_retracted_work_is_marked_and_noted():
    report = Report(keep_info=True)
    item = item_of(
        {
            "title": ["A result"],
            "updated-by": [
                {
                    "updated": {"date-parts": [[2004, 3, 6]]},
                    "DOI": "10.1/corr",
                    "type": "correction",
                },
                {
                    "updated": {"date-parts": [[2010, 2, 6]]},
                    "DOI": "10.1/notice",
                    "type": "retraction",
                    "source": "retraction-watch",
                },
            ],
        },
        report,
    )
    assert item["status"] == "retracted"
    assert item["custom"]["updated-by"][1] == {
        "type": "retraction",
        "DOI": "10.1/notice",
        "source": "retraction-watch",
        "date": "2010-02-06",
    }
    assert notes(report) == ["10.1234/x is retracted (notice 10.1/notice)"]
    assert item_of({"title": ["RETRACTED: Ileal hyperplasia"]})["status"] == "retracted"
    withdrawn = item_of({"updated-by": [{"DOI": "10.1/w", "type": "withdrawal"}]})
    assert withdrawn["status"] == "withdrawn"
    assert "status" not in item_of({"updated-by": [{"DOI": "10.1/c", "type": "correction"}]})


def test_retraction_notice_is_noted():
    report = Report(keep_info=True)
    item = item_of(
        {
            "update-to": [
                {
                    "DOI": "10.1/orig",
                    "type": "retraction",
                    "updated": {"date-parts": [[2010, 2, 2]]},
                }
            ]
        },
        report,
    )
    assert item["custom"]["updates"] == [
        {"type": "retraction", "DOI": "10.1/orig", "date": "2010-02-02"}
    ]
    assert "status" not in item
    assert notes(report) == ["this work is a retraction notice for 10.1/orig"]


def test_preprint_and_thesis_publishers():
    preprint = item_of(
        {
            "type": "posted-content",
            "subtype": "preprint",
            "publisher": "Cold Spring Harbor Laboratory",
            "institution": [{"name": "bioRxiv"}],
            "group-title": "Neuroscience",
        }
    )
    assert preprint["type"] == "article"
    assert preprint["publisher"] == "bioRxiv"
    assert preprint["custom"]["crossref-publisher"] == "Cold Spring Harbor Laboratory"
    assert preprint["custom"]["group-title"] == "Neuroscience"
    thesis = item_of(
        {
            "type": "dissertation",
            "degree": ["Doctor of Philosophy (PhD)"],
            "institution": [{"name": "The University of Iowa", "place": ["Iowa City, IA"]}],
        }
    )
    assert (thesis["genre"], thesis["publisher"], thesis["publisher-place"]) == (
        "Doctor of Philosophy",
        "The University of Iowa",
        "Iowa City, IA",
    )


def test_conference_event():
    item = item_of(
        {
            "type": "proceedings-article",
            "event": {
                "name": "CVPR",
                "location": "New Orleans, LA, USA",
                "start": {"date-parts": [[2022, 6, 18]]},
                "end": {"date-parts": [[2022, 6, 24]]},
            },
        }
    )
    assert (item["event-title"], item["event-place"]) == ("CVPR", "New Orleans, LA, USA")
    assert item["event-date"] == {"date-parts": [[2022, 6, 18], [2022, 6, 24]]}


def test_crossref_csl_json_both_type_spellings():
    base = json.loads((SAMPLES / "csl.json").read_text(encoding="utf-8"))
    for spelling in ("article-journal", "journal-article"):
        [item] = items_of(json.dumps({**base, "type": spelling}))
        assert item["type"] == "article-journal"
        assert item["container-title"] == "Ecology"
        assert item["ISSN"] == "0012-9658, 1939-9170"
        assert item["title"] == "Warming shifts N:P stoichiometry of <i>Daphnia</i> in boreal lakes"
        assert item["issued"] == {"date-parts": [[2019, 10]]}
        assert item["available-date"] == {"date-parts": [[2019, 8, 1]]}
        assert not {"indexed", "deposited", "published-print", "reference-count"} & set(
            item["custom"]
        )


def test_no_authors_large_author_lists_and_non_ascii():
    items = {i["DOI"]: i for i in items_of((SAMPLES / "works.json").read_bytes())}
    assert "author" not in items["10.1038/d41586-020-00001-x"]
    assert len(items["10.1056/nejmoa2034577"]["author"]) == 62
    work = items_of((SAMPLES / "work.json").read_bytes())[0]
    assert work["author"][3] == {"family": "Dvořák", "given": "Łukasz"}
    assert work["id"] == "mullerludenscheidt2021nitrogen"


# --- bad input -----------------------------------------------------------------------------


def test_truncated_response_keeps_the_works_before_the_cut(tmp_path):
    text = (SAMPLES / "works.json").read_text(encoding="utf-8")
    cut = text.index('"DOI": "10.1016/s0140-6736(97)11096-0"')
    path = tmp_path / "cut.json"
    path.write_text(text[:cut], encoding="utf-8")
    result = run_cli("convert", str(path), "-t", "csl-json")
    assert result.exit_code == 1
    converted = json.loads(result.stdout)
    assert len(converted) == 4
    [error] = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert error.startswith(f"{path}: line ")
    assert error.endswith("(record 5): error: truncated JSON: the input ends inside a record")
    assert "Traceback" not in result.stderr


def test_wrong_types_skip_the_record_and_keep_the_others(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = {"DOI": "10.1234/good", "type": "journal-article", "title": ["Good"]}
    lines = [
        good,
        {"DOI": "10.1234/a", "title": 42},
        {"DOI": "10.1234/b", "author": "Smith, J."},
        {"DOI": "10.1234/c", "author": [{"family": ["Smith"]}]},
        {"DOI": "10.1234/d", "issued": [2020]},
        {"status": "ok"},
        "just a string",
        good,
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = run_cli("convert", str(path), "-f", "crossref", "-t", "csl-json", "--jsonl")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"{path}: line 2 (record 2): error: field 'title' must be a list of texts, not a number",
        f"{path}: line 3 (record 3): error: field 'author' must be a list of objects, not a string",
        f"{path}: line 4 (record 4): error: author 1: 'family' must be text, not an array",
        f"{path}: line 5 (record 5): error: field 'issued' must be a date object, not an array",
        f"{path}: line 6 (record 6): error: not a Crossref work (its keys: status)",
        f"{path}: line 7 (record 7): error: expected a Crossref work object, got a string",
    ]
    assert len(result.stdout.splitlines()) == 2
    assert (
        result.stderr.splitlines()[-1]
        == "refconv: converted 2 records from 1 file; 6 failed; 0 warnings"
    )


def test_api_error_and_other_responses_are_named():
    report = Report()
    failure = {
        "status": "failed",
        "message-type": "validation-failure",
        "message": [
            {
                "type": "parameter-not-allowed",
                "value": "query.*",
                "message": "This route does not support field query parameters",
            }
        ],
    }
    assert items_of(json.dumps(failure), report) == []
    assert problems(report)[0] == (
        "the input is a Crossref API error (failed): "
        "This route does not support field query parameters"
    )
    report = Report()
    member = {
        "status": "ok",
        "message-type": "member",
        "message": {"id": 297, "primary-name": "Springer"},
    }
    assert items_of(json.dumps(member), report) == []
    assert problems(report) == ["the input is a Crossref 'member' response, not works"]
    report = Report()
    journals = {
        "status": "ok",
        "message-type": "journal-list",
        "message": {"items": [{"title": "Nature", "ISSN": ["0028-0836"], "publisher": "Springer"}]},
    }
    assert items_of(json.dumps(journals), report) == []
    assert problems(report)[0].startswith("not a Crossref work (its keys: ISSN, publisher, title")


def test_invalid_json_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    good = json.dumps({"DOI": "10.1234/good", "type": "journal-article", "title": ["Good"]})
    path.write_text(f'{good}\n{{"DOI": "10.1234/x", "title": }}\n{good}\n', encoding="utf-8")
    result = run_cli("convert", str(path), "-f", "crossref", "-t", "csl-json", "--jsonl")
    assert result.exit_code == 1
    assert f"{path}: line 2 (record 2): error: invalid JSON" in result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_empty_and_binary_input(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    result = run_cli("convert", str(empty), "-f", "crossref")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{empty}: error: empty input: no records"
    binary = tmp_path / "blob.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run_cli("convert", str(binary), "-f", "crossref", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 2
    assert (
        result.stderr == f"refconv: error: {binary}: binary data, not a text format refconv reads\n"
    )
    assert not (tmp_path / "out.json").exists()


def test_not_json_at_all():
    report = Report()
    assert items_of("Resource not found.", report) == []
    assert problems(report)[0].startswith("invalid JSON")


def test_library_api_reads_a_text_stream():
    stream = io.StringIO((SAMPLES / "works.jsonl").read_text(encoding="utf-8"))
    assert len(list(read(stream, "crossref"))) == 4
