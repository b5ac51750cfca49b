"""CSL-JSON → RIS → CSL-JSON keeps what the issue lists; RIS → RIS is stable.

Kept: title, names (authors, editors), container, volume, issue, page, date, DOI, URL,
ISSN/ISBN, publisher, place, abstract and keywords. Compared after the normalisation
RIS itself imposes, and no more: a page range's dash is a hyphen, a value is one line
(an abstract's paragraphs are joined), keywords are a list, a name is its words (RIS
has ``Family, Given, Suffix`` only, so a dropping particle joins the given name), and a
journal article's number without pages comes back as its page (it is written in SP),
as a book's or thesis's single SP comes back as its number of pages.
"""

from __future__ import annotations

import io
import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ris_support import EXPORTS, example_items, load_corpus, name_tokens, read_ris, write_ris

from conftest import ROOT
from refconv.converters import ris
from refconv.converters.core.diagnostics import Report
from refconv.converters.core.names import PARTICLES, SUFFIXES
from refconv.converters.ris.mapping import (
    FILMS,
    JOURNALS,
    NUMBER_IN_SN,
    PAGES_ARE_COUNT,
    RIS_TO_TYPE,
    SERIES_IN_T2,
    SN_IS_ISSN,
    TYPE_TO_RIS,
)

TEXT_FIELDS = ("title", "volume", "issue", "DOI", "URL", "publisher", "publisher-place")


def kept(item: dict) -> dict:
    """The fields the round trip must keep, normalised as RIS requires."""
    out: dict = {}
    for variable in TEXT_FIELDS:
        if item.get(variable) not in (None, ""):
            out[variable] = " ".join(str(item[variable]).split())
    for variable in ("author", "editor", "director"):
        if item.get(variable):
            out[variable] = [name_tokens(n) for n in item[variable]]
    container = item.get("container-title")
    if item.get("type") in SERIES_IN_T2:
        container = item.get("collection-title") or container  # T2 is the series
    if container:
        out["container"] = container
    page = item.get("page")
    if not page and item.get("type") in JOURNALS:
        page = item.get("number")  # an article number is written alone in SP
    if not page and item.get("type") in PAGES_ARE_COUNT:
        page = item.get("number-of-pages")  # SP alone on BOOK/THES: the page count
    if page:
        out["page"] = re.sub("[\u2010-\u2015\u2212]", "-", str(page)).replace(" ", "")
    if item.get("issued"):
        out["issued"] = item["issued"].get("date-parts") or item["issued"].get("literal")
    for variable in ("ISSN", "ISBN"):
        if item.get(variable):
            out[variable] = str(item[variable])
    sn_is_isbn = item.get("type") not in SN_IS_ISSN | NUMBER_IN_SN
    if sn_is_isbn and not item.get("ISBN"):
        out.pop("ISSN", None)  # Zotero would read it as the ISBN: warned, not written
    if item.get("abstract"):
        out["abstract"] = " ".join(str(item["abstract"]).split())
    if item.get("keyword"):
        out["keyword"] = [k.strip() for k in re.split(r"[;,]", item["keyword"]) if k.strip()]
    return out


def round_trip(items: list[dict]) -> list[dict]:
    back, report = read_ris(write_ris(items))
    assert not [d for d in report.collected if d.severity >= 20], report.collected
    assert len(back) == len(items)
    return back


def test_examples_round_trip() -> None:
    items = example_items()
    assert len(items) > 50
    for item, back in zip(items, round_trip(items), strict=True):
        assert kept(back) == kept(item), item["id"]
        assert back["id"] == item["id"]


def test_corpus_round_trip() -> None:
    items = load_corpus()
    for item, back in zip(items, round_trip(items), strict=True):
        assert kept(back) == kept(item), item["id"]
        for variable in ("collection-title", "collection-editor", "translator", "edition"):
            assert back.get(variable) == item.get(variable), (item["id"], variable)


def test_custom_and_pubmed_ids_round_trip() -> None:
    items = load_corpus()
    back = round_trip(items)
    assert back[0]["PMID"] == "33220331" and back[0]["PMCID"] == "PMC7654321"
    assert back[0]["container-title-short"] == "J Hepatol"
    assert back[13]["type"] == "article"  # a GEN record with an arXiv DOI


@pytest.mark.parametrize("path", sorted(EXPORTS.glob("*.ris")), ids=lambda p: p.name)
def test_ris_to_ris_is_stable(path: Path) -> None:
    """Reading our own output gives the same items, so a second pass changes nothing."""
    items, _ = read_ris(path.read_bytes().decode("utf-8").removeprefix("\ufeff"))
    first = write_ris(items)
    again, report = read_ris(first)
    assert [as_written(i) for i in again] == [as_written(i) for i in items]
    assert write_ris(again) == first
    assert not [d for d in report.collected if d.severity >= 20]


def as_written(item: dict) -> dict:
    """What our RIS does to an item by design: a value is one line (an abstract's
    paragraphs are joined), and an article number without pages is written in SP."""
    item = dict(item)
    if "abstract" in item:
        item["abstract"] = " ".join(item["abstract"].split())
    if item["type"] in JOURNALS and "page" not in item and "number" in item:
        item["page"] = item.pop("number")
    return item


# --- property test ----------------------------------------------------------------------

# Text RIS carries unchanged: one line, no surrounding space, no HTML entity.
_CHARS = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Zs"),
    exclude_characters="&\u2028\u2029\x85",
)
text = st.text(_CHARS, min_size=1, max_size=40).map(lambda s: " ".join(s.split())).filter(bool)
word = st.text(string.ascii_letters + "ÀÉÎÕÜßçłøñ'-", min_size=1, max_size=12).filter(
    lambda w: w[0].isalpha() and w.lower() not in SUFFIXES and w.lower() not in PARTICLES
)
person = st.builds(
    lambda family, given, particle, suffix: {
        "family": family,
        "given": given,
        **({"non-dropping-particle": particle} if particle else {}),
        **({"suffix": suffix} if suffix else {}),
    },
    word,
    st.lists(word, min_size=1, max_size=3).map(" ".join),
    st.sampled_from(["", "", "van", "de la", "von"]),
    st.sampled_from(["", "", "Jr.", "III"]),
)
organisation = st.builds(
    lambda w, kind: {"literal": f"{w} {kind}"},
    word,
    st.sampled_from(["Consortium", "Collaboration", "Institute", "Society"]),
)
name = st.one_of(person, person, person, organisation)
date = st.lists(st.integers(1, 12), max_size=2).flatmap(
    lambda md: st.integers(1000, 2099).map(lambda y: {"date-parts": [[y, *md[:1], *md[1:2]]]})
)
page = st.one_of(
    st.integers(1, 9999).map(str),
    st.tuples(st.integers(1, 999), st.integers(1, 99)).map(lambda t: f"{t[0]}–{t[0] + t[1]}"),
    st.from_regex(r"e[0-9]{5,7}", fullmatch=True),
)
keywords = st.lists(
    st.text(string.ascii_letters + " -", min_size=1, max_size=15).map(str.strip).filter(bool),
    min_size=1,
    max_size=5,
).map(", ".join)
# Every type but the preprint, whose GEN is read back as "document" unless its DOI or
# container names a preprint server (see tests/ris/test_ris_mapping.py).
TYPES = [t for t in sorted(TYPE_TO_RIS) if t != "article"]


@st.composite
def items(draw) -> dict:
    csl_type = draw(st.sampled_from(TYPES))
    item = {"type": csl_type, "title": draw(text), "author": draw(st.lists(name, max_size=6))}
    optional = {
        "container-title": text,
        "volume": st.from_regex(r"[1-9][0-9]{0,3}", fullmatch=True),
        "issue": st.from_regex(r"[1-9][0-9]{0,2}(-[1-9])?", fullmatch=True),
        "page": page,
        "issued": date,
        # a final period is read as punctuation after the DOI (normalise_doi), as exporters add it
        "DOI": st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9.()-]{0,19}[a-z0-9]", fullmatch=True),
        "URL": st.from_regex(r"https://example\.org/[a-z0-9/]{1,20}", fullmatch=True),
        "ISSN": st.from_regex(r"[0-9]{4}-[0-9]{3}[0-9X]", fullmatch=True),
        "ISBN": st.from_regex(
            r"97[89]-[0-9]-[0-9]{4}-[0-9]{4}-[0-9X]|[0-9]{9}[0-9X]", fullmatch=True
        ),
        "publisher": text,
        "publisher-place": text,
        "editor": st.lists(person, min_size=1, max_size=3),
        "abstract": text,
        "keyword": keywords,
    }
    for variable, strategy in optional.items():
        if draw(st.booleans()):
            item[variable] = draw(strategy)
    if csl_type in SERIES_IN_T2:
        item.pop("container-title", None)  # T2 is the series title for these types
    if csl_type not in SN_IS_ISSN | NUMBER_IN_SN and "ISBN" not in item:
        item.pop("ISSN", None)  # SN alone is the ISBN to Zotero: not written, with a warning
    if not item["author"]:
        del item["author"]
    elif csl_type in FILMS:
        item["director"] = item.pop("author")  # a film's AU is its director (Zotero, RIS)
    return item


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(items(), min_size=1, max_size=4))
def test_csl_ris_csl_keeps_the_listed_fields(generated: list[dict]) -> None:
    back = round_trip(generated)
    for item, again in zip(generated, back, strict=True):
        expected = kept(item)
        if item["type"] == "broadcast" and "author" in expected:
            expected["director"] = expected.pop("author")  # read back as a film's AU
        assert kept(again) == expected
        assert again["type"] == RIS_TO_TYPE[TYPE_TO_RIS[item["type"]]]


def test_every_field_survives_or_is_warned() -> None:
    """CSL-JSON → RIS → CSL-JSON over the Zotero corpus (every CSL type): each variable
    of each item comes back, or the writer warned once for its name with a count."""
    corpus = json.loads((ROOT / "tests/fixtures/zotero/corpus.json").read_text("utf-8"))
    report = Report()
    buffer = io.StringIO()
    ris.write(corpus, buffer, report)
    text = buffer.getvalue()
    warned: dict[str, int] = {}
    for diagnostic in report.collected:
        match = re.match(r"RIS has no tag for (\S+): not written \((\d+) item", diagnostic.message)
        if match:
            assert match.group(1) not in warned, f"{match.group(1)} warned twice"
            warned[match.group(1)] = int(match.group(2))
    back = list(ris.read(io.StringIO(text), Report()))
    assert len(back) == len(corpus)
    lost: dict[str, int] = {}
    for item, again in zip(corpus, back, strict=True):
        names = [k for k in item if k not in ("id", "type", "custom")]
        names += [f"custom.{k}" for k in item.get("custom", {})]
        for name in names:
            if name.startswith("custom."):
                present = name[7:] in again.get("custom", {})
            elif name == "event-title" and item[name] == item.get("container-title"):
                present = again.get("container-title") == item[name]  # read as one title
            elif name == "author" and item["type"] == "broadcast":
                present = again.get("director") == item["author"]  # MPCT: AU is the director
            elif name == "number" and item["type"] in JOURNALS:
                present = again.get("page") == item.get("page", item["number"])  # alone in SP
            else:
                present = again.get(name) not in (None, "", [])
            if not present:
                lost[name] = lost.get(name, 0) + 1
    silent = {name: n for name, n in lost.items() if name not in warned}
    assert not silent, f"lost without a warning: {silent}"
    short = {name: (n, warned[name]) for name, n in lost.items() if warned[name] < n}
    assert not short, f"lost in more items than warned (lost, warned): {short}"
