"""The lab screen's commands: the command bar that runs in the lab workspace, the output log, the
step's solution run for the learner, and a real shell.

A command with `sudo` that would ask for a password runs with the terminal handed over (as F6
does): sudo's prompt reaches the learner's real terminal, which does not echo the password, and
the app is back when the command ends, its output in the log."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import SuspendNotSupported
from textual.message import Message
from textual.widgets import Input, Log

from dockerlab.tui.screens.base import BaseScreen
from dockerlab.tui.text import commands_in
from dockerlab.tui.widgets.command_bar import CommandBar

if TYPE_CHECKING:
    from pathlib import Path

    from dockerlab.model.lab import Step
    from dockerlab.runner.session import LabSession
    from dockerlab.runner.shell import CommandOutcome

NEEDS_TERMINAL = ("non TTY device", "input device is not a TTY", "not a tty")
# sudo's words when it needs a password and has no terminal to ask on
SUDO_NEEDS_TERMINAL = ("a terminal is required to read the password", "a password is required")


class OutputLine(Message, bubble=False):
    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class CommandDone(Message, bubble=False):
    def __init__(self, outcome: CommandOutcome | None, assisted: bool) -> None:
        super().__init__()
        self.outcome = outcome
        self.assisted = assisted


class LabCommands(BaseScreen):
    """`running` is the command that runs (one at a time), `last_output` the output of the last
    one (what diagnoses read), `command_index` the instructions' command Ctrl+Y took last."""

    # what this part reads of the lab screen
    session: LabSession | None
    step: Step | None
    assisted_now: set[str]

    if TYPE_CHECKING:
        # what it calls back on the lab screen
        def request_check(self, record: bool = False, diagnose: bool = False) -> None: ...

    def __init__(self) -> None:
        super().__init__()
        self.command_index = -1
        self.last_output: str | None = None
        self.running: str | None = None

    # -- the output log ------------------------------------------------------------------------
    def write_line(self, line: str) -> None:
        self.query_one(Log).write_line(line)

    def _post_output(self, line: str) -> None:
        self.post_message(OutputLine(line))

    @on(OutputLine)
    def _output(self, message: OutputLine) -> None:
        self.write_line(message.line)

    def action_clear_log(self) -> None:
        self.query_one(Log).clear()

    # -- commands ------------------------------------------------------------------------------
    @on(Input.Submitted, "#command")
    def _submit(self, event: Input.Submitted) -> None:
        command = event.value.strip()
        if not command:
            return
        if self.session is None:
            self.notify("The lab is still opening; try again in a moment.")
            return
        if self.running is not None:
            self.notify(f"Still running: {self.running}", severity="warning")
            return
        bar = self.query_one(CommandBar)
        bar.remember(command)
        bar.value = ""
        self.running = command
        from dockerlab.runner.privilege import needs_sudo, sudo_asks_password

        if needs_sudo(command) and sudo_asks_password():
            self.run_in_terminal(command)
        else:
            self.run_command(command)

    @work(thread=True, exit_on_error=False, group="lab-command", name="running your command")
    def run_command(self, command: str) -> None:
        from dockerlab.runner.trust import UntrustedContent

        assert self.session is not None
        try:
            outcome = self.session.run(command, on_output=self._post_output)
        except UntrustedContent as exc:
            self.post_message(OutputLine(f"! {exc}"))
            outcome = None
        except Exception as exc:  # noqa: BLE001 - the bar must never stay blocked
            self.post_message(OutputLine(f"! could not run it: {exc}"))
            outcome = None
        self.post_message(CommandDone(outcome, assisted=False))

    def run_in_terminal(self, command: str) -> None:
        """Run a command that asks for a password with the real terminal handed over to it; its
        output shows there as it comes and lands in the log afterwards."""
        from dockerlab.runner.shell import CommandOutcome, script_for
        from dockerlab.runner.trust import UntrustedContent, check_trusted

        assert self.session is not None
        try:
            check_trusted(self.session.loaded.path)
        except UntrustedContent as exc:
            self.write_line(f"! {exc}")
            self._command_done(CommandDone(None, assisted=False))
            return
        workspace = self.session.workspace
        workspace.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.session.env()}
        lines: list[str] = []
        started = time.monotonic()
        code: int | None = None
        try:
            with self.app.suspend():
                print(
                    f"\n$ {command}\ndockerlab: sudo asks for your password here; it does not "
                    "show as you type. The lab comes back when the command ends.\n",
                    flush=True,
                )
                code = _run_here(script_for(command), workspace, env, lines)
        except SuspendNotSupported:
            self.write_line("sudo asks for a password, and this terminal cannot hand over to it.")
            self.run_command(command)  # runs without a terminal: sudo says so, and we explain
            return
        self.write_line(f"$ {command}")
        for line in lines:
            self.write_line(line.rstrip("\n"))
        output = "".join(lines)
        outcome = CommandOutcome(command, code, output, time.monotonic() - started)
        self._command_done(CommandDone(outcome, assisted=False))

    @on(CommandDone)
    def _command_done(self, message: CommandDone) -> None:
        self.running = None
        outcome = message.outcome
        if outcome is not None:
            if outcome.timed_out:
                self.write_line(f"(stopped after {outcome.seconds:.0f} s: it took too long)")
            elif outcome.exit_code not in (0, None):
                self.write_line(f"(exit status {outcome.exit_code})")
            if outcome.exit_code and any(n in outcome.output for n in SUDO_NEEDS_TERMINAL):
                self.write_line(
                    "sudo needs your password and had no terminal to ask on: press F6 to open "
                    "a shell in the workspace and run it there."
                )
            elif outcome.exit_code and any(n in outcome.output for n in NEEDS_TERMINAL):
                self.write_line(
                    "This command wants a terminal: press F6 to open a shell in the "
                    "workspace and run it there."
                )
            self.last_output = outcome.output
        self.request_check(record=True, diagnose=True)

    def action_use_command(self) -> None:
        """Put the next command from the step's instructions into the bar."""
        if self.step is None:
            return
        commands = commands_in(self.step.instructions)
        if not commands:
            self.notify("This step's instructions have no command to take.")
            return
        self.command_index = (self.command_index + 1) % len(commands)
        bar = self.query_one(CommandBar)
        bar.put(commands[self.command_index])
        bar.focus()
        if len(commands) > 1:
            self.notify(
                f"Command {self.command_index + 1} of {len(commands)} from the "
                "instructions (Ctrl+Y: the next one). Enter runs it.",
                timeout=3,
            )

    # -- the solution, run for the learner -------------------------------------------------------
    def action_run_solution(self) -> None:
        step = self.step
        if step is None or self.session is None:
            return
        if self.running is not None:
            self.notify(f"Still running: {self.running}", severity="warning")
            return
        self.assisted_now.add(step.id)
        self.running = "the solution"
        self.write_line(
            f"Running the solution of '{step.title}' (the step counts as done with help) …"
        )
        self.run_solution(step)

    @work(thread=True, exit_on_error=False, group="lab-command", name="running the solution")
    def run_solution(self, step: Step) -> None:
        from dockerlab.runner.trust import UntrustedContent

        assert self.session is not None
        try:
            outcomes = self.session.solve(step, on_output=self._post_output)
        except UntrustedContent as exc:
            self.post_message(OutputLine(f"! {exc}"))
            outcomes = []
        except Exception as exc:  # noqa: BLE001 - the bar must never stay blocked
            self.post_message(OutputLine(f"! could not run the solution: {exc}"))
            outcomes = []
        self.post_message(CommandDone(outcomes[-1] if outcomes else None, assisted=True))

    # -- a real shell --------------------------------------------------------------------------
    def action_shell(self) -> None:
        """Hand the terminal to $SHELL in the workspace; check the step when it exits."""
        if self.session is None:
            return
        shell = os.environ.get("SHELL") or "/bin/bash"
        env = {**os.environ, **self.session.env()}
        workspace = self.session.workspace
        workspace.mkdir(parents=True, exist_ok=True)
        try:
            with self.app.suspend():
                print(
                    f"\ndockerlab: a shell in the lab workspace {workspace}.\n"
                    "Type `exit` (or Ctrl+D) to go back to the lab; it checks your work then.\n",
                    flush=True,
                )
                subprocess.run([shell], cwd=workspace, env=env, check=False)
        except SuspendNotSupported:
            self.notify(
                f"This terminal cannot hand over to a shell. Open another terminal in "
                f"{workspace}: the step ticks off by itself.",
                severity="warning",
            )
            return
        self.write_line("Back from the shell: checking your work …")
        self.request_check(record=True)


def _run_here(script: str, cwd: Path, env: dict[str, str], lines: list[str]) -> int | None:
    """Run `script` on this terminal (sudo opens it for its prompt), echoing and keeping its
    output. Ctrl+C stops the command, not the app: None then."""
    proc = subprocess.Popen(
        ["bash", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
        return proc.wait()
    except KeyboardInterrupt:
        proc.kill()
        proc.wait()
        lines.append("(stopped with Ctrl+C)\n")
        return None
