"""The core's imports go one way (DESIGN.md, "The house"): no module of ``autograd`` outside
``viz/`` imports, even inside a function, a module that imports it back, and nothing imports
upward (``autograd`` never imports ``nn``, ``scratchgrad`` or ``demos``)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "autograd"


def _imports(path: Path) -> set[str]:
    """The autograd modules ``path`` imports, anywhere in it but under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text())
    typing_only = {
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for n in ast.walk(block)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            # "from autograd import engine" imports the submodule; "from autograd import Value",
            # a name, the package itself (which imports every module)
            names = {f"{node.module}.{alias.name}" for alias in node.names}
            submodules = {n for n in names if (PACKAGE.parent / (n.replace(".", "/") + ".py")).exists()}
            found |= submodules or {node.module}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {f"autograd.{p.stem}": p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    modules["autograd"] = PACKAGE / "__init__.py"
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def test_no_module_of_the_core_imports_upward() -> None:
    for path in PACKAGE.glob("*.py"):
        upward = {m for m in _imports(path) if m.split(".")[0] in ("nn", "scratchgrad", "demos")}
        upward |= {m for m in _imports(path) if m.startswith("autograd.viz")}
        assert not upward, f"{path.name} imports {sorted(upward)}"


def test_the_core_has_no_import_circle() -> None:
    graph = _graph()
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycle = path[path.index(other) :] + [name, other] if other in path else [name, other]
                raise AssertionError(f"import circle: {' -> '.join(cycle)}")
            if other not in state:
                visit(other, [*path, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
