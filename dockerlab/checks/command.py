"""`command`: the escape hatch — a shell command run in the lab workspace, its exit code and
output."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess

from dockerlab.checks.context import CheckContext
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import WatchPlan, on_a_timer
from dockerlab.model.checks import CommandCheck


def check_command(spec: CommandCheck, ctx: CheckContext) -> Result:
    """PASS when `bash -c run`, started in the workspace, exits with `exit_code` and its
    stdout+stderr matches `output`. Not finishing within `timeout` seconds is an ERROR (the
    command and everything it started are killed); a FAIL names the exit code and the last line
    of output."""
    shown = _shorten(spec.run)
    if not ctx.workspace.is_dir():
        return Result.error(
            f"the lab workspace {ctx.workspace} does not exist; cannot run `{shown}`"
        )
    # a session of its own, so a timeout can kill the whole process group (docker, sleep, ...)
    process = subprocess.Popen(
        ["bash", "-c", spec.run],
        cwd=ctx.workspace,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        raw, _ = process.communicate(timeout=spec.timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        return Result.error(f"`{shown}` did not finish within {spec.timeout:g} s")
    output = raw.decode("utf-8", "replace")
    last = _last_line(output)
    code = process.returncode
    if code != spec.exit_code:
        return Result.fail(f"`{shown}` exited with {code}, expected {spec.exit_code}; {last}")
    if spec.output is not None and not re.search(spec.output, output, re.MULTILINE):
        return Result.fail(f"the output of `{shown}` does not match '{spec.output}'; {last}")
    if spec.output is not None:
        return Result.ok(f"`{shown}` exited with {code} and its output matches '{spec.output}'")
    return Result.ok(f"`{shown}` exited with {code}")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _last_line(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return f"last line of output: {_shorten(lines[-1], 120)}" if lines else "no output"


def _shorten(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def watch_command(spec: CommandCheck, ctx: CheckContext) -> WatchPlan:
    """A shell command's outcome: nothing announces it, so it is re-checked on a timer."""
    return on_a_timer("the command")


COMMAND = CheckKind(CommandCheck, check_command, watch_command)
