"""RIS value codecs: names, dates, pages, serial and accession numbers, notes, each
read and written the way the field map's kinds need them."""

from __future__ import annotations

import pytest

from refconv.converters.ris import values


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("Müller, Jörg", {"family": "Müller", "given": "Jörg"}),
        (
            "van der Berg, Jan",
            {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
        ),
        ("Smith JA", {"family": "Smith", "given": "JA"}),  # PubMed's form, no comma
        ("张三", {"family": "张", "given": "三"}),
        ("World Health Organization", {"literal": "World Health Organization"}),
        ("  Liu   Hong ", {"literal": "Liu Hong"}),  # no comma: kept whole
    ],
)
def test_names_read(value: str, name: dict) -> None:
    assert values.name_from_ris(value) == name


def test_names_written_family_first_with_particles_against_the_family() -> None:
    name = {"family": "Alembert", "non-dropping-particle": "d'", "given": "Jean", "suffix": "Jr."}
    assert values.name_to_ris(name) == "d'Alembert, Jean, Jr."
    assert values.name_to_ris({"literal": "CMS Collaboration"}) == "CMS Collaboration"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2019/08/21/", [2019, 8, 21]),
        ("2019//", [2019]),
        ("2000/00/00/Spring", [2000, 21]),
        ("20190821", [2019, 8, 21]),
        ("-44///", [-44]),
        ("APR 24", None),  # no year: month_day_from_ris reads it
    ],
)
def test_dates_read(text: str, parts: list[int] | None) -> None:
    assert values.date_from_ris(text) == parts


def test_yearless_dates_and_range_ends() -> None:
    assert values.month_day_from_ris("APR 24") == [4, 24]
    assert values.month_day_from_ris("Mar") == [3]
    assert values.date_range_end("2019/12//2020-01") == [2020, 1]
    assert values.date_range_end("2019/12//Winter") is None


@pytest.mark.parametrize(
    ("date", "da", "py"),
    [
        ({"date-parts": [[2019, 8, 21]]}, "2019/08/21/", "2019"),
        ({"date-parts": [[2019, 12], [2020, 1]]}, "2019/12//2020-01", "2019"),
        ({"date-parts": [[2000]], "season": "1"}, "2000///Spring", "2000"),
        ({"literal": "circa 1900"}, "circa 1900", None),
    ],
)
def test_dates_written_and_read_back(date: dict, da: str, py: str | None) -> None:
    assert values.date_to_ris(date) == da
    assert values.year_to_ris(date) == py
    if "date-parts" in date:
        assert values.date_from_ris(da) == date["date-parts"][0] + (
            [21] if date.get("season") else []
        )


def test_pages_split_at_any_dash_only() -> None:
    assert values.split_pages("12–15") == ("12", "15")
    assert values.split_pages("e123") == ("e123", "")
    assert values.split_pages("S1,S3") == ("S1,S3", "")
    assert values.has_range("S1,S3") and not values.has_range("e123")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("1234-5678", "ISSN"),
        ("15525996 (ISSN)", "ISSN"),
        ("978-3-16-148410-0", "ISBN"),
        ("ISBN 0-306-40615-2", "ISBN"),
        ("TR-2020-7", None),
    ],
)
def test_serial_numbers_by_their_form(value: str, kind: str | None) -> None:
    assert values.serial_kind(value) == kind


def test_accession_numbers_and_notes() -> None:
    assert values.pmid_from_ris("PMID: 123") == "123"
    assert values.pmid_from_ris("WOS:000123") is None
    html = "<p>a<br/>b</p><p>c &amp; d</p>"
    assert values.note_from_ris(html) == "a\nb\n\nc & d"
    assert values.note_to_ris("a\nb\n\nc & d", str.strip) == html
