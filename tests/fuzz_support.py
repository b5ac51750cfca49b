"""The fuzzer shared by tests/test_fuzz.py (a short deterministic run) and fuzz/run.py (a
long one): input generators for every reader and the oracle every input must pass.

Inputs are bytes, as the CLI reads them. Each reader has two kinds of generator:

* structure-aware: records of its own format that are almost right (JSON records of
  the real examples with values of the wrong type, deep nesting, lone surrogates,
  control characters; RIS and MEDLINE tag lines; PubMed XML trees with parts moved,
  dropped or filled with junk; BibTeX entries with macros, concatenations, LaTeX);
* byte-level: the real files of ``examples/``, ``tests/fixtures/`` and ``tests/golden/``
  with bytes flipped, inserted, dropped, repeated and spliced.

The oracle (:func:`check`): reading raises nothing but :class:`ConversionError`;
every writer takes the items; what a writer writes is UTF-8 and its own reader
reads it back without an error, the same number of items; HTML is well-formed.
Real ``bibtex`` over the BibTeX output is checked in batches (:func:`bibtex_errors`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from refconv.converters import ConversionError, Report, read, write
from refconv.converters.core.diagnostics import Severity

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "fuzz_corpus"

READERS = (
    "bibtex",
    "biblatex",
    "crossref",
    "csl-json",
    "openalex",
    "paper-record",
    "pubmed",
    "ris",
    "semantic-scholar",
)
# writers whose output their own reader must take back
ROUND_TRIP_WRITERS = ("csl-json", "bibtex", "biblatex", "ris")
EXTENSIONS = {
    "bibtex": ".bib",
    "biblatex": ".bib",
    "crossref": ".json",
    "csl-json": ".json",
    "openalex": ".json",
    "paper-record": ".txt",
    "pubmed": ".txt",
    "ris": ".ris",
    "semantic-scholar": ".json",
}
# the citation writer formats at most this many items an input (it is the slow writer)
CITATION_ITEMS = 3


# --- what the oracle finds -------------------------------------------------------------------


class Finding(Exception):
    """An input broke a rule: a crash, a hang, or output that is not right.

    ``signature`` names the bug, not the input (the exception and where it was raised,
    or the stage and the problem), so one bug found by many inputs is kept once.
    """

    def __init__(self, stage: str, problem: str, signature: str):
        super().__init__(f"{stage}: {problem}")
        self.stage = stage
        self.problem = problem
        self.signature = signature

    @property
    def slug(self) -> str:
        """The signature as a file name part."""
        return re.sub(r"[^a-z0-9]+", "-", self.signature.lower()).strip("-")[:60]


def _crash(stage: str, error: BaseException) -> Finding:
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/converters/" in f.filename or "/cli/" in f.filename]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    place = f"{Path(where.filename).name}:{where.name}" if where else "?"
    detail = "".join(traceback.format_exception(error)[-6:])
    return Finding(
        stage,
        f"{type(error).__name__}: {error}\n{detail}",
        f"{stage.split(' ')[0]} {type(error).__name__} {place}",
    )


def _invalid(stage: str, problem: str) -> Finding:
    general = re.sub(r"\d+", "N", re.sub(r"'[^']*'|\"[^\"]*\"", "…", problem))[:80]
    return Finding(stage, problem, f"{stage} {general}")


def _errors(report: Report) -> list[str]:
    return [str(d) for d in report.collected if d.severity is Severity.ERROR]


def check(
    reader: str | None,
    data: bytes,
    *,
    bibtex_outputs: list[str] | None = None,
    citation: bool = True,
) -> int:
    """Run one input through ``reader`` (None: detected) and every writer; raise
    :class:`Finding` on a broken rule. Returns the number of items read."""
    stage = f"read {reader or 'detected'}"
    try:
        items = list(read(data, reader, report=Report()))
    except ConversionError:
        return 0
    except Exception as error:
        raise _crash(stage, error) from None
    if not items:
        return 0
    for writer in ROUND_TRIP_WRITERS:
        text = _write(items, writer)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise _invalid(f"write {writer}", f"output is not UTF-8: {error}") from None
        report = Report()
        try:
            back = list(read(text, writer, report=report))
        except ConversionError as error:
            raise _invalid(f"reread {writer}", f"its own reader refuses it: {error}") from None
        except Exception as error:
            raise _crash(f"reread {writer}", error) from None
        errors = _errors(report)
        if errors:
            raise _invalid(f"reread {writer}", errors[0].split(": error: ", 1)[-1])
        if len(back) != len(items):
            raise _invalid(f"reread {writer}", f"{len(items)} items written, {len(back)} read")
        if writer == "bibtex" and bibtex_outputs is not None:
            bibtex_outputs.append(text)
    if citation:
        from refconv.converters.formatting import render

        sample = items[:CITATION_ITEMS]
        for markup in ("text", "html", "rst", "markdown"):
            # the citation writer's work, without building the style for every input
            try:
                out = render(sample, style=_engine(), markup=markup, report=Report())
            except ConversionError:
                continue
            except Exception as error:
                raise _crash(f"write citation {markup}", error) from None
            out.encode("utf-8")
            if markup == "html":
                try:  # control characters pass through as in citeproc-js; not markup
                    ET.fromstring(f"<div>{_xml_text(out)}</div>")
                except ET.ParseError as error:
                    raise _invalid("write citation html", f"not well-formed: {error}") from None
    return len(items)


@cache
def _engine() -> Any:
    from refconv.converters.formatting import DEFAULT_STYLE
    from refconv.converters.formatting.engine import Engine

    return Engine(DEFAULT_STYLE, None)


def _write(items: list[dict], writer: str, **options: Any) -> str:
    try:
        text = write(items, writer, report=Report(), **options)
    except ConversionError:
        return ""
    except Exception as error:
        raise _crash(f"write {writer}", error) from None
    assert text is not None
    return text


def bibtex_errors(outputs: list[str], folder: Path | None = None) -> list[tuple[str, str]]:
    """(the .bib text, bibtex's complaint) for each output real ``bibtex`` errors on."""
    found = []
    with tempfile.TemporaryDirectory() as temporary:
        work = folder or Path(temporary)
        for text in dict.fromkeys(outputs):  # each distinct output once
            (work / "refs.bib").write_text(text, encoding="utf-8")
            (work / "main.aux").write_text(
                "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8"
            )
            proc = subprocess.run(
                ["bibtex", "-terse", "main"], cwd=work, capture_output=True, text=True, timeout=60
            )
            # -terse prints only the complaints: errors, each followed by where in the
            # style it happened, and warnings (missing fields: not our business here)
            errors = [
                line
                for line in proc.stdout.splitlines()
                if line.strip()
                and not line.startswith(("Warning--", "(There w", "while executing", "--line"))
            ]
            if proc.returncode < 2:
                errors = []
            elif not errors:
                errors = [f"bibtex exited with {proc.returncode}: {proc.stdout[-300:]}"]
            if errors:
                found.append((text, errors[0]))
    return found


def bibtex_finding(complaint: str) -> Finding:
    # the quoted value (which may hold quotes itself) and the entry's key vary by input
    general = re.sub(r'"[\s\S]*"', "…", complaint.split(" for entry ")[0])
    return _invalid("bibtex", general)


def bibtex_slugs(reader: str, data: bytes) -> set[str]:
    """The slugs of what real ``bibtex`` says about our BibTeX output of ``data``."""
    outputs: list[str] = []
    try:
        check(reader, data, bibtex_outputs=outputs, citation=False)
    except Finding:
        return set()
    return {bibtex_finding(complaint).slug for _, complaint in bibtex_errors(outputs)}


# --- the corpus of minimised findings ------------------------------------------------------


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*/*") if p.is_file() and p.parent.name in READERS)


def signature_of(reader: str, data: bytes) -> str | None:
    """The finding ``data`` gives (without the bibtex check), or None."""
    try:
        check(reader, data, bibtex_outputs=None)
    except Finding as finding:
        return finding.signature
    return None


def minimise(data: bytes, still_fails: Callable[[bytes], bool], *, seconds: float = 30.0) -> bytes:
    """A smaller input that still fails: drop runs of lines, then runs of bytes, halving
    the run length (a greedy delta debugging), within a time budget."""
    import time

    deadline = time.monotonic() + seconds
    for split in (lambda d: d.splitlines(keepends=True), lambda d: [bytes([b]) for b in d]):
        pieces = split(data)
        size = max(1, len(pieces) // 2)
        while size >= 1 and time.monotonic() < deadline:
            start = 0
            while start < len(pieces) and time.monotonic() < deadline:
                candidate = pieces[:start] + pieces[start + size :]
                if candidate and still_fails(b"".join(candidate)):
                    pieces = candidate
                else:
                    start += size
            size //= 2
        data = b"".join(pieces)
    return data


def save_finding(reader: str, data: bytes, finding: Finding) -> Path:
    """Keep a minimised input under tests/fuzz_corpus/READER/, named by its bug."""
    digest = hashlib.sha1(data).hexdigest()[:8]
    path = CORPUS / reader / f"{finding.slug}-{digest}{EXTENSIONS[reader]}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- seeds: the real files ------------------------------------------------------------------


def _files(*patterns: str) -> list[Path]:
    return sorted({p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()})


SEED_FILES = {
    "bibtex": ("tests/golden/bibtex/*.bib",),
    "biblatex": ("tests/golden/bibtex/*.bib",),
    "crossref": ("examples/crossref/*",),
    "csl-json": ("tests/golden/csl-json/*.json", "tests/golden/crossref/*.json"),
    "openalex": ("examples/openalex/*",),
    "paper-record": ("examples/*.txt", "examples/records/*.txt", "examples/records.json*"),
    "pubmed": ("examples/pubmed/*",),
    "ris": ("tests/fixtures/ris/exports/*.ris", "tests/golden/ris/*.ris"),
    "semantic-scholar": ("examples/semantic-scholar/*",),
}
SEED_LIMIT = 24 * 1024  # a longer seed is cut to a window of this size


@cache
def _corpus_items(name: str) -> list[dict]:
    return json.loads((HERE / "fixtures" / name / "corpus.json").read_text(encoding="utf-8"))


@cache
def seeds(reader: str) -> tuple[bytes, ...]:
    found = [p.read_bytes() for p in _files(*SEED_FILES[reader])]
    if reader in ("bibtex", "biblatex", "ris"):  # the varied test corpora, in the format
        for corpus in ("bibtex", "ris"):
            found.append(write(_corpus_items(corpus), reader, report=Report()).encode())
    assert found, f"no seed files for {reader}"
    return tuple(found)


@cache
def json_records(reader: str) -> tuple[dict, ...]:
    """The records of a JSON reader's seed files, as objects to mutate."""
    records: list[dict] = []
    for data in seeds(reader):
        text = data.decode("utf-8")
        values = []
        try:
            values = [json.loads(text)]
        except ValueError:
            for line in text.splitlines():
                try:
                    values.append(json.loads(line))
                except ValueError:
                    continue
        for value in values:
            if isinstance(value, dict):
                for key in ("message", "results", "data"):
                    inner = value.get(key)
                    if isinstance(inner, dict) and isinstance(inner.get("items"), list):
                        inner = inner["items"]
                    if isinstance(inner, list):
                        value = inner
                        break
            records.extend(v for v in (value if isinstance(value, list) else [value]) if v)
    records = [r for r in records if isinstance(r, dict)]
    assert records, f"no JSON records among the seeds of {reader}"
    return tuple(records)


# --- strings that have broken things -----------------------------------------------------------

NASTY_STRINGS = (
    "\ud800",
    "a\udc00b",
    "\ud83d",
    "\x00",
    "\x1b[31mred\x1b[0m",
    "\x07\x08\x0b\x0c",
    "\u009b2J",
    "\u2028\u2029",
    "\r\n",
    "\r",
    "\ufeff",
    "\ufdd0\ufdd1",
    "\u202e",
    "ﬁ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "张伟",
    "Müller",
    "javascript:alert(1)",
    "data:text/html,<script>",
    "<script>alert(1)</script>",
    "<i>x</i>",
    "&amp;&#0;&#xD800;",
    "]]>",
    "{",
    "}",
    "\\",
    "%",
    "#",
    "@",
    "~",
    "$",
    "^",
    "_",
    "&",
    '"',
    "'",
    ",",
    "=",
    "\\verb|x|",
    "\\input{x}",
    "\\write18{ls}",
    '{\\"o}',
    "\\'{e}",
    "$x^2$",
    '\\char"41',
    "^^41",
    "\\url{http://x}",
    "{\\em x}",
    "\\textit{x}",
    "--",
    "et al.",
    "等",
    "and",
    " and others",
    "ER  - ",
    "TY  - JOUR",
    "PMID- 1",
    "      ",
    "0",
    "-1",
    "99999999999999999999999",
    "1e400",
    "2020-13-45",
    "2020/02/30",
    "10.1000/x",
    "https://doi.org/10.1000/x",
    "0000-0002-1825-0097",
    "@article{x,",
    "null",
    "",
    " ",
)

_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(NASTY_STRINGS),
    st.lists(st.sampled_from(NASTY_STRINGS), min_size=1, max_size=4).map("".join),
    st.text(alphabet=st.characters(codec=None, categories=("Cc", "Cs", "Zs", "Po")), max_size=6),
)
_KEYS = st.one_of(st.text(max_size=8), st.sampled_from(("family", "given", "literal", "name")))
_DEEP = "\ue000deep{}\ue001"  # a placeholder, swapped for nesting after json.dumps


def _deep(depth: int) -> str:
    return _DEEP.format(depth)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
)
JSON_VALUES = st.one_of(
    st.recursive(
        _SCALARS,
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=3)
        ),
        max_leaves=8,
    ),
    st.integers(min_value=1, max_value=1500).map(_deep),
)
_DEEP_PATTERN = re.compile(r'"\\ue000deep(\d+)\\ue001"|"\ue000deep(\d+)\ue001"')


def _nest(match: re.Match) -> str:
    depth = int(match.group(1) or match.group(2))
    return "[" * depth + "]" * depth if depth % 2 else '{"a":' * depth + "1" + "}" * depth


def dumps(value: Any, *, ascii: bool = True, indent: int | None = None) -> str:
    return _DEEP_PATTERN.sub(_nest, json.dumps(value, ensure_ascii=ascii, indent=indent))


def encode(text: str) -> bytes:
    """UTF-8 as a file holds it; a lone surrogate becomes the bytes a broken encoder writes."""
    return text.encode("utf-8", "surrogatepass")


# --- structure-aware generators ----------------------------------------------------------------


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:6]):
            found += _paths(child, (*prefix, index))
    return found


def _mutate_at(record: Any, path: tuple, how: int, new: Any, text: str) -> Any:
    if not path:
        return new if how == 0 else record
    parent = record
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    old = parent[last]
    if how == 0:
        parent[last] = new
    elif how == 1 and isinstance(parent, dict):
        del parent[last]
    elif how == 2:
        parent[last] = [old]
    elif how == 3:
        parent[last] = {"value": old}
    elif how == 4 and isinstance(old, str):
        position = len(old) // 2
        parent[last] = old[:position] + text + old[position:]
    elif how == 5 and isinstance(parent, dict):
        parent[text or "x"] = new
    else:
        parent[last] = None
    return record


@st.composite
def json_record(draw: Callable, reader: str) -> Any:
    """A real record of ``reader`` with one to four parts replaced, dropped or wrapped."""
    record = json.loads(json.dumps(draw(st.sampled_from(json_records(reader)))))
    # half the records keep every type right and only get nasty text inside their
    # texts, so that they are converted and the writers see it
    gentle = draw(st.booleans())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(record)
        if gentle:
            paths = [p for p in paths if p and isinstance(_at(record, p), str)] or paths
        path = draw(st.sampled_from(paths))
        try:
            record = _mutate_at(
                record,
                path,
                4 if gentle else draw(st.integers(min_value=0, max_value=6)),
                draw(JSON_VALUES),
                draw(_TEXT),
            )
        except (KeyError, IndexError, TypeError):
            continue
    return record


def _at(record: Any, path: tuple) -> Any:
    for step in path:
        record = record[step]
    return record


_ENVELOPES = {
    "crossref": lambda records: {"status": "ok", "message": {"items": records}},
    "openalex": lambda records: {"meta": {"count": len(records)}, "results": records},
    "semantic-scholar": lambda records: {"total": len(records), "data": records},
}
_TRAILER_LINES = (
    "引用次数: 3",
    "引用次数：",
    "Abstract",
    "摘要：",
    "期刊介绍: A journal",
    "https://doi.org/10.1000/x",
    "",
)


@st.composite
def json_input(draw: Callable, reader: str) -> bytes:
    """Records of a JSON reader laid out as JSON Lines, an array, a pretty document, an
    API envelope or documents one after another; now and then cut short."""
    records = draw(st.lists(json_record(reader), min_size=1, max_size=3))
    ascii = draw(st.booleans())
    layout = draw(st.sampled_from(("lines", "array", "pretty", "envelope", "concatenated")))
    if layout == "lines":
        text = "\n".join(dumps(r, ascii=ascii) for r in records) + "\n"
    elif layout == "array":
        text = dumps(records, ascii=ascii)
    elif layout == "pretty":
        text = dumps(records if len(records) > 1 else records[0], ascii=ascii, indent=2)
    elif layout == "envelope" and reader in _ENVELOPES:
        text = dumps(
            _ENVELOPES[reader](records), ascii=ascii, indent=draw(st.sampled_from((None, 2)))
        )
    else:
        text = "".join(dumps(r, ascii=ascii, indent=2) for r in records)
    if reader == "paper-record" and layout in ("lines", "concatenated"):
        parts = []
        for record in records:
            parts.append(dumps(record, ascii=ascii))
            parts += draw(st.lists(st.sampled_from(_TRAILER_LINES) | _TEXT, max_size=3))
        text = "\n".join(parts) + draw(st.sampled_from(("\n", "")))
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return encode(text)


_RIS_TAGS = tuple(
    "TY AU A1 A2 A3 A4 ED TI T1 T2 T3 BT JO JF JA J2 VL IS SP EP PY Y1 DA Y2 PB CY SN DO UR "
    "L1 L2 AB N1 N2 KW LA ID AN DB DP M1 M3 ET CN C1 C2 ST OP SE RP NV ER".split()
)
_RIS_TYPES = ("JOUR", "BOOK", "CHAP", "CONF", "THES", "RPRT", "ELEC", "GEN", "DATA", "XYZ", "")


@st.composite
def ris_input(draw: Callable) -> bytes:
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if draw(st.integers(min_value=0, max_value=9)):
            lines.append(f"TY  - {draw(st.sampled_from(_RIS_TYPES))}")
        for _ in range(draw(st.integers(min_value=0, max_value=8))):
            tag = draw(st.sampled_from(_RIS_TAGS) | st.from_regex(r"[A-Z][A-Z0-9]", fullmatch=True))
            separator = draw(st.sampled_from(("  - ", "  - ", "  - ", " - ", "  -", "\t- ", "-")))
            lines.append(tag + separator + draw(_TEXT))
            if draw(st.integers(min_value=0, max_value=7)) == 0:
                lines.append(draw(_TEXT))  # a continuation line
        if draw(st.integers(min_value=0, max_value=9)):
            lines.append("ER  - ")
        lines += [""] * draw(st.integers(min_value=0, max_value=2))
    newline = draw(st.sampled_from(("\n", "\r\n", "\r")))
    bom = draw(st.sampled_from(("", "", "\ufeff")))
    return encode(bom + newline.join(lines) + newline)


_MEDLINE_TAGS = tuple(
    "AB AD AID AU AUID BTI CI CN CRDT DEP DP ED EDAT FAU IP IS JID JT LA LID LR MH OT OWN "
    "PB PG PHST PL PMC PMID PST PT SO STAT TA TI TT VI ISBN GR CIN EIN".split()
)


@st.composite
def medline_input(draw: Callable) -> bytes:
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if draw(st.integers(min_value=0, max_value=9)):
            lines.append(f"PMID- {draw(st.integers(min_value=-5, max_value=10**12) | _TEXT)}")
        for _ in range(draw(st.integers(min_value=0, max_value=8))):
            tag = draw(
                st.sampled_from(_MEDLINE_TAGS) | st.from_regex(r"[A-Z]{1,4}", fullmatch=True)
            )
            lines.append(f"{tag:<4}- {draw(_TEXT)}")
            if draw(st.integers(min_value=0, max_value=5)) == 0:
                lines.append("      " + draw(_TEXT))
        lines.append("")
    return encode("\n".join(lines) + "\n")


_XML_TAGS = (
    "PubmedArticle MedlineCitation PMID Article Journal JournalIssue Volume Issue PubDate Year "
    "Month Day MedlineDate Title ISOAbbreviation ArticleTitle Pagination MedlinePgn StartPage "
    "EndPage ELocationID Abstract AbstractText AuthorList Author LastName ForeName Initials "
    "Suffix CollectiveName AffiliationInfo Affiliation Language PublicationTypeList "
    "PublicationType ArticleIdList ArticleId KeywordList Keyword PubmedData History "
    "PubMedPubDate CommentsCorrectionsList CommentsCorrections RefSource BookDocument Book "
    "BookTitle Publisher PublisherName sup sub i b".split()
)
_XML_ATTRIBUTES = ("IdType", "Label", "NlmCategory", "RefType", "EIdType", "ValidYN", "PubStatus")


def _xml_text(text: str) -> str:
    """What XML 1.0 can hold of ``text`` (lxml refuses control characters and surrogates)."""
    return "".join(
        c
        for c in text
        if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") or c > "\uffff"
    )


@st.composite
def pubmed_xml_input(draw: Callable) -> bytes:
    from lxml import etree

    seed = next(s for s in seeds("pubmed") if s.lstrip().startswith(b"<?xml"))
    root = etree.fromstring(seed, etree.XMLParser(resolve_entities=False))
    articles = list(root)
    keep = draw(st.lists(st.sampled_from(articles), min_size=1, max_size=2))
    for article in articles:
        root.remove(article)
    for article in keep:
        root.append(copy.deepcopy(article))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        elements = list(root.iter())
        element = draw(st.sampled_from(elements))
        how = draw(st.integers(min_value=0, max_value=5))
        if how == 0 and element.getparent() is not None:
            element.getparent().remove(element)
        elif how == 1:
            element.text = _xml_text(draw(_TEXT))
        elif how == 2:
            child = etree.SubElement(element, draw(st.sampled_from(_XML_TAGS)))
            child.text = _xml_text(draw(_TEXT))
        elif how == 3 and element.getparent() is not None:
            element.addnext(copy.deepcopy(element))
        elif how == 4:
            element.set(draw(st.sampled_from(_XML_ATTRIBUTES)), _xml_text(draw(_TEXT)))
        else:
            element.tail = _xml_text(draw(_TEXT))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


_BIB_TYPES = (
    "article book inproceedings incollection phdthesis mastersthesis techreport misc online "
    "unpublished manual booklet proceedings inbook report thesis dataset software string "
    "preamble comment xyz".split()
)
_BIB_FIELDS = (
    "title author editor journal journaltitle booktitle year date month volume number pages "
    "publisher address location doi url urldate eprint eprinttype isbn issn note abstract "
    "keywords crossref xdata edition series type institution school language annote".split()
)


@st.composite
def _bib_value(draw: Callable) -> str:
    pieces = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        text = draw(_TEXT)
        pieces.append(
            draw(
                st.sampled_from(
                    (
                        "{" + text + "}",
                        '"' + text.replace('"', "") + '"',
                        str(len(text)),
                        draw(st.sampled_from(("jan", "feb", "acmcs", "a", "undefinedmacro"))),
                        "{" + text,
                        text,
                        "{}",
                    )
                )
            )
        )
    value = " # ".join(pieces)
    # an empty value, or a concatenation that starts or ends with nothing
    return draw(st.sampled_from((value, value, value, value, "", "# " + value, value + " #")))


@st.composite
def bibtex_input(draw: Callable) -> bytes:
    chunks = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(_BIB_TYPES))
        if kind == "string":
            chunks.append(
                f"@string{{{draw(st.sampled_from(('a', 'b', 'jan')))} = {draw(_bib_value())}}}"
            )
            continue
        if kind in ("preamble", "comment"):
            chunks.append(f"@{kind}{{{draw(_TEXT)}}}")
            continue
        key = draw(st.sampled_from(("key", "a:b", "", "k{}", "k,k", "clé")) | _TEXT)
        fields = [
            f"{draw(st.sampled_from(_BIB_FIELDS) | _TEXT)} = {draw(_bib_value())}"
            for _ in range(draw(st.integers(min_value=0, max_value=6)))
        ]
        closing = draw(st.sampled_from(("}", "}", "}", ")", "")))
        chunks.append(f"@{kind}{{{key},\n  " + ",\n  ".join(fields) + f"\n{closing}")
    return encode("\n\n".join(chunks) + "\n")


def structured(reader: str) -> st.SearchStrategy[bytes]:
    if reader in ("bibtex", "biblatex"):
        return bibtex_input()
    if reader == "ris":
        return ris_input()
    if reader == "pubmed":
        return st.one_of(medline_input(), pubmed_xml_input())
    return json_input(reader)


# --- byte-level mutation of the seeds ------------------------------------------------------------


@st.composite
def mutated_seed(draw: Callable, reader: str) -> bytes:
    pool = seeds(reader)
    data = bytearray(draw(st.sampled_from(pool)))
    if len(data) > SEED_LIMIT:
        start = draw(st.integers(min_value=0, max_value=len(data) - SEED_LIMIT))
        data = data[start : start + SEED_LIMIT]
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        size = len(data)
        at = draw(st.integers(min_value=0, max_value=size))
        how = draw(st.integers(min_value=0, max_value=5))
        if how == 0 and size:
            data[min(at, size - 1)] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif how == 1:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif how == 2:
            data[at:at] = encode(draw(st.sampled_from(NASTY_STRINGS)))
        elif how == 3:
            end = min(size, at + draw(st.integers(min_value=1, max_value=64)))
            del data[at:end]
        elif how == 4:
            end = min(size, at + draw(st.integers(min_value=1, max_value=256)))
            data[at:at] = data[at:end] * draw(st.integers(min_value=1, max_value=3))
        else:  # splice in a piece of another seed
            other = draw(st.sampled_from(pool))
            start = draw(st.integers(min_value=0, max_value=len(other)))
            data[at:at] = other[start : start + draw(st.integers(min_value=1, max_value=512))]
    return bytes(data)


def inputs(reader: str) -> st.SearchStrategy[bytes]:
    """Every generator of ``reader``, structure-aware ones drawn twice as often."""
    return st.one_of(structured(reader), structured(reader), mutated_seed(reader))


def replay(path: Path) -> None:
    """Check one kept input again, as read by the reader its folder names (with real
    ``bibtex`` over the BibTeX output when it is installed)."""
    outputs: list[str] = []
    check(path.parent.name, path.read_bytes(), bibtex_outputs=outputs)
    if shutil.which("bibtex"):
        for _, complaint in bibtex_errors(outputs)[:1]:
            raise bibtex_finding(complaint)
