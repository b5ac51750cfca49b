"""The CSL processor's modules import each other without a loop (issue 17).

Each module of ``converters/formatting/csl`` may use the ones below it; a module
that names another only for type hints does so under ``TYPE_CHECKING``, which
does not count. The graph is read from the source, so a loop fails here before
it shows up as an import-order bug.
"""

from __future__ import annotations

from pathlib import Path

from layout_support import CONVERTERS, runtime_imports

CSL = CONVERTERS / "formatting" / "csl"


def _runtime_imports(path: Path) -> set[str]:
    """The sibling modules ``path`` imports when it runs (any depth, not type-only)."""
    return {name for name in runtime_imports(path) if (CSL / f"{name}.py").exists()}


def test_csl_modules_import_without_a_loop():
    graph = {path.stem: _runtime_imports(path) for path in CSL.glob("*.py")}
    assert {"processor", "disambiguation", "positions", "style"} <= set(graph)
    assert graph["disambiguation"] <= {"names"}  # the processor only under TYPE_CHECKING
    assert graph["positions"] == set()
    done: set[str] = set()

    def walk(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import loop: {' -> '.join((*path, module))}"
        if module in done:
            return
        for imported in graph[module]:
            walk(imported, (*path, module))
        done.add(module)

    for module in graph:
        walk(module, ())
