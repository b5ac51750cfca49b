"""Dates (converters/bibtex/dates.py): the short cuts for plain dates give what the
general EDTF and year/month code gives."""

from __future__ import annotations

import pytest

from refconv.converters.bibtex.dates import _EDTF, _edtf_parts, date_fields
from refconv.converters.bibtex.mapping import DIALECTS


@pytest.mark.parametrize(
    "parts",
    [[2020, 5, 17], [2020, 5], [2020], [2020, 0, 3], [2020, 13], [1999, 12, 31], [-44, 3], [0]],
)
@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("issued", [True, False])
def test_dates(parts: list[int], dialect: str, issued: bool) -> None:
    fast = date_fields({"date-parts": [parts]}, dialect, issued)
    general = date_fields({"date-parts": [parts], "circa": False}, dialect, issued)
    assert fast == general
    assert [type(v) for _, v in fast] == [type(v) for _, v in general]


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
