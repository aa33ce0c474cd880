"""Helpers for the instructor-tooling tests: run the CLI in this process, write small labs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest

from dockerlab.cli import main

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def _no_content_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--content` writes $DOCKERLAB_CONTENT into this process's environment: undo it after."""
    monkeypatch.setenv("DOCKERLAB_CONTENT", "")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `dockerlab ARGS...` in this process: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def write_lab(folder: Path, text: str, lab_id: str = "tiny") -> Path:
    """Write `folder/labs/<lab_id>/lab.yaml` from an indented text block."""
    path = folder / "labs" / lab_id / "lab.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    return path


GOOD_LAB = """
    format_version: 1
    id: tiny
    title: Tiny
    section: private-registry
    summary: A tiny lab for tests.
    minutes: 1
    images: ["busybox:latest"]
    variables:
      box: tiny-box
    cleanup:
      containers: ["{{ box }}"]
    steps:
      - id: run-box
        title: Run a box
        instructions: Run it.
        solution:
          - docker container run -d --name {{ box }} busybox sleep 60
        hints:
          - Use `docker container run -d`.
          - "`docker container run -d --name {{ box }} busybox sleep 60`"
        check:
          kind: container
          name: "{{ box }}"
"""
