"""Helpers for check tests that drive the real engine with the `docker` CLI, as a learner would."""

from __future__ import annotations

import fcntl
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from dockerlab.checks import CheckContext, Result, evaluate
from dockerlab.engine import Engine
from dockerlab.model.checks import Check
from tests.waiting import TimedOut, wait_until

_CHECK = TypeAdapter(Check)
LOCK_FILE = "/tmp/dockerlab-engine.lock"  # the same lock as the `engine_lock` fixture


def docker(
    *args: str,
    check: bool = True,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run the docker CLI; raise with its output when `check` and it fails."""
    proc = subprocess.run(
        ["docker", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)} failed: {proc.stderr or proc.stdout}")
    return proc


def check(ctx: CheckContext, **spec: Any) -> Result:
    """Evaluate a check written as its YAML keys, through the same path the runner uses."""
    return evaluate(_CHECK.validate_python(spec), ctx)


def context(engine: Engine, workspace: Path, **kw: Any) -> CheckContext:
    return CheckContext(engine=engine, workspace=workspace, **kw)


def wait_for(predicate: Callable[[], bool], timeout: float = 30, every: float = 0.25) -> bool:
    """Poll `predicate` until it holds or `timeout` seconds pass; its last answer."""
    try:
        return bool(wait_until(predicate, timeout, every=every))
    except TimedOut:
        return False


@contextmanager
def engine_lock() -> Iterator[None]:
    """The `engine_lock` fixture's file lock, for fixtures wider than one test (module scope)."""
    with open(LOCK_FILE, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
