"""Shared fixtures. Tests marked `engine` use the real Docker engine; under CI=true a missing
engine fails the run instead of skipping it."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from textwrap import dedent

import pytest

from dockerlab.engine import Engine

REPO = Path(__file__).resolve().parent.parent

Cli = Callable[..., tuple[int, str, str]]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


# Fixtures that need Docker: the shared engine, or a dockerd a test starts for itself. A test that
# uses one (directly or through another fixture) is marked `engine`, so that
# `pytest -m "not engine"` runs everything else with no engine at all (README, "Testing").
ENGINE_FIXTURES = frozenset({"engine", "private_engine", "second_engine"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if ENGINE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.engine)


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The real engine. Missing: skip locally, fail in CI."""
    eng = Engine(timeout=60)
    if not eng.ping():
        message = "no Docker engine answers (run scripts/ensure-engine.sh)"
        if in_ci():
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    return eng


@pytest.fixture
def unique() -> str:
    """A short unique suffix for names of containers/images/volumes a test creates."""
    return uuid.uuid4().hex[:8]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    ws.mkdir()
    return ws


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Learner data (progress, workspaces) goes to a temporary folder, never the real one."""
    monkeypatch.setenv("DOCKERLAB_HOME", str(tmp_path / "dockerlab-home"))


@pytest.fixture
def engine_lock() -> Iterator[None]:
    """Serialise tests that use fixed names/ports (a lab's `registry` on 5000) or the swarm."""
    import fcntl

    with open("/tmp/dockerlab-engine.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture
def course_images(engine: Engine) -> Engine:
    """Every course image present (labs such as registry-basics remove hello-world on purpose)."""
    from dockerlab.engine.images import prepare

    prepare(engine)
    return engine


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run `dockerlab ARGS...` in this process: (exit code, stdout, stderr). `--content` writes
    $DOCKERLAB_CONTENT into this process's environment: it is undone after the test."""
    from dockerlab.cli import main

    monkeypatch.setenv("DOCKERLAB_CONTENT", "")

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
