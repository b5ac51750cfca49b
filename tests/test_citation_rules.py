"""CSL rules the processor in ``converters/formatting/csl`` implements, one test each.

Each test names the CSL 1.0.2 rule (or citeproc-js behaviour) it checks, on small
items through the public API. The CSL test suite (test_citation_conformance.py)
and the citeproc-js goldens (test_citation_parity.py) cover the same rules in
depth; these are the quick, readable checks.
"""

from __future__ import annotations

import json

import pytest

from conftest import csl_style
from refconv.converters.core.diagnostics import ConversionError
from refconv.converters.formatting import (
    format_bibliography,
    format_citations,
    load_clusters,
)
from refconv.converters.formatting.csl import textcase


def person(family: str, given: str) -> dict:
    return {"family": family, "given": given}


def article(item_id: str, authors: list[tuple[str, str]], year: int, title: str, **more) -> dict:
    item = {
        "id": item_id,
        "type": "article-journal",
        "author": [person(*a) for a in authors],
        "issued": {"date-parts": [[year]]},
        "title": title,
        "container-title": "Journal of Tests",
        "volume": "3",
        "page": "101-109",
    }
    item.update(more)
    return item


def style_file(tmp_path, citation: str, bibliography: str = "", **attributes: str) -> str:
    """A throwaway CSL style (see ``csl_style``) written to a file; returns its path."""
    path = tmp_path / "rule.csl"
    path.write_text(csl_style(citation, bibliography, **attributes), encoding="utf-8")
    return str(path)


# --- disambiguation (CSL 1.0.2 "Disambiguation") ----------------------------------------------


def test_year_suffix_tells_apart_same_author_same_year():
    # disambiguate-add-year-suffix: a, b in the order of the bibliography, in cites and entries
    works = [
        article("a", [("Smith", "John")], 2020, "First study"),
        article("b", [("Smith", "John")], 2020, "Second study"),
    ]
    assert format_citations(works, [[{"id": "a"}, {"id": "b"}]], "apa") == ["(Smith, 2020a, 2020b)"]
    entries = format_bibliography(works, "apa")
    assert entries[0].startswith("Smith, J. (2020a). First study.")
    assert entries[1].startswith("Smith, J. (2020b). Second study.")


def test_given_names_are_added_before_year_suffixes():
    # disambiguate-add-givenname with givenname-disambiguation-rule="primary-name-with-initials"
    works = [
        article("c", [("Smith", "John")], 2020, "Alpha"),
        article("d", [("Smith", "Anne")], 2020, "Beta"),
    ]
    cites = format_citations(works, [[{"id": "c"}, {"id": "d"}]], "apa")
    assert cites == ["(A. Smith, 2020; J. Smith, 2020)"]


def test_names_hidden_by_et_al_are_added_until_cites_differ():
    # disambiguate-add-names: the second author is shown, the rest stay "et al."
    works = [
        article("e", [("Smith", "John"), ("Jones", "Ann"), ("Brown", "Bo")], 2020, "Alpha"),
        article("f", [("Smith", "John"), ("Kim", "Lee"), ("Brown", "Bo")], 2020, "Beta"),
    ]
    cites = format_citations(works, [[{"id": "e"}, {"id": "f"}]], "apa")
    assert cites == ["(Smith, Jones, et al., 2020; Smith, Kim, et al., 2020)"]


def test_one_item_alone_keeps_the_given_name_level_the_whole_registry_asks_for():
    # a cite that is ambiguous with no other still shows initials when another item's
    # author shares the family name (the name registry of citeproc-js)
    works = [
        article("g", [("Smith", "John")], 2019, "Alpha"),
        article("h", [("Smith", "Anne")], 2020, "Beta"),
        article("i", [("Jones", "Bo")], 2020, "Gamma"),
    ]
    cites = format_citations(works, [[{"id": "g"}], [{"id": "h"}], [{"id": "i"}]], "apa")
    assert cites == ["(J. Smith, 2019)", "(A. Smith, 2020)", "(Jones, 2020)"]


# --- grouping and collapsing (CSL 1.0.2 "Cite Grouping", "Cite Collapsing") ---------------------


def test_cites_by_the_same_author_collapse_to_their_years():
    works = [
        article("g", [("Smith", "John")], 2019, "Alpha"),
        article("h", [("Smith", "John")], 2020, "Beta"),
    ]
    assert format_citations(works, [[{"id": "g"}, {"id": "h"}]], "apa") == ["(Smith, 2019, 2020)"]


def test_citation_numbers_collapse_to_ranges():
    works = [article(f"n{i}", [(f"Au{i}", "X")], 2020, f"T{i}") for i in range(1, 5)]
    cluster = [[{"id": "n1"}, {"id": "n2"}, {"id": "n3"}]]
    assert format_citations(works, cluster, "vancouver") == ["(1–3)"]


def test_an_empty_last_cite_leaves_the_layout_suffix_on_the_cite_before(tmp_path):
    # citeproc-js getCitationCluster: the suffix is not lost with the cite that carried it
    style = style_file(
        tmp_path,
        """<citation collapse="year"><layout prefix="(" suffix=")" delimiter=", ">
             <group delimiter=" "><names variable="author"><name form="short"/></names>
             <date variable="issued"><date-part name="year"/></date></group>
           </layout></citation>""",
    )
    works = [
        article("a", [("Smith", "John")], 2000, "A"),
        {"id": "b", "type": "book", "author": [person("Smith", "John")], "title": "B"},
    ]
    assert format_citations(works, [[{"id": "a"}, {"id": "b"}]], style) == ["(Smith 2000)"]


# --- layout (CSL 1.0.2 "second-field-align", "display") ----------------------------------------


def test_second_field_align_puts_the_number_in_its_own_column():
    work = [article("n1", [("Au", "Xi")], 2020, "T1")]
    html = format_bibliography(work, "ieee", markup="html")[0]
    assert '<div class="csl-left-margin">[1]</div><div class="csl-right-inline">X. Au,' in html
    assert format_bibliography(work, "ieee")[0].startswith("[1] X. Au, “T1,”")
    vancouver = format_bibliography(work, "vancouver", markup="html")[0]
    assert '<div class="csl-left-margin">1.</div><div class="csl-right-inline">Au X.' in vancouver


# --- punctuation, quotes and formatting ------------------------------------------------------


def test_punctuation_moves_inside_closing_quotes_in_american_english():
    # locale option punctuation-in-quote="true" (en-US)
    work = [article("q", [("Doe", "Jane")], 2001, "A study")]
    assert format_bibliography(work, "chicago-notes-bibliography")[0] == (
        "Doe, Jane. “A Study.” Journal of Tests 3 (2001): 101–9."
    )
    assert "“T1,” " in format_bibliography([article("n", [("Au", "X")], 2020, "T1")], "ieee")[0]


def test_italics_inside_an_italic_title_flip_to_roman():
    # CSL 1.0.2 "Rich Text": nested formatting flip-flops
    book = [
        {
            "id": "r",
            "type": "book",
            "author": [person("Doe", "Jane")],
            "title": "Life of <i>Homo sapiens</i>",
            "issued": {"date-parts": [[2001]]},
        }
    ]
    html = format_bibliography(book, "apa", markup="html")[0]
    assert '<i>Life of <span style="font-style:normal;">Homo sapiens</span></i>' in html


def test_terms_take_the_text_case_of_their_element():
    # text-case="capitalize-first" on the editor label term: "(Eds.)"
    book = {
        "id": "s",
        "type": "book",
        "editor": [person("Doe", "Jane"), person("Roe", "Rick")],
        "title": "Edited",
        "issued": {"date-parts": [[2001]]},
        "publisher": "P",
    }
    assert format_bibliography([book], "apa") == ["Doe, J., & Roe, R. (Eds.). (2001). Edited. P."]


def test_a_term_of_only_white_space_prints_nothing(tmp_path):
    # citeproc-js reads locale XML with line breaks as spaces and blank terms empty
    style = style_file(
        tmp_path,
        """<locale><terms><term name="and others">
             </term></terms></locale>
           <citation><layout><names variable="author">
             <name et-al-min="2" et-al-use-first="1"/><et-al term="and others"/>
           </names><text variable="title" prefix=". "/></layout></citation>""",
    )
    work = article("a", [("Doe", "Jane"), ("Roe", "Rick")], 2001, "T")
    assert format_citations([work], None, style) == ["Jane Doe. T"]


# --- names ---------------------------------------------------------------------------------


def test_cjk_names_print_family_then_given_without_a_space():
    book = {
        "id": "t",
        "type": "book",
        "author": [{"family": "张", "given": "伟"}],
        "title": "书名",
        "issued": {"date-parts": [[2001]]},
        "publisher": "出版社",
        "language": "zh-CN",
    }
    entry = format_bibliography([book], "china-national-standard-gb-t-7714-2015-numeric")[0]
    assert entry == "[1] 张伟. 书名[M]. 出版社, 2001."


def test_repeated_authors_are_replaced_by_the_substitute_string():
    # subsequent-author-substitute (MLA's three em dashes), names as in the entry before
    works = [
        article("u1", [("Doe", "Jane")], 2001, "Alpha"),
        article("u2", [("Doe", "Jane")], 2002, "Beta"),
    ]
    entries = format_bibliography(works, "modern-language-association")
    assert entries[0].startswith("Doe, Jane. “Alpha.”")
    assert entries[1].startswith("\u2014\u2014\u2014. “Beta.”")


def test_a_sort_key_macro_keeps_the_name_form_it_asks_for(tmp_path):
    # a short-form name in a sort macro sorts by family name only; ties keep citation order
    style = style_file(
        tmp_path,
        '<citation><layout><text variable="title"/></layout></citation>',
        """<macro name="name"><names variable="author"><name form="short"/></names></macro>""",
    )
    path = tmp_path / "rule.csl"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "</style>",
            """<bibliography><sort><key macro="name"/></sort><layout>
                 <text macro="name"/><text variable="title" prefix=", "/>
               </layout></bibliography></style>""",
        ),
        encoding="utf-8",
    )
    works = [
        {"id": "1", "type": "book", "author": [person("Roe", "Jane")], "title": "A"},
        {"id": "2", "type": "book", "author": [person("Doe", "John")], "title": "C"},
        {"id": "3", "type": "book", "author": [person("Doe", "James")], "title": "B"},
    ]
    assert format_bibliography(works, style) == ["Doe, C", "Doe, B", "Roe, A"]


# --- sorting (CSL 1.0.2 "Sorting") ----------------------------------------------------------


def test_letters_with_diacritics_sort_with_their_base_letter():
    # citeproc-js compares with the locale's collation: Å with A, Ł with L
    works = [
        article("v1", [("Marek", "A")], 2001, "A"),
        article("v2", [("Łukasz", "B")], 2002, "B"),
        article("v3", [("Zeta", "C")], 2002, "C"),
        article("v4", [("Åberg", "C")], 2002, "D"),
    ]
    families = [e.split(",")[0] for e in format_bibliography(works, "apa")]
    assert families == ["Åberg", "Łukasz", "Marek", "Zeta"]


def test_chinese_locales_sort_han_names_first_in_pinyin_order():
    # citeproc-js sorts with localeCompare in the style's locale; ICU's zh collation puts
    # Han first, by reading (tián < yì < zhāng), then Latin, then Hangul
    works = [
        article("z1", [("Aaronson", "S")], 2008, "A"),
        article("z2", [("张", "伟")], 2018, "B"),
        article("z3", [("김", "민수")], 2019, "C"),
        article("z4", [("田中", "太郎")], 2015, "D"),
        article("z5", [("欧阳", "明")], 2016, "E"),
        article("z6", [("李", "娜")], 2017, "F"),
    ]
    style = "china-national-standard-gb-t-7714-2015-author-date"
    families = [e.split(",")[0][:2] for e in format_bibliography(works, style)]
    assert families == ["李娜", "欧阳", "田中", "张伟", "AA", "김민"]
    # the same items in an English locale keep ICU's root order: Latin, Hangul, then Han
    # by code point (Intl.Collator("en-US") gives the same)
    english = [e.split(",")[0][:2] for e in format_bibliography(works, style, locale="en-US")]
    assert english == ["AA", "김민", "张伟", "李娜", "欧阳", "田中"]


def test_pinyin_order_follows_syllable_then_tone_with_neutral_last():
    from refconv.converters.formatting.csl.pinyin import uses_pinyin
    from refconv.converters.formatting.csl.processor import collation_key

    # 妈 mā, 麻 má, 马 mǎ, 骂 mà, 吗 ma, 安 ān, 岸 àn, 昂 áng (as ICU orders them)
    chars = ["吗", "昂", "马", "骂", "麻", "岸", "妈", "安"]
    assert sorted(chars, key=lambda c: collation_key(c, True)) == list("安岸昂妈麻马骂吗")
    # a Han character sorts before Latin; tabs and spaces in the text still do not count
    assert collation_key("张\t伟", True) == collation_key("张伟", True)
    assert collation_key("张", True) < collation_key("a", True)
    assert uses_pinyin("zh-CN") and uses_pinyin("zh")
    # traditional-script locales collate by stroke count in ICU, not by pinyin
    assert not uses_pinyin("zh-TW") and not uses_pinyin("zh-Hant-HK") and not uses_pinyin("en")


def test_later_sort_keys_decide_only_ties():
    # keys after the first are made only when a comparison reaches them; the order is the same
    works = [
        article("w1", [("Doe", "Jane")], 2002, "Zeta"),
        article("w2", [("Doe", "Jane")], 2001, "Beta"),
        article("w3", [("Doe", "Jane")], 2001, "Alpha"),
        article("w4", [("Abe", "Kim")], 2003, "Omega"),
    ]
    titles = [e.split(". ")[2] for e in format_bibliography(works, "apa")]
    assert titles == ["Omega", "Alpha", "Beta", "Zeta"]


# --- text-case (CSL 1.0.2 "Text-case") ------------------------------------------------------


def test_turkish_text_keeps_dotted_and_dotless_i_apart():
    assert textcase.upper("istanbul ılık", turkic=True) == "İSTANBUL ILIK"
    assert textcase.lower("İSTANBUL ILIK", turkic=True) == "istanbul ılık"
    assert textcase.upper("istanbul") == "ISTANBUL"


# --- numbers and labels ---------------------------------------------------------------------


def test_labels_inside_a_locator_are_short_unless_a_form_is_given(tmp_path):
    style = style_file(
        tmp_path,
        """<citation><layout><group delimiter=" "><label variable="locator"/>
             <text variable="locator"/></group></layout></citation>""",
    )
    work = {"id": "a", "type": "book", "title": "T"}
    cite = format_citations([work], [[{"id": "a", "locator": "367-368, fig. 333"}]], style)
    assert cite == ["pages 367–368, fig. 333"]


def test_ordinals_apply_to_the_numbers_under_the_first_label_only(tmp_path):
    style = style_file(
        tmp_path,
        """<citation><layout><number variable="edition" form="ordinal"/></layout></citation>""",
    )
    work = {"id": "a", "type": "book", "edition": "7, p. 3-8"}
    assert format_citations([work], None, style) == ["7th, pp. 3–8"]


# --- positions (CSL 1.0.2 "Position") -------------------------------------------------------


def test_a_cite_can_fix_its_position_in_the_clusters_file(tmp_path):
    book = [{"id": "k", "type": "book", "author": [person("Knuth", "Donald")], "title": "Art"}]
    first = format_citations(book, [[{"id": "k"}]], "chicago-notes-bibliography")
    fixed = format_citations(
        book, [[{"id": "k", "position": "subsequent"}]], "chicago-notes-bibliography"
    )
    numeric = format_citations(book, [[{"id": "k", "position": 1}]], "chicago-notes-bibliography")
    assert fixed == numeric and fixed != first and len(fixed[0]) < len(first[0])
    clusters = tmp_path / "c.json"
    clusters.write_text(json.dumps([[{"id": "k", "position": "elsewhere"}]]), encoding="utf-8")
    with pytest.raises(ConversionError, match="'position' must be one of"):
        load_clusters(clusters)


# --- CSL-M date conditions (has-year-only, has-to-month-or-season, has-day) -------------------


def test_date_conditions_tell_how_much_of_a_date_is_known(tmp_path):
    style = style_file(
        tmp_path,
        """<citation><layout delimiter="; "><group delimiter=" ">
             <text variable="title"/>
             <choose>
               <if has-year-only="issued"><text value="year"/></if>
               <else-if has-to-month-or-season="issued"><text value="month"/></else-if>
               <else-if has-day="issued"><text value="day"/></else-if>
               <else><text value="none"/></else>
             </choose>
           </group></layout></citation>""",
    )
    works = [
        article("y", [("Doe", "Jane")], 2001, "Y"),
        article("m", [("Doe", "Jane")], 2001, "M", issued={"date-parts": [[2001, 5]]}),
        article("s", [("Doe", "Jane")], 2001, "S", issued={"date-parts": [[2001]], "season": 2}),
        article("d", [("Doe", "Jane")], 2001, "D", issued={"date-parts": [[2001, 5, 7]]}),
        # a literal date has no year part: not "year only" (as citeproc-js reads it)
        article("n", [("Doe", "Jane")], 2001, "N", issued={"literal": "no parts"}),
    ]
    lines = format_citations(works, [[{"id": w["id"]}] for w in works], style)
    assert lines == ["Y year", "M month", "S month", "D day", "N none"]
