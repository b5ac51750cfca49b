"""Our RIS, read back by the programs people feed it to.

* bibutils ``ris2xml`` (Debian package ``bibutils``), parsed from its MODS XML;
* pandoc >= 3 ``-f ris -t csljson`` (Debian's 2.17 has no RIS reader; the PyPI
  package ``pypandoc-binary`` carries pandoc 3.x);
* citation-js (``@citation-js/core`` + ``@citation-js/plugin-ris``), installed by
  ``npm ci --prefix tests/_node`` from the committed package-lock.json.

Every example record and the varied corpus in tests/fixtures/ris/corpus.json must come
back as the same number of records with the same title, authors, journal, volume,
issue, pages, year and DOI. Where a consumer reads a tag differently from the
specification and Zotero, the test says so below rather than hiding it:

* pandoc and bibutils read a conference paper's ``T2`` as its container, which we
  write as the conference name, only when there is one (Zotero's layout and export:
  C3 holds the proceedings); citation-js reads C3, as Zotero does.
* citation-js reads the ``AU`` of a newspaper article (``NEWS``) as ``reporter``,
  as the RIS specification's type table has it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache

import pytest
from ris_support import (
    NODE_DIR,
    csl_fields,
    differences,
    example_items,
    expected_fields,
    load_corpus,
    mods_records,
    write_ris,
)

from refconv.converters.ris.mapping import TYPE_TO_RIS

pytestmark = pytest.mark.interop


@cache
def pandoc_path() -> str | None:
    """A pandoc of version 3 or later: pypandoc-binary's, else one on PATH."""
    candidates = []
    try:
        import pypandoc

        candidates.append(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        pass
    if shutil.which("pandoc"):
        candidates.append(shutil.which("pandoc"))
    for path in candidates:
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            continue
        match = re.match(r"pandoc\S* (\d+)\.", out.stdout)
        if match and int(match.group(1)) >= 3:
            return path
    return None


def run(argv: list[str], data: bytes) -> str:
    proc = subprocess.run(argv, input=data, capture_output=True, timeout=120)
    assert proc.returncode == 0, f"{argv[0]} failed: {proc.stderr.decode(errors='replace')}"
    return proc.stdout.decode("utf-8")


def read_with_pandoc(data: bytes) -> list[dict]:
    path = pandoc_path()
    if path is None:
        pytest.skip("needs pandoc >= 3 (pip install pypandoc-binary); Debian's 2.17 reads no RIS")
    return [csl_fields(i) for i in json.loads(run([path, "-f", "ris", "-t", "csljson"], data))]


def read_with_bibutils(data: bytes) -> list[dict]:
    if shutil.which("ris2xml") is None:
        pytest.skip("needs ris2xml (apt-get install bibutils)")
    return mods_records(run(["ris2xml"], data))


def read_with_citation_js(data: bytes) -> list[dict]:
    if shutil.which("node") is None:
        pytest.skip("needs node")
    if not (NODE_DIR / "node_modules" / "@citation-js" / "plugin-ris").is_dir():
        pytest.skip("needs citation-js: npm ci --prefix tests/_node")
    items = json.loads(run(["node", str(NODE_DIR / "read_ris.js")], data))
    return [csl_fields(i, authors_from=("author", "reporter")) for i in items]


READERS = {
    "pandoc": read_with_pandoc,
    "bibutils": read_with_bibutils,
    "citation-js": read_with_citation_js,
}


def expectation(item: dict, consumer: str) -> dict:
    expected = expected_fields(item)
    if consumer in ("pandoc", "bibutils") and item.get("type") == "paper-conference":
        # they read T2 (the conference name, as Zotero and the specification have it)
        # as the container and never C3 (the proceedings title)
        expected["journal"] = item.get("event-title")
    return expected


def _registrant_digits(item: dict) -> int:
    match = re.match(r"10\.(\d+)/", str(item.get("DOI") or ""))
    return len(match.group(1)) if match else 4


def _organisation_words(item: dict) -> bool:
    """An organisation bibutils takes apart: one with "and" in it, or a capitalised first
    of two words ("ATLAS Collaboration" → given names A T L A S)."""
    literals = [n.get("literal", "") for n in item.get("author", []) if isinstance(n, dict)]
    return any(
        " and " in name
        or (len(name.split()) == 2 and name.split()[0].isupper() and len(name.split()[0]) > 3)
        for name in literals
    )


# Consumer bugs our RIS cannot work around: (consumer, field, applies to item, why).
# The test asserts the consumer still misreads every record a rule applies to, so a
# fixed consumer fails the test and the rule is removed.
KNOWN_MISREADINGS = [
    (
        "bibutils",
        "doi",
        lambda item: _registrant_digits(item) != 4,
        "bibutils 7.2 drops DOIs whose registrant code is not four digits (10.48550/...)",
    ),
    (
        "bibutils",
        "authors",
        _organisation_words,
        "bibutils splits a name at 'and' and reads a capitalised given name ('ATLAS "
        "Collaboration') as initials; "
        "RIS has no way to mark a name as an organisation",
    ),
    (
        "citation-js",
        "journal",
        lambda item: item.get("type") == "webpage",
        "citation-js reads the T2 of ELEC as collection-title; Zotero writes and reads "
        "the website title there",
    ),
    (
        "citation-js",
        "issue",
        lambda item: TYPE_TO_RIS.get(item.get("type", "")) not in ("JOUR", "MGZN"),
        "citation-js reads IS only on JOUR and MGZN records, not on GEN, NEWS, CONF...",
    ),
]


def check(consumer: str, items: list[dict], **options) -> None:
    data = write_ris(items, **options).encode("utf-8")
    found = READERS[consumer](data)
    assert len(found) == len(items), f"{consumer} read {len(found)} of {len(items)} records"
    problems, still_wrong = [], []
    for item, record in zip(items, found, strict=True):
        expected = expectation(item, consumer)
        fields = {p.split(":")[0]: p for p in differences(expected, record)}
        for who, field, applies, _why in KNOWN_MISREADINGS:
            relevant = who == consumer and expected.get(field) not in (None, [])
            if relevant and applies(item) and fields.pop(field, None) is None:
                still_wrong.append(f"{item.get('id')}: {field} is now read right")
        problems += [f"{item.get('id')}: {problem}" for problem in fields.values()]
    assert not problems, f"{consumer} read our RIS differently:\n" + "\n".join(problems)
    assert not still_wrong, "update KNOWN_MISREADINGS:\n" + "\n".join(still_wrong)


@pytest.mark.parametrize("consumer", list(READERS))
def test_examples_read_back(consumer: str) -> None:
    check(consumer, example_items())


@pytest.mark.parametrize("crlf", [True, False], ids=["crlf", "lf"])
@pytest.mark.parametrize("consumer", list(READERS))
def test_corpus_read_back(consumer: str, crlf: bool) -> None:
    check(consumer, load_corpus(), crlf=crlf)


@pytest.mark.parametrize("consumer", list(READERS))
def test_byte_order_mark_is_accepted(consumer: str) -> None:
    check(consumer, load_corpus()[:5], bom=True)


def test_corpus_covers_the_cases_it_claims() -> None:
    """The corpus is varied on purpose; keep it so."""
    corpus = load_corpus()
    types = {item["type"] for item in corpus}
    assert {"article-journal", "chapter", "book", "paper-conference", "thesis", "report"} <= types
    assert {"webpage", "dataset", "software", "article", "article-newspaper", "patent"} <= types
    names = [n for item in corpus for n in item.get("author", [])]
    assert any("non-dropping-particle" in n for n in names)
    assert any("dropping-particle" in n for n in names)
    assert any("suffix" in n for n in names)
    assert any("literal" in n for n in names)
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in n.get("family", "")) for n in names)
    assert any(item.get("number") and not item.get("page") for item in corpus)
    assert any("–" in str(item.get("page", "")) for item in corpus)
    assert len(corpus) >= 20


C7_ONLY = "TY  - JOUR\r\nTI  - T\r\nT2  - J\r\nPY  - 2023\r\nC7  - e1234\r\nER  - \r\n\r\n"


def test_why_an_article_number_goes_in_sp_not_c7() -> None:
    """The evidence for the writer's choice: in C7 pandoc and bibutils lose the article
    number (Zotero's importer has no C7 either); in SP every consumer keeps it as the page."""
    if pandoc_path() is None or shutil.which("ris2xml") is None:
        pytest.skip("needs pandoc >= 3 and ris2xml")
    data = C7_ONLY.encode()
    assert read_with_pandoc(data)[0]["pages"] is None
    assert read_with_bibutils(data)[0]["pages"] is None
    as_sp = data.replace(b"C7  - ", b"SP  - ")
    assert read_with_pandoc(as_sp)[0]["pages"] == "e1234"
    assert read_with_bibutils(as_sp)[0]["pages"] == "e1234"
