"""RIS: the writer's layout and choices, the tolerant reader, and real database exports."""

from __future__ import annotations

import re

import pytest
from ris_support import EXPORTS, messages, read_ris, write_ris

from conftest import GOLDEN, SEED, run_cli
from refconv.converters import ris
from refconv.converters.core.diagnostics import Report, Severity
from refconv.converters.core.model import CSL_TYPES, CUSTOM_FULLTEXT_URL

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


# --- the writer ---------------------------------------------------------------------------


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


# --- the type table -----------------------------------------------------------------------


def test_every_csl_type_has_a_ris_type_and_every_ris_type_is_read() -> None:
    assert set(ris.TYPE_TO_RIS) == set(CSL_TYPES)
    assert set(ris.TYPE_TO_RIS.values()) <= set(ris.RIS_TO_TYPE)
    assert set(ris.RIS_TO_TYPE.values()) <= set(CSL_TYPES)


# Types written with a RIS type another CSL type owns; documented in the README.
SHARED_RIS_TYPES = {
    "article": "document",  # GEN, as Zotero writes preprints; see the preprint test
    "collection": "document",
    "entry": "document",
    "event": "document",
    "performance": "document",
    "treaty": "document",
    "broadcast": "motion_picture",
    "interview": "personal_communication",
    "review": "article-journal",
    "review-book": "article-journal",
}


@pytest.mark.parametrize("csl_type", sorted(CSL_TYPES))
def test_types_come_back(csl_type: str) -> None:
    back = one(write_ris([{"type": csl_type, "title": "T"}]))
    assert back["type"] == SHARED_RIS_TYPES.get(csl_type, csl_type)


def test_issue_type_table() -> None:
    expected = {
        "article-journal": "JOUR",
        "book": "BOOK",
        "chapter": "CHAP",
        "paper-conference": "CONF",
        "thesis": "THES",
        "report": "RPRT",
        "webpage": "ELEC",
        "dataset": "DATA",
        "software": "COMP",
        "article": "GEN",
        "document": "GEN",
        "event": "GEN",
    }
    assert {t: ris.TYPE_TO_RIS[t] for t in expected} == expected
    assert ris.RIS_TO_TYPE["CPAPER"] == "paper-conference"


def test_gen_preprints_are_recognised() -> None:
    preprint = {"type": "article", "title": "P", "DOI": "10.48550/arXiv.1706.03762"}
    assert one(write_ris([preprint]))["type"] == "article"
    server = {"type": "article", "title": "P", "container-title": "bioRxiv"}
    assert one(write_ris([server]))["type"] == "article"
    assert one(write_ris([{"type": "document", "title": "D"}]))["type"] == "document"


# --- the reader -------------------------------------------------------------------------------

BASIC = (
    "TY  - JOUR\nTI  - A title\nAU  - Smith, John\nT2  - A Journal\nPY  - 2020\n"
    "SP  - 1\nEP  - 9\nER  - \n"
)


@pytest.mark.parametrize(
    "text",
    [
        BASIC,
        BASIC.replace("\n", "\r\n"),
        BASIC.replace("\n", "\r"),
        "\ufeff" + BASIC,
        "\n\n  \n" + BASIC + "\n\n",
        BASIC.replace("ER  - ", "ER  -"),
    ],
    ids=["lf", "crlf", "cr", "bom", "blank-lines", "er-without-space"],
)
def test_line_endings_bom_and_blank_lines(text: str) -> None:
    items, report = read_ris(text)
    assert items == [
        {
            "type": "article-journal",
            "title": "A title",
            "author": [{"family": "Smith", "given": "John"}],
            "container-title": "A Journal",
            "issued": {"date-parts": [[2020]]},
            "page": "1-9",
        }
    ]
    assert not messages(report, WARNING) and not messages(report, ERROR)


def test_bom_in_the_middle_of_concatenated_files() -> None:
    items, report = read_ris(BASIC + "\ufeff" + BASIC.replace("A title", "Second"))
    assert [i["title"] for i in items] == ["A title", "Second"]
    assert not report.collected


def test_continuation_lines() -> None:
    item = one(
        "TY  - JOUR\n"
        "TI  - A long title wrapped at seventy characters as the specification allows it\n"
        "  to be wrapped\n"
        "AB  - A first paragraph of the abstract that goes on for a while and then some\n"
        "more of it.\n"
        "\n"
        "Second paragraph.\n"
        "KW  - first keyword\n"
        "second keyword\n"
        "N1  - Times Cited:  5\n"
        "Cited Reference Count:  68\n"
        "ER  - \n"
    )
    assert item["title"] == (
        "A long title wrapped at seventy characters as the specification allows it to be wrapped"
    )
    assert item["abstract"] == (
        "A first paragraph of the abstract that goes on for a while and then some more of it."
        "\n\nSecond paragraph."
    )
    assert item["keyword"] == "first keyword, second keyword"
    assert item["note"] == "Times Cited:  5\nCited Reference Count:  68"


def test_lower_case_and_unknown_types_are_mapped_with_a_warning() -> None:
    items, report = read_ris(
        "TY  - jour\nTI  - a\nER  - \n"
        "TY  - JOURNAL ARTICLE\nTI  - b\nER  - \n"
        "TY  - XYZ\nTI  - c\nT2  - J\nVL  - 1\nER  - \n"
        "TY  - XYZ\nTI  - d\nER  - \n"
    )
    assert [i["type"] for i in items] == [
        "article-journal",
        "article-journal",
        "article-journal",
        "document",
    ]
    warnings = messages(report, WARNING)
    assert warnings[0] == "RIS type 'jour' is not upper case; read as JOUR (article-journal)"
    assert warnings[1] == "unknown RIS type 'JOURNAL ARTICLE'; read as article-journal"
    assert warnings[3] == "unknown RIS type 'XYZ'; read as document"


def test_old_tags_read_like_new_ones() -> None:
    new = one(
        "TY  - JOUR\nTI  - T\nAU  - Smith, J\nPY  - 1996/05/01/\nT2  - Journal\n"
        "AB  - Abstract.\nED  - Ed, E\nER  - \n"
    )
    old = one(
        "TY  - JOUR\nT1  - T\nA1  - Smith, J\nY1  - 1996/05/01/\nJF  - Journal\n"
        "N2  - Abstract.\nED  - Ed, E\nER  - \n"
    )
    assert new == old
    assert new["issued"] == {"date-parts": [[1996, 5, 1]]}


def test_da_is_preferred_and_py_supplies_a_missing_year() -> None:
    assert one("TY  - JOUR\nPY  - 2025\nDA  - 2025/04/24/\nER  - \n")["issued"] == {
        "date-parts": [[2025, 4, 24]]
    }
    # Web of Science: DA has the month only; EndNote: month and day
    assert one("TY  - JOUR\nDA  - NOV\nPY  - 2021\nER  - \n")["issued"] == {
        "date-parts": [[2021, 11]]
    }
    assert one("TY  - JOUR\nDA  - Apr 24\nPY  - 2025\nER  - \n")["issued"] == {
        "date-parts": [[2025, 4, 24]]
    }
    items, report = read_ris("TY  - JOUR\nDA  - 2019/12/30/\nPY  - 2020\nER  - \n")
    assert items[0]["issued"] == {"date-parts": [[2019, 12, 30]]}
    assert messages(report, WARNING) == [
        "PY '2020' and DA '2019/12/30/' disagree on the year; used DA"
    ]


def test_jo_is_the_journal_unless_a_full_title_is_given() -> None:
    alone = one("TY  - JOUR\nJO  - Nature Reviews Genetics\nER  - \n")
    assert alone["container-title"] == "Nature Reviews Genetics"
    assert "container-title-short" not in alone
    both = one("TY  - JOUR\nT2  - Journal of Neurosurgery\nJO  - J.Neurosurg.\nER  - \n")
    assert both["container-title"] == "Journal of Neurosurgery"
    assert both["container-title-short"] == "J.Neurosurg."
    three = one("TY  - JOUR\nJF  - Journal\nJA  - J\nJO  - Jnl\nER  - \n")
    assert (three["container-title"], three["container-title-short"]) == ("Journal", "J")
    assert three["custom"]["ris-tags"] == {"JO": ["Jnl"]}
    assert one("TY  - JOUR\nJA  - Nature\nER  - \n")["container-title"] == "Nature"


@pytest.mark.parametrize(
    ("lines", "page"),
    [
        ("SP  - 476\nEP  - 481\n", "476-481"),
        ("SP  - 476\nEP  - 81\n", "476-81"),
        ("SP  - 476-481\nEP  - 481\n", "476-481"),
        ("EP  - 481\nSP  - 476\n", "476-481"),
        ("SP  - e0123\n", "e0123"),
        ("EP  - 12\n", "12"),
        ("SP  - 5\nEP  - 5\n", "5"),
    ],
)
def test_sp_and_ep_are_joined(lines: str, page: str) -> None:
    assert one(f"TY  - JOUR\n{lines}ER  - \n")["page"] == page


def test_unknown_tags_are_kept_and_written_back() -> None:
    text = (
        "TY  - JOUR\r\nTI  - T\r\nAD  - Dept of X, Univ Y\r\nXY  - odd\r\nXY  - odder\r\n"
        "C5  - custom five\r\nER  - \r\n\r\n"
    )
    item = one(text)
    assert item["custom"]["ris-tags"] == {
        "AD": ["Dept of X, Univ Y"],
        "XY": ["odd", "odder"],
        "C5": ["custom five"],
    }
    again = write_ris([item])
    assert tags(again, "AD") == ["Dept of X, Univ Y"]
    assert tags(again, "XY") == ["odd", "odder"]
    assert tags(again, "C5") == ["custom five"]
    assert one(again) == item


def test_repeated_single_value_tags_are_kept() -> None:
    item = one("TY  - JOUR\nTI  - First\nTI  - Second\nUR  - https://a\nUR  - https://b\nER  -\n")
    assert (item["title"], item["URL"]) == ("First", "https://a")
    assert item["custom"]["ris-tags"] == {"TI": ["Second"], "UR": ["https://b"]}


def test_missing_er_at_the_end_is_read_with_a_warning() -> None:
    items, report = read_ris("TY  - JOUR\nTI  - One\nER  - \nTY  - BOOK\nTI  - Two\n")
    assert [i["title"] for i in items] == ["One", "Two"]
    (warning,) = report.collected
    assert warning.severity is WARNING and warning.line == 4 and warning.record == 2
    assert "no ER line before the end" in warning.message


def test_missing_er_before_the_next_record_is_read_with_a_warning() -> None:
    items, report = read_ris("TY  - JOUR\nTI  - One\nTY  - BOOK\nTI  - Two\nER  - \n")
    assert [i["title"] for i in items] == ["One", "Two"]
    assert messages(report, WARNING) == [
        "record has no ER line before the next TY (line 3); read anyway"
    ]


def test_record_without_ty_is_reported_with_its_line_and_skipped() -> None:
    items, report = read_ris(
        "TY  - JOUR\nTI  - One\nER  - \n\nAU  - Orphan, O\nTI  - Lost\nER  - \n"
        "TY  - JOUR\nTI  - Three\nER  - \n"
    )
    assert [i["title"] for i in items] == ["One", "Three"]
    (error,) = [d for d in report.collected if d.severity is ERROR]
    assert (error.line, error.record) == (5, 2)
    assert error.message == "record without a TY line (it starts with AU at line 5); skipped"


def test_empty_record_is_an_error() -> None:
    items, report = read_ris("TY  - JOUR\nER  - \n")
    assert items == []
    assert messages(report, ERROR) == ["empty record (TY 'JOUR' and nothing else); skipped"]


def test_junk_between_records_is_skipped_and_noted() -> None:
    items, report = read_ris("Exported by X\n1.\n" + BASIC + "junk\n" + BASIC)
    assert len(items) == 2
    assert messages(report, INFO) == [
        "text outside any record ignored (lines 1-2)",
        "text outside any record ignored (line 11)",
    ]
    assert not messages(report, WARNING)


def test_one_space_tags_only_when_known() -> None:
    item = one("TY  - JOUR\nAU - Doe, Jane\nTI  - Fish and chips: a\nUS - based survey\nER  - \n")
    assert item["author"] == [{"family": "Doe", "given": "Jane"}]
    assert item["title"] == "Fish and chips: a US - based survey"


def test_html_entities_are_decoded_outside_abstracts_and_notes() -> None:
    item = one("TY  - JOUR\nTI  - Fish &amp; chips\nAB  - 1 &lt; 2\nN1  - a &amp; b\nER  - \n")
    assert item["title"] == "Fish & chips"
    assert item["abstract"] == "1 &lt; 2"
    assert item["note"] == "a &amp; b"


def test_names_as_databases_write_them() -> None:
    item = one(
        "TY  - JOUR\nAU  - Maxwell, BD\nAU  - van der Berg, Jan, Jr.\nAU  - Smith JA\n"
        "AU  - World Health Organization,\nAU  - 张三\nAU  - VISTA Consortium\n"
        "A1  - VISTA Consortium\nA1  - CMS Collaboration\nER  - \n"
    )
    assert item["author"] == [
        {"family": "Maxwell", "given": "BD"},
        {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der", "suffix": "Jr."},
        {"family": "Smith", "given": "JA"},
        {"literal": "World Health Organization"},
        {"family": "张", "given": "三"},
        {"literal": "VISTA Consortium"},
        {"literal": "CMS Collaboration"},
    ]


def test_serial_numbers_by_their_form() -> None:
    journal = one("TY  - JOUR\nSN  - 15918890 (ISSN)\nSN  - 1591-9528\nER  - \n")
    assert journal["ISSN"] == "15918890, 1591-9528"
    proceedings = one("TY  - CONF\nSN  - 15525996 (ISSN); 978-172811547-4 (ISBN)\nER  - \n")
    assert (proceedings["ISSN"], proceedings["ISBN"]) == ("15525996", "978-172811547-4")
    report = one("TY  - RPRT\nSN  - WHO/HTM/GMP/2020.1\nSN  - 978-92-4-001579-1\nER  - \n")
    assert (report["number"], report["ISBN"]) == ("WHO/HTM/GMP/2020.1", "978-92-4-001579-1")


def test_pubmed_ids_in_c2_and_an() -> None:
    scopus = one("TY  - JOUR\nC2  - 40272595\nER  - \n")
    assert scopus["PMID"] == "40272595"
    endnote = one("TY  - JOUR\nC2  - PMC12021721\nAN  - 40272595\nER  - \n")
    assert (endnote["PMCID"], endnote["PMID"]) == ("PMC12021721", "40272595")
    wos = one("TY  - JOUR\nAN  - WOS:000720133300004\nER  - \n")
    assert wos["archive_location"] == "WOS:000720133300004"


def test_doi_in_m3_and_prefixed_dois() -> None:
    assert one("TY  - JOUR\nM3  - doi:10.3171/jns.1996.85.3.0476\nER  - \n")["DOI"] == (
        "10.3171/jns.1996.85.3.0476"
    )
    item = one("TY  - JOUR\nDO  - https://doi.org/10.1000/ABC\nM3  - Review\nER  - \n")
    assert (item["DOI"], item["genre"]) == ("10.1000/ABC", "Review")


def test_ris_id_is_the_item_id() -> None:
    assert one("TY  - JOUR\nTI  - T\nID  - smith2020\nER  - \n")["id"] == "smith2020"


# --- real exports -------------------------------------------------------------------------


def read_export(name: str) -> tuple[list[dict], Report]:
    data = (EXPORTS / name).read_bytes().decode("utf-8")
    return read_ris(data.removeprefix("\ufeff"))


def ty_count(name: str) -> int:
    return len(re.findall(rb"^(?:\xef\xbb\xbf)?TY  - ", (EXPORTS / name).read_bytes(), re.M))


@pytest.mark.parametrize(
    "name", ["scopus.ris", "wos.ris", "pubmed.ris", "zotero.ris", "endnote.ris", "messy.ris"]
)
def test_every_record_of_an_export_is_accounted_for(name: str) -> None:
    items, report = read_export(name)
    skipped = messages(report, ERROR)
    headless = sum("without a TY line" in m for m in skipped)
    assert len(items) + len(skipped) == ty_count(name) + headless
    assert all(i.get("title") for i in items)


def test_scopus_export() -> None:
    items, report = read_export("scopus.ris")
    article, paper = items
    assert article["author"][0] == {"family": "Liu", "given": "H."}
    assert article["number"] == "127"  # C7 article number
    assert (article["PMID"], article["ISSN"]) == ("40272595", "15918890")
    assert article["archive"] == "Scopus"
    assert len(article["custom"]["ris-tags"]["AD"]) == 2
    assert paper["type"] == "paper-conference" and paper["page"] == "210-219"
    assert not report.collected


def test_web_of_science_export() -> None:
    items, report = read_export("wos.ris")
    article, paper = items
    assert [n.get("literal") or n["family"] for n in article["author"]] == [
        "Maxwell",
        "Loram",
        "VISTA Consortium",
    ]
    assert article["issued"] == {"date-parts": [[2021, 11]]}
    assert article["container-title-short"] == "J. Veg. Sci."
    assert article["abstract"].split("\n") == [
        "Questions Does the presence of salt marsh vegetation reduce erosion?",
        "Location Coastal dunes, Western Europe.",
        "Methods We compared trait values from floras with field measurements.",
        "Results Floras were reliable for most traits.",
    ]
    assert article["note"].count("\n") == 2
    assert (article["publisher"], article["ISSN"]) == ("WILEY", "1100-9233, 1654-1103")
    assert paper["type"] == "paper-conference"
    assert paper["event-title"] == "International Conference on Humanity and Social Science (ICHSS)"
    assert "Social Science & Humanities" in paper["custom"]["ris-tags"]["WE"][0]
    assert not report.collected


def test_pubmed_derived_export() -> None:
    items, _ = read_export("pubmed.ris")
    first, second = items
    assert first["title"] == "Exosome-based immunotherapy in hepatocellular carcinoma."
    assert (first["container-title"], first["container-title-short"]) == (
        "Clinical and experimental medicine",
        "Clin Exp Med",
    )
    assert first["issued"] == {"date-parts": [[2025, 4, 24]]}
    assert first["ISSN"] == "1591-9528, 1591-8890"
    assert first["keyword"] == "Humans; Carcinoma, Hepatocellular/therapy; Exosomes/immunology"
    assert first["PMID"] == "40272595"
    assert second["DOI"] == "10.3171/jns.1996.85.3.0476"  # from M3
    assert second["page"] == "476-81"


def test_zotero_export() -> None:
    items, report = read_export("zotero.ris")
    article, chapter, paper = items
    assert article["accessed"] == {"date-parts": [[2025, 5, 20]]}
    assert article["custom"][CUSTOM_FULLTEXT_URL].endswith("PMC12021721/pdf/")
    assert article["note"] == "Read for the journal club."  # Zotero's HTML note as text
    assert chapter["editor"] == [{"family": "Müller", "given": "Hans"}]
    assert chapter["collection-editor"] == [{"family": "Walker", "given": "John M."}]
    assert chapter["collection-title"] == "Methods in Molecular Biology"
    assert paper["container-title"] == "Advances in Neural Information Processing Systems 34"
    # Zotero exports a conference paper's place (the place published) as C1
    assert (paper["event-title"], paper["publisher-place"]) == ("NeurIPS 2021", "Online")
    assert not report.collected


def test_endnote_export() -> None:
    items, report = read_export("endnote.ris")
    article, chapter, page = items
    assert article["id"] == "1432"
    assert article["keyword"] == "Humans; Carcinoma, Hepatocellular/therapy; Exosomes"
    assert article["ISSN"] == "1591-8890, 1591-9528"
    assert article["issued"] == {"date-parts": [[2025, 4, 24]]}
    assert article["available-date"] == {"date-parts": [[2025, 4, 24]]}  # ET epub date
    assert article["PMCID"] == "PMC12021721"
    assert chapter["edition"] == "2nd" and chapter["page"] == "45-67"
    assert page["author"] == [{"literal": "World Health Organization"}]
    assert page["accessed"] == {"date-parts": [[2025, 1, 9]]}
    assert not report.collected


def test_messy_file() -> None:
    items, report = read_export("messy.ris")
    assert [i["title"] for i in items] == [
        "A title that was wrapped at seventy characters by an exporter that follows the "
        "specification's advice",
        "Fish & chips: a US - based survey",
        "A book whose ER went missing",
        "The last record, without ER",
    ]
    assert items[0]["author"][1] == {"family": "Doe", "given": "Jane"}
    assert items[0]["abstract"].endswith("continues here.\n\nSecond paragraph.")
    assert items[3]["container-title"] == "The Book It Is In"
    assert len(messages(report, WARNING)) == 4
    assert messages(report, ERROR) == [
        "record without a TY line (it starts with AU at line 28); skipped"
    ]


# --- detection and the command line -----------------------------------------------------------


def test_sniff() -> None:
    assert ris.sniff(BASIC) >= 0.9
    assert ris.sniff("\n\nProvider: X\n\n" + BASIC) >= 0.9
    assert ris.sniff('[{"id": "a", "type": "book"}]') == 0.0
    assert ris.sniff("@article{key, title={T}}") == 0.0


def test_cli_reads_ris_from_stdin_and_exits_1_on_a_skipped_record() -> None:
    good = run_cli("convert", "-t", "csl-json", input=BASIC)
    assert good.exit_code == 0, good.stderr
    assert '"title": "A title"' in good.stdout
    bad = run_cli("convert", "-t", "csl-json", input=BASIC + "AU  - Orphan, O\nER  - \n")
    assert bad.exit_code == 1
    assert "line 9" in bad.stderr and "without a TY line" in bad.stderr
