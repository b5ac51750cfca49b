"""The paper-record reader: every mapping rule, every layout, every kind of bad input."""

from __future__ import annotations

import gzip
import io
import json

import pytest

from conftest import EXAMPLES, GOLDEN, SEED, assert_golden, run_cli
from refconv.converters import Report, read
from refconv.converters.paper_record import (
    csl_type,
    normalise_pages,
    parse_trailer,
    record_to_item,
    split_volume,
)


def one(record: dict, **trailer) -> dict:
    return record_to_item(record, trailer)


def items_of(text: str | bytes, report: Report | None = None) -> list[dict]:
    return list(read(text, "paper-record", report=report or Report()))


# --- the seed ------------------------------------------------------------------------


def test_seed_matches_golden_csl_json():
    result = run_cli("convert", str(SEED), "-t", "csl-json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert_golden(GOLDEN / "csl-json" / "seed.json", result.stdout)


def test_seed_fields():
    [item] = list(read(SEED))
    assert item["id"] == "liu2025exosome"
    assert item["type"] == "article-journal"
    assert item["title"] == "Exosome-based immunotherapy in hepatocellular carcinoma"
    assert len(item["author"]) == 8
    assert item["author"][0] == {"family": "Liu", "given": "Hong"}
    assert item["author"][1] == {"family": "Wang", "given": "GuoWei"}
    assert item["container-title"] == "Clinical and Experimental Medicine"
    assert (item["volume"], item["issue"], item["page"]) == ("25", "1", "127")
    assert item["issued"] == {"date-parts": [[2025, 4, 24]]}
    assert item["DOI"] == "10.1007/s10238-025-01659-2"
    assert "URL" not in item  # ListUrlMain is only the DOI's resolver link
    assert item["PMCID"] == "PMC12021721"
    assert item["abstract"].startswith("Hepatocellular carcinoma (HCC) is")
    assert "<p>" not in item["abstract"]
    custom = item["custom"]
    assert custom["citation-count"] == 0
    assert custom["impact-factor"] == 3.2
    assert custom["jcr-quartile"] == "Q2"
    assert custom["jcr-category"] == "MEDICINE, RESEARCH & EXPERIMENTAL"
    assert custom["source-platform"] == "Semanticscholar"
    assert custom["fulltext-url"] == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC12021721/pdf/"
    assert custom["journal-description"].startswith("Clinical and Experimental Medicine (CEM)")
    assert custom["journal-description"].endswith("exclusively online.")


# --- titles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Exosome-based immunotherapy.", "Exosome-based immunotherapy"),
        ("Is it real?", "Is it real?"),
        ("It is real!", "It is real!"),
        ("Waiting...", "Waiting..."),
        ("Studies in the U.S.", "Studies in the U.S."),
        ("Smith et al.", "Smith et al."),
        ("Vitamin A.", "Vitamin A."),
        ("  Too   many\n spaces. ", "Too many spaces"),
        (
            "CD8<sup>+</sup> T cells in <i>Mus musculus</i>.",
            "CD8<sup>+</sup> T cells in <i>Mus musculus</i>",
        ),
        ("H<sub>2</sub>O &amp; CO<SUB>2</SUB>", "H<sub>2</sub>O & CO<sub>2</sub>"),
        ("<em>E. coli</em> <strong>growth</strong>", "<i>E. coli</i> <b>growth</b>"),
        ('<span class="x">plain</span> <a href="#">link</a> text.', "plain link text"),
        ("&lt;not a tag&gt; &eacute;", "<not a tag> é"),
        ("unclosed <i>italic", "unclosed <i>italic</i>"),
    ],
)
def test_title_clean_up(raw, expected):
    assert one({"title": raw})["title"] == expected


def test_title_cn_kept_in_custom():
    item = one({"title": "Liver", "TitleCN": "<b>肝</b>脏研究。"})
    assert item["custom"]["title-cn"] == "<b>肝</b>脏研究。"


# --- authors -------------------------------------------------------------------------


def test_authors_et_al_flagged():
    item = one({"authors": "Hong Liu, GuoWei Wang et al."})
    assert len(item["author"]) == 2
    assert item["custom"]["authors-truncated"] is True


@pytest.mark.parametrize("value", [None, ""])
def test_no_authors(value):
    assert "author" not in one({"title": "x", "authors": value})


def test_authors_as_list_of_objects():
    item = one({"authors": [{"name": "Hong Liu"}, {"name": "World Health Organization"}]})
    assert item["author"] == [
        {"family": "Liu", "given": "Hong"},
        {"literal": "World Health Organization"},
    ]


# --- journal, volume, pages ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25 1", ("25", "1")),
        ("25(1)", ("25", "1")),
        ("25 (1)", ("25", "1")),
        ("25 (Suppl 2)", ("25", "Suppl 2")),
        ("25", ("25", None)),
        ("Vol. 12, No. 3", ("12", "3")),
        ("", (None, None)),
    ],
)
def test_split_volume(text, expected):
    assert split_volume(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123-130", "123-130"),
        ("123–130", "123-130"),
        ("123 — 130", "123-130"),
        ("127", "127"),
        ("e1003", "e1003"),
        ("S12-S19", "S12-S19"),
    ],
)
def test_normalise_pages(text, expected):
    assert normalise_pages(text) == expected


def test_container_falls_back_to_periodical_name():
    assert one({"PeriodicalName": "Cell"})["container-title"] == "Cell"
    assert (
        one({"journal": {"name": "Nature"}, "PeriodicalName": "Cell"})["container-title"]
        == "Nature"
    )


# --- dates, identifiers, links -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [("2025", [[2025]]), ("2025-04", [[2025, 4]]), ("2025-04-24", [[2025, 4, 24]])],
)
def test_publication_date(text, parts):
    assert one({"publicationDate": text})["issued"] == {"date-parts": parts}


def test_epub_date_becomes_available_date():
    item = one({"publicationDate": "2025-04", "EPubDate": "2025-03-02"})
    assert item["available-date"] == {"date-parts": [[2025, 3, 2]]}
    assert "available-date" not in one({"EPubDate": ""})


@pytest.mark.parametrize(
    "raw",
    [
        "10.1000/ABC",
        "https://doi.org/10.1000/ABC",
        "doi:10.1000/ABC",
        "DOI: 10.1000/ABC",
        "http://dx.doi.org/10.1000/ABC",
    ],
)
def test_doi_prefixes_stripped(raw):
    assert one({"doi": raw})["DOI"] == "10.1000/ABC"


def test_url_kept_unless_it_is_the_doi_link():
    assert "URL" not in one({"doi": "10.1000/x", "url": "https://doi.org/10.1000/X"})
    assert (
        one({"doi": "10.1000/x", "url": "https://example.org/a"})["URL"] == "https://example.org/a"
    )
    assert one({"ListUrlMain": "https://example.org/b"})["URL"] == "https://example.org/b"


def test_pmcid_from_field_or_link():
    assert one({"PMCID": "PMC123"})["PMCID"] == "PMC123"
    assert one({"url": "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC777/"})["PMCID"] == "PMC777"
    assert "PMCID" not in one({"url": "https://example.org/"})


# --- abstract, types, keywords, trailer --------------------------------------------


def test_abstract_plain_text_with_paragraphs():
    item = one({"abstract": "<p><p>One &amp; two.</p></p><p>Three<br>four.</p>"})
    assert item["abstract"] == "One & two.\n\nThree\n\nfour."


def test_abstract_from_trailer_when_json_has_none():
    item = one({"abstract": None}, Abstract="From the trailer.")
    assert item["abstract"] == "From the trailer."


@pytest.mark.parametrize(
    ("types", "container", "expected"),
    [
        ("Journal Article", True, "article-journal"),
        (["JournalArticle", "Review"], True, "article-journal"),
        ("Review", False, "article-journal"),
        ("Book", False, "book"),
        ("Book Chapter", True, "chapter"),
        (["BookChapter"], True, "chapter"),
        ("Conference", True, "paper-conference"),
        ("Preprint", False, "article"),
        ("Dataset", False, "dataset"),
        ("Something New", True, "article-journal"),
        ("Something New", False, "document"),
        (None, False, "document"),
    ],
)
def test_publication_types(types, container, expected):
    assert csl_type(types, container) == expected


def test_fields_of_study_become_keywords():
    assert one({"fieldsOfStudy": ["Medicine", "Biology"]})["keyword"] == "Medicine, Biology"


def test_trailer_sections():
    trailer = parse_trailer(
        ["引用次数: 12\n", "Abstract\n", "Line one.\n", "期刊介绍:\n", "About.\n", "More."]
    )
    assert trailer == {"引用次数": "12", "Abstract": "Line one.", "期刊介绍": "About.\nMore."}
    item = one({}, **trailer)
    assert item["custom"]["citation-count"] == 12
    assert item["custom"]["journal-description"] == "About.\nMore."


def test_unmapped_source_fields_are_kept():
    item = one({"title": "x", "resultStr": "abc", "Score": 1.5, "paperid": None})
    assert item["custom"]["source-fields"] == {"resultStr": "abc", "Score": 1.5}


# --- ids -----------------------------------------------------------------------------


def test_ids_deterministic_ascii_and_unique():
    record = {
        "title": "The Über-study of things",
        "authors": "Jörg Müller",
        "publicationDate": "2020",
    }
    text = "\n".join(json.dumps(record) for _ in range(3))
    assert [i["id"] for i in items_of(text)] == [
        "muller2020uber",
        "muller2020ubera",
        "muller2020uberb",
    ]
    assert [i["id"] for i in items_of(text)] == [
        "muller2020uber",
        "muller2020ubera",
        "muller2020uberb",
    ]


def test_cjk_author_key_is_ascii():
    [item] = items_of(
        json.dumps({"title": "肝细胞癌", "authors": "张伟", "publicationDate": "2023"})
    )
    assert item["id"] == "zhang2023ganxi"


# --- layouts -------------------------------------------------------------------------


def test_every_example_layout_reads():
    expected = {"records.jsonl": 7, "records.json": 3, "concatenated.txt": 2, SEED.name: 1}
    for name, count in expected.items():
        report = Report()
        assert len(list(read((EXAMPLES / name).read_bytes(), report=report, name=name))) == count
        assert report.collected == [], name


def test_concatenated_without_newline_between_files():
    seed = SEED.read_text(encoding="utf-8")
    assert not seed.endswith("\n")
    items = items_of(seed + seed + "\n" + seed)
    assert len(items) == 3
    assert all(i["custom"]["journal-description"].endswith("exclusively online.") for i in items)
    assert [i["id"] for i in items] == ["liu2025exosome", "liu2025exosomea", "liu2025exosomeb"]


def test_pretty_printed_record_with_trailer():
    record = {"title": "Pretty", "authors": "A B", "PeriodicalIF": 1}
    text = json.dumps(record, indent=2) + "\n引用次数: 3\n" + json.dumps(record, indent=4)
    items = items_of(text)
    assert [i["title"] for i in items] == ["Pretty", "Pretty"]
    assert items[0]["custom"]["citation-count"] == 3


def test_gzip_input_any_layout(tmp_path):
    for name in ("records.jsonl", "records.json", SEED.name):
        packed = tmp_path / (name + ".gz")
        packed.write_bytes(gzip.compress((EXAMPLES / name).read_bytes()))
        result = run_cli("convert", str(packed), "-t", "csl-json", "--jsonl")
        assert result.exit_code == 0, result.stderr
        plain = run_cli("convert", str(EXAMPLES / name), "-t", "csl-json", "--jsonl")
        assert result.stdout == plain.stdout


def test_stdin_is_detected_without_extension():
    result = run_cli("convert", "-t", "csl-json", "--jsonl", input=SEED.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "liu2025exosome"


# --- bad input -----------------------------------------------------------------------


def test_truncated_json(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(SEED.read_bytes()[:300])
    result = run_cli("convert", str(path), "-f", "paper-record")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}: line 1 (record 1): error: truncated JSON: the input ends inside the record"
    )
    assert "Traceback" not in result.stderr


def test_record_with_wrong_types_is_skipped_and_others_converted(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = {"title": "Good", "authors": "A B", "PeriodicalIF": 1}
    lines = [good, {"title": "Bad", "authors": 42}, {"title": "Bad", "journal": "Nature"}, good]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = run_cli("convert", str(path), "-t", "csl-json", "--jsonl")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"{path}: line 2 (record 2): error: field 'authors' must be text or a list, not a number",
        f"{path}: line 3 (record 3): error: field 'journal' must be an object, not a string",
    ]
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr.splitlines()[-1] == (
        "refconv: converted 2 records from 1 file; 2 failed; 0 warnings"
    )


def test_invalid_json_line_does_not_swallow_the_next_records(tmp_path):
    path = tmp_path / "broken.jsonl"
    good = json.dumps({"title": "Good", "PeriodicalIF": 1})
    path.write_text(f'{good}\n{{"title": "x", "authors": }}\n{good}\n', encoding="utf-8")
    result = run_cli("convert", str(path), "-f", "paper-record", "--jsonl")
    assert result.exit_code == 1
    assert f"{path}: line 2 (record 2): error: invalid JSON: Expecting value" in result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = run_cli("convert", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{path}: error: empty input: no records"


def test_binary_data(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run_cli("convert", str(path), "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 2
    assert (
        result.stderr == f"refconv: error: {path}: binary data, not a text format refconv reads\n"
    )
    assert not (tmp_path / "out.json").exists()


def test_non_utf8_text(tmp_path):
    # read as Windows-1252 with one warning (issue 13); refused only in an encoding named
    path = tmp_path / "latin1.txt"
    path.write_bytes('{"title": "Café", "PeriodicalIF": 1}'.encode("latin-1"))
    result = run_cli("convert", str(path))
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["title"] == "Café"
    assert result.stderr.startswith(
        f"{path}: warning: not UTF-8 (byte 0xe9 on line 1): read as Windows-1252"
    )
    refused = run_cli("convert", str(path), "--encoding", "utf-8")
    assert refused.exit_code == 2
    assert "cannot read as utf-8" in refused.stderr


def test_text_outside_records(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_text("hello\nworld\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("convert", str(path), "-f", "paper-record", "--jsonl")
    assert result.exit_code == 1
    assert f"{path}: line 1 (record 1): error: text outside any record" in result.stderr
    assert json.loads(result.stdout)["id"] == "liu2025exosome"


def test_array_with_a_non_object_element():
    report = Report()
    items = items_of('[{"title": "A", "PeriodicalIF": 1}, 5, {"title": "B"}]', report)
    assert [i["title"] for i in items] == ["A", "B"]
    assert [str(d) for d in report.collected] == [
        "<string>: line 1 (record 2): error: array element is a number, not a record object"
    ]


def test_whole_record_lines_read_as_the_general_steps_read_them():
    """A line starting with '{' that holds a whole object takes a short cut; the same lines
    indented by a space take the general steps. Items and messages must be the same."""
    from refconv.converters.paper_record import read as read_records

    lines = [
        '{"title": "One", "authors": "Hong Liu", "doi": "10.1/a"}',
        "引用次数: 3",
        "Abstract",
        "A trailer abstract.",
        '{"title": "Two", "authors": 7}',
        '{"title": "Three", "authors": "Ada Lovelace"} trailing text',
        '{"title": broken}',
        "stray text after a broken record",
        '[{"title": "Four"}, 5]',
        '{"title": "Five", "TitleCN": "五"}',
        "期刊介绍: a journal",
        '{"title": "Six"}',
    ]

    def run(text: str) -> tuple[list[dict], list]:
        report = Report()
        items = list(read_records(io.StringIO(text), report))
        return items, [(d.severity, d.message, d.line, d.record) for d in report.collected]

    fast = run("\n".join(lines) + "\n")
    general = run("\n".join(" " + x if x.startswith("{") else x for x in lines) + "\n")
    assert fast == general
    assert [item.get("title") for item in fast[0]] == ["One", "Three", "Four", "Five", "Six"]
    assert fast[0][0]["custom"]["citation-count"] == 3
