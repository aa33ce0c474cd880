"""No import cycles among dockerlab's modules — counting every import: at the top, inside
functions and under TYPE_CHECKING — no import from a floor to a higher one, and the app's
screens reach the engine and the learner's record only through the runner
(docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dockerlab"


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
# docs/architecture.md: a package imports only from lower floors (and from itself)
FLOORS = {
    "settings": 1,
    "paths": 2,
    "engine": 3,
    "model": 3,
    "progress": 3,
    "checks": 4,
    "quiz": 4,
    "authoring": 4,
    "runner": 5,
    "tui": 6,
    "cli": 7,
    "__main__": 8,
}


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


def _package(name: str) -> str:
    return name.split(".")[1] if "." in name else ""


def test_every_import_goes_to_a_lower_floor() -> None:
    assert {_package(m) for m in MODULES} - {""} == set(FLOORS), "a new package needs a floor"
    for name in MODULES:
        here = _package(name)
        for other in imports_of(name):
            there = _package(other)
            if here and there and there != here:
                assert FLOORS[there] < FLOORS[here], (
                    f"{name} (floor {FLOORS[here]}) imports {other}"
                )


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
