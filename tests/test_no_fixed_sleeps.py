"""Tests wait for a condition with a deadline, never for a fixed time: a fixed sleep is too short
on a busy machine (a flake) and too long on a quiet one. Only tests/waiting.py may sleep; this
scan (the AST, nothing is imported) finds `time.sleep`, `asyncio.sleep` and `pilot.pause(DELAY)`
anywhere else under tests/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ALLOWED = {TESTS / "waiting.py"}
SLEEPING_MODULES = {"time", "asyncio", "trio", "anyio"}


def fixed_sleeps(source: str) -> list[str]:
    """Each fixed sleep in `source` as "line N: what"."""
    tree = ast.parse(source)
    modules: set[str] = set()  # local names of time/asyncio
    sleeps: set[str] = set()  # local names of their sleep()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in SLEEPING_MODULES:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module in SLEEPING_MODULES:
            for alias in node.names:
                if alias.name == "sleep":
                    sleeps.add(alias.asname or alias.name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in sleeps:
            found.append(f"line {node.lineno}: {func.id}()")
        elif isinstance(func, ast.Attribute):
            owner = func.value
            if func.attr == "sleep" and isinstance(owner, ast.Name) and owner.id in modules:
                found.append(f"line {node.lineno}: {owner.id}.sleep()")
            elif func.attr == "pause" and (node.args or node.keywords):
                found.append(f"line {node.lineno}: .pause() with a delay")
    return found


def _test_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if p not in ALLOWED)


@pytest.mark.parametrize("path", _test_files(), ids=lambda p: str(p.relative_to(TESTS)))
def test_no_fixed_sleep_outside_the_waiting_helpers(path: Path) -> None:
    found = fixed_sleeps(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{path.relative_to(TESTS.parent)} sleeps for a fixed time ({'; '.join(found)}): wait "
        "for what you need with tests.waiting.wait_until (or `until` with a pilot)"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import time\ntime.sleep(1)\n", ["line 2: time.sleep()"]),
        ("import time as t\nt.sleep(0.1)\n", ["line 2: t.sleep()"]),
        ("from time import sleep\nsleep(2)\n", ["line 2: sleep()"]),
        ("from asyncio import sleep as nap\nasync def f():\n    await nap(0)\n", ["line 3: nap()"]),
        (
            "import asyncio\nasync def f():\n    await asyncio.sleep(0.5)\n",
            ["line 3: asyncio.sleep()"],
        ),
        ("async def f(pilot):\n    await pilot.pause(0.3)\n", ["line 2: .pause() with a delay"]),
        (
            "async def f(pilot):\n    await pilot.pause(delay=1)\n",
            ["line 2: .pause() with a delay"],
        ),
        # waiting for the app to go idle, a shell command that sleeps, a paused engine: fine
        ("async def f(pilot):\n    await pilot.pause()\n", []),
        ("import subprocess\nsubprocess.run(['sleep', '5'])\n", []),
        ("def f(engine):\n    engine.pause()\n", []),
        ("import time\ntime.monotonic()\n", []),
    ],
)
def test_the_scan_finds_each_kind_of_fixed_sleep(source: str, expected: list[str]) -> None:
    assert fixed_sleeps(source) == expected


def test_the_helper_module_is_the_one_allowed_and_exists() -> None:
    assert all(path.is_file() for path in ALLOWED)
    assert fixed_sleeps((TESTS / "waiting.py").read_text(encoding="utf-8"))
