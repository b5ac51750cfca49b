"""Reading BibTeX and biblatex as found in the wild: no file lost, every construct
read as BibTeX, biber and biblatex define it (issue 13, the reading side)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import time
import tracemalloc
from pathlib import Path

import pytest
from bibtex_support import messages, read_bib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from refconv.converters import bibtex
from refconv.converters.bibtex import bibstrings
from refconv.converters.bibtex.latex import from_latex
from refconv.converters.bibtex.names import parse_bibtex_name
from refconv.converters.core import api
from refconv.converters.core.diagnostics import Report, Severity
from refconv.converters.core.encoding import Decoding, choose_decoding

ENGLISH_LBX = Path("/usr/share/texlive/texmf-dist/tex/latex/biblatex/lbx/english.lbx")

# --- a reader that cannot lose a file


def test_verb_in_a_value_is_read_verbatim() -> None:
    items, _ = read_bib("@misc{a, note = {\\verb+x_y\\%+ and more}, title = {T}}")
    assert items[0]["note"] == "x_y\\% and more"
    assert items[0]["title"] == "T"


def test_unknown_command_is_kept_with_a_warning_naming_entry_and_field() -> None:
    items, report = read_bib("\n\n@misc{key1, note = {see \\input{chapter} \\catcode}}")
    assert items[0]["note"] == "see \\input{chapter} \\catcode"
    warnings = [d for d in report.collected if d.severity is Severity.WARNING]
    assert [d.line for d in warnings] == [3, 3]
    assert warnings[0].message == "'key1' note: unknown LaTeX command \\input kept as written"
    assert "\\catcode" in warnings[1].message


def test_latex_that_pylatexenc_cannot_read_falls_back_to_raw_text() -> None:
    problems: list[str] = []
    # pylatexenc raises IndexError inside \verb without its argument
    text = from_latex("a \\textcolor{\\verb}", problems=problems)
    assert "a" in text and problems


def test_entries_around_a_broken_one_are_converted() -> None:
    text = (
        "@article{good1, title = {One}}\n"
        "@article{bad, title = {Two}\n"  # never closed before the next entry
        "@article{good2, title = # {}, note = {\\verb|x|}}\n"
        "@string{a = {x}}@string{a = {y}}\n"
        "@article{good3, title = a}\n"
    )
    items, report = read_bib(text)
    assert [item["id"] for item in items] == ["good1", "good2", "good3"]
    assert items[2]["title"] == "y"
    assert len(messages(report, Severity.ERROR)) == 1
    assert "'bad'" in messages(report, Severity.ERROR)[0]


def test_string_macro_bomb_is_refused_quickly() -> None:
    lines = ["@string{m0 = {abcdefghijklmnopqrstuvwxyz}}"]
    lines += [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, 27)]
    lines.append("@misc{bomb, title = m26}")
    lines.append("@misc{fine, title = m10}")
    text = "\n".join(lines)
    assert len(text) < 1024
    tracemalloc.start()
    start = time.process_time()
    items, report = read_bib(text)
    elapsed = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 5 and peak < 64 * 1024 * 1024
    errors = messages(report, Severity.ERROR)
    assert errors[0] == (
        "@string m16 left undefined: @string macros expand to more than 1,000,000 characters"
    )
    assert [item["id"] for item in items] == ["bomb", "fine"]
    # the macros after m16 build on its name, kept as text with a warning
    assert items[0]["title"] == "m16" * 2**10
    assert len(errors) == 1
    assert "undefined @string macro 'm16' kept as text" in messages(report, Severity.WARNING)[0]
    assert len(items[1]["title"]) == 26 * 2**10


_COMMANDS = st.sampled_from(
    [
        "\\verb",
        "\\verb*",
        "\\input",
        "\\textit",
        "\\emph",
        "\\foo",
        "\\url",
        "\\href",
        "\\cite",
        "\\'",
        '\\"',
        "\\~",
        "\\v",
        "\\c",
        "\\ss",
        "\\begin",
        "\\end",
        "\\frac",
        "\\sqrt",
        "\\newcommand",
        "\\def",
        "\\symbol",
        "\\char",
        "\\ElsevierGlyph",
        "\\foreignlanguage",
        "\\bibstring",
        "\\textcolor",
        "\\mbox",
        "\\em",
        "\\bf",
        "\\noopsort",
        "\\\\",
        "\\",
        "\\@",
        "\\mymacro",
        "\\hyphen",
    ]
)
_PIECES = st.one_of(
    _COMMANDS,
    st.sampled_from(["{", "}", "$", "$$", "^", "_", "~", "#", "%", "&", "--", "``", "''", "+"]),
    st.sampled_from(["[", "]", "|", "#1", "x", " ", "\n", "and", ",", "é", "2014", "'7E"]),
    st.text(alphabet="ab{}\\$ +|", max_size=4),
)
_LATEX = st.lists(_PIECES, max_size=30).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LATEX, st.booleans())
def test_from_latex_never_raises(source: str, title: bool) -> None:
    macros = {"mymacro": (1, "<#1>"), "foo": (0, "\\foo")}
    problems: list[str] = []
    assert isinstance(from_latex(source, title=title, macros=macros, problems=problems), str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LATEX, min_size=1, max_size=4), _LATEX)
def test_reader_never_raises_and_converts_or_reports_every_entry(
    values: list[str], preamble: str
) -> None:
    fields = ["title", "author", "note", "pages", "year", "url", "location", "date"]
    entries = [
        f"@article{{k{index}, {fields[index % len(fields)]} = {{{value}}}, "
        f"editor = {value!r} # {{x}}}}"
        for index, value in enumerate(values)
    ]
    text = f"@preamble{{{preamble}}}\n@string{{s = {{{values[0]}}}}}\n" + "\n".join(entries)
    items, report = read_bib(text)
    assert isinstance(items, list)
    assert items or messages(report, Severity.ERROR)
    # the same through the whole reader of a file, not only a value
    assert bibtex.sniff(text) >= 0


# --- names, as BibTeX's format.name$ splits them

_PARTS_BST = """ENTRY { author } {} {}
FUNCTION {parts} { author #1 "{ff}|{vv}|{ll}|{jj}" format.name$ write$ newline$ }
READ
ITERATE {parts}
"""
# First-Last names with hyphens and particles, checked against real bibtex below
NAMES = [
    "Hashem El-Husseini",
    "A B-C",
    "Jean-Paul Sartre",
    "Ludwig van Beethoven",
    "Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
    "Jean de la-Fontaine",
    "Anna Maria-de-la Cruz",
    "Ana el-Mahdi",
    "Smith-Jones, A. B.",
    "Doe, Jr., John",
    "John~Smith",
    "{\\relax Ch}ristopher Smith",
    "Mary-Kate Olsen-Smith Jones",
]
# what that prints: given | von | last | jr (ties as spaces)
BIBTEX_PARTS = [
    "Hashem||El-Husseini|",
    "A||B-C|",
    "Jean-Paul||Sartre|",
    "Ludwig|van|Beethoven|",
    "Charles Louis Xavier Joseph|de la|Vall{\\'e}e Poussin|",
    "Jean|de la|Fontaine|",
    "Anna Maria|de-la|Cruz|",
    "Ana|el|Mahdi|",
    "A. B.||Smith-Jones|",
    "John||Doe|Jr.",
    "John||Smith|",
    "{\\relax Ch}ristopher||Smith|",
    "Mary-Kate Olsen-Smith||Jones|",
]


def _our_parts(name: str) -> str:
    parts, _ = parse_bibtex_name(name)
    keys = ("given", "non-dropping-particle", "family", "suffix")
    return "|".join(parts.get(key, "") for key in keys)


def test_name_parts_match_bibtex_format_name() -> None:
    assert [_our_parts(name) for name in NAMES] == BIBTEX_PARTS


@pytest.mark.interop
@pytest.mark.skipif(shutil.which("bibtex") is None, reason="needs the bibtex program")
def test_name_parts_table_is_what_real_bibtex_prints(tmp_path) -> None:
    (tmp_path / "parts.bst").write_text(_PARTS_BST)
    entries = [f"@misc{{n{i}, author = {{{name}}}}}" for i, name in enumerate(NAMES)]
    (tmp_path / "names.bib").write_text("\n".join(entries))
    (tmp_path / "t.aux").write_text("\\citation{*}\n\\bibstyle{parts}\n\\bibdata{names}\n")
    subprocess.run(["bibtex", "-terse", "t"], cwd=tmp_path, check=True, capture_output=True)
    printed = (tmp_path / "t.bbl").read_text().replace("~", " ").splitlines()
    assert printed == BIBTEX_PARTS


def test_tilde_accent_in_a_name_is_a_letter_not_a_tie() -> None:
    items, _ = read_bib('@misc{k, author = {Herm\\"an\\~n Smith and M\\~{n}oz, Ana}}')
    assert items[0]["author"] == [
        {"family": "Smith", "given": "Hermänñ"},
        {"family": "Mñoz", "given": "Ana"},
    ]


def test_biblatex_extended_name_format() -> None:
    text = (
        "@book{k, author = {family=Goethe, given=Johann Wolfgang, prefix=von, useprefix=false"
        ' and given=Ludwig, family="Beethoven", prefix=van, useprefix=true and'
        " family=Duchamp, given=Philippe, given-i=Ph}}"
    )
    items, report = read_bib(text)
    assert items[0]["author"] == [
        {"family": "Goethe", "given": "Johann Wolfgang", "dropping-particle": "von"},
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"family": "Duchamp", "given": "Philippe"},
    ]
    assert messages(report, Severity.WARNING) == [
        "'k' author: name parts given-i ignored in 'family=Duchamp, given=Philippe, given-i=Ph'"
    ]


# --- biblatex fields


def test_biblatex_list_fields_are_split_at_and() -> None:
    text = (
        '@book{k, title = {T}, location = {M{\\"u}nchen and Berlin and countryfr},'
        " publisher = {Springer and {Barnes and Noble}}, date = {2001}}"
    )
    from refconv.converters import biblatex

    items = list(biblatex.read(io.StringIO(text), Report()))
    assert items[0]["publisher-place"] == "München; Berlin; France"
    assert items[0]["publisher"] == "Springer; Barnes and Noble"
    # BibTeX's publisher is text: "and" is part of the name there
    plain, _ = read_bib("@book{k, publisher = {Springer Science and Business Media}}")
    assert plain[0]["publisher"] == "Springer Science and Business Media"


def test_localisation_keys_are_read_as_english_lbx_prints_them() -> None:
    text = (
        "@article{k, title = {T}, series = {newseries}, note = {\\bibstring{newseries}},"
        " location = {countryfr}, type = {mathesis}, pubstate = {inpress}}"
    )
    items, report = read_bib(text)
    item = items[0]
    assert item["collection-title"] == "new series"
    assert item["note"] == "new series"
    assert item["publisher-place"] == "France"
    assert item["genre"] == "Master's thesis"
    assert item["issued"] == {"literal": "in press"}  # pubstate in place of a date
    assert not report.collected


@pytest.mark.skipif(not ENGLISH_LBX.is_file(), reason=f"needs biblatex's {ENGLISH_LBX}")
def test_bibstrings_table_is_generated_from_english_lbx() -> None:
    generated = bibstrings.generate(ENGLISH_LBX.read_text(encoding="utf-8"))
    assert generated == bibstrings.BIBSTRINGS
    assert generated["newseries"] == "new series" and generated["countryfr"] == "France"


def test_editortype_names_the_csl_role() -> None:
    text = (
        "@movie{k, title = {Film}, editor = {Kubrick, Stanley}, editortype = {director},"
        " editora = {Doe, Jane}, editoratype = {compiler}, editorb = {Roe, R.},"
        " editorbtype = {translator}, editorc = {Poe, P.}, editorctype = {founder}}"
    )
    items, report = read_bib(text)
    item = items[0]
    assert item["director"] == [{"family": "Kubrick", "given": "Stanley"}]
    assert item["compiler"] == [{"family": "Doe", "given": "Jane"}]
    assert item["translator"] == [{"family": "Roe", "given": "R."}]
    assert item["editorial-director"] == [{"family": "Poe", "given": "P."}]
    assert "editor" not in item
    assert "editora" not in item.get("custom", {}).get("bibtex-fields", {})
    unknown, report = read_bib("@book{k, editor = {A, B}, editortype = {sculptor}}")
    assert unknown[0]["editor"] == [{"family": "A", "given": "B"}]
    assert messages(report, Severity.WARNING) == [
        "editortype 'sculptor' has no CSL role; editor read as editor"
    ]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("-0876", {"date-parts": [[-877]]}),  # 877 BCE (biblatex manual, table 5)
        ("0000", {"date-parts": [[-1]]}),
        ("-0876/-0800", {"date-parts": [[-877], [-801]]}),
        ("1999-10-14/", {"date-parts": [[1999, 10, 14], [0]]}),
        ("2015/", {"date-parts": [[2015], [0]]}),
        ("2015/..", {"date-parts": [[2015], [0]]}),
        ("/2015", {"literal": "–2015"}),
        ("1999?", {"date-parts": [[1999]], "circa": True}),
        ("1999~", {"date-parts": [[1999]], "circa": True}),
        ("1999%", {"date-parts": [[1999]], "circa": True}),
        ("2004-04~/2004-06", {"date-parts": [[2004, 4], [2004, 6]], "circa": True}),
        # what pandoc's biblatex date tests teach: biblatex's older open/unknown ends,
        # seasons, unspecified digits, a time of day, both flags at once
        ("1998/unknown", {"date-parts": [[1998], [0]]}),
        ("1999/open", {"date-parts": [[1999], [0]]}),
        ("2004-22", {"date-parts": [[2004, 22]]}),  # summer, EDTF's and refconv's month 22
        ("20uu", {"date-parts": [[2000], [2099]]}),
        ("199X", {"date-parts": [[1990], [1999]]}),
        ("2004-04-05T14:34:00", {"date-parts": [[2004, 4, 5]]}),
        ("1723?~", {"date-parts": [[1723]], "circa": True}),
    ],
)
def test_edtf_dates(date: str, expected: dict) -> None:
    items, report = read_bib(f"@book{{k, title = {{T}}, date = {{{date}}}}}")
    assert items[0]["issued"] == expected
    assert not report.collected


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("\\hyphen", "-"),
        ("a\\hyphen b", "a-b"),
        ("http://x.org/\\symbol{126}me", "http://x.org/~me"),
        ("\\symbol{\"7E}\\char`\\~\\char'176", "~~~"),
        ("\\foreignlanguage{russian}{Война}", "Война"),
        ("\\foreignlanguage[variant=x]{greek}{X} y", "X y"),
        ("1990\\ElsevierGlyph{2014}2000", "1990—2000"),
        ("\\verb|a{b|", "a{b"),
        ("\\bibcpstring{newseries}, \\biblstring{jourser}", "New series, series"),
    ],
)
def test_latex_commands_decoded(latex: str, text: str) -> None:
    problems: list[str] = []
    assert from_latex(latex, problems=problems) == text
    assert not problems


@pytest.mark.parametrize("latex", ['x{\\char"D800}y', '\\symbol{"DC00}z', "\\char55296"])
def test_a_surrogate_code_is_no_character_and_every_writer_writes_the_entry(latex: str) -> None:
    # chr(0xD800) is half a UTF-16 pair: no UTF-8 output can hold it (a traceback before)
    items, report = read_bib(f"@misc{{k, title = {{{latex}}}}}")
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in items[0]["title"])
    assert "names no character; kept as written" in str(report.collected[0])
    for to in ("bibtex", "biblatex", "ris", "csl-json", "citation"):
        text = api.write(items, to)
        assert "y" in text or "z" in text or "55296" in text
        text.encode("utf-8")  # raised UnicodeEncodeError on the lone surrogate


@pytest.mark.parametrize(
    "url",
    [
        "http://x.org/\\symbol{126}me",
        "http://x.org/{\\textasciitilde}me",
        "\\url{http://x.org/\\~{}me}",
        "http://x.org/\\~me",
    ],
)
def test_tilde_commands_in_urls(url: str) -> None:
    items, report = read_bib(f"@misc{{k, url = {{{url}}}}}")
    assert items[0]["URL"] == "http://x.org/~me"
    assert not report.collected


def test_organization_does_not_override_publisher_in_inproceedings() -> None:
    text = "@inproceedings{k, organization = {IEEE}, publisher = {ACM}, booktitle = {Proc}}"
    items, _ = read_bib(text)
    assert items[0]["publisher"] == "ACM"
    assert items[0]["custom"]["bibtex-fields"] == {"organization": "IEEE"}
    alone, _ = read_bib("@inproceedings{k, organization = {IEEE}, booktitle = {Proc}}")
    assert alone[0]["publisher"] == "IEEE"


def test_collection_does_not_take_its_own_booktitle_as_container() -> None:
    text = "@collection{k, editor = {A, B}, title = {Essays}, booktitle = {Essays}}"
    items, _ = read_bib(text)
    assert "container-title" not in items[0]
    chapter, _ = read_bib(
        text + "\n@incollection{c, author = {C, D}, title = {One}, crossref = {k}}"
    )
    assert chapter[1]["container-title"] == "Essays"


# --- comments


def test_comment_entries_are_ignored() -> None:
    text = "@comment{x, title = {y}}\n@Comment{jabref-meta: databaseType:biblatex;}\n@misc{a}"
    items, report = read_bib(text)
    assert [item["id"] for item in items] == ["a"]
    assert not report.collected


def test_percent_commented_entry_does_not_steal_a_key() -> None:
    text = (
        "@misc{z, title = {Z}}\n"
        "%@ARTICLE{a,\n%  title = {Old},\n%}\n"
        "@ARTICLE{a,\n  title = {New},\n  % note = {commented out},\n"
        "  abstract = {50\n% of cases}\n}\n"
    )
    items, report = read_bib(text)
    assert [(item["id"], item["title"]) for item in items] == [("z", "Z"), ("a", "New")]
    assert items[1]["abstract"] == "50 % of cases"  # inside a value, % is text
    assert "note" not in items[1]
    assert not report.collected


# --- encodings

JABREF_1252 = (
    "% This file was created with JabRef 2.10.\n% Encoding: Cp1252\n\n"
    "@article{a, author = {Müller, Jürgen}, title = {Café “quoted” – 5 €}}\n"
).encode("cp1252")


def test_jabref_encoding_header_is_honoured() -> None:
    decoding = choose_decoding(JABREF_1252, complete=True)
    assert (decoding.encoding, decoding.warning) == ("cp1252", None)
    report = Report()
    items = list(api.read(JABREF_1252, "bibtex", report=report))
    assert items[0]["title"] == "Café “quoted” – 5 €"
    assert items[0]["author"] == [{"family": "Müller", "given": "Jürgen"}]
    assert not report.collected


def test_jabref_utf8_header_and_utf8_file() -> None:
    data = "% Encoding: UTF-8\n@misc{a, title = {Zoë}}\n".encode()
    assert choose_decoding(data, complete=True) == Decoding("utf-8-sig")


def test_not_utf8_is_read_as_windows_1252_with_one_warning() -> None:
    data = "@misc{a, title = {Café}}\n@misc{b, title = {Señor ½}}\n".encode("cp1252")
    data += b"@misc{c, title = {undefined \x81 byte}}\n"
    report = Report()
    items = list(api.read(data, "bibtex", name="old.bib", report=report))
    assert [item["title"] for item in items] == ["Café", "Señor ½", "undefined \x81 byte"]
    assert [str(d) for d in report.collected] == [
        "old.bib: warning: not UTF-8 (byte 0xe9 on line 1): read as Windows-1252; "
        "name the encoding with --encoding if that is wrong"
    ]


def test_bytes_that_are_not_utf8_after_the_head_are_read_as_windows_1252() -> None:
    entries = "".join(f"@misc{{k{i}, title = {{Title {i} of some length}}}}\n" for i in range(3000))
    data = entries.encode() + "@misc{last, title = {Café}}\n".encode("cp1252")
    assert len(data) > 64 * 1024
    report = Report()
    items = list(api.read(data, "bibtex", name="big.bib", report=report))
    assert items[-1]["title"] == "Café" and len(items) == 3001
    assert [d.message for d in report.collected] == [
        "not UTF-8 after its first 64 KiB: those bytes read as Windows-1252; "
        "name the encoding with --encoding if that is wrong"
    ]


def test_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "latin.bib"
    path.write_bytes("@misc{a, title = {Ærø þing}}\n".encode("iso-8859-1"))
    named = run_cli("convert", str(path), "--encoding", "latin-1", "--jsonl")
    assert named.exit_code == 0 and named.stderr == ""
    assert json.loads(named.stdout)["title"] == "Ærø þing"
    unknown = run_cli("convert", str(path), "--encoding", "klingon")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("refconv: error: unknown encoding 'klingon'")
    wrong = run_cli("convert", str(path), "--encoding", "utf-8", "-o", str(tmp_path / "o.json"))
    assert wrong.exit_code == 2 and not (tmp_path / "o.json").exists()
    assert f"{path}: cannot read as utf-8" in wrong.stderr
    assert "Traceback" not in wrong.stderr


# --- @preamble definitions

PREAMBLE = r"""@Preamble{
    "\ifx \undefined \booktitle \def \booktitle #1{{{\em #1}}} \fi" #
    "\ifx \undefined \Dash \def \Dash {---} \fi" #
    "\ifx \k \undefined \let \k = \c \fi" #
    "\ifx \undefined \emph \def \emph #1{X#1X} \fi" #
    "\@ifundefined{mine}{\newcommand{\mine}{MINE}}{\newcommand{\mine}{OTHER}}" #
    "\ifx\foo\bar \def\cond{COND}\fi \def\toenglish #1\endtoenglish{[#1]}" #
    "\newcommand{\opt}[2][x]{#1#2} \providecommand{\pv}[1]{P#1} \def\plain{Plain}"
}
@misc{a, title = {\booktitle{B} \Dash{} \emph{e} \k{a} \mine{} \pv{x} \plain}}
@misc{b, title = {\cond}}
"""


def test_preamble_applies_only_unambiguous_definitions() -> None:
    items, report = read_bib(PREAMBLE)
    # \booktitle and \Dash are defined "if undefined" and nothing knows them; \emph and
    # \k are LaTeX's own, whatever the preamble would do if they were not
    assert items[0]["title"] == "<i>B</i> — <i>e</i> ą MINE Px Plain"
    assert items[1]["title"] == "\\cond"  # defined only under another condition
    assert messages(report, Severity.INFO)[0] == (
        "@preamble: conditional or ambiguous definitions not applied: "
        "\\k, \\mine, \\cond, \\toenglish, \\opt"
    )
    assert messages(report, Severity.WARNING) == [
        "'b' title: unknown LaTeX command \\cond kept as written"
    ]


# --- what Better BibTeX's import fixtures teach


def test_entries_as_older_files_write_them() -> None:
    text = (
        '@String{MCDERMOTT = "McDermott, Drew V."}\n'
        "@techreport(McDermott:72,\nauthor =\tMCDERMOTT # { and Gerald J. Sussman},\n"
        "year =\t{1972},\nmonth = May,\ntitle =\t{The {\\sc CONNIVER} Reference Manual}\n)\n"
        "@Article{HoSp-87 ,\n   author = {Hoffmann},\n}\n"
        "@string{j = {a space between this }}\n"
        '@article{key, journal = j # "and this"}\n'
        "@BOOK{apa, AUTHOR = {Costa, Jr., P. T. and McCrae, R. R.}, DATE = {2013}}\n"
    )
    items, report = read_bib(text)
    assert [item["id"] for item in items] == ["McDermott:72", "HoSp-87", "key", "apa"]
    assert items[0]["author"] == [
        {"family": "McDermott", "given": "Drew V."},
        {"family": "Sussman", "given": "Gerald J."},
    ]
    assert items[0]["issued"] == {"date-parts": [[1972, 5]]}
    assert items[0]["title"] == (
        'The <span style="font-variant:small-caps;">CONNIVER</span> Reference Manual'
    )
    assert items[2]["container-title"] == "a space between this and this"
    assert items[3]["author"][0] == {"family": "Costa", "given": "P. T.", "suffix": "Jr."}
    assert not report.collected


def test_preamble_macro_bomb_is_bounded() -> None:
    # \x doubles its argument: twelve levels of 20,000 characters would make 80 MB
    text = (
        '@preamble{"\\def\\x#1{#1#1} \\def\\loop{\\loop}"}\n'
        "@misc{a, title = {" + "\\x{" * 12 + "y" * 20_000 + "}" * 12 + "}, note = {\\loop}}"
    )
    start = time.process_time()
    items, report = read_bib(text)
    assert time.process_time() - start < 5
    assert len(items[0]["title"]) < 2_000_000
    assert messages(report, Severity.WARNING) == [
        "'a' title: macro expansion beyond 1,000,000 characters; \\x kept as written",
        "'a' note: macro expansion beyond 1,000,000 characters; \\loop kept as written",
    ]


@pytest.mark.parametrize(
    ("latex", "text", "problem"),
    [
        (
            "$\\mathrm{CO_2}$ and $\\mathrm{H}_2\\mathrm{O}$",
            "CO<sub>2</sub> and H<sub>2</sub>O",
            "",
        ),
        ("$a \\ne b$, $\\dfrac{1}{2}$, $\\det A$", "a ≠b, 1/2, det A", ""),
        # Better BibTeX's "Overline during import": the bar must not vanish
        (
            "GaN (000{$\\overline{1}$}) and $\\langle{}00\\overline{1}\\rangle$",
            "GaN (0001̅) and ⟨001̅⟩",
            "",
        ),
        ("$\\foo{x}$ y", "$\\foo{x}$ y", "unknown LaTeX command \\foo in math"),
    ],
)
def test_math_decoded_or_kept_with_a_warning(latex: str, text: str, problem: str) -> None:
    problems: list[str] = []
    assert from_latex(latex, problems=problems) == text
    assert [p for p in problems if problem and problem in p] == problems


_FILE_PIECES = st.sampled_from(
    [
        "@article{",
        "@string{",
        "@preamble{",
        "@comment{",
        "@xdata{",
        "@set{",
        "k0,",
        "k1,",
        "crossref = {k0}",
        "xdata = {k1}",
        "title",
        "author",
        "date",
        "editortype",
        "location",
        "=",
        "{",
        "}",
        "(",
        ")",
        '"',
        "#",
        ",",
        "\n",
        "%",
        " and ",
        "\\verb|",
        "\\",
        "\\def\\x#1{#1#1}",
        "\\x{\\x{a}}",
        "\\ifx\\undefined\\y",
        "\\fi",
        "\\@ifundefined{z}{",
        "jan",
        "-0876/",
        "19uu",
        "family=",
        "useprefix=true",
        "$",
        "^",
        "~",
        "\\~n",
        "é",
        "\x00",
        "1999?~",
        "others",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_FILE_PIECES, max_size=60).map("".join))
def test_any_file_reads_without_an_exception(text: str) -> None:
    for dialect in bibtex.DIALECTS:
        report = Report()
        items = list(bibtex.read(io.StringIO(text), report, dialect=dialect))
        assert all(isinstance(item.get("type"), str) for item in items)


@pytest.mark.parametrize("latex", ["see \\ref{fig}", "\\includegraphics{f.png}"])
def test_commands_pylatexenc_prints_placeholders_for_are_kept(latex: str) -> None:
    problems: list[str] = []
    assert from_latex(latex, problems=problems) == latex
    assert len(problems) == 1


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        ("1987--", "", {"date-parts": [[1987], [0]]}),  # Beebe's journal files
        ("1987–date", "", {"date-parts": [[1987], [0]]}),
        ("19xx", "", {"date-parts": [[1900], [1999]]}),
        ("1990", "Winter", {"date-parts": [[1990, 24]]}),  # seasons as EDTF numbers them
        ("1990", "Fall", {"date-parts": [[1990, 23]]}),
    ],
)
def test_classic_year_and_month_forms(year: str, month: str, expected: dict) -> None:
    month_field = f", month = {{{month}}}" if month else ""
    items, report = read_bib(f"@misc{{k, year = {{{year}}}{month_field}}}")
    assert items[0]["issued"] == expected
    assert not report.collected


def test_preamble_definition_that_programs_tex_is_not_applied() -> None:
    # MathSciNet's \ocirc (Better BibTeX's import fixtures, issue 732): a body only TeX runs
    text = (
        '@preamble{"\\\\def\\\\ocirc#1{\\\\ifmmode\\\\setbox0=\\\\hbox{$#1$}\\\\else'
        '{\\\\accent\\"17 #1}\\\\fi}"}\n'
        "@incollection{MR1870153, author = {Franc{\\ocirc{u}}, Jan and"
        " Krej{\\v{c}}{\\'{\\i}}, Pavel}}\n"
    )
    items, report = read_bib(text)
    assert items[0]["author"] == [
        {"family": "Franc\\ocirc{u}", "given": "Jan"},
        {"family": "Krejčí", "given": "Pavel"},
    ]
    assert messages(report, Severity.WARNING) == [
        "'MR1870153' author: unknown LaTeX command \\ocirc kept as written"
    ]


def test_entry_without_a_key_is_read_with_a_warning() -> None:
    # EndNote writes "@article{" straight into the fields (Better BibTeX's import fixtures)
    text = "\n\t@article{\n\t  author = {Huang, Y. and Mucke, L.},\n\t  year = {2012}\n\t}\n"
    items, report = read_bib(text)
    assert items == [
        {
            "type": "article-journal",
            "author": [{"family": "Huang", "given": "Y."}, {"family": "Mucke", "given": "L."}],
            "issued": {"date-parts": [[2012]]},
        }
    ]
    assert messages(report, Severity.WARNING) == [
        "@article entry without a key; a key is generated"
    ]
