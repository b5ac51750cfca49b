"""RIS reader: tags to CSL variables, real database exports, detection and the command line."""

from __future__ import annotations

import re

import pytest
from ris_support import BASIC, EXPORTS, messages, read_ris, write_ris

from conftest import run_cli
from refconv.converters import ris
from refconv.converters.core.diagnostics import Report, Severity
from refconv.converters.core.model import CUSTOM_FULLTEXT_URL

WARNING, ERROR, INFO = Severity.WARNING, Severity.ERROR, Severity.INFO


def tags(text: str, tag: str) -> list[str]:
    return [line[6:] for line in re.split(r"\r?\n", text) if line.startswith(f"{tag}  - ")]


def one(text: str) -> dict:
    items, report = read_ris(text)
    assert len(items) == 1, report.collected
    return items[0]


# --- the reader -------------------------------------------------------------------------------


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
