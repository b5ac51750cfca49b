"""The citation writer: styles, locales, markups, clusters, safety and clear errors."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import GOLDEN, SEED, run_cli
from refconv.converters import convert
from refconv.converters.core.diagnostics import ConversionError, Report, Severity
from refconv.converters.formatting import (
    UnknownLocaleError,
    UnknownStyleError,
    catalog,
    format_bibliography,
    format_citations,
    list_styles,
    load_clusters,
    render,
    resolve_style,
)
from refconv.converters.formatting import markup as mk
from refconv.converters.formatting.engine import Engine, UnsupportedStyleError
from refconv.converters.formatting.items import prepare, split_name
from refconv.converters.formatting.xmlsafe import UnsafeXMLError

CORPUS = json.loads((GOLDEN / "citation" / "corpus.json").read_text(encoding="utf-8"))
BY_ID = {item["id"]: item for item in CORPUS}
SEED_APA = (
    "Liu, H., Wang, G., Li, Z., Zhang, X., Zhang, W., Zhang, X., Liu, F., & Gao, J. (2025). "
    "Exosome-based immunotherapy in hepatocellular carcinoma. Clinical and Experimental "
    "Medicine, 25(1), 127. https://doi.org/10.1007/s10238-025-01659-2"
)
HOSTILE = {
    "id": "hostile",
    "type": "book",
    "title": "<script>alert(1)</script> and [a link](http://evil.example) `code` |sub|",
    "author": [{"family": "*bold*", "given": "_Under_"}],
    "publisher": "P & Q <b>Press",
    "issued": {"date-parts": [[2020]]},
}
MINIMAL_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Minimal</title><id>minimal</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title" font-style="italic"/></layout></bibliography>
</style>
"""


def items(*ids: str) -> list[dict]:
    return [json.loads(json.dumps(BY_ID[i])) for i in ids]


# --- the writer through the CLI ---------------------------------------------------------------


def test_cli_formats_the_example_record_in_apa_by_default():
    result = run_cli("convert", str(SEED), "-t", "citation")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == SEED_APA + "\n"


def test_cli_citation_mode_prints_one_in_text_citation():
    result = run_cli("convert", str(SEED), "-t", "citation", "-O", "mode=citation")
    assert (result.exit_code, result.stdout) == (0, "(Liu et al., 2025)\n")


def test_cli_style_alias_and_html_markup():
    result = run_cli(
        "convert", str(SEED), "-t", "citation", "-O", "style=vancouver", "-O", "markup=html"
    )
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(result.stdout)  # well-formed
    assert root.get("class") == "csl-bib-body"
    [entry] = list(root)
    assert entry.get("class") == "csl-entry"
    assert "Liu H, Wang G" in "".join(entry.itertext())
    assert "<i>" not in result.stdout or "</i>" in result.stdout


def test_cli_unknown_style_is_a_usage_error_with_suggestions():
    result = run_cli("convert", str(SEED), "-t", "citation", "-O", "style=vancuver")
    assert result.exit_code == 2
    assert "unknown style 'vancuver'; did you mean vancouver" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_unknown_locale_is_a_usage_error_with_suggestions():
    result = run_cli("convert", str(SEED), "-t", "citation", "-O", "locale=de-XX")
    assert result.exit_code == 2
    assert "unknown locale 'de-XX'; did you mean de-AT, de-CH, de-DE" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_bad_markup_and_mode_are_usage_errors():
    for option, word in (("markup=latex", "markup"), ("mode=notes", "mode")):
        result = run_cli("convert", str(SEED), "-t", "citation", "-O", option)
        assert result.exit_code == 2
        assert f"unknown {word}" in result.stderr and "choose from" in result.stderr


def test_cli_citations_file_gives_one_line_per_cluster(tmp_path):
    records = tmp_path / "items.json"
    records.write_text(json.dumps(items("watson1953", "knuth1997")), encoding="utf-8")
    clusters = tmp_path / "clusters.json"
    clusters.write_text(
        json.dumps(
            [
                [{"id": "knuth1997", "locator": "12-15"}],
                [{"id": "watson1953"}, {"id": "knuth1997", "prefix": "see "}],
                [{"id": "nobody"}],
            ]
        ),
        encoding="utf-8",
    )
    result = run_cli(
        "convert", str(records), "-t", "citation", "-O", "mode=citation",
        "-O", f"citations={clusters}",
    )  # fmt: skip
    assert result.exit_code == 1  # a cite of an unknown id fails, the others are written
    assert "no item with id 'nobody'" in result.stderr
    assert result.stdout.splitlines() == [
        "(Knuth, 1997, pp. 12–15)",
        "(see Knuth, 1997; Watson & Crick, 1953)",
        "",
    ]


# --- styles --------


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("vancouver", "nlm-citation-sequence"),
        ("harvard", "harvard-cite-them-right"),
        ("chicago", "chicago-author-date"),
        ("mla", "modern-language-association"),
        ("gb7714", "china-national-standard-gb-t-7714-2015-numeric"),
        ("GB7714-author-date", "china-national-standard-gb-t-7714-2015-author-date"),
        ("apa5th", "apa"),  # renamed-styles.json
        ("http://www.zotero.org/styles/ieee", "ieee"),
        ("Nature.csl", "nature"),
    ],
)
def test_names_aliases_renamed_styles_and_ids_resolve(alias, name):
    assert resolve_style(alias).name == name


def test_a_style_file_path_is_used_as_given(tmp_path):
    style = tmp_path / "my style.csl"
    style.write_text(MINIMAL_STYLE, encoding="utf-8")
    out = render(items("knuth1997"), style=str(style), markup="html")
    assert "<i>The Art of Computer Programming</i>" in out
    missing = tmp_path / "nope.csl"
    with pytest.raises(UnknownStyleError, match="no such file"):
        resolve_style(str(missing))


def test_unknown_style_suggests_only_styles_that_exist():
    with pytest.raises(UnknownStyleError) as error:
        resolve_style("chicago-author-dat")
    assert error.value.suggestions[0] == "chicago-author-date"
    available = set(catalog.curated_files()) | set(catalog.repository_files())
    aliases = catalog._alias_table()
    assert all(s in available or aliases.get(s) in available for s in error.value.suggestions)


def test_dependent_style_uses_its_parent_with_its_own_locale():
    own = Engine("informatik-spektrum")  # a German journal, on springer-basic-brackets
    parent = Engine("springer-basic-brackets")
    assert own.parent is not None and own.parent.name == "springer-basic-brackets"
    assert (own.locale, parent.locale) == ("de-DE", "en-US")
    assert own.title == "Informatik-Spektrum (Deutsch)"
    chapter = items("delacruz2019")
    assert (
        "Smith J Jr (Hrsg) Handbook of Ethnobiology, 2. Aufl."
        in (format_bibliography(chapter, own)[0])
    )
    assert (
        "Smith J Jr (eds) Handbook of Ethnobiology, 2nd ed."
        in (format_bibliography(chapter, parent)[0])
    )


def test_dependent_style_file_whose_parent_is_not_available(tmp_path):
    style = tmp_path / "orphan.csl"
    style.write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>O</title>'
        '<link href="file:///etc/passwd" rel="independent-parent"/></info></style>',
        encoding="utf-8",
    )
    with pytest.raises(UnknownStyleError, match="parent of dependent style 'orphan'"):
        Engine(str(style))


def test_every_shipped_style_carries_the_cc_by_sa_licence_and_is_credited():
    readme = (catalog.CURATED_DIR / "README.md").read_text(encoding="utf-8")
    assert "https://citationstyles.org/" in readme and "Attribution-ShareAlike 3.0" in readme
    for name, path in catalog.curated_files().items():
        text = path.read_text(encoding="utf-8")
        assert "creativecommons.org/licenses/by-sa/3.0/" in text, name
        assert f"`{name}`" in readme, name


def test_the_issue_list_of_styles_ships():
    for name in (
        "apa chicago-author-date chicago-notes-bibliography modern-language-association ieee "
        "nlm-citation-sequence harvard-cite-them-right nature science "
        "american-medical-association american-chemical-society elsevier-harvard "
        "springer-basic-author-date bmj the-lancet plos "
        "china-national-standard-gb-t-7714-2015-numeric "
        "china-national-standard-gb-t-7714-2015-author-date din-1505-2 iso690-author-date-en"
    ).split():
        assert catalog.find_named(name).source == catalog.CURATED, name


def test_list_styles_filters_by_words_in_name_title_and_aliases():
    every = list_styles()
    assert {s.name for s in every} >= set(catalog.curated_files())
    assert [s.source for s in every[: len(catalog.curated_files())]] == ["built-in"] * len(
        catalog.curated_files()
    )
    vancouver = {s.name for s in list_styles("vancouver")}
    assert {"nlm-citation-sequence", "elsevier-vancouver"} <= vancouver
    assert {s.name for s in list_styles("gb 7714 numeric") if s.source == "built-in"} == {
        "china-national-standard-gb-t-7714-2015-numeric"
    }
    assert "harvard-cite-them-right" in {s.name for s in list_styles("CITE them RIGHT")}
    assert list_styles("no style is called this") == []


@pytest.mark.skipif(not catalog.repository_dir(), reason="the styles extra is not installed")
def test_the_styles_extra_adds_the_whole_repository():
    assert len(catalog.repository_files()) > 10_000
    info = resolve_style("cell-reports")  # a dependent style of the repository
    assert (info.source, info.parent) == ("repository", "cell")
    assert "not supported" not in render(items("watson1953"), style="cell-reports")


# --- locales --------


def test_locale_names_are_canonicalised_and_change_the_terms():
    assert catalog.canonical_locale("de") == "de-DE"
    assert catalog.canonical_locale("en_gb") == "en-GB"
    assert "zh-CN" in catalog.locale_names()
    german = format_bibliography(items("editedbook1"), "apa", locale="de")[0]
    assert "(Hrsg.)" in german
    with pytest.raises(UnknownLocaleError):
        format_bibliography(items("editedbook1"), "apa", locale="klingon")


def test_a_locale_file_path_is_loaded_safely(tmp_path):
    source = catalog.locale_file("de-DE").read_text(encoding="utf-8")
    custom = tmp_path / "locales-de-XX.xml"
    custom.write_text(source.replace("Hrsg.", "Herausgeber*in"), encoding="utf-8")
    out = format_bibliography(items("editedbook1"), "apa", locale=str(custom))[0]
    assert "(Herausgeber*in)" in out


def test_style_default_locale_is_used_when_none_is_given():
    assert Engine("din-1505-2").locale == "de-DE"
    assert Engine("apa").locale == "en-US"
    assert Engine("apa", "fr").locale == "fr-FR"


# --- safety --------


def _xxe(tmp_path: Path, secret: Path) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        + MINIMAL_STYLE.split("?>", 1)[1].replace("<title>Minimal", "<title>&x;")
    )


def test_a_style_that_tries_to_read_a_local_file_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    style = tmp_path / "evil.csl"
    style.write_text(_xxe(tmp_path, secret), encoding="utf-8")
    with pytest.raises(UnsupportedStyleError, match="declares <!DOCTYPE>"):
        render(items("knuth1997"), style=str(style))
    records = tmp_path / "items.json"
    records.write_text(json.dumps(items("knuth1997")), encoding="utf-8")
    result = run_cli("convert", str(records), "-t", "citation", "-O", f"style={style}")
    assert result.exit_code == 2
    assert "TOP-SECRET" not in result.stdout + result.stderr
    assert "refuses" in result.stderr and "Traceback" not in result.stderr


def test_a_dependent_style_file_is_checked_before_its_parent_is_used(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    style = tmp_path / "dependent.csl"
    style.write_text(
        f'<!DOCTYPE style [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>&x;</title>'
        '<link href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info></style>',
        encoding="utf-8",
    )
    with pytest.raises(UnsupportedStyleError, match="declares <!DOCTYPE>") as error:
        Engine(str(style))
    assert "TOP-SECRET" not in str(error.value)


def test_a_locale_file_with_an_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    source = catalog.locale_file("en-US").read_text(encoding="utf-8")
    head, rest = source.split("?>", 1)
    evil = tmp_path / "locales-en-XX.xml"
    evil.write_text(
        f'{head}?><!DOCTYPE locale [<!ENTITY x SYSTEM "file://{secret}">]>'
        + rest.replace(">and<", ">&x;<", 1),
        encoding="utf-8",
    )
    with pytest.raises(ConversionError, match="declares <!DOCTYPE>"):
        render(items("watson1953"), style="apa", locale=str(evil))


def test_the_parser_itself_resolves_no_entities_even_unchecked(tmp_path):
    """Defence in depth: were the DOCTYPE check bypassed, lxml still reads no file."""
    from lxml import etree

    from refconv.converters.formatting.xmlsafe import make_parser

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = f'<!DOCTYPE a [<!ENTITY x SYSTEM "file://{secret}">]><a>&x;</a>'.encode()
    root = etree.fromstring(data, make_parser())
    assert "TOP-SECRET" not in etree.tostring(root).decode()


def test_check_bytes_refuses_entities_and_oversized_files():
    from refconv.converters.formatting.xmlsafe import check_bytes

    with pytest.raises(UnsafeXMLError, match="ENTITY"):
        check_bytes(b"<style><!ENTITY a 'b'></style>", "style x")
    with pytest.raises(UnsafeXMLError, match="too large"):
        check_bytes(b" " * (9 * 1024 * 1024), "style x")


def test_hostile_data_is_inert_in_html():
    out = render([HOSTILE], style="apa", markup="html")
    ET.fromstring(out)  # still well-formed
    assert "<script" not in out and "&#60;script&#62;alert(1)&#60;/script&#62;" in out
    assert "<b>Press" not in out and "P &#38; Q &#60;b&#62;Press" in out
    assert "*bold*" in out  # shown as typed, not markup in HTML


def test_hostile_data_is_inert_in_markdown():
    out = render([HOSTILE], style="apa", markup="markdown")
    assert "\\*bold\\*" in out and "\\_Under\\_" in out
    assert "\\<script\\>" in out and "[a link\\](http" in out and "\\`code\\`" in out
    citation = render([HOSTILE], style="apa", markup="markdown", mode="citation")
    assert citation == "(\\*bold\\*, 2020)\n"


def test_hostile_data_is_inert_in_rst():
    out = render([HOSTILE], style="apa", markup="rst")
    assert "\\*bold\\*" in out and "\\`code\\`" in out and "\\|sub\\|" in out


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.interop
def test_pandoc_reads_our_markdown_without_markup_from_the_data():
    out = render([HOSTILE, *items("ecoli2019")], style="apa", markup="markdown")
    html = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "html"],
        input=out.encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "<script" not in html and "<code>" not in html and "<a href" not in html
    assert "<em>bold</em>" not in html and "*bold*" in html
    assert "<em>Escherichia coli</em>" in html and "CO<sub>2</sub>" in html


def test_docutils_reads_our_rst_without_markup_from_the_data():
    core = pytest.importorskip("docutils.core")
    out = render([HOSTILE, *items("ecoli2019"), *items("watson1953")], style="ieee", markup="rst")
    html = core.publish_string(
        out, writer="html", settings_overrides={"report_level": 2, "halt_level": 2}
    ).decode()
    assert "<script" not in html and "<em>bold</em>" not in html and "*bold*" in html
    assert '<span class="docutils literal">' not in html and "<ol" not in html
    assert "<sub>2</sub>" in html


SCRIPT_LINKS = {
    "id": "scripted",
    "type": "webpage",
    "title": "Read javascript:alert(1) or (vbscript:msgbox) or x/data:text/html,<b>",
    "URL": "javascript:alert(document.cookie)",
    "issued": {"date-parts": [[2020]]},
}
WEB_LINK = {**SCRIPT_LINKS, "id": "web", "title": "Web", "URL": "https://example.org/a:b"}


def test_docutils_makes_no_link_of_a_script_or_data_uri_in_our_rst():
    core = pytest.importorskip("docutils.core")
    out = render([SCRIPT_LINKS, WEB_LINK], style="apa", markup="rst")
    html = core.publish_string(out, writer="html", settings_overrides={"report_level": 5}).decode()
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["https://example.org/a:b"]
    # shown as typed, only not a link
    assert "javascript:alert(document.cookie)" in html and "vbscript:msgbox" in html


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.interop
def test_pandoc_makes_no_link_of_a_script_uri_in_our_markdown_even_with_bare_autolinks():
    out = render([SCRIPT_LINKS, WEB_LINK], style="apa", markup="markdown")
    html = subprocess.run(
        ["pandoc", "-f", "markdown+autolink_bare_uris", "-t", "html"],
        input=out.encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert re.findall(r'href="([^"]*)"', html) == ["https://example.org/a:b"]
    assert "javascript:alert(document.cookie)" in html


@pytest.mark.parametrize("markup", ["html", "markdown", "rst"])
def test_markup_writers_keep_web_links_and_unlink_other_schemes(markup):
    assert mk.markdown_escape("see https://x.org/a:b") == "see https://x.org/a:b"
    assert mk.rst_escape("go javascript:alert(1)") == "go javascript\\:alert(1)"
    assert mk.markdown_escape("DATA:text/html,x") == "DATA\\:text/html,x"
    assert mk.rst_escape("Title: Subtitle at 10:30") == "Title: Subtitle at 10:30"
    out = render([SCRIPT_LINKS], style="apa", markup=markup)
    assert "<a " not in out and "](" not in out and "`_" not in out


# --- markup of rich text in data --------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("text", "Fixation of CO2 by engineered Escherichia coli strains using the pH-sensitive"),
        ("html", "CO<sub>2</sub> by engineered <i>Escherichia coli</i> strains"),
        ("markdown", "CO~2~ by engineered *Escherichia coli* strains"),
        ("rst", "CO\\ :sub:`2` by engineered *Escherichia coli* strains"),
    ],
)
def test_rich_text_in_titles_is_rendered_in_the_chosen_markup(markup, expected):
    out = render(items("ecoli2019"), style="apa", markup=markup)
    assert expected in out
    assert "&lt;i&gt;" not in out and "<span class" not in out


def test_nocase_spans_survive_title_case():
    out = render(items("ecoli2019"), style="chicago-author-date")
    assert "Strains Using the pH-" in out  # "pH" kept, and no space inserted after it


def test_markdown_and_rst_keep_numbered_entries_from_becoming_lists(tmp_path):
    numbered = tmp_path / "numbered.csl"
    numbered.write_text(
        MINIMAL_STYLE.replace(
            '<bibliography><layout><text variable="title" font-style="italic"/>',
            '<bibliography><layout><text variable="citation-number" suffix=". "/>'
            '<text variable="title" font-style="italic"/>',
        ),
        encoding="utf-8",
    )
    two = items("watson1953", "knuth1997")
    md = render(two, style=str(numbered), markup="markdown")
    rst = render(two, style=str(numbered), markup="rst")
    assert [p[:4] for p in md.split("\n\n")] == ["1\\. ", "2\\. "]
    assert [p[:4] for p in rst.split("\n\n")] == ["1\\. ", "2\\. "]


def _spans(nodes: list) -> list[str]:
    kinds = []
    for node in nodes:
        if isinstance(node, mk.Span):
            kinds += [node.kind, *_spans(node.children)]
    return kinds


def test_data_is_only_ever_leaf_text_so_it_cannot_forge_formatting():
    # the noncharacters older refconv used as formatting marks, Markdown and RST emphasis
    title = "\ufdd6Bold?\ufdd7 **strong** *em*"
    forged = {**BY_ID["knuth1997"], "title": title}
    (entry,) = Engine("apa").bibliography(prepare([forged]))
    assert isinstance(entry.text, mk.Formatted)
    assert _spans(entry.text.nodes) == [mk.ITALIC]  # the style's italic title, nothing else
    assert title in entry.text.text()
    html = render([forged], style="apa", markup="html")
    assert "<b>" not in html and f"<i>{title}" in html
    markdown = render([forged], style="apa", markup="markdown")
    assert "\\*\\*strong\\*\\* \\*em\\*" in markdown


def test_formatted_text_joins_like_a_string_and_keeps_runs_whole():
    italic = mk.formatted(mk.ITALIC, "b")
    joined = "a " + italic + " c" + mk.formatted(mk.BOLD, "") + ""
    assert joined.nodes == ["a ", mk.Span(mk.ITALIC, ["b"]), " c", mk.Span(mk.BOLD, [])]
    assert ("x" + joined + "y").nodes[0] == "xa " and ("x" + joined + "y").nodes[-1] == "y"
    assert (joined + joined).nodes[3:5] == [mk.Span(mk.BOLD, []), "a "]
    assert mk.join("; ", ["a", "b"]) == "a; b"
    assert mk.join("; ", ["a", italic]).nodes == ["a; ", mk.Span(mk.ITALIC, ["b"])]
    # a double space inside one run keeps its width in HTML; runs are escaped whole
    assert mk.render("a " + (" " + italic), "html") == "a\u00a0 <i>b</i>"
    assert mk.render(joined, "text") == "a b c"


def test_unbalanced_rich_text_stays_literal():
    book = {"id": "x", "type": "book", "title": "a <i>b and</i> c</i> <b>d", "author": []}
    html = render([book], style="apa", markup="html")
    # the book title is italic, so the italic span in it flips to roman (CSL Appendix VI)
    assert (
        '<i>a <span style="font-style:normal;">b and</span> c&#60;/i&#62; &#60;b&#62;d</i>' in html
    )


def test_rich_text_is_literal_in_number_variables():
    # citeproc-js prints markup in a number variable as text (CSL test flipflop_NumericField)
    book = {"id": "x", "type": "book", "title": "T", "edition": "1<sup>er</sup>"}
    assert "1&#60;sup&#62;er&#60;/sup&#62;" in render([book], style="apa", markup="html")


# --- items --------


def test_ids_that_differ_only_in_case_are_both_formatted_with_a_warning():
    report = Report()
    one = {**BY_ID["knuth1997"], "id": "Knuth1997"}
    two = {**BY_ID["watson1953"], "id": "knuth1997"}
    out = format_citations([one, two], [[{"id": "Knuth1997"}], [{"id": "knuth1997"}]],
                           "apa", report=report)  # fmt: skip
    assert out == ["(Knuth, 1997)", "(Watson & Crick, 1953)"]
    assert [d.severity for d in report.collected] == [Severity.WARNING]
    assert "same as 'Knuth1997' ignoring case" in report.collected[0].message


def test_string_raw_and_partial_dates_are_read():
    book = {"id": "b", "type": "book", "title": "T", "author": [{"family": "A", "given": "B"}]}
    for issued, year in (("2019-05", "2019"), ({"raw": "12 March 2018"}, "2018"), (2017, "2017")):
        assert f"({year}" in format_bibliography([{**book, "issued": issued}], "apa")[0]
    # months 13-24 are seasons; they stay months so season ranges keep both ends
    prepared = prepare([{**book, "issued": {"date-parts": [["2020", "13"]]}}])
    assert prepared.items[0]["issued"] == {"date-parts": [[2020, 13]]}


def test_season_ranges_print_both_seasons(tmp_path):
    style = tmp_path / "dates.csl"
    style.write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">'
        '<citation><layout><date variable="issued" form="text" date-parts="year-month-day"/>'
        "</layout></citation></style>",
        encoding="utf-8",
    )
    book = {"id": "b", "type": "book", "issued": {"date-parts": [[1999, 21], [2001, 22]]}}
    assert format_citations([book], None, str(style)) == ["Spring 1999–Summer 2001"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            {"family": "van der Waals", "given": "Johannes"},
            {"family": "Waals", "given": "Johannes", "non-dropping-particle": "van der"},
        ),
        (
            {"family": "Beethoven", "given": "Ludwig van"},
            {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
        ),
        (
            {"family": "King", "given": "Martin Luther, Jr."},
            {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        ),
        ({"family": '"van Happel"', "given": "E."}, {"family": "van Happel", "given": "E."}),
        (
            {"family": "von Hoppel", "given": "G.", "parse-names": False},
            {"family": "von Hoppel", "given": "G."},
        ),
        ({"family": "张", "given": "伟"}, {"family": "张", "given": "伟"}),
        ({"literal": "WHO", "family": "ignored"}, {"literal": "WHO"}),
        ({"family": "World Bank", "isInstitution": True}, {"literal": "World Bank"}),
        (
            {"family": "Smith", "given": "J.", "static-ordering": True},
            {"family": "Smith", "given": "J.", "static-ordering": True},
        ),
        (
            {"family": "Doe", "given": "Jeffrey", "suffix": "Jr.", "comma-suffix": True},
            {"family": "Doe", "given": "Jeffrey", "suffix": "Jr.", "comma-suffix": True},
        ),
    ],
)
def test_names_are_split_as_citeproc_js_splits_them(name, expected):
    assert split_name(name) == expected


def test_particles_ending_in_an_apostrophe_or_hyphen_join_the_family_name():
    out = render(items("dalembert1751"), style="apa")
    assert out.startswith("d’Alembert, J. le R.")  # a typographic apostrophe, as citeproc-js
    name = {"family": "al-Aswānī", "given": "ʿAlāʾ"}
    arabic = {"id": "a", "type": "book", "title": "T", "author": [name]}
    assert render([arabic], style="apa", mode="citation") == "(al-Aswānī, n.d.)\n"


def test_items_are_not_modified():
    original = items("vaswani2017")
    before = json.dumps(original, sort_keys=True)
    render(original, style="apa")
    assert json.dumps(original, sort_keys=True) == before


# --- clusters --------


def test_clusters_accept_citeproc_js_shapes_and_report_bad_ones(tmp_path):
    specs = load_clusters(
        [
            {"citationItems": [{"id": "a", "locator": 12}], "properties": {"noteIndex": 1}},
            ["b", {"id": "c", "suppress-author": "true"}],
        ]
    )
    assert [[s.id for s in c] for c in specs] == [["a"], ["b", "c"]]
    assert (specs[0][0].locator, specs[1][1].suppress_author) == ("12", True)
    with pytest.raises(ConversionError, match="cluster 1, cite 1: the cite has no 'id'"):
        load_clusters([[{"locator": "1"}]])
    with pytest.raises(ConversionError, match="'suppress-author' must be true or false"):
        load_clusters([[{"id": "a", "suppress-author": "maybe"}]])
    broken = tmp_path / "c.json"
    broken.write_text("[[{", encoding="utf-8")
    with pytest.raises(ConversionError, match="invalid JSON"):
        load_clusters(broken)


def test_suppress_author_and_author_only():
    pair = items("smith2020a", "watson1953")
    clusters = [
        [{"id": "watson1953", "suppress-author": True}],
        [{"id": "watson1953", "author-only": True}],
    ]
    lines = format_citations(pair, clusters, "apa")
    assert lines == ["(1953)", "Watson & Crick"]


def test_positions_follow_the_cluster_order_unless_told_otherwise():
    book = items("knuth1997")
    clusters = [[{"id": "knuth1997"}], [{"id": "knuth1997"}]]
    notes = format_citations(book, clusters, "chicago-notes-bibliography")
    assert len(notes[1]) < len(notes[0])  # the subsequent note is the short form
    independent = format_citations(book, clusters, "chicago-notes-bibliography",
                                   track_positions=False)  # fmt: skip
    assert independent[0] == independent[1] == notes[0]


def test_bibliography_with_citations_puts_cited_items_first_and_keeps_the_rest():
    report = Report(keep_info=True)
    out = format_bibliography(
        items("watson1953", "knuth1997", "who2020"),
        "vancouver",
        citations=[[{"id": "who2020"}], [{"id": "knuth1997"}]],
        report=report,
    )
    assert [e.split(".", 1)[0] for e in out] == ["1", "2", "3"]
    assert "World Health Organization" in out[0] and "Knuth" in out[1] and "Watson" in out[2]
    assert any("not cited" in d.message for d in report.collected)


# --- unsupported styles --------


def test_a_formatter_crash_is_reported_per_item_not_as_a_traceback(monkeypatch):
    from refconv.converters.formatting.csl import nodes

    original = nodes.Text.render

    def broken(self, r):
        # a stand-in for a processor bug: only the publisher of a book trips it
        if self.variables == ("publisher",) and r.item["id"] == "knuth1997":
            raise AttributeError("'NoneType' object has no attribute 'text'")
        return original(self, r)

    monkeypatch.setattr(nodes.Text, "render", broken)
    report = Report()
    out = format_bibliography(items("knuth1997", "watson1953"), "apa", report=report)
    assert len(out) == 1 and out[0].startswith("Watson")
    [error] = [d for d in report.collected if d.severity == Severity.ERROR]
    assert error.message == (
        "knuth1997: style apa is not supported by the formatter for this item: "
        "AttributeError: 'NoneType' object has no attribute 'text'"
    )
    with pytest.raises(UnsupportedStyleError, match="style apa is not supported by the formatter"):
        format_bibliography(items("knuth1997"), "apa", report=Report())


def test_styles_citeproc_py_cannot_load_are_refused_with_a_reason(tmp_path):
    cases = {
        "old.csl": MINIMAL_STYLE.replace('in-text" version="1.0"', 'in-text" version="0.8"'),
        "nocite.csl": MINIMAL_STYLE.replace("<citation>", "<x>").replace("</citation>", "</x>"),
        "macro.csl": MINIMAL_STYLE.replace('variable="title"/>', 'macro="missing"/>', 1),
        "broken.csl": MINIMAL_STYLE[:-20],
        "html.csl": "<html><body>not a style</body></html>",
    }
    reasons = {
        "old.csl": "only CSL 1.0 styles work",
        "nocite.csl": "it has no <citation> element",
        "macro.csl": "it calls macro 'missing', which it does not define",
        "broken.csl": "is not well-formed XML",
        "html.csl": "is not a CSL style",
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(UnsupportedStyleError) as error:
            render(items("knuth1997"), style=str(path))
        assert str(error.value).startswith(f"style {name[:-4]} is not supported by the formatter")
        assert reasons[name] in str(error.value)


def test_bibliography_mode_with_a_style_without_bibliography(tmp_path):
    style = tmp_path / "notes-only.csl"
    style.write_text(MINIMAL_STYLE.split("<bibliography>")[0] + "</style>", encoding="utf-8")
    with pytest.raises(ConversionError, match="defines no bibliography; use --mode citation"):
        convert(json.dumps(items("knuth1997")), to="citation", style=str(style))
    assert convert(
        json.dumps(items("knuth1997")), to="citation", style=str(style), mode="citation"
    ) == ("The Art of Computer Programming\n")


# --- the writer as a library --------


def test_writer_checks_the_style_before_reading_any_item():
    def never():
        raise AssertionError("items were read")
        yield

    from refconv.converters import citation

    with pytest.raises(ConversionError, match="unknown style"):
        citation.write(never(), io.StringIO(), Report(), style="no-such-style")


def test_progress_is_reported_per_entry():
    calls = []
    format_bibliography(
        items("knuth1997", "watson1953", "who2020"),
        "ieee",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_outputs_per_markup_have_the_documented_shape():
    two = items("knuth1997", "watson1953")
    text = render(two, style="apa")
    assert len(text.splitlines()) == 2 and text.endswith("\n")
    assert render(two, style="apa", markup="markdown").count("\n\n") == 1
    html = render(two, style="apa", markup="html")
    assert html.startswith('<div class="csl-bib-body">\n  <div class="csl-entry">')
    assert html.endswith("</div>\n</div>\n")
    assert render([], style="apa") == ""


def test_a_cite_the_style_prints_nothing_for_is_reported():
    report = Report()
    lines = format_citations(items("onlytitle"), None, "springer-basic-author-date", report=report)
    assert lines == [""]
    [warning] = report.collected
    assert warning.message == (
        "citation cluster 1: style springer-basic-author-date prints nothing for onlytitle"
    )
