"""The bibtex package's stages import only the stages below them (read from the source).

A module that names a later stage only for type hints (names and dates take the
reader's and writer's contexts) does so under ``TYPE_CHECKING``, which does not count.
"""

from __future__ import annotations

from layout_support import CONVERTERS, upward_imports

PACKAGE = CONVERTERS / "bibtex"
# each module's stage: it may import modules of lower stages only
STAGES = {
    "bibstrings": 0,
    "_biblatex_datamodel": 0,
    "latex": 1,
    "mapping": 1,
    "syntax": 2,
    "names": 2,
    "dates": 2,
    "biblatex": 2,
    "reader": 3,
    "writer": 3,
    "__init__": 4,
}


def test_every_module_has_a_stage() -> None:
    assert {path.stem for path in PACKAGE.glob("*.py")} == set(STAGES)


def test_stages_import_only_lower_stages() -> None:
    assert upward_imports(PACKAGE, STAGES) == []
