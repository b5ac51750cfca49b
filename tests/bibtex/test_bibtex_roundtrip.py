"""CSL-JSON → BibTeX/biblatex → CSL-JSON keeps what the issue lists: title, names,
container, volume, issue, page, date, DOI, URL, ISBN, ISSN, publisher, place, editor,
abstract and keywords; for generated items and for every example record."""

from __future__ import annotations

import re
import string

import pytest
from bibtex_support import example_items, load_corpus, messages, read_bib, write_bib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refconv.converters.core.diagnostics import Report, Severity

KEPT = (
    "title",
    "author",
    "editor",
    "container-title",
    "volume",
    "issue",
    "page",
    "issued",
    "DOI",
    "URL",
    "ISBN",
    "ISSN",
    "publisher",
    "publisher-place",
    "abstract",
    "keyword",
)
TYPES = (
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "book",
    "chapter",
    "paper-conference",
    "thesis",
    "report",
    "webpage",
    "dataset",
    "software",
    "manuscript",
    "pamphlet",
    "patent",
    "entry-encyclopedia",
    "article",
    "motion_picture",
)

# Text as it occurs in titles and abstracts: every character TeX or BibTeX treats
# specially, accented and non-Latin letters, typographic punctuation. ("<" is CSL rich
# text markup and left out; markup has its own test.)
ALPHABET = (
    string.ascii_letters
    + string.digits
    + " .,;:!?'\"()[]/-+=*@"
    + "\\{}$%&#_~^|`>"
    + "äöüÄÖÜéèêëçñßøåæœłŁđĐžšćčřőűıİ"
    + "αβγΩ–—‘’“”…°×€"
    + "肝癌研究"
)
words = st.text(alphabet=ALPHABET, min_size=1, max_size=12).filter(lambda w: w.strip() == w)
text = st.lists(words, min_size=1, max_size=8).map(" ".join).map(lambda t: " ".join(t.split()))
text = text.filter(bool)

capitalised = st.from_regex(
    r"[A-ZÄÖÜÉŁĐ][a-zäöüéèçñßøåłđžšćř]{1,8}(-[A-Z][a-z]{1,6})?", fullmatch=True
)
family = st.lists(capitalised, min_size=1, max_size=3).map(" ".join) | st.sampled_from(
    ["O'Brien", "Ribeiro dos Santos", "García Márquez", "Müller-Lüdenscheidt", "hooks", "Đorđević"]
)
given_name = st.sampled_from(
    ["Hong", "J. R. R.", "Jean-Paul", "María José", "Łukasz", "Zoë", "bell", "A.", "GuoWei"]
)
person = st.fixed_dictionaries(
    {"family": family},
    optional={
        "given": given_name,
        "non-dropping-particle": st.sampled_from(["van", "de la", "von", "van der", "di"]),
        "suffix": st.sampled_from(["Jr.", "III", "Sr."]),
    },
)
organisation = text.map(lambda t: {"literal": t})
names = st.lists(person | organisation, min_size=1, max_size=5)

year = st.integers(min_value=1000, max_value=2100)
month = st.integers(min_value=1, max_value=12)
day = st.integers(min_value=1, max_value=28)
single = st.one_of(
    st.tuples(year).map(list),
    st.tuples(year, month).map(list),
    st.tuples(year, month, day).map(list),
    st.tuples(year, st.integers(min_value=21, max_value=24)).map(list),  # seasons
)
date = st.one_of(
    single.map(lambda parts: {"date-parts": [parts]}),
    st.tuples(single, single).map(lambda pair: {"date-parts": list(pair)}),
    single.map(lambda parts: {"date-parts": [parts], "circa": True}),
    st.sampled_from(["in press", "forthcoming", "n.d.", "Spring term"]).map(
        lambda t: {"literal": t}
    ),
)
number = st.from_regex(r"[1-9][0-9]{0,3}[A-Z]?|S[0-9]|Suppl [0-9]", fullmatch=True)
pages = st.from_regex(r"[1-9][0-9]{0,3}(-[1-9][0-9]{0,3})?|e[0-9]{3,5}", fullmatch=True)
doi = st.from_regex(r"10\.[0-9]{4,6}/[A-Za-z0-9._;()<>:{}\[\]-]{1,20}[A-Za-z0-9]", fullmatch=True)
url = st.from_regex(
    r"https://[a-z]{1,10}\.org/[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]{0,30}", fullmatch=True
)
isbn = st.sampled_from(["978-3-16-148410-0", "0-201-89683-4", "9780262033848"])
issn = st.sampled_from(["0028-0836", "1476-4687", "2049-3630"])
paragraphs = st.lists(text, min_size=1, max_size=3).map("\n\n".join)

items = st.fixed_dictionaries(
    {"id": st.just("k"), "type": st.sampled_from(TYPES), "title": text},
    optional={
        "author": names,
        "editor": names,
        "container-title": text,
        "volume": number,
        "issue": number,
        "page": pages,
        "issued": date,
        "DOI": doi,
        "URL": url,
        "ISBN": isbn,
        "ISSN": issn,
        "publisher": text,
        "publisher-place": text,
        "abstract": paragraphs,
        "keyword": text,
    },
)


def kept(item: dict) -> dict:
    """The listed variables, with names as CSL readers compare them (particles joined to
    the family name: BibTeX's von part does not say whether a particle drops)."""
    out = {}
    for variable in KEPT:
        if variable not in item:
            continue
        value = item[variable]
        if variable in ("author", "editor"):
            value = [
                {
                    "family": " ".join(
                        p for p in (n.get("non-dropping-particle"), n.get("family")) if p
                    ),
                    **{k: n[k] for k in ("given", "suffix", "literal") if k in n},
                }
                if "family" in n
                else n
                for n in value
            ]
            # a family name alone is written braced when it has several words or a
            # hyphen (BibTeX would split it), with its suffix when it has one (BibTeX has
            # no place for a suffix without a given name); such a name reads back as a literal
            value = [
                {"literal": ", ".join(n[p] for p in ("family", "suffix") if p in n)}
                if "family" in n and "given" not in n
                else n
                for n in value
            ]
        out[variable] = value
    return out


def not_written(report: Report) -> dict[str, int]:
    """The CSL variables the writer reported it did not write, each with its count of items
    (one warning per variable)."""
    counts = {}
    for message in messages(report, Severity.WARNING):
        found = re.match(r"(\S+) not written for (\d+) items?:", message)
        if found:
            counts[found.group(1)] = int(found.group(2))
    return counts


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=items)
def test_generated_items_survive_a_round_trip(dialect: str, item: dict) -> None:
    report = Report(keep_info=True)
    text_out = write_bib([item], dialect, report)
    back, read_report = read_bib(text_out)
    assert len(back) == 1, (text_out, read_report.collected)
    # what the writer cannot carry (biblatex's data model has no field for it in the entry
    # type) it names in a warning; everything else comes back
    lost = set(not_written(report))
    assert dialect == "biblatex" or not lost  # BibTeX takes any field in any type
    expected = {k: v for k, v in kept(item).items() if k not in lost}
    assert kept(back[0]) == expected, text_out


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_every_example_record_and_the_corpus_survive_a_round_trip(dialect: str) -> None:
    originals = example_items() + load_corpus()
    report = Report(keep_info=True)
    text_out = write_bib(originals, dialect, report)
    back, _ = read_bib(text_out)
    assert len(back) == len(originals)
    warned = not_written(report)
    lost: dict[str, int] = {}
    for original, read in zip(originals, back, strict=True):
        # a variable missing from what was read back is one the writer warned of
        missing = set(kept(original)) - set(kept(read))
        for variable in missing:
            lost[variable] = lost.get(variable, 0) + 1
        expected = {k: v for k, v in kept(original).items() if k not in missing}
        if "page" in expected:  # en dashes in ranges come back as hyphens, as CSL writes them
            expected["page"] = re.sub("[–—]", "-", str(expected["page"]))
        for variable in ("volume", "issue"):
            if variable in expected:
                expected[variable] = str(expected[variable])
        assert kept(read) == expected, original.get("id")
    assert all(count <= warned.get(variable, 0) for variable, count in lost.items()), lost


def test_bibtex_to_csl_to_bibtex_is_stable() -> None:
    """Reading our own output and writing it again gives the same text."""
    first = write_bib(load_corpus())
    items, _ = read_bib(first)
    assert write_bib(items) == first
    second = write_bib(load_corpus(), "biblatex")
    items, _ = read_bib(second)
    assert write_bib(items, "biblatex") == second
