"""The BibTeX converter's fast paths give exactly what its general code gives.

The writer and reader take short cuts for the common cases (plain ASCII text, plain
names, simple dates and pages, flat brace groups, one regular expression per field).
Each test below runs the same input through the short cut and through the general
code (reached with a ``str`` subclass, an extra harmless key, or the short cut's
pattern disabled) and requires the same result, so the two cannot drift apart.
"""

from __future__ import annotations

import io
import random
import re

import pytest

from refconv.converters import bibtex
from refconv.converters.bibtex import latex, syntax
from refconv.converters.bibtex.dates import _EDTF, _edtf_parts, date_fields
from refconv.converters.bibtex.mapping import FIELDS, PLAIN_DOI
from refconv.converters.bibtex.names import _name_to_bibtex, decode_names, encode_names
from refconv.converters.bibtex.reader import _PAGE_DASHES, ReadContext, _decode_pages
from refconv.converters.bibtex.syntax import MacroTable, _fast_block, evaluate
from refconv.converters.bibtex.writer import (
    WriteContext,
    _encode_doi,
    _encode_list,
    _encode_pages,
    _encode_text,
    _encode_title,
)
from refconv.converters.core.diagnostics import Report
from refconv.converters.core.identifiers import normalise_doi


class Text(str):
    """A str the fast paths (``type(value) is str``) leave to the general code."""


TEXTS = [
    "Deep learning for single-cell RNA sequencing",
    "The Lancet",
    "PLOS ONE",
    "A study of vitamin D in T-cell response",
    "O'Brien's model: 3D mRNA maps (of HCC) [A/B] ?!",
    "x'Y and 'B and B' and ['T and Ab 'T",
    "Springer Science and Business Media LLC",
    "trailing space ",
    " leading space",
    "double  space",
    "en--dash and ''quotes'' and ,,low",
    "100% & $5 # {braces} ~tilde ^ _ \\ | ` < >",
    "Zoë Müller and Łukasz",
    "tab\there",
    "",
]


@pytest.fixture(params=[True, False], ids=["ascii", "utf8"])
def ctx(request: pytest.FixtureRequest) -> WriteContext:
    return WriteContext(bibtex.BIBTEX, request.param, Report())


def _both(encode, value, ctx):
    general = WriteContext(ctx.dialect, ctx.ascii_only, Report())
    fast = encode(value, ctx, FIELDS[0], {})
    slow = encode(Text(value), general, FIELDS[0], {})
    assert fast == slow, value
    assert ctx.unknown == general.unknown


@pytest.mark.parametrize("value", TEXTS)
@pytest.mark.parametrize(
    "encode",
    [_encode_text, _encode_title, _encode_list, _encode_pages],
    ids=["text", "title", "list", "pages"],
)
def test_plain_text_short_cuts(encode, value: str, ctx) -> None:
    _both(encode, value, ctx)


@pytest.mark.parametrize(
    "value",
    [
        "Tumour <i>Mus musculus</i> models",
        "<i>E. coli</i> in DNA repair",
        "Review of <i>The Book</i>",
        "a<i> </i>b",
        "x <i>y</i>  z",
        "<i>a</i><i>b</i>",
        "<i>--</i>",
        "A <i>B</i> C",
    ],
)
def test_titles_with_one_italic_span(value: str, ctx) -> None:
    _both(_encode_title, value, ctx)


@pytest.mark.parametrize("value", ["123-140", "e1021", "12", "A1-B2", "12--14", "5 - 7", "iv–x"])
def test_pages(value: str, ctx) -> None:
    _both(_encode_pages, value, ctx)


@pytest.mark.parametrize(
    "value",
    ["10.1038/nature12373", "10.1000/x.", "10.1000/a%20b", "10.1000/{x}", "10.12/x", "10.1000/é"],
)
def test_dois(value: str, ctx) -> None:
    _both(_encode_doi, value, ctx)


NAMES = [
    {"family": "Smith", "given": "Anna"},
    {"family": "Müller", "given": "Zoë"},
    {"family": "Mu\u0308ller", "given": "Zoe"},  # not NFC: the general code decides
    {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
    {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
    {"family": "Smith", "given": "Jean-Paul"},
    {"family": "hooks", "given": "bell"},
    {"family": "Smith", "given": "And", "non-dropping-particle": "and"},
    {"family": "Kowalski", "given": "Łukasz"},
    {"family": "Đorđević", "given": "Đorđe"},
    {"family": "X", "given": "Y", "suffix": "Jr."},
    {"family": "Ab", "given": 5},
    {"literal": "World Health Organization"},
]


@pytest.mark.parametrize("name", NAMES, ids=lambda n: repr(n))
def test_names_inline_as_name_to_bibtex(name: dict, ctx) -> None:
    general = WriteContext(ctx.dialect, ctx.ascii_only, Report())
    expected = _name_to_bibtex(name, general)
    assert encode_names([name], ctx, FIELDS[0], {}) == expected
    assert ctx.unknown == general.unknown


@pytest.mark.parametrize(
    "parts",
    [[2020, 5, 17], [2020, 5], [2020], [2020, 0, 3], [2020, 13], [1999, 12, 31], [-44, 3], [0]],
)
@pytest.mark.parametrize("dialect", bibtex.DIALECTS)
@pytest.mark.parametrize("issued", [True, False])
def test_dates(parts: list[int], dialect: str, issued: bool) -> None:
    fast = date_fields({"date-parts": [parts]}, dialect, issued)
    general = date_fields({"date-parts": [parts], "circa": False}, dialect, issued)
    assert fast == general
    assert [type(v) for _, v in fast] == [type(v) for _, v in general]


def test_protect_plain_case_as_to_latex() -> None:
    rng = random.Random(3)
    words = ["the", "The", "DNA", "mRNA", "O'Brien", "x'Y", "'B", "B'", "A", "a", "3D", "T-cell"]
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        assert latex.protect_plain_case(text) == latex.to_latex(text, protect_case=True), text


def test_long_ascii_needs_escape_exactly_when_escaping_changes_it() -> None:
    base = "word " * 40
    for extra in ["", "%", "{", "}", "\\", "$", "&", "#", "_", "~", "^", "<", ">", "|", "`"]:
        for run in ["", "--", "''", ",,", "-", "'", ","]:
            for control in ["", "\x01", "\x0b", "\t", "\n"]:
                text = base + extra + run + control + base
                needs = latex._needs_escape(text, True)
                assert needs == (latex.escape_text(text) != text), repr(text[195:215])


@pytest.mark.parametrize(
    "source",
    [
        "{RNA} sequencing",
        "{World Health Organization}",
        "{DNA} and {mRNA} and {x} and {} and {2}",
        "O'{Brien}",
        "a {B} c",
        "{a}--{b}",
        "unbalanced {brace",
        "{nested {group}}",
    ],
)
@pytest.mark.parametrize("title", [True, False])
def test_flat_groups_as_the_parser(source: str, title: bool) -> None:
    flat = latex._flat_groups(source, title)
    if flat is not None:
        assert flat == latex._Parser(source, title, None).parse()


@pytest.mark.parametrize(
    "value", ["12--34", "12-34", "e1--e5", "12---34", "A1-B2", "12", "12 -- 34", "{12}--34"]
)
def test_read_pages(value: str) -> None:
    ctx = ReadContext(Report())
    general = latex.from_latex(value) if latex.LATEX_SYNTAX.search(value) else value
    expected = _PAGE_DASHES.sub("-", general).strip()
    assert _decode_pages(value, ctx, "pages") == expected


@pytest.mark.parametrize(
    "latex_names",
    [
        "Smith, Anna and Jones, Bob",
        "van Berg, Jan and de la Cruz, María and Smith, Jean-Paul",
        "Smith, Anna and others",
        "Smith, Anna AND Jones, Bob",
        "Smith, Anna and\tJones, Bob",
        'Zo{\\"e}, Ann and M{\\"u}ller, Jo',
        "Dvo{\\v{r}}{\\'a}k, Anton{\\'\\i}n and {\\L}ukasz, {\\O}ster and Q{\\relax x}, Y",
        "van der Berg, Jan and van Der Berg, Jan and van berg, Jan and von O'Neil, Ann",
        "and Smith, Jo and d\u00e9 Smith, Jo and van Smith, Jan Peter and van  Smith, Jo",
        "de la Fuente, Ana and van Beethoven, Ludwig van and Smith, A. B. and la Smith, J",
    ],
)
def test_plain_name_lists_as_bibtex_name_rules(latex_names: str) -> None:
    fast, fast_truncated = decode_names(latex_names, ReadContext(Report()), "")
    # the same list with a double space goes through the general splitting and name rules
    general, general_truncated = decode_names(
        latex_names.replace(" and", "  and"), ReadContext(Report()), ""
    )
    assert (fast, fast_truncated) == (general, general_truncated)


@pytest.mark.parametrize("raw", ["jan", "Jan", "foo", "undefinedmacro", "x1"])
def test_bare_macro_as_a_one_piece_expression(raw: str) -> None:
    macros = MacroTable()
    macros.values["foo"] = "FOO"
    fast_problems: list[str] = []
    general_problems: list[str] = []
    fast = evaluate(raw, macros, fast_problems)
    general = evaluate(f"{raw} # {{}}", macros, general_problems)
    assert (fast, fast_problems) == (general, general_problems)


ENTRIES = [
    "@article{k1,\n  author = {Smith, Anna},\n  title = {A {B} c},\n  year = 2020,\n"
    "  month = jan\n}\n",
    '@misc{k2, title = "quoted", note = {deep {a {b {c {d {e {f}}}}}}},}\n',
    "@book{k3,\n  title = {mail me @ home},\n  publisher = {x@y}\n}\n",
    "@article{k4, title={no space}, pages = {12--34} ,year=1999}\n",
]


@pytest.mark.parametrize("text", ENTRIES)
def test_field_expression_as_the_step_by_step_reading(text: str, monkeypatch) -> None:
    fast = _fast_block(text, 0, len(text), 1)
    monkeypatch.setattr(syntax, "_FAST_FIELD", re.compile(r"(?!)"))
    general = _fast_block(text, 0, len(text), 1)
    assert fast == general
    assert fast is not None and fast.entry is not None and fast.entry.fields


@pytest.mark.parametrize(
    "doi",
    [
        "10.1038/nature12373",
        "10.1002/(SICI)1097-4636(199606)31:2<181::AID-JBM5>3.0.CO;2-K",
        "10.1000/x.",
        "10.1000/a%2Fb",
        "10.123/x",
        "10.12345/sp ace",
        "10.1000/\u00e9",
        "10.1000/x\n",
    ],
)
def test_plain_doi_is_what_normalise_doi_keeps(doi: str) -> None:
    if PLAIN_DOI.fullmatch(doi) and doi.isascii():
        assert normalise_doi(doi) == doi
    entry = f"@article{{k,\n  doi = {{{doi}}}\n}}\n"
    report = Report()
    (item,) = bibtex.read(io.StringIO(entry), report)
    expected = normalise_doi(doi.strip())
    assert item["DOI"] == (expected if expected is not None else doi.strip())


@pytest.mark.parametrize(
    "date",
    [
        "2020-04-24",
        "2020-13-01",
        "2020-21-05",
        "2020-02-32",
        "2020-00-10",
        "0999-01-01",
        "2020-4-24",
        "2020-04-24~",
        " 2020-04-24 ",
        "２０２０-04-24",
        "2020/04/24",
        "2020-04-2a",
    ],
)
def test_iso_date_as_the_edtf_expression(date: str) -> None:
    match = _EDTF.match(date.strip())
    general = None
    if match is not None:
        # what the expression alone gives, checked as _edtf_parts checks it
        year, month, day, flags = match.group("year", "month", "day", "flags")
        parts = [int(year)]
        ok = True
        if month:
            ok = 1 <= int(month) <= 12 or 21 <= int(month) <= 24
            parts.append(int(month))
            if day and ok:
                ok = 1 <= int(day) <= 31 and int(month) <= 12
                parts.append(int(day))
        general = (parts, bool(flags)) if ok else None
    assert _edtf_parts(date) == general
