"""The fuzzing suite's short run (deterministic, a few seconds a reader) and the replay of
every minimised finding kept in tests/fuzz_corpus/ (see tests/fuzz_support.py for the
generators and the oracle, fuzz/run.py for the long run that finds them)."""

from __future__ import annotations

import shutil

import fuzz_support as fs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

# Findings of the long run whose fix belongs to another change; the lead flips these
# once it is merged. The key is the kept file's path under tests/fuzz_corpus/.
# None is open now: the BibTeX reader's crashes (\verb, a bare \input, @string{a=} twice,
# '= # {}', @{,=#{}}, @{,=\verb}) and the writer's 'o R,' names were fixed under #13.
KNOWN_FAILURES: dict[str, str] = {}

# what the known failures find is let through by the short run too, so that it fails
# only on something new
KNOWN_SLUGS = frozenset(key.split("/")[1].rsplit("-", 1)[0] for key in KNOWN_FAILURES)

EXAMPLES_PER_READER = 25
needs_bibtex = pytest.mark.skipif(shutil.which("bibtex") is None, reason="needs bibtex")


@needs_bibtex
@pytest.mark.parametrize("reader", fs.READERS)
def test_fuzzed_input_neither_crashes_nor_writes_what_is_read_back_wrong(reader):
    bibtex_outputs: list[str] = []

    @settings(
        max_examples=EXAMPLES_PER_READER,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(fs.inputs(reader))
    def run(data: bytes) -> None:
        check_unless_known(reader, data, bibtex_outputs)

    run()
    assert bibtex_outputs, "no input gave items: the generators have stopped working"
    complaints = [
        (text, complaint)
        for text, complaint in fs.bibtex_errors(bibtex_outputs)
        if fs.bibtex_finding(complaint).slug not in KNOWN_SLUGS
    ]
    assert complaints == []


def check_unless_known(reader: str | None, data: bytes, bibtex_outputs: list[str] | None) -> None:
    try:
        fs.check(reader, data, bibtex_outputs=bibtex_outputs)
    except fs.Finding as finding:
        if finding.slug not in KNOWN_SLUGS:
            raise


@settings(
    max_examples=EXAMPLES_PER_READER,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(st.sampled_from(fs.READERS).flatmap(fs.inputs))
def test_fuzzed_input_of_any_format_survives_format_detection(data):
    check_unless_known(None, data, bibtex_outputs=None)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            path,
            id=str(path.relative_to(fs.CORPUS)),
            marks=[pytest.mark.xfail(strict=False, reason=KNOWN_FAILURES[key])]
            if (key := str(path.relative_to(fs.CORPUS))) in KNOWN_FAILURES
            else [],
        )
        for path in fs.corpus_files()
    ],
)
def test_kept_finding_is_fixed(path):
    fs.replay(path)


def test_the_oracle_passes_refused_input_and_catches_crashes_and_bad_output(monkeypatch):
    from refconv.converters import csl_json, ris

    record = b'{"id": "a", "type": "book", "title": "T"}\n'
    assert fs.check("csl-json", b"\x00\x01 binary", bibtex_outputs=None) == 0
    assert fs.check("csl-json", record, bibtex_outputs=None) == 1

    def crash(items, out, report, **options):
        raise KeyError("title")

    monkeypatch.setattr(ris, "write", crash)
    with pytest.raises(fs.Finding) as found:
        fs.check("csl-json", record, bibtex_outputs=None)
    assert found.value.signature.startswith("write KeyError ")
    monkeypatch.undo()

    def unreadable(items, out, report, **options):
        out.write('[{"id": "a",')

    monkeypatch.setattr(csl_json, "write", unreadable)
    with pytest.raises(fs.Finding, match="reread csl-json: invalid JSON: Input data was truncated"):
        fs.check("csl-json", record, bibtex_outputs=None)


@needs_bibtex
def test_real_bibtex_complaints_are_caught():
    good = "@article{a, title = {T}, author = {Ann Smith}, journal = {J}, year = 2020}\n"
    assert fs.bibtex_errors([good]) == []
    found = fs.bibtex_errors([good, good + good, "@article{b, title = {T\n"])
    assert [text for text, _ in found] == [good + good, "@article{b, title = {T\n"]
    assert found[0][1].startswith("Repeated entry") and found[1][1].startswith("Illegal end")
