"""The official CSL processor test suite, run through refconv's citation writer.

The fixtures live outside the project (``../shared/csl-test-suite``, see its
README); nothing from them is copied here. Each ``bibliography`` fixture and
each ``citation`` fixture without a CITATIONS section is converted exactly as
``refconv convert items.json -f csl-json -t citation --style fixture.csl
--markup html --mode MODE [--citations clusters.json]`` would, and compared with
its RESULT. The number that pass is a ratchet: it may only go up. Raise it in
``tests/golden/citation/conformance.json`` when fixes land:

    REFCONV_UPDATE_RATCHET=1 pytest tests/test_citation_conformance.py
    python tests/test_citation_conformance.py        # just print the table
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import GOLDEN, SHARED
from refconv.converters import convert
from refconv.converters.core.diagnostics import Report

SUITE = SHARED / "csl-test-suite"
RATCHET = GOLDEN / "citation" / "conformance.json"
# ">>===== NAME =====>>" ... "<<===== NAME =====<<"; marker widths vary, the
# trailing ">>" is sometimes missing, some files start with a BOM.
_SECTION = re.compile(r">>=+\s*([A-Z-]+)\s*=+(?:>>)?[ \t]*\n(.*?)\n?<<=+\s*\1\s*=+<<", re.DOTALL)

requires_suite = pytest.mark.skipif(
    not (SUITE / "README.md").is_file(),
    reason=f"needs the CSL test suite in ../shared/csl-test-suite (looked in {SUITE})",
)


@dataclass
class Fixture:
    name: str
    category: str
    mode: str
    result: str
    csl: str
    items: list
    clusters: list | None


def fixtures() -> list[Fixture]:
    found = []
    for path in sorted(SUITE.glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig")
        sections = {m.group(1): m.group(2) for m in _SECTION.finditer(text)}
        if "CITATIONS" in sections or not {"MODE", "RESULT", "CSL", "INPUT"} <= set(sections):
            continue
        clusters = sections.get("CITATION-ITEMS")
        found.append(
            Fixture(
                name=path.stem,
                category=path.stem.split("_", 1)[0],
                mode=sections["MODE"].strip(),
                result=sections["RESULT"].strip(),
                csl=sections["CSL"],
                items=json.loads(sections["INPUT"]),
                clusters=json.loads(clusters) if clusters else None,
            )
        )
    return found


def run_fixture(fixture: Fixture, folder: Path) -> str:
    """Our output for one fixture, through the public conversion API (the CLI's path)."""
    style = folder / f"{fixture.name}.csl"
    style.write_text(fixture.csl, encoding="utf-8")
    items = fixture.items
    if fixture.clusters:
        # like citeproc-js, only the cited items are registered (they set the numbering)
        cited = {str(cite["id"]) for cluster in fixture.clusters for cite in cluster}
        items = [item for item in items if str(item.get("id")) in cited]
    try:
        return convert(
            json.dumps(items),
            to="citation",
            from_format="csl-json",
            report=Report(),
            style=str(style),
            markup="html",
            mode=fixture.mode,
            citations=fixture.clusters,
        ).strip()
    except Exception as error:  # a crash counts as a failure, with its reason kept
        return f"{type(error).__name__}: {error}"


def run_suite() -> dict[str, tuple[str, bool]]:
    """Fixture name → (category, passed)."""
    outcome = {}
    with tempfile.TemporaryDirectory() as folder:
        for fixture in fixtures():
            passed = run_fixture(fixture, Path(folder)) == fixture.result
            outcome[fixture.name] = (fixture.category, passed)
    return outcome


def table(outcome: dict[str, tuple[str, bool]]) -> str:
    run = Counter(category for category, _ in outcome.values())
    passed = Counter(category for category, ok in outcome.values() if ok)
    lines = [f"{'category':16} {'pass':>5} {'run':>5}"]
    for category in sorted(run):
        lines.append(f"{category:16} {passed[category]:5} {run[category]:5}")
    total = sum(passed.values())
    lines.append(f"{'total':16} {total:5} {len(outcome):5}  ({100 * total / len(outcome):.1f} %)")
    return "\n".join(lines)


def record(outcome: dict[str, tuple[str, bool]]) -> dict:
    run = Counter(category for category, _ in outcome.values())
    passed = Counter(category for category, ok in outcome.values() if ok)
    return {
        "about": "CSL test-suite fixtures refconv passes; raise with REFCONV_UPDATE_RATCHET=1",
        "run": len(outcome),
        "passed": sum(passed.values()),
        "by_category": {c: [passed[c], run[c]] for c in sorted(run)},
        "passing": sorted(name for name, (_, ok) in outcome.items() if ok),
    }


@pytest.fixture(scope="module")
def outcome() -> dict[str, tuple[str, bool]]:
    return run_suite()


@requires_suite
def test_the_suite_has_the_fixtures_the_readme_describes():
    found = fixtures()
    assert len(found) >= 800, len(found)
    assert {f.mode for f in found} == {"citation", "bibliography"}


@requires_suite
def test_conformance_does_not_drop_below_the_recorded_pass_count(outcome, capsys):
    recorded = json.loads(RATCHET.read_text(encoding="utf-8"))
    current = record(outcome)
    with capsys.disabled():
        print(f"\nCSL test suite through refconv (HTML):\n{table(outcome)}")
    if os.environ.get("REFCONV_UPDATE_RATCHET") and current["passed"] >= recorded["passed"]:
        RATCHET.write_text(json.dumps(current, indent=1) + "\n", encoding="utf-8")
        recorded = current
    newly_failing = sorted(set(recorded["passing"]) - set(current["passing"]))
    assert current["passed"] >= recorded["passed"], (
        f"{current['passed']} fixtures pass, {recorded['passed']} recorded; "
        f"newly failing: {', '.join(newly_failing)}"
    )
    if current["passed"] > recorded["passed"]:
        with capsys.disabled():
            print(
                f"{current['passed'] - recorded['passed']} more fixtures pass than recorded: "
                "raise the ratchet (REFCONV_UPDATE_RATCHET=1)"
            )


@requires_suite
def test_a_crash_is_a_failure_not_an_error(tmp_path):
    """The runner itself survives a fixture the formatter cannot handle."""
    broken = Fixture(
        name="broken",
        category="broken",
        mode="citation",
        result="x",
        csl="<style xmlns='http://purl.org/net/xbiblio/csl' version='1.0'/>",
        items=[{"id": "a", "type": "book"}],
        clusters=None,
    )
    output = run_fixture(broken, tmp_path)
    assert "not supported by the formatter" in output


if __name__ == "__main__":
    print(table(run_suite()))
