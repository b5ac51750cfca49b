"""The ris package's stages import only the stages below them (read from the source)."""

from __future__ import annotations

from layout_support import CONVERTERS, upward_imports

PACKAGE = CONVERTERS / "ris"
# each module's stage: it may import modules of lower stages only
STAGES = {
    "mapping": 0,
    "values": 0,
    "syntax": 1,
    "reader": 2,
    "writer": 2,
    "__init__": 3,
}


def test_every_module_has_a_stage() -> None:
    assert {path.stem for path in PACKAGE.glob("*.py")} == set(STAGES)


def test_stages_import_only_lower_stages() -> None:
    assert upward_imports(PACKAGE, STAGES) == []
