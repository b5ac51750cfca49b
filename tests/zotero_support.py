"""What Zotero imports from our output, compared field by field with the source items.

The corpus (tests/fixtures/zotero/corpus.json) is written in each format, every file is
imported by ``../shared/tools/zotero-import`` (Zotero's own RIS.js, BibTeX.js and
CSL JSON.js in Zotero's translation framework) in one process call, and each Zotero item
is compared with what Zotero's CSL mapping (zotero-schema's ``csl`` section: CSL type ->
item type, CSL variable -> base field, CSL name variable -> creator type) says the source
item should become. Used by tests/test_zotero_interop.py and bench/zotero_interop.py.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from conftest import ROOT, SHARED
from refconv.converters import write
from refconv.converters.core.dates import MONTHS
from refconv.converters.core.diagnostics import Report
from refconv.converters.core.model import split_keywords

ZOTERO_IMPORT = SHARED / "tools" / "zotero-import"
SCHEMA = ZOTERO_IMPORT / "vendor/translation-server/modules/zotero-schema/schema.json"
CORPUS = ROOT / "tests" / "fixtures" / "zotero" / "corpus.json"

# label -> (refconv format, write options, Zotero translator)
FORMATS: dict[str, tuple[str, dict[str, Any], str]] = {
    "RIS": ("ris", {}, "ris"),
    "BibTeX (ASCII)": ("bibtex", {"ascii": True}, "bibtex"),
    "BibTeX (UTF-8)": ("bibtex", {"ascii": False}, "bibtex"),
    "biblatex": ("biblatex", {}, "bibtex"),
    "CSL-JSON": ("csljson", {}, "csljson"),
}
# Zotero keeps these in titles as rich text; "title" compares the text without them, and
# "title markup" (not a primary field) whether they arrived too.
_MARKUP = re.compile(r"</?(?:i|b|sub|sup|span)(?:\s[^>]*)?>")
PRIMARY = (
    "item type",
    "title",
    "creators",
    "container",
    "volume",
    "issue",
    "pages",
    "date",
    "DOI",
    "URL",
    "ISBN",
    "ISSN",
    "publisher",
    "place",
    "abstract",
    "tags",
)
SECONDARY = ("title markup", "conference", "event place", "PMID", "arXiv id", "note")
_ARXIV = re.compile(r"(?:arxiv:\s*)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7})", re.I)
# primary field -> CSL variable and the Zotero base field it maps to (zotero-schema csl.fields)
_TEXT_FIELDS = {
    "title": ("title", "title"),
    "container": ("container-title", "publicationTitle"),
    "volume": ("volume", "volume"),
    "issue": ("issue", "issue"),
    "pages": ("page", "pages"),
    "DOI": ("DOI", "DOI"),
    "URL": ("URL", "url"),
    "ISBN": ("ISBN", "ISBN"),
    "ISSN": ("ISSN", "ISSN"),
    "publisher": ("publisher", "publisher"),
    "place": ("publisher-place", "place"),
    "abstract": ("abstract", "abstractNote"),
}


def missing_tool_reason() -> str | None:
    """Why the Zotero tests cannot run here, or None."""
    if not (zotero_import_dir() / "zotero-import").is_file():
        return f"needs ../shared/tools/zotero-import beside the checkout (looked in {SHARED})"
    if shutil.which("node") is None:
        return "needs node >= 20.19 for ../shared/tools/zotero-import"
    if not (zotero_import_dir() / "node_modules" / ".zotero-import-setup").is_file():
        return "zotero-import is not set up: run ../shared/tools/zotero-import/setup"
    return None


def zotero_import_dir() -> Path:
    """The set-up copy: ``REFCONV_ZOTERO_IMPORT`` (CI's writable copy) or the shared folder."""
    return Path(os.environ.get("REFCONV_ZOTERO_IMPORT", ZOTERO_IMPORT))


def load_corpus() -> list[dict[str, Any]]:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def write_formats(items: list[dict[str, Any]], folder: Path) -> dict[str, Path]:
    """The corpus in every format of :data:`FORMATS`, one file each."""
    paths = {}
    suffixes = {"ris": ".ris", "bibtex": ".bib", "biblatex": ".bib", "csljson": ".json"}
    for number, (label, (format_name, options, _translator)) in enumerate(FORMATS.items()):
        text = write(items, format_name, report=Report(), **options)
        path = folder / f"{number}{suffixes[format_name]}"
        path.write_text(text, encoding="utf-8", newline="")
        paths[label] = path
    return paths


def import_with_zotero(paths: list[Path], translator: str) -> list[list[dict[str, Any]]]:
    """Zotero's items for each file, read by ``translator`` (ris, bibtex, csljson) in one
    process call; notes are child items. The translator is forced: Zotero's detection
    misses CSL-JSON files over about 50 kB."""
    tool = zotero_import_dir() / "zotero-import"
    proc = subprocess.run(
        [str(tool), "--compact", "--format", translator, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"zotero-import failed: {proc.stderr.strip()}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


# --- Zotero's schema ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Schema:
    csl_types: dict[str, list[str]]  # CSL type -> Zotero item types (first: the one imported)
    base_fields: dict[str, dict[str, str]]  # item type -> {base field or field: field}
    creator_types: dict[str, list[str]]  # item type -> creator types (first: primary)
    csl_names: dict[str, str]  # Zotero creator type -> CSL name variable


@cache
def schema() -> Schema:
    data = json.loads(SCHEMA.read_text(encoding="utf-8"))
    base_fields: dict[str, dict[str, str]] = {}
    creator_types: dict[str, list[str]] = {}
    for item_type in data["itemTypes"]:
        fields = {}
        for entry in item_type["fields"]:
            fields[entry["field"]] = entry["field"]
            if "baseField" in entry:
                fields[entry["baseField"]] = entry["field"]
        base_fields[item_type["itemType"]] = fields
        creators = sorted(item_type["creatorTypes"], key=lambda c: not c.get("primary"))
        creator_types[item_type["itemType"]] = [c["creatorType"] for c in creators]
    return Schema(data["csl"]["types"], base_fields, creator_types, data["csl"]["names"])


# --- Zotero's own type round trip -------------------------------------------------------------

_JS_MAP = r"var {name} = \{{(.*?)\n\}};"
_JS_PAIR = re.compile(r"""["']?(\w+)["']?\s*:\s*["'](\w+)["']""")


def _translator_map(translator: str, name: str) -> dict[str, str]:
    """A ``var NAME = {key: "value", ...};`` table of one of Zotero's translators."""
    path = ZOTERO_IMPORT / "vendor/translation-server/modules/translators" / f"{translator}.js"
    found = re.search(_JS_MAP.format(name=name), path.read_text(encoding="utf-8"), re.DOTALL)
    assert found, f"{name} not found in {translator}.js"
    body = re.sub(r"//[^\n]*", "", found.group(1))
    return dict(_JS_PAIR.findall(body))


@cache
def zotero_round_trip_types(translator: str) -> dict[str, str | None]:
    """Zotero item type → the type Zotero's own export and then import give back (None:
    the import discards the entry), read from the type tables of RIS.js or BibTeX.js."""
    types = list(schema().creator_types)
    if translator == "RIS":
        export = {
            **_translator_map("RIS", "exportTypeMap"),
            **_translator_map("RIS", "degenerateExportTypeMap"),
        }
        imports = {
            **_translator_map("RIS", "importTypeMap"),
            **{ris: zotero for zotero, ris in _translator_map("RIS", "exportTypeMap").items()},
        }
        return {t: imports.get(export.get(t, "GEN"), "journalArticle") for t in types}
    export = _translator_map("BibTeX", "zotero2bibtexTypeMap")
    imports = _translator_map("BibTeX", "bibtex2zoteroTypeMap")
    return {t: imports.get(export.get(t, "misc")) for t in types}


# --- normalising values ------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_DASHES = re.compile("[\u2010-\u2015\u2212]")


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", _SPACE.sub(" ", str(value)).strip())


def _normal(primary: str, value: Any) -> str:
    text = _text(value)
    if primary == "pages":
        return _DASHES.sub("-", text).replace(" ", "")
    if primary == "DOI":
        return re.sub(r"^https?://(dx\.)?doi\.org/", "", text, flags=re.I).lower()
    if primary in ("ISBN", "ISSN"):
        numbers = (re.sub(r"[^0-9X]", "", v.upper()) for v in re.split(r"[ ,;]+", text) if v)
        return " ".join(sorted(numbers))
    return text


def _date_key(value: Any) -> tuple[int, ...] | None:
    """(year, month, day) as far as given, from a CSL date or a Zotero date string."""
    if isinstance(value, dict):
        parts = (value.get("date-parts") or [[]])[0]
        if parts:
            try:
                numbers = [int(p) for p in parts[:3]]
            except (TypeError, ValueError):
                return None
            return tuple(numbers[:1] if len(numbers) > 1 and numbers[1] > 12 else numbers)
        value = value.get("literal") or value.get("raw") or ""
    text = str(value).strip().lower()
    iso = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?!\d)", text)
    if iso:
        return tuple(int(p) for p in iso.groups() if p and int(p))
    year = re.search(r"\b(\d{4})\b", text)
    if not year:
        return None
    month = next((n for name, n in MONTHS.items() if re.search(rf"\b{name}\b", text)), None)
    day = re.search(r"\b(\d{1,2})\b", text.replace(year.group(1), ""))
    parts = [int(year.group(1))]
    if month:
        parts.append(month)
        if day:
            parts.append(int(day.group(1)))
    return tuple(parts)


def _csl_name(name: dict[str, Any]) -> tuple[str, str]:
    """(family part, whole name) of a CSL name as Zotero would show it."""
    if name.get("literal"):
        literal = _text(name["literal"])
        return literal, literal
    family = str(name.get("family") or "")
    particle = str(name.get("non-dropping-particle") or "")
    if particle:
        family = particle + ("" if particle[-1] in "'’-" else " ") + family
    words = [name.get("given"), name.get("dropping-particle"), family, name.get("suffix")]
    return _text(family), _text(" ".join(str(w) for w in words if w))


def _zotero_name(creator: dict[str, Any]) -> tuple[str, str]:
    if "name" in creator:
        name = _text(creator["name"])
        return name, name
    last, first = _text(creator.get("lastName", "")), _text(creator.get("firstName", ""))
    return last, _text(f"{first} {last}")


def _names_equal(expected: list[tuple[str, str]], actual: list[tuple[str, str]]) -> bool:
    """Same names in the same order: the same words (Zotero keeps a suffix after a comma
    in the first name: "Martin Luther, Jr.") and the family name last."""
    if len(expected) != len(actual):
        return False
    for (family, whole), (last, got) in zip(expected, actual, strict=True):
        if sorted(whole.replace(",", "").split()) != sorted(got.replace(",", "").split()):
            return False
        if family and not last.endswith(family):
            return False
    return True


# --- comparing -------------------------------------------------------------------------------


@dataclass
class Tally:
    """Per primary field: items where the source has a value Zotero can hold, and how many
    arrived equal; the differences, for the report."""

    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PRIMARY + SECONDARY, 0))
    equal: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PRIMARY + SECONDARY, 0))
    differences: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def add(self, primary: str, item_id: str, want: Any, got: Any, same: bool) -> None:
        self.expected[primary] += 1
        if same:
            self.equal[primary] += 1
        else:
            self.differences.append((item_id, primary, want, got))

    def share(self, primary: str | None = None, *, without: tuple[str, ...] = ()) -> float:
        fields = tuple(f for f in PRIMARY if f not in without) if primary is None else (primary,)
        expected = sum(self.expected[f] for f in fields)
        return 100.0 * sum(self.equal[f] for f in fields) / expected if expected else 100.0


def _value(zitem: dict[str, Any], item_type: str, base: str) -> Any:
    name = schema().base_fields.get(item_type, {}).get(base)
    return zitem.get(name) if name else None


def _creators_expected(item: dict[str, Any], item_type: str) -> dict[str, list[tuple[str, str]]]:
    """CSL role -> names, the roles as Zotero files them for ``item_type``."""
    types = schema().creator_types.get(item_type, [])
    role_of = schema().csl_names
    expected: dict[str, list[tuple[str, str]]] = {}
    for creator_type, role in role_of.items():
        names = item.get(role)
        if not isinstance(names, list) or creator_type in ("creator", "podcaster"):
            continue
        if role in expected:
            continue
        target = creator_type if creator_type in types else (types[0] if types else "author")
        expected.setdefault(_role(target, item_type), []).extend(
            _csl_name(n) for n in names if isinstance(n, dict)
        )
    return expected


def _role(creator_type: str, item_type: str) -> str:
    types = schema().creator_types.get(item_type, [])
    if types and creator_type == types[0]:
        return "author"
    return schema().csl_names.get(creator_type, creator_type)


def _creators_actual(zitem: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    actual: dict[str, list[tuple[str, str]]] = {}
    for creator in zitem.get("creators", []):
        role = _role(creator.get("creatorType", ""), zitem["itemType"])
        actual.setdefault(role, []).append(_zotero_name(creator))
    return actual


def compare_item(item: dict[str, Any], zitem: dict[str, Any] | None, tally: Tally) -> None:
    """Add one source item's fields and what Zotero made of them to ``tally``."""
    item_id = str(item.get("id"))
    wanted_types = schema().csl_types.get(item["type"])
    got_type = zitem["itemType"] if zitem else None
    if wanted_types:
        tally.add("item type", item_id, wanted_types, got_type, got_type in wanted_types)
    # fields Zotero can hold: those of the item type it should be (or got, where the
    # schema has no type for the CSL type)
    item_type = wanted_types[0] if wanted_types else (got_type or "document")
    if wanted_types and got_type in wanted_types:
        item_type = got_type
    zitem = zitem or {"itemType": item_type}
    fields = schema().base_fields.get(item_type, {})
    for primary, (variable, base) in _TEXT_FIELDS.items():
        value = item.get(variable)
        if value in (None, "", []) or base not in fields:
            continue
        got = _value(zitem, zitem["itemType"], base)
        if primary in ("title", "container") and _MARKUP.search(str(value)):
            same = got is not None and _text(value) == _text(got)
            if primary == "title":
                tally.add("title markup", item_id, value, got, same)
            value, got = _MARKUP.sub("", str(value)), got and _MARKUP.sub("", str(got))
        same = got is not None and _normal(primary, value) == _normal(primary, got)
        tally.add(primary, item_id, value, got, same)
    if item.get("issued") and "date" in fields:
        got = _value(zitem, zitem["itemType"], "date")
        want = _date_key(item["issued"])
        tally.add("date", item_id, item["issued"], got, got is not None and want == _date_key(got))
    expected = _creators_expected(item, item_type)
    if any(expected.values()):
        actual = _creators_actual(zitem)
        same = set(expected) == set(actual) and all(
            _names_equal(expected[role], actual[role]) for role in expected
        )
        tally.add("creators", item_id, expected, actual, same)
    _compare_secondary(item, zitem, fields, tally)
    keywords = item.get("keyword")
    if keywords:
        want_tags = sorted(_text(k) for k in split_keywords(keywords))
        got_tags = sorted(_text(t["tag"]) for t in zitem.get("tags", []))
        tally.add("tags", item_id, want_tags, got_tags, want_tags == got_tags)


def _extra(zitem: dict[str, Any]) -> dict[str, str]:
    """``Label: value`` lines of Zotero's Extra field, labels lower-cased."""
    found = {}
    for line in str(zitem.get("extra", "")).splitlines():
        label, _, value = line.partition(":")
        if value:
            found[label.strip().lower()] = value.strip()
    return found


def _compare_secondary(
    item: dict[str, Any], zitem: dict[str, Any], fields: dict[str, str], tally: Tally
) -> None:
    """Fields beside the primary ones: the conference, identifiers Zotero keeps in Extra
    (or, for a preprint, as its Archive ID) and the note (Extra, or child notes)."""
    item_id = str(item.get("id"))
    for label, variable, names in (
        ("conference", "event-title", ("meetingName", "conferenceName")),
        ("event place", "event-place", ("eventPlace",)),
    ):
        base = next((name for name in names if name in fields), None)
        if item.get(variable) and base:
            got = _value(zitem, zitem["itemType"], base)
            tally.add(
                label, item_id, item[variable], got, _text(item[variable]) == _text(got or "")
            )
    extra = _extra(zitem)
    if item.get("PMID"):
        got = zitem.get("PMID") or extra.get("pmid")
        tally.add("PMID", item_id, item["PMID"], got, str(item["PMID"]) == got)
    arxiv = _ARXIV.search(str(item.get("number") or "")) if item.get("type") == "article" else None
    if arxiv:
        # Extra (BibTeX eprint), the Archive ID (CSL-JSON) or Loc. in Archive (RIS AN)
        got = extra.get("arxiv") or zitem.get("archiveID") or zitem.get("archiveLocation")
        same = got is not None and arxiv.group(1).lower() in got.lower()
        tally.add("arXiv id", item_id, arxiv.group(1), got, same)
    if item.get("note"):
        notes = zitem.get("_notes", [])
        text = re.sub(r"<br\s*/?>|</p>\s*<p>", "\n", " ".join(notes))
        got = re.sub(r"<[^>]+>", "", text) if notes else zitem.get("extra")
        same = got is not None and _text(item["note"]) in _text(html.unescape(got))
        tally.add("note", item_id, item["note"], got, same and len(notes) <= 1)


def top_level(zitems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Zotero's items without their child notes, each with its notes in ``_notes``."""
    parents: list[dict[str, Any]] = []
    by_key: dict[str, dict[str, Any]] = {}
    for zitem in zitems:
        if zitem.get("itemType") == "note" and zitem.get("parentItem") in by_key:
            by_key[zitem["parentItem"]].setdefault("_notes", []).append(zitem["note"])
            continue
        parents.append(zitem)
        if "key" in zitem:
            by_key[zitem["key"]] = zitem
    return parents


def _title_key(title: Any) -> str:
    """The first letters of a title, without markup or TeX commands."""
    text = re.sub(r"\\[A-Za-z]+|<[^>]+>", "", str(title))
    return "".join(c for c in text.lower() if c.isalnum())[:12]


def align(items: list[dict[str, Any]], zitems: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """Zotero's item for each source item, in order (None where Zotero dropped one)."""
    if len(items) == len(zitems):
        return list(zitems)
    result: list[dict[str, Any] | None] = []
    position = 0
    for item in items:
        title = _title_key(item.get("title", ""))
        for ahead in range(position, min(position + 3, len(zitems))):
            if _title_key(zitems[ahead].get("title", "")) == title:
                result.append(zitems[ahead])
                position = ahead + 1
                break
        else:
            result.append(None)
    return result


def run_corpus(items: list[dict[str, Any]] | None = None) -> dict[str, Tally]:
    """Every format of :data:`FORMATS` through Zotero; a tally per format."""
    items = load_corpus() if items is None else items
    with tempfile.TemporaryDirectory(prefix="refconv-zotero-") as folder:
        paths = write_formats(items, Path(folder))
        imported: dict[str, list[dict[str, Any]]] = {}
        for translator in dict.fromkeys(spec[2] for spec in FORMATS.values()):
            labels = [label for label, spec in FORMATS.items() if spec[2] == translator]
            found = import_with_zotero([paths[label] for label in labels], translator)
            imported.update(zip(labels, found, strict=True))
    tallies = {}
    for label, zitems in imported.items():
        tally = Tally()
        for item, zitem in zip(items, align(items, top_level(zitems)), strict=True):
            compare_item(item, zitem, tally)
        tallies[label] = tally
    return tallies


def table(tallies: dict[str, Tally]) -> str:
    """Per field and format: the share that arrived equal (equal/expected)."""
    labels = list(tallies)
    rows = [["field", *labels]]
    for primary in PRIMARY + SECONDARY:
        if primary == SECONDARY[0]:
            rows.append(["all primary fields", *(f"{tallies[x].share():5.1f} %" for x in labels)])
            rows.append(
                [
                    "  the same but item type",
                    *(f"{tallies[x].share(without=('item type',)):5.1f} %" for x in labels),
                ]
            )
        row = [primary]
        for label in labels:
            tally = tallies[label]
            row.append(
                f"{tally.share(primary):5.1f} % ({tally.equal[primary]}/{tally.expected[primary]})"
            )
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
