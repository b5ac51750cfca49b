"""The pubmed package's stages import only the stages below them (read from the source):
the two syntax modules and the mapping share the record model, and neither syntax module
imports the other or the package."""

from __future__ import annotations

from layout_support import CONVERTERS, upward_imports

PACKAGE = CONVERTERS / "pubmed"
# each module's stage: it may import modules of lower stages only
STAGES = {
    "record": 0,
    "mapping": 1,
    "medline": 1,
    "efetch_xml": 1,
    "__init__": 2,
}


def test_every_module_has_a_stage() -> None:
    assert {path.stem for path in PACKAGE.glob("*.py")} == set(STAGES)


def test_stages_import_only_lower_stages() -> None:
    assert upward_imports(PACKAGE, STAGES) == []
