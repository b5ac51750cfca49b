"""RIS writer: the record layout and the choices of tags, values and options."""

from __future__ import annotations

import re

import pytest
from ris_support import messages, read_ris, write_ris

from conftest import GOLDEN, SEED, run_cli
from refconv.converters.core.diagnostics import Report, Severity
from refconv.converters.core.model import CUSTOM_FULLTEXT_URL

WARNING, ERROR, INFO = Severity.WARNING, Severity.ERROR, Severity.INFO


def lines_of(text: str) -> list[str]:
    return text.split("\r\n")


def tags(text: str, tag: str) -> list[str]:
    return [line[6:] for line in re.split(r"\r?\n", text) if line.startswith(f"{tag}  - ")]


def one(text: str) -> dict:
    items, report = read_ris(text)
    assert len(items) == 1, report.collected
    return items[0]


JOURNAL_ARTICLE = {
    "id": "liu2025exosome",
    "type": "article-journal",
    "title": "Exosome-based immunotherapy",
    "author": [{"family": "Liu", "given": "Hong"}],
    "container-title": "Clinical and Experimental Medicine",
    "volume": "25",
    "issue": "1",
    "page": "127",
    "issued": {"date-parts": [[2025, 4, 24]]},
    "DOI": "10.1007/s10238-025-01659-2",
}


def test_seed_matches_golden_file() -> None:
    result = run_cli("convert", str(SEED), "-t", "ris")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (GOLDEN / "ris" / "seed.ris").read_bytes()


def test_record_layout_follows_the_specification() -> None:
    text = write_ris([JOURNAL_ARTICLE, {**JOURNAL_ARTICLE, "id": "second"}])
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    records = text.split("\r\n\r\n")
    assert records[-1] == ""  # every record is followed by one blank line
    for record in records[:-1]:
        lines = record.split("\r\n")
        assert lines[0] == "TY  - JOUR"
        assert lines[-1] == "ER  - "
        for line in lines:
            assert re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
    assert lines_of(text)[:2] == ["TY  - JOUR", "TI  - Exosome-based immunotherapy"]


def test_line_endings_option_and_no_byte_order_mark_by_default() -> None:
    crlf = write_ris([JOURNAL_ARTICLE])
    lf = write_ris([JOURNAL_ARTICLE], crlf=False)
    assert not crlf.startswith("\ufeff")
    assert "\r" not in lf
    assert lf.replace("\n", "\r\n") == crlf
    assert write_ris([JOURNAL_ARTICLE], crlf="false") == lf  # as -O crlf=false gives it


def test_byte_order_mark_option() -> None:
    assert write_ris([JOURNAL_ARTICLE], bom=True) == "\ufeff" + write_ris([JOURNAL_ARTICLE])
    result = run_cli("convert", str(SEED), "-t", "ris", "-O", "bom=true")
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfTY  - JOUR\r\n")


def test_bad_option_value_is_refused() -> None:
    with pytest.raises(ValueError, match="option crlf must be true or false"):
        write_ris([JOURNAL_ARTICLE], crlf="sometimes")


def test_names_are_family_comma_given_comma_suffix() -> None:
    item = {
        **JOURNAL_ARTICLE,
        "author": [
            {"family": "Berg", "non-dropping-particle": "van der", "given": "Jan"},
            {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
            {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
            {"literal": "World Health Organization"},
            {"family": "张", "given": "三"},
            {"family": "Plato"},
        ],
    }
    assert tags(write_ris([item]), "AU") == [
        "van der Berg, Jan",
        "King, Martin Luther, Jr.",
        "Beethoven, Ludwig van",
        "World Health Organization",
        "张, 三",
        "Plato",
    ]


def test_a_name_is_trimmed_alike_whatever_its_parts() -> None:
    # the usual two-part name took a short cut that kept spaces at its ends
    names = [
        {"family": " Smith", "given": "John "},
        {"family": " Roe\u0007", "given": "Ann "},
    ]
    item = {**JOURNAL_ARTICLE, "author": names}
    written = write_ris([item], crlf=False)
    assert re.findall(r"^AU  - (.*)$", written, re.M) == ["Smith, John", "Roe, Ann"]


@pytest.mark.parametrize(
    ("csl_type", "editor_tag", "series_editor_tag"),
    [
        ("article-journal", "A2", "A3"),
        ("chapter", "A2", "A3"),
        ("paper-conference", "A2", "A3"),
        ("book", "A3", "A2"),
        ("report", "A3", "A2"),
    ],
)
def test_editors_go_to_a2_or_a3_by_type(csl_type, editor_tag, series_editor_tag) -> None:
    item = {
        "type": csl_type,
        "title": "T",
        "editor": [{"family": "Editor", "given": "Ed"}],
        "collection-editor": [{"family": "Series", "given": "Sue"}],
    }
    text = write_ris([item])
    assert tags(text, editor_tag) == ["Editor, Ed"]
    assert tags(text, series_editor_tag) == ["Series, Sue"]
    assert one(text)["editor"] == [{"family": "Editor", "given": "Ed"}]
    assert one(text)["collection-editor"] == [{"family": "Series", "given": "Sue"}]


def test_journal_is_t2_with_j2_abbreviation() -> None:
    text = write_ris([{**JOURNAL_ARTICLE, "container-title-short": "Clin Exp Med"}])
    assert tags(text, "T2") == ["Clinical and Experimental Medicine"]
    assert tags(text, "J2") == ["Clin Exp Med"]


def test_dates_py_always_and_da_in_zotero_form() -> None:
    def dates(issued):
        text = write_ris([{**JOURNAL_ARTICLE, "issued": issued}])
        return tags(text, "PY"), tags(text, "DA")

    assert dates({"date-parts": [[2025, 4, 24]]}) == (["2025"], ["2025/04/24/"])
    assert dates({"date-parts": [[2025, 4]]}) == (["2025"], ["2025/04//"])
    assert dates({"date-parts": [[2025]]}) == (["2025"], ["2025///"])
    assert dates({"date-parts": [[1990, 21]]}) == (["1990"], ["1990///Spring"])
    assert dates({"date-parts": [[812]]}) == (["0812"], ["0812///"])
    assert dates({"literal": "in press"}) == ([], ["in press"])


@pytest.mark.parametrize(
    ("item", "sp", "ep", "c7"),
    [
        ({"page": "512–530"}, ["512"], ["530"], []),
        ({"page": "S12 - S19"}, ["S12"], ["S19"], []),
        ({"page": "e0220123"}, ["e0220123"], [], []),
        ({"page": "1-5, 10-12"}, ["1-5, 10-12"], [], []),
        ({"number": "4521"}, ["4521"], [], []),  # an article number alone in SP
        ({"page": "1-6", "number": "020501"}, ["1"], ["6"], ["020501"]),
    ],
)
def test_pages_split_and_article_numbers(item, sp, ep, c7) -> None:
    base = {k: v for k, v in JOURNAL_ARTICLE.items() if k != "page"}
    text = write_ris([{**base, **item}])
    assert (tags(text, "SP"), tags(text, "EP"), tags(text, "C7")) == (sp, ep, c7)


def test_identifiers_links_and_key() -> None:
    item = {
        **JOURNAL_ARTICLE,
        "URL": "https://example.org/a",
        "PMID": "40272595",
        "PMCID": "PMC12021721",
        "ISSN": "1591-8890",
        "custom": {CUSTOM_FULLTEXT_URL: "https://example.org/a.pdf", "citation-count": 3},
    }
    text = write_ris([item])
    assert tags(text, "DO") == ["10.1007/s10238-025-01659-2"]
    assert tags(text, "UR") == ["https://example.org/a"]
    assert tags(text, "L1") == ["https://example.org/a.pdf"]
    assert tags(text, "C2") == ["PMC12021721"]
    assert tags(text, "AN") == ["40272595"]
    assert tags(text, "SN") == ["1591-8890"]
    assert tags(text, "ID") == ["liu2025exosome"]
    assert lines_of(text)[-4:-2] == ["ID  - liu2025exosome", "ER  - "]


def test_pmcid_in_c2_on_journal_articles_and_preprints_only() -> None:
    report = Report()
    text = write_ris([{"type": "book", "title": "B", "PMCID": "PMC1"}], report)
    assert tags(text, "C2") == []  # C2 is something else for a book (Zotero: book author)
    assert any("PMCID" in m for m in messages(report, WARNING))
    preprint = {"type": "article", "title": "P", "DOI": "10.1101/2020.01.01.1", "PMCID": "PMC7"}
    text = write_ris([preprint])
    assert tags(text, "C2") == ["PMC7"]
    assert one(text)["PMCID"] == "PMC7" and one(text)["type"] == "article"


def test_book_text_fields() -> None:
    item = {
        "type": "book",
        "title": "Ocean carbon models",
        "edition": "3",
        "publisher": "CUP",
        "publisher-place": "Cambridge",
        "ISBN": "9781108412345",
        "ISSN": "1234-5678",
        "language": "en",
        "abstract": "About models.",
        "note": "First line\nSecond line",
        "keyword": "ocean, carbon",
        "collection-title": "Earth Science Series",
        "number-of-pages": "412",
    }
    text = write_ris([item])
    assert tags(text, "TY") == ["BOOK"]
    assert tags(text, "ET") == ["3"]
    assert tags(text, "PB") == ["CUP"]
    assert tags(text, "CY") == ["Cambridge"]
    assert tags(text, "SN") == ["9781108412345", "1234-5678"]
    assert tags(text, "LA") == ["en"]
    assert tags(text, "AB") == ["About models."]
    # one note, as Zotero writes (and reads back) a note with line breaks
    assert tags(text, "N1") == ["<p>First line<br/>Second line</p>"]
    assert one(text)["note"] == "First line\nSecond line"
    assert tags(text, "KW") == ["ocean", "carbon"]
    assert tags(text, "T2") == ["Earth Science Series"]
    assert tags(text, "SP") == ["412"]
    assert one(text)["number-of-pages"] == "412"


def test_keywords_with_commas_survive_when_joined_with_semicolons() -> None:
    item = {**JOURNAL_ARTICLE, "keyword": "Humans; Carcinoma, Hepatocellular; Exosomes"}
    text = write_ris([item])
    assert tags(text, "KW") == ["Humans", "Carcinoma, Hepatocellular", "Exosomes"]
    assert one(text)["keyword"] == item["keyword"]


def test_values_with_line_breaks_become_one_line() -> None:
    report = Report(keep_info=True)
    item = {**JOURNAL_ARTICLE, "abstract": "Objectives: x.\n\nResults: y.", "title": "A\nB\tC"}
    text = write_ris([item], report)
    assert tags(text, "AB") == ["Objectives: x. Results: y."]
    assert tags(text, "TI") == ["A B C"]
    assert any("line breaks" in m for m in messages(report, INFO))


def test_variables_without_a_tag_are_reported() -> None:
    report = Report()
    write_ris([{**JOURNAL_ARTICLE, "original-date": {"date-parts": [[1900]]}}], report)
    (warning,) = messages(report, WARNING)
    assert "original-date" in warning and "not written" in warning


def test_conference_paper_t2_and_c3() -> None:
    item = {
        "type": "paper-conference",
        "title": "P",
        "container-title": "Proceedings of X",
        "event-title": "X 2021",
        "event-place": "Online",
    }
    text = write_ris([item])
    assert (tags(text, "TY"), tags(text, "T2"), tags(text, "C3")) == (
        ["CONF"],
        ["X 2021"],
        ["Proceedings of X"],
    )
    assert tags(text, "CY") == ["Online"]  # the conference location; C1 the place published
    back = one(text)
    assert (back["container-title"], back["event-title"]) == ("Proceedings of X", "X 2021")
    only_proceedings = write_ris([{k: v for k, v in item.items() if k != "event-title"}])
    # no conference name made up from the proceedings title (Zotero's export writes none)
    assert tags(only_proceedings, "T2") == []
    assert tags(only_proceedings, "C3") == ["Proceedings of X"]
    assert "event-title" not in one(only_proceedings)


@pytest.mark.parametrize(
    "name",
    [
        {"family": "Smith", "given": "John"},
        {"family": " Smith", "given": "John "},
        {"family": "Roe\u0007", "given": "Ann\nB."},
        {"family": "张", "given": "三"},
        {"family": 1984, "given": "Orwell"},
    ],
)
def test_the_usual_name_guard_writes_what_the_general_path_writes(name) -> None:
    from refconv.converters.ris.values import name_to_ris
    from refconv.converters.ris.writer import _name_line, _Writer

    clean = _Writer(Report()).clean
    assert _name_line(name, clean) == clean(name_to_ris(name))
