"""The PubMed reader end to end: the samples, detection, both exports agreeing, onward
conversion, compressed and empty input."""

from __future__ import annotations

import gzip
import json

import pytest
from pubmed_support import (
    DOCTYPE,
    NBIB,
    SAMPLE_COUNTS,
    SAMPLES,
    XML,
)

from conftest import EXAMPLES, GOLDEN, SHARED, assert_golden, requires_shared, run_cli
from refconv.converters import read
from refconv.converters.core.pipeline import open_source
from refconv.converters.core.registry import default_registry
from refconv.converters.core.text import strip_rich_text
from refconv.converters.pubmed import sniff


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_sample_matches_golden_csl_json(name):
    result = run_cli("convert", str(SAMPLES / name), "-f", "pubmed", "-t", "csl-json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)) == SAMPLE_COUNTS[name]
    assert_golden(GOLDEN / "pubmed" / f"{name.replace('.', '-')}.json", result.stdout)


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_sample_is_detected_without_format(name):
    named = run_cli("convert", str(SAMPLES / name), "-f", "pubmed", "-t", "csl-json")
    detected = run_cli("convert", str(SAMPLES / name), "-t", "csl-json", "--verbose")
    assert detected.exit_code == 0, detected.stderr
    assert "reading as pubmed" in detected.stderr
    assert detected.stdout == named.stdout
    piped = run_cli("convert", "-t", "csl-json", input=(SAMPLES / name).read_bytes())
    assert piped.stdout == named.stdout


def test_nbib_saved_as_txt_is_still_pubmed(tmp_path):
    """PubMed's "Save" names the file pubmed-….txt, an extension paper records claim too."""
    path = tmp_path / "pubmed-atrialfibr-set.txt"
    path.write_bytes(NBIB.read_bytes())
    result = run_cli("convert", str(path), "-t", "csl-json", "--verbose")
    assert result.exit_code == 0, result.stderr
    assert "reading as pubmed" in result.stderr


def _head(path) -> str:
    with open(path, "rb") as handle:
        return open_source(handle, str(path), str(path)).head


def test_detection_against_every_reader_and_every_sample():
    """Each PubMed sample goes to pubmed; no other example is claimed by the PubMed sniffer."""
    registry = default_registry()
    readers = [info for info in registry.all() if info.can_read]
    for path in sorted(p for p in EXAMPLES.rglob("*") if p.is_file()):
        head = _head(path)
        scores = {
            info.name: float(getattr(info.load(), "sniff", lambda h: 0.0)(head)) for info in readers
        }
        if path.parent == SAMPLES:
            others = max(v for k, v in scores.items() if k != "pubmed")
            assert scores["pubmed"] > others, (path.name, scores)
            assert registry.detect(head).name == "pubmed"
            assert registry.detect(head, str(path)).name == "pubmed"
        else:
            assert scores["pubmed"] == 0.0, (path, scores)


def test_sniff():
    assert sniff(DOCTYPE + "<PubmedArticleSet>") == 0.95
    assert sniff("<PubmedArticle><MedlineCitation>") == 0.95
    assert sniff("\nPMID- 31452104\nOWN - NLM\n") == 0.95
    assert sniff('<?xml version="1.0"?><mods xmlns="http://www.loc.gov/mods/v3">') == 0.0
    assert sniff("TY  - JOUR\nAU  - Smith, J\nTI  - A title\nER  - \n") == 0.0
    assert sniff('{"title": "x", "PeriodicalIF": 1}') == 0.0
    assert sniff("@article{key, title={PMID- 1}}") == 0.0


def test_xml_and_medline_exports_give_the_same_items():
    """The same thirteen records, exported both ways, map to the same CSL."""
    from_xml = list(read(XML))
    from_nbib = list(read(NBIB))
    assert len(from_xml) == len(from_nbib) == 13
    for x, m in zip(from_xml, from_nbib, strict=True):
        x, m = dict(x), dict(m)
        # MEDLINE text has no markup: compare titles without the rich text
        for item in (x, m):
            for key in ("title", "container-title"):
                if key in item:
                    item[key] = strip_rich_text(item[key])
        if x["PMID"] == "20301340":  # PubMed writes the ® of GeneReviews® as "(®)" in MEDLINE
            assert (x.pop("container-title"), m.pop("container-title")) == (
                "GeneReviews®",
                "GeneReviews(®)",
            )
        assert x == m, x["PMID"]


@requires_shared
def test_output_validates_against_the_csl_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SHARED / "reference" / "csl-data.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    for name in SAMPLE_COUNTS:
        result = run_cli("convert", str(SAMPLES / name), "-t", "csl-json")
        assert list(validator.iter_errors(json.loads(result.stdout))) == [], name


def test_every_sample_converts_onward_to_every_writer():
    writers = [info.name for info in default_registry().all() if info.can_write]
    for name in SAMPLE_COUNTS:
        for writer in writers:
            result = run_cli("convert", str(SAMPLES / name), "-t", writer)
            assert result.exit_code == 0, (name, writer, result.stderr)
            assert result.stdout.strip(), (name, writer)


def test_gzip_input(tmp_path):
    packed = tmp_path / "pubmed25n0001.xml.gz"
    packed.write_bytes(gzip.compress(XML.read_bytes()))
    plain = run_cli("convert", str(XML), "-t", "csl-json")
    result = run_cli("convert", str(packed), "-t", "csl-json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == plain.stdout


def test_empty_and_binary_input(tmp_path):
    empty = tmp_path / "empty.nbib"
    empty.write_bytes(b"")
    result = run_cli("convert", str(empty), "-t", "csl-json")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{empty}: error: empty input: no records"
    binary = tmp_path / "blob.xml"
    binary.write_bytes(b"\x1f\x8b" + b"not really gzip" + bytes(range(256)))
    result = run_cli("convert", str(binary), "-f", "pubmed", "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"refconv: error: {binary}: damaged gzip data")
    assert not (tmp_path / "out.json").exists()
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run_cli("convert", str(binary), "-f", "pubmed")
    assert result.exit_code == 2
    assert "binary data, not a text format refconv reads" in result.stderr
