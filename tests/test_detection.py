"""Every bundled sample is read by the right reader without -f, from a file and from stdin,
and converts onward through every writer without a failed record."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, run_cli
from refconv.converters.core.pipeline import detect_reader, open_source
from refconv.converters.core.registry import default_registry

SAMPLES = {
    "paper-record": [
        "000_499a5861f67c187d.txt",
        "concatenated.txt",
        "records.json",
        "records.jsonl",
        "records/liu2025exosome.txt",
    ],
    "semantic-scholar": [
        f"semantic-scholar/{p.name}" for p in (EXAMPLES / "semantic-scholar").iterdir()
    ],
    "openalex": [f"openalex/{p.name}" for p in (EXAMPLES / "openalex").iterdir()],
    "crossref": [f"crossref/{p.name}" for p in (EXAMPLES / "crossref").iterdir()],
    "pubmed": [f"pubmed/{p.name}" for p in (EXAMPLES / "pubmed").iterdir()],
}
CASES = [(reader, sample) for reader, samples in SAMPLES.items() for sample in sorted(samples)]


@pytest.mark.parametrize(("reader", "sample"), CASES)
@pytest.mark.parametrize("with_name", [True, False], ids=["file", "stdin"])
def test_sample_is_detected(reader, sample, with_name):
    path = EXAMPLES / sample
    with path.open("rb") as binary:
        source = open_source(binary, sample, str(path) if with_name else None)
        assert detect_reader(source, default_registry()).name == reader


def test_every_reader_has_samples():
    readers = {info.name for info in default_registry().all() if info.can_read}
    assert readers - {"bibtex", "biblatex", "ris", "csl-json"} == set(SAMPLES)


WRITERS = [info.name for info in default_registry().all() if info.can_write]


# the one failure the samples contain on purpose: an id the S2 batch API did not know
EXPECTED_ERRORS = [
    f"{EXAMPLES / 'semantic-scholar/batch.json'}: line 1 (record 2): error: null instead of a "
    "paper (the batch API returns null for ids it does not know)"
]


@pytest.mark.parametrize("writer", WRITERS)
def test_every_sample_converts_through_every_writer(writer):
    paths = [str(EXAMPLES / sample) for _, sample in CASES]
    result = run_cli("convert", *paths, "-t", writer)
    errors = [line for line in result.stderr.splitlines() if ": error:" in line]
    assert errors == EXPECTED_ERRORS
    assert result.exit_code == 1  # that one failed record, and nothing else
    assert result.stdout.strip()
