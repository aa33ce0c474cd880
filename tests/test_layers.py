"""The layering contract: textual only under dockerlab/tui, docker only under dockerlab/engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dockerlab"


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_only_engine_imports_docker_and_only_tui_imports_textual(path: Path) -> None:
    rel = path.relative_to(PACKAGE).parts
    imported = _imports(path)
    if rel[0] != "engine":
        assert "docker" not in imported, f"{path} imports docker; only dockerlab/engine may"
    if rel[0] != "tui":
        assert "textual" not in imported, f"{path} imports textual; only dockerlab/tui may"


def test_core_modules_do_not_load_textual_or_docker_at_import() -> None:
    """Import every core module in a fresh interpreter and look at sys.modules (as harlequin)."""
    core = [m for m in _modules() if ".tui" not in m and not m.endswith(("cli.app", "__main__"))]
    code = (
        "import importlib, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "print('textual:', bad)\n"
        "core = [m for m in sys.modules if m.startswith('dockerlab.') and '.engine' not in m]\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "textual: []" in out.stdout, out.stdout
