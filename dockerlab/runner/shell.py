"""Run a lab's shell commands in its workspace, streaming output as it comes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dockerlab import settings

OutputSink = Callable[[str], None]

# as root where sudo is not installed (a container), a lab's `sudo mkdir ...` runs `mkdir ...`
ROOT_WITHOUT_SUDO = 'sudo() { while [ "${1#-}" != "$1" ]; do shift; done; "$@"; }\n'


def script_for(command: str) -> str:
    """The bash script that runs `command` (with the sudo stand-in where root lacks sudo)."""
    if os.geteuid() == 0 and shutil.which("sudo") is None:
        return ROOT_WITHOUT_SUDO + command
    return command


@dataclass(frozen=True)
class CommandOutcome:
    """What one command did: exit code (None when it was skipped or timed out) and its output."""

    command: str
    exit_code: int | None
    output: str
    seconds: float
    skipped: str | None = None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.skipped is not None or self.exit_code == 0


def run_shell(
    command: str,
    cwd: Path,
    *,
    timeout: float = 300,
    env: dict[str, str] | None = None,
    on_output: OutputSink | None = None,
) -> CommandOutcome:
    """Run `command` with bash in `cwd`; stdout and stderr interleaved, each line to on_output."""
    started = time.monotonic()
    full_env = {**settings.current().environ(), **(env or {})}
    proc = subprocess.Popen(
        ["bash", "-c", script_for(command)],
        cwd=cwd,
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    chunks: list[str] = []

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            chunks.append(line)
            if on_output:
                on_output(line.rstrip("\n"))

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    reader.join(timeout=5)
    return CommandOutcome(
        command=command,
        exit_code=None if timed_out else proc.returncode,
        output="".join(chunks),
        seconds=time.monotonic() - started,
        timed_out=timed_out,
    )


def run_on_terminal(command: str, cwd: Path, env: dict[str, str] | None = None) -> CommandOutcome:
    """Run `command` with bash on this process's terminal (sudo opens it for its prompt),
    echoing its output as it comes and keeping it. Ctrl+C stops the command, not the caller:
    the exit code is None then."""
    started = time.monotonic()
    proc = subprocess.Popen(
        ["bash", "-c", script_for(command)],
        cwd=cwd,
        env={**settings.current().environ(), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    assert proc.stdout is not None
    lines: list[str] = []
    code: int | None
    try:
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
        code = proc.wait()
    except KeyboardInterrupt:
        proc.kill()
        proc.wait()
        lines.append("(stopped with Ctrl+C)\n")
        code = None
    return CommandOutcome(command, code, "".join(lines), time.monotonic() - started)


def open_shell(cwd: Path, env: dict[str, str] | None = None) -> None:
    """The learner's own shell ($SHELL, else bash) in `cwd`, on this process's terminal, until
    they leave it."""
    shell = os.environ.get("SHELL") or "/bin/bash"
    subprocess.run(
        [shell], cwd=cwd, env={**settings.current().environ(), **(env or {})}, check=False
    )
