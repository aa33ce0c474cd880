"""The layering contract of docs/architecture.md, read from the source (the AST: nothing is
imported, except by the last test, which looks at what a real import loads).

Floors, lowest first; a module may import its own floor and the floors below, never one above:

    paths, settings  →  model, progress, engine  →  checks, quiz, authoring  →  runner  →  tui, cli

and besides: only engine/ imports docker (inside functions); only tui/ imports textual; cli/
reaches the app only inside functions; tui/ reaches the engine and progress through the runner;
no import cycles at all, counting imports inside functions and under `if TYPE_CHECKING:`."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dockerlab"

FLOORS: list[set[str]] = [
    {"dockerlab", "paths", "settings"},  # "dockerlab": the package's own __init__
    {"model", "progress", "engine"},
    {"checks", "quiz", "authoring"},
    {"runner"},
    {"tui", "cli", "__main__"},
]
FLOOR = {part: level for level, parts in enumerate(FLOORS) for part in parts}


@dataclass(frozen=True)
class Import:
    """One import statement's target, as the module it names (`from a import b` names `a.b`
    when that is a module of ours)."""

    source: str  # the importing module, dotted
    target: str  # the imported module, dotted
    line: int
    at_import: bool  # runs when the module is imported (not inside a function)
    type_checking: bool  # under `if TYPE_CHECKING:`


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def part_of(module: str) -> str:
    """The floor-level part a module belongs to: `dockerlab.engine.images` → `engine`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Finder(ast.NodeVisitor):
    def __init__(self, source: str, is_package: bool) -> None:
        self.source = source
        self.package = source if is_package else source.rpartition(".")[0]
        self.found: list[Import] = []
        self.in_function = 0
        self.in_type_checking = 0

    def _add(self, target: str, node: ast.stmt) -> None:
        self.found.append(
            Import(
                self.source, target, node.lineno, not self.in_function, self.in_type_checking > 0
            )
        )

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            anchor = self.package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, *([node.module] if node.module else [])])
        for alias in node.names:
            whole = f"{base}.{alias.name}"
            self._add(whole if whole in modules() else base, node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self.in_function += 1
        self.generic_visit(node)
        self.in_function -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self.in_type_checking += 1
            for child in node.body:
                self.visit(child)
            self.in_type_checking -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    path = modules()[module]
    finder = _Finder(module, path.name == "__init__.py")
    finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return tuple(finder.found)


def all_imports() -> list[Import]:
    return [found for module in modules() for found in imports_of(module)]


def ours(found: Import) -> bool:
    return found.target in modules()


def where(found: Import) -> str:
    return f"{modules()[found.source].relative_to(PACKAGE.parent)}:{found.line}"


# -- the rules, one predicate each: does this import break it? --------------------------------


def top(module: str) -> str:
    return module.split(".")[0]


def docker_outside_engine(i: Import) -> bool:
    """Only engine/ imports docker, and only inside functions (or for type checking)."""
    return top(i.target) == "docker" and (
        part_of(i.source) != "engine" or (i.at_import and not i.type_checking)
    )


def textual_outside_tui(i: Import) -> bool:
    return top(i.target) == "textual" and part_of(i.source) != "tui"


def cli_app_at_import(i: Import) -> bool:
    """`dockerlab check` and `dockerlab --help` never load Textual: cli/ reaches the app (and
    textual) only inside functions."""
    reaches_app = top(i.target) == "textual" or (ours(i) and part_of(i.target) == "tui")
    return part_of(i.source) == "cli" and i.at_import and not i.type_checking and reaches_app


def higher_floor(i: Import) -> bool:
    low, high = FLOOR.get(part_of(i.source)), FLOOR.get(part_of(i.target))
    return ours(i) and low is not None and high is not None and high > low


def tui_past_the_runner(i: Import) -> bool:
    return part_of(i.source) == "tui" and ours(i) and part_of(i.target) in ("engine", "progress")


def broken(rule: Callable[[Import], bool]) -> str:
    """Each import of the package that breaks `rule`, one line each ("" when none)."""
    lines = [f"{where(i)} imports {i.target}" for i in all_imports() if rule(i)]
    return "\n".join(dict.fromkeys(lines))  # `from a import b, c` is one import of `a`


def _i(source: str, target: str, at_import: bool = True, type_checking: bool = False) -> Import:
    return Import(source, target, 1, at_import, type_checking)


@pytest.mark.parametrize(
    ("rule", "found", "breaks"),
    [
        (docker_outside_engine, _i("dockerlab.checks.image", "docker.errors"), True),
        (docker_outside_engine, _i("dockerlab.engine.images", "docker"), True),
        (docker_outside_engine, _i("dockerlab.engine.images", "docker", at_import=False), False),
        (docker_outside_engine, _i("dockerlab.engine.client", "docker", type_checking=True), False),
        (textual_outside_tui, _i("dockerlab.cli.app", "textual.app", at_import=False), True),
        (textual_outside_tui, _i("dockerlab.tui.app", "textual.app"), False),
        (cli_app_at_import, _i("dockerlab.cli.app", "dockerlab.tui.app"), True),
        (cli_app_at_import, _i("dockerlab.cli.app", "dockerlab.tui.app", at_import=False), False),
        (higher_floor, _i("dockerlab.model.lab", "dockerlab.runner.session", False), True),
        (higher_floor, _i("dockerlab.engine.images", "dockerlab.checks", True, True), True),
        (higher_floor, _i("dockerlab.checks.image", "dockerlab.engine.images"), False),
        (higher_floor, _i("dockerlab.cli.app", "dockerlab.tui.app"), False),
        (tui_past_the_runner, _i("dockerlab.tui.app", "dockerlab.engine.client"), True),
        (tui_past_the_runner, _i("dockerlab.tui.app", "dockerlab.runner.session"), False),
    ],
)
def test_each_rule_catches_what_it_forbids(
    rule: Callable[[Import], bool], found: Import, breaks: bool
) -> None:
    assert rule(found) is breaks


# -- the package against the rules ------------------------------------------------------------


def test_every_part_of_the_package_has_a_floor() -> None:
    unplaced = sorted({part_of(m) for m in modules()} - set(FLOOR))
    assert not unplaced, f"put {unplaced} on a floor here and in docs/architecture.md"


def test_only_engine_imports_docker_and_only_inside_functions() -> None:
    assert not (wrong := broken(docker_outside_engine)), wrong


def test_only_tui_imports_textual() -> None:
    assert not (wrong := broken(textual_outside_tui)), wrong


def test_cli_reaches_the_app_only_inside_functions() -> None:
    assert not (wrong := broken(cli_app_at_import)), wrong


def test_no_module_imports_a_higher_floor() -> None:
    assert not (wrong := broken(higher_floor)), wrong


def test_tui_reaches_the_engine_and_progress_only_through_the_runner() -> None:
    assert not (wrong := broken(tui_past_the_runner)), wrong


# -- cycles -----------------------------------------------------------------------------------


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one member (or a self-loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph) + 100))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in modules()}
    for found in all_imports():
        if ours(found) and found.target != found.source:
            graph[found.source].add(found.target)
    return graph


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),
        (
            {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}},
            [["a", "b", "c"], ["d", "e"]],
        ),
        ({"a": {"a"}}, [["a"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert strongly_connected(graph) == expected


def test_the_graph_sees_function_level_and_type_checking_imports() -> None:
    finder = _Finder("dockerlab.x.y", is_package=False)
    finder.visit(
        ast.parse(
            "from typing import TYPE_CHECKING\n"
            "from . import z\n"
            "if TYPE_CHECKING:\n"
            "    from dockerlab.tui.app import DockerLabApp\n"
            "def f():\n"
            "    import docker\n"
        )
    )
    assert [(i.target, i.at_import, i.type_checking) for i in finder.found] == [
        ("typing", True, False),
        ("dockerlab.x", True, False),
        ("dockerlab.tui.app", True, True),
        ("docker", False, False),
    ]


def cycles() -> list[list[str]]:
    return strongly_connected(import_graph())


def test_no_import_cycles_anywhere() -> None:
    """Counting imports inside functions and under TYPE_CHECKING: a loop is a loop to a reader
    and to a tool, whenever Python runs it."""
    found = cycles()
    assert not found, "import cycles (each a set of modules that reach one another):\n" + (
        "\n".join(" ↔ ".join(component) for component in found)
    )


# -- what a real import loads -----------------------------------------------------------------


def test_core_modules_do_not_load_textual_or_docker_at_import() -> None:
    """Import every module but the app's in a fresh interpreter and look at sys.modules: docker
    is loaded when the engine is first used, Textual only when the app starts."""
    core = [m for m in modules() if part_of(m) != "tui" and not m.endswith("__main__")]
    code = (
        "import importlib, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'docker'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
