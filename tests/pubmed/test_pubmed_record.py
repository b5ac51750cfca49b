"""PubMed values both exports share: MEDLINE dates, names with initials, language codes."""

from __future__ import annotations

import pytest

from refconv.converters.pubmed.record import given_name, language_tag, medline_date, person


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2019 Aug 21", [[2019, 8, 21]]),
        ("2019 Aug", [[2019, 8]]),
        ("2019", [[2019]]),
        ("2010 Sep-Oct", [[2010, 9], [2010, 10]]),
        ("1998 Dec-1999 Jan", [[1998, 12], [1999, 1]]),
        ("2000 Spring", [[2000, 21]]),
        ("2000 Spring-Summer", [[2000, 21], [2000, 22]]),
        ("1977-1978", [[1977], [1978]]),
        ("2001 Jan 3-17", [[2001, 1, 3], [2001, 1, 17]]),
        ("2019 Nov/Dec", [[2019, 11], [2019, 12]]),
        ("Winter 2018", [[2018, 24]]),
    ],
)
def test_medline_dates(text, parts):
    assert medline_date(text) == {"date-parts": parts}


def test_unreadable_medline_date_keeps_year_and_text():
    assert medline_date("1st Quarter 2008") == {
        "date-parts": [[2008]],
        "literal": "1st Quarter 2008",
    }
    assert medline_date("") is None


def test_name_helpers():
    assert given_name("John A") == "John A."
    assert given_name("JA") == "J. A."
    assert given_name("Mei Ling") == "Mei Ling"
    assert person("Smith", "John A Jr") == {"family": "Smith", "given": "John A.", "suffix": "Jr."}
    assert person("Ludwig", "van", "") == {"family": "Ludwig", "given": "van"}
    # an organisation word in a family name does not make a person an organisation
    assert person("Group", "Anna") == {"family": "Group", "given": "Anna"}
    assert language_tag("eng") == "en"
    assert language_tag("und") is None
    assert language_tag("xho") == "xho"
