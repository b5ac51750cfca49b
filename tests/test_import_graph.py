"""No module of ``cli/`` or ``converters/`` imports another in a loop (issue 18).

Every import counts, at module level or inside a function (a lazy import that
closes a loop is still a loop, only a later one); a name imported for type hints
under ``TYPE_CHECKING`` does not. ``converters/formatting/`` is checked by
``test_citation_layout.py``. The graph is read from the source, so a loop fails
here before it shows up as an import-order bug.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"refconv.cli": ROOT / "cli", "refconv.converters": ROOT / "converters"}
LEFT_TO_ISSUE_17 = "refconv.converters.formatting"

# Loops known and being removed elsewhere; the lead empties this list at merge. A loop
# listed here that is gone fails the test too, so the list cannot go stale.
EXPECTED_LOOPS: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return {name: path for name, path in found.items() if not name.startswith(LEFT_TO_ISSUE_17)}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that module ``name`` imports when it runs."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()

    def target(module: str, names: list[str]) -> None:
        submodules = {f"{module}.{n}" for n in names} & known
        found.update(submodules or ({module} & known))

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.ImportFrom):
                base = package.rsplit(".", child.level - 1)[0] if child.level else ""
                module = ".".join(p for p in (base, child.module or "") if p)
                target(module, [alias.name for alias in child.names])
            elif isinstance(child, ast.Import):
                found.update({alias.name for alias in child.names} & known)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found - {name}


def _loops(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The modules of each loop (a strongly connected part with more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    loops: set[frozenset[str]] = set()

    def connect(module: str) -> None:  # Tarjan's algorithm
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph[module]:
            if imported not in index:
                connect(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            part = set()
            while True:
                member = stack.pop()
                part.add(member)
                if member == module:
                    break
            if len(part) > 1:
                loops.add(frozenset(part))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return loops


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def test_the_graph_sees_lazy_and_relative_imports():
    graph = import_graph()
    assert "refconv.converters.core.pipeline" in graph["refconv.cli.run"]
    assert "refconv.converters.bibtex" in graph["refconv.converters.biblatex"]  # from . import
    assert "refconv.converters.core.dedupe" in graph["refconv.cli.run"]  # inside a method
    assert _loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset("abc")}


def test_no_import_loops():
    loops = _loops(import_graph())
    described = sorted(" <-> ".join(sorted(loop)) for loop in loops - EXPECTED_LOOPS)
    assert not described, "import loops:\n" + "\n".join(described)
    assert not EXPECTED_LOOPS - loops, "listed as expected but gone: empty EXPECTED_LOOPS"
