"""`command` checks: real `bash -c` runs in the workspace."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

import pytest

from dockerlab.checks import CheckContext, Result, Status, evaluate
from dockerlab.engine import Engine
from dockerlab.model.checks import CommandCheck
from tests.waiting import wait_until


@pytest.fixture
def shell_ctx(workspace: Path) -> CheckContext:
    return CheckContext(engine=Engine(), workspace=workspace)


def processes_in(folder: Path) -> list[int]:
    """PIDs of the live processes whose working directory is `folder`."""
    found, folder = [], folder.resolve()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if Path(os.readlink(entry / "cwd")) == folder:
                    found.append(int(entry.name))
    return found


def check(ctx: CheckContext, run: str, **fields: Any) -> Result:
    spec = CommandCheck.model_validate({"kind": "command", "run": run, **fields})
    return evaluate(spec, ctx)


def test_runs_in_the_workspace(shell_ctx: CheckContext, workspace: Path) -> None:
    result = check(shell_ctx, "pwd", output=f"^{workspace}$")
    assert result.status is Status.PASS, result.message
    assert result.message == f"`pwd` exited with 0 and its output matches '^{workspace}$'"


def test_exit_code_fail_names_code_and_last_line(shell_ctx: CheckContext) -> None:
    result = check(shell_ctx, "echo starting; echo 'no such file' >&2; exit 3")
    assert result.status is Status.FAIL
    assert result.message == (
        "`echo starting; echo 'no such file' >&2; exit 3` exited with 3, expected 0; "
        "last line of output: no such file"
    )


def test_expected_nonzero_exit_code(shell_ctx: CheckContext) -> None:
    assert check(shell_ctx, "exit 1", exit_code=1).passed
    result = check(shell_ctx, "true", exit_code=1)
    assert result.message == "`true` exited with 0, expected 1; no output"


def test_output_pattern_sees_stderr(shell_ctx: CheckContext) -> None:
    denied = "echo 'unauthorized: authentication required' >&2"
    assert check(shell_ctx, denied, output="unauthorized").passed
    result = check(shell_ctx, "echo pushed; echo done", output="digest: sha256")
    assert result.status is Status.FAIL
    assert result.message == (
        "the output of `echo pushed; echo done` does not match 'digest: sha256'; "
        "last line of output: done"
    )


def test_timeout_is_an_error_and_kills_what_it_started(
    shell_ctx: CheckContext, workspace: Path
) -> None:
    started = time.monotonic()
    # the inner sleep would write the file later if it survived the timeout
    result = check(shell_ctx, "(sleep 1.5; touch survived) & sleep 30", timeout=0.5)
    assert result.status is Status.ERROR
    assert result.message == "`(sleep 1.5; touch survived) & sleep 30` did not finish within 0.5 s"
    assert time.monotonic() - started < 5
    # nothing it started lives on to write the file later
    wait_until(lambda: not processes_in(workspace), timeout=5, what="its processes to end")
    assert not (workspace / "survived").exists()


def test_missing_workspace_is_an_error(tmp_path: Path) -> None:
    ctx = CheckContext(engine=Engine(), workspace=tmp_path / "gone")
    result = check(ctx, "true")
    assert result.status is Status.ERROR
    assert "does not exist" in result.message


def test_long_commands_are_shortened(shell_ctx: CheckContext) -> None:
    result = check(shell_ctx, "false " + "x" * 100)
    assert result.message.startswith("`false xxx")
    assert "…` exited with 1" in result.message


@pytest.mark.engine
def test_docker_command_against_the_engine(engine: Engine, shell_ctx: CheckContext) -> None:
    inspect = "docker image inspect registry:2 --format '{{.Id}}'"
    assert check(shell_ctx, inspect, output="^sha256:").passed
    result = check(shell_ctx, "docker image inspect dockerlab/never-built:nope")
    assert result.status is Status.FAIL
    assert "exited with 1, expected 0; last line of output: " in result.message
    assert "No such image" in result.message
