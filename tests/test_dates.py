"""core/dates: partial dates stay partial; the YYYY-MM-DD short cut gives what the pattern gives."""

from __future__ import annotations

import pytest

from refconv.converters.core.dates import date_variable, parse_date_parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2021-05-03", [2021, 5, 3]),
        ("2021-05-00", [2021, 5]),
        ("2021-00-05", [2021]),
        ("0000-00-00", [0]),
        ("2021-13-01", None),
        ("2021-02-31", [2021, 2, 31]),  # day range only, as the general pattern
        (" 1999-12-31 ", [1999, 12, 31]),
        ("2021/05/03", [2021, 5, 3]),
        ("2021-5-3", [2021, 5, 3]),
        ("2021-05-03T10:00:00Z", [2021, 5, 3]),
        ("24 Apr 2025", [2025, 4, 24]),
        ("2020", [2020]),
        ("２０２１-05-03", [2021, 5, 3]),  # full-width digits: not the short cut, same result
    ],
)
def test_parse_date_parts(text, parts):
    assert parse_date_parts(text) == parts


def test_date_variable_ranges_and_literals():
    assert date_variable("2019-05-01/2019-06-30") == {"date-parts": [[2019, 5, 1], [2019, 6, 30]]}
    assert date_variable("2021-05-03") == {"date-parts": [[2021, 5, 3]]}
    assert date_variable("sometime") == {"literal": "sometime"}
    assert date_variable("") is None
