"""No import cycles among dockerlab's modules — counting every import: at the top, inside
functions and under TYPE_CHECKING — and the app's screens reach the engine and the learner's
record only through the runner (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dockerlab"


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The dockerlab modules `name` imports (`from pkg import mod` counts as importing mod)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return {m for m in found if m in MODULES and m != name}


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = {name: imports_of(name) for name in MODULES}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                circle = path[path.index(other) :] + [other]
                raise AssertionError("import circle: " + " -> ".join(circle))
            if other not in state:
                visit(other)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_screens_never_import_the_app() -> None:
    for name in MODULES:
        if name.startswith("dockerlab.tui.") and name != "dockerlab.tui.app":
            assert "dockerlab.tui.app" not in imports_of(name), f"{name} imports the app"


def test_the_app_reaches_the_engine_and_the_record_only_through_the_runner() -> None:
    for name in MODULES:
        if not name.startswith("dockerlab.tui") or name.startswith("dockerlab.tui.screens.lab"):
            continue
        below = {m for m in imports_of(name) if m.split(".")[1:2] in (["engine"], ["progress"])}
        assert not below, f"{name} imports {sorted(below)}: go through dockerlab.runner"
