"""The lab screen's command row: a prompt and the command bar, whose commands run in the lab
workspace one at a time; the step's solution run for the learner; a real shell.

The screen hands the session and the current step down; the row says what it printed with
`Output` and that a command ended with `Done` (the screen then checks the step). A command with
`sudo` that would ask for a password runs with the terminal handed over (as F6 does): sudo's
prompt reaches the learner's real terminal, which does not echo the password, and the app is
back when the command ends, its output in the log."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from dockerlab.model.lab import Step
from dockerlab.runner.learner import Mode
from dockerlab.runner.privilege import needs_sudo, sudo_asks_password
from dockerlab.runner.session import LabSession
from dockerlab.runner.shell import CommandOutcome, open_shell, run_on_terminal
from dockerlab.runner.trust import UntrustedContent, check_trusted
from dockerlab.tui.text import commands_in
from dockerlab.tui.widgets.command_bar import CommandBar

NEEDS_TERMINAL = ("non TTY device", "input device is not a TTY", "not a tty")
# sudo's words when it needs a password and has no terminal to ask on
SUDO_NEEDS_TERMINAL = ("a terminal is required to read the password", "a password is required")


class _Ran(Message, bubble=False):
    """A command (or the solution) ended; None when it could not run."""

    def __init__(self, outcome: CommandOutcome | None) -> None:
        super().__init__()
        self.outcome = outcome


class CommandRow(Horizontal):
    """`session` and `step` come from the screen. `running` is the command that runs (one at a
    time), `last_output` the output of the last one (what diagnoses read), `command_index` the
    instructions' command Ctrl+Y took last."""

    class Output(Message):
        """A line for the output log."""

        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    class Done(Message):
        """A command, the solution or the shell ended: check the step (the learner asked).
        `output` is what to diagnose (None: nothing, after the shell)."""

        def __init__(self, output: str | None) -> None:
            super().__init__()
            self.output = output

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: LabSession | None = None
        self.step: Step | None = None
        self.running: str | None = None
        self.last_output: str | None = None
        self.command_index = -1

    def compose(self) -> ComposeResult:
        yield Static("$", id="command-prompt")
        yield CommandBar(id="command")

    def show_step(self, step: Step | None) -> None:
        self.step = step
        self.command_index = -1

    def say(self, line: str) -> None:
        self.post_message(self.Output(line))

    # -- commands ------------------------------------------------------------------------------
    @on(Input.Submitted, "#command")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        command = event.value.strip()
        if not command:
            return
        if self.session is None:
            self.notify("The lab is still opening; try again in a moment.")
            return
        if self.running is not None:
            self.notify(f"Still running: {self.running}", severity="warning", markup=False)
            return
        bar = self.query_one(CommandBar)
        bar.remember(command)
        bar.value = ""
        self.running = command
        if needs_sudo(command) and sudo_asks_password():
            self._run_in_terminal(command)
        else:
            self._run_command(command)

    @work(thread=True, exit_on_error=False, group="lab-command", name="running your command")
    def _run_command(self, command: str) -> None:
        assert self.session is not None
        try:
            outcome = self.session.run(command, on_output=self.say)
        except UntrustedContent as exc:
            self.say(f"! {exc}")
            outcome = None
        except Exception as exc:  # noqa: BLE001 - the bar must never stay blocked
            self.say(f"! could not run it: {exc}")
            outcome = None
        self.post_message(_Ran(outcome))

    def _run_in_terminal(self, command: str) -> None:
        """Run a command that asks for a password with the real terminal handed over to it; its
        output shows there as it comes and lands in the log afterwards."""
        session = self.session
        assert session is not None
        try:
            check_trusted(session.loaded.path)
        except UntrustedContent as exc:
            self.say(f"! {exc}")
            self.post_message(_Ran(None))
            return
        session.workspace.mkdir(parents=True, exist_ok=True)
        try:
            with self.app.suspend():
                print(
                    f"\n$ {command}\ndockerlab: sudo asks for your password here; it does not "
                    "show as you type. The lab comes back when the command ends.\n",
                    flush=True,
                )
                outcome = run_on_terminal(command, session.workspace, session.env())
        except SuspendNotSupported:
            self.say("sudo asks for a password, and this terminal cannot hand over to it.")
            self._run_command(command)  # runs without a terminal: sudo says so, and we explain
            return
        self.say(f"$ {command}")
        for line in outcome.output.removesuffix("\n").split("\n") if outcome.output else []:
            self.say(line)
        self.post_message(_Ran(outcome))

    @on(_Ran)
    def _ran(self, message: _Ran) -> None:
        self.running = None
        outcome = message.outcome
        if outcome is not None:
            if outcome.timed_out:
                self.say(f"(stopped after {outcome.seconds:.0f} s: it took too long)")
            elif outcome.exit_code not in (0, None):
                self.say(f"(exit status {outcome.exit_code})")
            if outcome.exit_code and any(n in outcome.output for n in SUDO_NEEDS_TERMINAL):
                self.say(
                    "sudo needs your password and had no terminal to ask on: press F6 to open "
                    "a shell in the workspace and run it there."
                )
            elif outcome.exit_code and any(n in outcome.output for n in NEEDS_TERMINAL):
                self.say(
                    "This command wants a terminal: press F6 to open a shell in the "
                    "workspace and run it there."
                )
            self.last_output = outcome.output
        self.post_message(self.Done(self.last_output))

    def take_command(self) -> None:
        """Put the next command from the step's instructions into the bar (none in challenge
        mode: the learner works them out)."""
        if self.step is None:
            return
        if self.session is not None and self.session.mode is Mode.CHALLENGE:
            self.notify("Challenge mode: no command to take. F2 gives a hint; F7 shows them.")
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
    def run_solution(self) -> None:
        step = self.step
        if step is None or self.session is None:
            return
        if self.running is not None:
            self.notify(f"Still running: {self.running}", severity="warning", markup=False)
            return
        self.running = "the solution"
        self.say(f"Running the solution of '{step.title}' (the step counts as done with help) …")
        self._solve(step)

    @work(thread=True, exit_on_error=False, group="lab-command", name="running the solution")
    def _solve(self, step: Step) -> None:
        assert self.session is not None
        try:
            outcomes = self.session.solve(step, on_output=self.say)
        except UntrustedContent as exc:
            self.say(f"! {exc}")
            outcomes = []
        except Exception as exc:  # noqa: BLE001 - the bar must never stay blocked
            self.say(f"! could not run the solution: {exc}")
            outcomes = []
        self.post_message(_Ran(outcomes[-1] if outcomes else None))

    # -- a real shell --------------------------------------------------------------------------
    def open_shell(self) -> None:
        """Hand the terminal to the learner's shell in the workspace; check the step when it
        exits."""
        if self.session is None:
            return
        workspace = self.session.workspace
        workspace.mkdir(parents=True, exist_ok=True)
        try:
            with self.app.suspend():
                print(
                    f"\ndockerlab: a shell in the lab workspace {workspace}.\n"
                    "Type `exit` (or Ctrl+D) to go back to the lab; it checks your work then.\n",
                    flush=True,
                )
                open_shell(workspace, self.session.env())
        except SuspendNotSupported:
            self.notify(
                f"This terminal cannot hand over to a shell. Open another terminal in "
                f"{workspace}: the step ticks off by itself.",
                severity="warning",
            )
            return
        self.say("Back from the shell: checking your work …")
        self.post_message(self.Done(None))
