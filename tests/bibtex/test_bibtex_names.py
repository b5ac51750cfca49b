"""The name grammar (converters/bibtex/names.py), both ways: each short cut gives what the
general name rules give."""

from __future__ import annotations

import pytest

from refconv.converters.bibtex.mapping import BIBTEX, FIELDS
from refconv.converters.bibtex.names import _name_to_bibtex, decode_names, encode_names
from refconv.converters.bibtex.reader import ReadContext
from refconv.converters.bibtex.writer import WriteContext
from refconv.converters.core.diagnostics import Report


@pytest.fixture(params=[True, False], ids=["ascii", "utf8"])
def ctx(request: pytest.FixtureRequest) -> WriteContext:
    return WriteContext(BIBTEX, request.param, Report())


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
