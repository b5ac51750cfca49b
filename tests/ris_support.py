"""Helpers shared by the RIS tests: reading and writing in memory, the interop corpus,
and the fields a consumer must get back (title, authors, journal, volume, issue, pages,
year, DOI), normalised the same way for every consumer."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from refconv.converters import ris
from refconv.converters.core.diagnostics import Report, Severity
from refconv.converters.ris.mapping import JOURNALS, PAGES_ARE_COUNT, SERIES_IN_T2

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "ris"
CORPUS = FIXTURES / "corpus.json"
EXPORTS = FIXTURES / "exports"
NODE_DIR = HERE / "_node"

# one journal article, as the tests of the reader's stages feed it
BASIC = (
    "TY  - JOUR\nTI  - A title\nAU  - Smith, John\nT2  - A Journal\nPY  - 2020\n"
    "SP  - 1\nEP  - 9\nER  - \n"
)


def read_ris(text: str) -> tuple[list[dict], Report]:
    report = Report(keep_info=True)
    items = list(ris.read(io.StringIO(text), report))
    return items, report


def write_ris(items: list[dict], report: Report | None = None, **options: Any) -> str:
    buffer = io.StringIO(newline="")
    ris.write(items, buffer, report or Report(keep_info=True), **options)
    return buffer.getvalue()


def messages(report: Report, severity: Severity) -> list[str]:
    return [d.message for d in report.collected if d.severity is severity]


RECORD_SUFFIXES = frozenset({".txt", ".json", ".jsonl", ".ndjson", ".xml", ".nbib", ".ris", ".bib"})


def example_items() -> list[dict]:
    """Every record in examples/ (any format refconv reads), as refconv reads it; files
    that hold no records (the Makefile) are left out."""
    from refconv.converters import read

    files = sorted(p for p in (HERE.parent / "examples").rglob("*") if p.suffix in RECORD_SUFFIXES)
    assert files, "no example records"
    return [item for path in files for item in read(path)]


def load_corpus() -> list[dict]:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


# --- normalised comparison ------------------------------------------------------------------

_DASHES = re.compile("[\u2010-\u2015\u2212]")


def name_tokens(name: dict | str) -> tuple[str, ...]:
    """The words of a name, whichever parts they sit in (consumers split names differently:
    pandoc reads "King, Martin Luther, Jr." with the suffix as the given name)."""
    if isinstance(name, str):
        text = name
    else:
        text = " ".join(
            str(name.get(part, ""))
            for part in (
                "given",
                "dropping-particle",
                "non-dropping-particle",
                "family",
                "suffix",
                "literal",
            )
        )
    text = unicodedata.normalize("NFC", text).replace(",", " ").replace(".", " ")
    words = []
    for word in text.split():
        # initials written together ("AJ") are read apart by some ("A J")
        words.extend(word if len(word) <= 3 and word.isupper() else [word])
    return tuple(sorted(words))


def page_text(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return _DASHES.sub("-", str(value)).replace(" ", "")


def year_of(date: Any) -> int | None:
    if isinstance(date, dict) and date.get("date-parts"):
        try:
            return int(date["date-parts"][0][0])
        except (TypeError, ValueError, IndexError):
            return None
    return None


def expected_fields(item: dict) -> dict[str, Any]:
    """What a reader of our RIS must find, from the item we wrote."""
    csl_type = item.get("type")
    pages = item.get("page")
    if pages in (None, "") and csl_type in JOURNALS:
        pages = item.get("number")  # an article number goes in SP
    if pages in (None, "") and csl_type in PAGES_ARE_COUNT:
        pages = item.get("number-of-pages")
    journal = item.get("container-title")
    if csl_type in SERIES_IN_T2:
        journal = None  # T2 holds the series for these types
    return {
        "title": item.get("title"),
        "authors": [name_tokens(n) for n in item.get("author", [])],
        "journal": journal,
        "volume": str(item["volume"]) if item.get("volume") else None,
        "issue": str(item["issue"]) if item.get("issue") else None,
        "pages": page_text(pages),
        "year": year_of(item.get("issued")),
        "doi": str(item["DOI"]).lower() if item.get("DOI") else None,
    }


def csl_fields(item: dict, authors_from: tuple[str, ...] = ("author",)) -> dict[str, Any]:
    """The same fields from a consumer's CSL-JSON item (pandoc, citation-js)."""
    names: list = []
    for variable in authors_from:
        names = item.get(variable) or []
        if isinstance(names, str):  # citation-js gives "reporter" as one string
            names = [names]
        if names:
            break
    pages = item.get("page") or item.get("number-of-pages")
    return {
        "title": item.get("title"),
        "authors": [name_tokens(n) for n in names],
        "journals": {item.get("container-title")} - {None},
        "volume": str(item["volume"]) if item.get("volume") else None,
        "issue": str(item["issue"]) if item.get("issue") else None,
        "pages": page_text(pages),
        "year": year_of(item.get("issued")),
        "doi": str(item["DOI"]).lower() if item.get("DOI") else None,
    }


MODS = "{http://www.loc.gov/mods/v3}"


def _text(element) -> str | None:
    return (element.text or "").strip() if element is not None else None


def _detail(mods, kind: str) -> str | None:
    return _text(mods.find(f".//{MODS}detail[@type='{kind}']/{MODS}number"))


def mods_records(xml_text: str) -> list[dict[str, Any]]:
    """The same fields from bibutils' MODS output (``ris2xml``)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xml_text.lstrip("\ufeff").encode("utf-8"))
    records = []
    for mods in root.findall(f"{MODS}mods"):
        info = mods.find(f"{MODS}titleInfo")
        title = _text(info.find(f"{MODS}title")) if info is not None else None
        subtitle = _text(info.find(f"{MODS}subTitle")) if info is not None else None
        if subtitle:
            title = f"{title}: {subtitle}"  # bibutils splits titles at the colon
        authors = []
        for name in mods.findall(f"{MODS}name"):
            roles = {_text(r) for r in name.iter(f"{MODS}roleTerm")}
            if roles and "author" not in roles:
                continue
            words = " ".join(_text(p) or "" for p in name.findall(f"{MODS}namePart"))
            authors.append(name_tokens(words))
        journals = {
            _text(t)
            for host in mods.findall(f"{MODS}relatedItem")
            for t in host.iter(f"{MODS}title")
            if _text(t)
        }

        start = _text(mods.find(f".//{MODS}extent[@unit='page']/{MODS}start"))
        end = _text(mods.find(f".//{MODS}extent[@unit='page']/{MODS}end"))
        pages = f"{start}-{end}" if start and end else start or _detail(mods, "page")
        years = [
            _text(e)
            for e in [*mods.iter(f"{MODS}dateIssued"), *mods.iter(f"{MODS}date")]
            if _text(e)
        ]
        doi = _text(mods.find(f"{MODS}identifier[@type='doi']"))
        records.append(
            {
                "id": mods.get("ID"),
                "title": title,
                "authors": authors,
                "journals": journals,
                "volume": _detail(mods, "volume"),
                "issue": _detail(mods, "issue"),
                "pages": page_text(pages),
                "year": int(years[0][:4]) if years else None,
                "doi": doi.lower() if doi else None,
            }
        )
    return records


def differences(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """Fields where a consumer's reading differs from what we wrote."""
    problems = []
    for key in ("title", "authors", "volume", "issue", "pages", "year", "doi"):
        if expected[key] not in (None, []) and expected[key] != found[key]:
            problems.append(f"{key}: wrote {expected[key]!r}, read {found[key]!r}")
    if expected["journal"] and expected["journal"] not in found["journals"]:
        problems.append(f"journal: wrote {expected['journal']!r}, read {found['journals']!r}")
    return problems
