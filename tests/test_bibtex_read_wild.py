"""Reading BibTeX and biblatex as found in the wild: no file lost, every construct
read as BibTeX, biber and biblatex define it (issue 13, the reading side)."""

from __future__ import annotations

import time
import tracemalloc

from bibtex_support import messages, read_bib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv.converters import bibtex
from refconv.converters.core.diagnostics import Severity
from refconv.converters.core.latex import from_latex

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
