"""Which modules of its own package a converter package's module imports when it runs,
read from the source, so that the tests of each package's layout can check that its
stages import only the stages below them."""

from __future__ import annotations

import ast
from pathlib import Path

CONVERTERS = Path(__file__).resolve().parents[1] / "converters"


def runtime_imports(path: Path) -> set[str]:
    """The sibling modules ``path`` imports at run time (at any depth; imports under
    ``if TYPE_CHECKING:`` are for type hints only and do not count)."""
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


def upward_imports(package: Path, stages: dict[str, int]) -> list[str]:
    """Every import of a module at the same or a higher stage, as a readable line."""
    return [
        f"{module} (stage {stage}) imports {imported} (stage {stages[imported]})"
        for module, stage in stages.items()
        for imported in sorted(runtime_imports(package / f"{module}.py"))
        if stages[imported] >= stage
    ]
