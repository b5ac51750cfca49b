"""The bibtex package's stages import only the stages below them (read from the source).

A module that names a later stage only for type hints (names and dates take the
reader's and writer's contexts) does so under ``TYPE_CHECKING``, which does not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "converters" / "bibtex"
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


def _runtime_imports(path: Path) -> set[str]:
    """The package's modules that ``path`` imports when it runs (at any depth)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.ImportFrom) and child.level == 1:
                if child.module:
                    found.add(child.module.split(".")[0])
                else:
                    found.update(alias.name for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_every_module_has_a_stage() -> None:
    assert {path.stem for path in PACKAGE.glob("*.py")} == set(STAGES)


def test_stages_import_only_lower_stages() -> None:
    for module, stage in STAGES.items():
        for imported in _runtime_imports(PACKAGE / f"{module}.py"):
            assert STAGES[imported] < stage, f"{module} (stage {stage}) imports {imported}"
