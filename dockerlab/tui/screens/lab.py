"""The lab screen: steps, the current step's instructions, a command bar that runs in the lab
workspace, hints, the solution, and live verification.

Live verification: the app forwards engine events here; the step's `WatchPlan` says which are
relevant, a thread watches the files it names, and a timer re-checks what announces nothing.
Checks run one at a time in a thread worker; a request while one runs is kept and run next, so a
burst of events costs at most one extra check and the newest state always gets checked.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Input, Log, Markdown, Static
from textual.worker import get_current_worker

from dockerlab.checks.result import Result
from dockerlab.engine.events import EngineUp
from dockerlab.runner.watch import FILE_POLL, FOLLOW_UP, WatchPlan, changed_files, plan_for
from dockerlab.tui.messages import EngineActivity, EngineStateChanged
from dockerlab.tui.screens.base import BaseScreen
from dockerlab.tui.screens.confirm import ConfirmScreen
from dockerlab.tui.text import commands_in, plural
from dockerlab.tui.widgets.command_bar import CommandBar
from dockerlab.tui.widgets.feedback import CheckPanel, HintPanel
from dockerlab.tui.widgets.status_line import StatusLine
from dockerlab.tui.widgets.step_list import StepList, StepRow

if TYPE_CHECKING:
    from dockerlab.model.lab import Step
    from dockerlab.progress.store import ProgressStore
    from dockerlab.runner.session import LabSession
    from dockerlab.runner.shell import CommandOutcome

NEEDS_TERMINAL = ("non TTY device", "input device is not a TTY", "not a tty")


class OutputLine(Message, bubble=False):
    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class LabReady(Message, bubble=False):
    def __init__(self, session: LabSession, missing: list[str], problem: str | None) -> None:
        super().__init__()
        self.session = session
        self.missing = missing
        self.problem = problem


class LabUnavailable(Message, bubble=False):
    def __init__(self, why: str) -> None:
        super().__init__()
        self.why = why


class CommandDone(Message, bubble=False):
    def __init__(self, outcome: CommandOutcome | None, assisted: bool) -> None:
        super().__init__()
        self.outcome = outcome
        self.assisted = assisted


class CheckDone(Message, bubble=False):
    def __init__(self, step_id: str, result: Result, completed: bool,
                 diagnoses: list[str], diagnose: bool) -> None:
        super().__init__()
        self.step_id = step_id
        self.result = result
        self.completed = completed
        self.diagnoses = diagnoses
        self.diagnose = diagnose


class FilesChanged(Message, bubble=False):
    pass


class LabReset(Message, bubble=False):
    pass


class LabScreen(BaseScreen):
    """One lab. `completed_shown_at` (step id → perf_counter) is when a step was drawn done."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    follows_engine = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="lab.back"),
        Binding("f2", "hint", "Hint", id="lab.hint"),
        Binding("f3", "show_solution", "Solution", id="lab.show_solution"),
        Binding("f4", "run_solution", "Run the solution", id="lab.run_solution", show=False),
        Binding("f5", "check", "Check now", id="lab.check", show=False),
        Binding("f6", "shell", "Shell", id="lab.shell"),
        Binding("ctrl+y", "use_command", "Take cmd", id="lab.use_command"),
        Binding("ctrl+l", "clear_log", "Clear output", id="lab.clear_log", show=False),
        Binding("ctrl+r", "reset", "Reset the lab", id="lab.reset", show=False),
    ]

    def __init__(self, lab_id: str) -> None:
        super().__init__()
        self.lab_id = lab_id
        self.session: LabSession | None = None
        self.step: Step | None = None
        self.done: dict[str, bool] = {}  # step id -> done with help
        self.changed: set[str] = set()  # done, but the step's content changed since
        self.assisted_now: set[str] = set()
        self.hints_shown = 0
        self.solution_shown = False
        self.command_index = -1
        self.last_output: str | None = None
        self.last_result: Result | None = None
        self.diagnoses: list[str] = []
        self.plan: WatchPlan | None = None
        self.running: str | None = None
        self.checks_run = 0
        self.completed_shown_at: dict[str, float] = {}
        self._checking = False
        self._pending: tuple[bool, bool] | None = None
        self._poll: Timer | None = None
        self._follow_ups: list[Timer] = []
        self._stop = threading.Event()

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="lab-top"):
            yield Static(f"Lab: {self.lab_id}", id="lab-title")
            yield Static("", id="watching")
        with Horizontal(id="lab-body"):
            yield StepList(id="steps")
            with Vertical(id="lab-main"):
                with VerticalScroll(id="instructions-scroll"):
                    yield Markdown("Opening the lab…", id="instructions")
                with VerticalScroll(id="feedback"):
                    yield CheckPanel(id="check")
                    yield HintPanel(id="hints")
        yield Log(id="output", max_lines=2000)
        with Horizontal(id="command-row"):
            yield Static("$", id="command-prompt")
            yield CommandBar(id="command")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(CommandBar).focus()
        self.query_one(CheckPanel).show(None)
        self.query_one(HintPanel).show([], 0, None)
        self.open_lab()

    def on_unmount(self) -> None:
        self._stop.set()

    @property
    def progress(self) -> ProgressStore | None:
        return self.lab_app.progress

    def write_line(self, line: str) -> None:
        self.query_one(Log).write_line(line)

    # -- opening -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="lab-open",
          name="opening the lab")
    def open_lab(self) -> None:
        from dockerlab.model.problems import ContentError
        from dockerlab.runner.catalog import applicable_overrides
        from dockerlab.runner.session import LabSession
        from dockerlab.runner.trust import UntrustedContent

        app = self.lab_app
        loaded = app.course.labs.get(self.lab_id) if app.course is not None else None
        if loaded is None:
            self.post_message(LabUnavailable(f"There is no lab '{self.lab_id}' here yet."))
            return
        caps = app.capabilities()
        overrides = applicable_overrides(loaded.path, app.options.overrides)
        if overrides:
            from dockerlab.model.loader import load_lab

            try:
                loaded = load_lab(loaded.path, overrides, caps)
            except ContentError as err:
                self.post_message(LabUnavailable(str(err)))
                return
        session = LabSession(loaded, engine=app.engine, capabilities=caps,
                             progress=app.progress)
        missing = session.missing_requirements()
        problem = None
        live = app.options.check_steps
        if live and not missing and not session.started:
            self.post_message(OutputLine("Setting the lab up …"))
            try:
                outcomes = session.start(on_output=self._post_output)
            except UntrustedContent as exc:
                outcomes = []
                problem = str(exc)
            except Exception as exc:  # noqa: BLE001 - shown to the learner, the lab stays usable
                outcomes = []
                problem = f"Setting the lab up failed: {exc}"
            bad = next((o for o in outcomes if not o.ok), None)
            if bad is not None:
                problem = f"The lab's setup command failed: {bad.command}"
        self.post_message(LabReady(session, missing, problem))

    def _post_output(self, line: str) -> None:
        self.post_message(OutputLine(line))

    @on(OutputLine)
    def _output(self, message: OutputLine) -> None:
        self.write_line(message.line)

    @on(LabUnavailable)
    def _unavailable(self, message: LabUnavailable) -> None:
        self.query_one(Markdown).update(f"## This lab cannot open\n\n{message.why}")

    @on(LabReady)
    def _ready(self, message: LabReady) -> None:
        self.session = message.session
        lab = message.session.lab
        self.query_one("#lab-title", Static).update(f"Lab: {lab.title}")
        if message.missing:
            lacks = ", ".join(message.missing)
            self.write_line(f"! This lab needs what this machine lacks: {lacks} "
                            "(F9 checks the machine).")
        if message.problem:
            self.write_line(f"! {message.problem}")
        self.write_line(f"Ready. Commands you type below run in {message.session.workspace}")
        self.reload_progress()
        self.watch_files()

    def reload_progress(self) -> None:
        """Read which steps are done from the learner's record and show the first one not done."""
        if self.session is None:
            return
        from dockerlab.progress.hashing import content_hash

        records = self.progress.completed_steps(self.lab_id) if self.progress else {}
        steps = {s.id: s for s in self.session.lab.steps}
        self.done = {sid: r.assisted for sid, r in records.items() if sid in steps}
        self.changed = {sid for sid, r in records.items()
                        if sid in steps and r.changed(content_hash(steps[sid]))}
        self.assisted_now.clear()
        self.show_step(self._first_not_done())
        self.request_check()

    def _first_not_done(self) -> Step | None:
        assert self.session is not None
        return next((s for s in self.session.lab.steps if s.id not in self.done), None)

    # -- showing a step ------------------------------------------------------------------------
    def show_step(self, step: Step | None, *, text_later: bool = False) -> None:
        """Make `step` the current one. With `text_later` the step list is redrawn at once and
        the instructions (Markdown: the slow part) right after, so a tick shows without delay."""
        assert self.session is not None
        self.step = step
        self.last_result = None
        self.diagnoses = []
        self.solution_shown = False
        self.command_index = -1
        self.hints_shown = 0
        lab = self.session.lab
        if step is not None and self.progress is not None:
            self.hints_shown = min(self.progress.hints_revealed(lab.id, step.id), len(step.hints))
        self.plan = plan_for(step.check, self.session.context()) if step is not None else None
        if step is not None:
            place = f"lab:{lab.id}/{step.id}"
            self.write_progress(lambda p: p.set_last_place(place))
        self._show_steps()
        self._restart_poll()
        if text_later:
            self.call_after_refresh(self._show_text, step)
        else:
            self._show_text(step)

    def _show_text(self, step: Step | None) -> None:
        """The current step's instructions and feedback (skipped when the step moved on)."""
        assert self.session is not None
        if step is not self.step:
            return
        lab = self.session.lab
        md = self.query_one(Markdown)
        if step is None:
            helped = sum(1 for assisted in self.done.values() if assisted)
            extra = f" ({plural(helped, 'step')} with help)" if helped else ""
            md.update(f"## ✓ Lab complete\n\nYou did all {len(lab.steps)} steps of "
                      f"*{lab.title}*{extra}.\n\nEscape goes back to the course map, where the "
                      "next thing to do is waiting. Ctrl+R resets this lab to do it again.")
        else:
            number = lab.steps.index(step) + 1
            goal = f"**Goal:** {step.goal}\n\n" if step.goal else ""
            md.update(f"## Step {number} of {len(lab.steps)}: {step.title}\n\n{goal}"
                      f"{step.instructions}")
        self.query_one("#instructions-scroll").scroll_home(animate=False)
        self._show_feedback()
        self.refresh_bindings()  # hint/solution keys are off once the lab is done

    def _show_steps(self) -> None:
        assert self.session is not None
        rows = []
        for number, s in enumerate(self.session.lab.steps, start=1):
            if s.id in self.done:
                mark = "changed" if s.id in self.changed else (
                    "helped" if self.done[s.id] else "done")
            elif self.step is not None and s.id == self.step.id:
                mark = "current"
            else:
                mark = "todo"
            rows.append(StepRow(number, s.title, mark))
        self.query_one(StepList).show(rows)

    def _show_feedback(self) -> None:
        watching = f"watching {self.plan.describe()}" if self.plan is not None else ""
        self.query_one("#watching", Static).update(watching)
        self.query_one(CheckPanel).show(self.last_result, self.diagnoses)
        step = self.step
        if step is None:
            self.query_one(HintPanel).show([], 0, None)
        else:
            solution = [c.run for c in step.solution] if self.solution_shown else None
            self.query_one(HintPanel).show(step.hints[: self.hints_shown], len(step.hints),
                                           solution)
        shown = self.last_result is not None or (step is not None and (
            self.hints_shown > 0 or self.solution_shown))
        self.query_one("#feedback").display = shown

    def _restart_poll(self) -> None:
        if self._poll is not None:
            self._poll.stop()
            self._poll = None
        if self.plan is not None and self.lab_app.options.check_steps:
            self._poll = self.set_interval(self.plan.poll_interval, self.request_check)

    # -- checking ------------------------------------------------------------------------------
    def request_check(self, record: bool = False, diagnose: bool = False) -> None:
        """Check the current step now (or right after the check that is running)."""
        if self.session is None or self.step is None or not self.lab_app.options.check_steps:
            return
        if self._checking:
            before = self._pending or (False, False)
            self._pending = (before[0] or record, before[1] or diagnose)
            return
        self._checking = True
        self.check_step(self.step, record, diagnose, self.last_output)

    @work(thread=True, exit_on_error=False, group="lab-check", name="checking the step")
    def check_step(self, step: Step, record: bool, diagnose: bool, output: str | None) -> None:
        session = self.session
        assert session is not None
        # one evaluation, not counted (peek); counted below when the
        # learner asked for it or it passed
        try:
            result = session.peek(step)
        except Exception as exc:  # noqa: BLE001 - a check that crashes must not stop checking
            result = Result.error(f"the check failed to run: {exc!r}")
        if result.passed:
            # shown first, written right after: the tick does not wait for two fsyncs
            self.post_message(CheckDone(step.id, result, True, [], diagnose))
            if session.progress is not None:
                session.progress.record_attempt(session.lab.id, step.id, "pass")
            session.complete(step, assisted=step.id in self.assisted_now)
            return
        if record and session.progress is not None:
            session.progress.record_attempt(session.lab.id, step.id, result.status.value)
        found: list[str] = []
        if diagnose and output:
            found = [d.explanation for d in session.diagnose(step, output)]
        self.post_message(CheckDone(step.id, result, False, found, diagnose))

    @on(CheckDone)
    def _checked(self, message: CheckDone) -> None:
        self._checking = False
        self.checks_run += 1
        step = self.step
        if step is not None and message.step_id == step.id:
            if message.completed:
                self._step_completed(step)
            else:
                self.last_result = message.result
                if message.diagnose:
                    self.diagnoses = message.diagnoses
                self._show_feedback()
        if self._pending is not None:
            record, diagnose = self._pending
            self._pending = None
            self.request_check(record, diagnose)

    def _step_completed(self, step: Step) -> None:
        assert self.session is not None
        assisted = step.id in self.assisted_now
        self.done[step.id] = assisted
        self.changed.discard(step.id)
        number = self.session.lab.steps.index(step) + 1
        how = " (with help)" if assisted else ""
        self.write_line(f"✓ Step {number} done{how}: {step.title}")
        nxt = self._first_not_done()
        self.call_after_refresh(self._stamp, step.id)  # queued first: the refresh with the tick
        self.show_step(nxt, text_later=True)
        if nxt is None:
            self.notify(f"Lab complete: {self.session.lab.title}", title="✓ Well done")
        else:
            self.request_check()

    def _stamp(self, step_id: str) -> None:
        self.completed_shown_at[step_id] = time.perf_counter()

    # -- what makes a check worth running -------------------------------------------------------
    @on(EngineActivity)
    def _engine_activity(self, message: EngineActivity) -> None:
        if self.plan is not None and self.plan.relevant(message.event):
            self.request_check()
            self._follow_up()

    @on(EngineStateChanged)
    def _engine_state(self, message: EngineStateChanged) -> None:
        if isinstance(message.state, EngineUp):
            self.request_check()

    @on(FilesChanged)
    def _files_changed(self) -> None:
        self.request_check()
        self._follow_up()

    def _follow_up(self) -> None:
        """State lags its event (a registry listens a moment after its container starts)."""
        for timer in self._follow_ups:
            timer.stop()
        self._follow_ups = [self.set_timer(delay, self.request_check) for delay in FOLLOW_UP]

    @work(thread=True, exit_on_error=False, group="lab-files", name="watching files")
    def watch_files(self) -> None:
        worker = get_current_worker()
        plan: WatchPlan | None = None
        before = None
        while not worker.is_cancelled and not self._stop.wait(FILE_POLL):
            current = self.plan
            if current is None or not current.files:
                plan, before = current, None
                continue
            now = current.signature()
            if current is plan and before is not None and changed_files(before, now):
                self.post_message(FilesChanged())
            plan, before = current, now

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

    @on(CommandDone)
    def _command_done(self, message: CommandDone) -> None:
        self.running = None
        outcome = message.outcome
        if outcome is not None:
            if outcome.timed_out:
                self.write_line(f"(stopped after {outcome.seconds:.0f} s: it took too long)")
            elif outcome.exit_code not in (0, None):
                self.write_line(f"(exit status {outcome.exit_code})")
            if outcome.exit_code and any(n in outcome.output for n in NEEDS_TERMINAL):
                self.write_line("This command wants a terminal: press F6 to open a shell in the "
                                "workspace and run it there.")
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
            self.notify(f"Command {self.command_index + 1} of {len(commands)} from the "
                        "instructions (Ctrl+Y: the next one). Enter runs it.", timeout=3)

    def action_clear_log(self) -> None:
        self.query_one(Log).clear()

    # -- help: hints and solutions -----------------------------------------------------------------
    def action_hint(self) -> None:
        step = self.step
        if step is None:
            return
        if not step.hints:
            self.notify("This step has no hints. F3 shows the solution.")
            return
        if self.hints_shown >= len(step.hints):
            self.notify("That was the last hint. F3 shows the solution.")
            return
        index = self.hints_shown
        self.hints_shown += 1
        self._show_feedback()
        lab_id, step_id = self.lab_id, step.id
        self.write_progress(lambda p: p.record_hint(lab_id, step_id, index))
        self.query_one("#feedback").scroll_end(animate=False)

    def action_show_solution(self) -> None:
        if self.step is None:
            return
        self.solution_shown = not self.solution_shown
        self._show_feedback()
        self.query_one("#feedback").scroll_end(animate=False)

    def action_run_solution(self) -> None:
        step = self.step
        if step is None or self.session is None:
            return
        if self.running is not None:
            self.notify(f"Still running: {self.running}", severity="warning")
            return
        self.assisted_now.add(step.id)
        self.running = "the solution"
        self.write_line(f"Running the solution of '{step.title}' (the step counts as done with "
                        "help) …")
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

    def action_check(self) -> None:
        if self.step is None:
            self.notify("Every step of this lab is done.")
            return
        self.request_check(record=True, diagnose=True)

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
                print(f"\ndockerlab: a shell in the lab workspace {workspace}.\n"
                      "Type `exit` (or Ctrl+D) to go back to the lab; it checks your work then.\n",
                      flush=True)
                subprocess.run([shell], cwd=workspace, env=env, check=False)
        except SuspendNotSupported:
            self.notify(f"This terminal cannot hand over to a shell. Open another terminal in "
                        f"{workspace}: the step ticks off by itself.", severity="warning")
            return
        self.write_line("Back from the shell: checking your work …")
        self.request_check(record=True)

    # -- back, reset -----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reset(self) -> None:
        if self.session is None:
            return
        c = self.session.lab.cleanup
        owned = [*c.containers, *c.services, *c.images, *c.volumes, *c.networks, *c.paths,
                 *c.host_paths, *(f"login {r}" for r in c.logins)]
        detail = ("It removes what this lab created — " + ", ".join(owned) + " — and forgets "
                  "your progress in it. Nothing else is touched.") if owned else (
                  "It forgets your progress in this lab.")
        self.app.push_screen(ConfirmScreen(f"Reset the lab '{self.session.lab.title}'?",
                                                  detail), self._reset_answer)

    def _reset_answer(self, yes: bool | None) -> None:
        if yes:
            self.write_line("Resetting the lab …")
            self.reset_lab()

    @work(thread=True, exclusive=True, exit_on_error=False, group="lab-open",
          name="resetting the lab")
    def reset_lab(self) -> None:
        from dockerlab.runner.trust import UntrustedContent

        session = self.session
        assert session is not None
        try:
            report = session.cleanup()
        except UntrustedContent as exc:
            self.post_message(OutputLine(f"! {exc}"))
            return
        for line in report.removed:
            self.post_message(OutputLine(f"removed {line}"))
        for line in report.errors:
            self.post_message(OutputLine(f"! {line}"))
        if session.progress is not None:
            session.progress.reset(session.lab.id)
        outcomes = session.start(on_output=self._post_output)
        bad = next((o for o in outcomes if not o.ok), None)
        if bad is not None:
            self.post_message(OutputLine(f"! The lab's setup command failed: {bad.command}"))
        self.post_message(LabReset())

    @on(LabReset)
    def _was_reset(self) -> None:
        self.write_line("The lab is as new.")
        self.reload_progress()

    # -- the learner's record, written off the UI thread ---------------------------------------
    def write_progress(self, write: Callable[[ProgressStore], None]) -> None:
        if self.progress is not None:
            self._write_progress(write)

    @work(thread=True, exit_on_error=False, group="progress", name="saving progress")
    def _write_progress(self, write: Callable[[ProgressStore], None]) -> None:
        assert self.progress is not None
        write(self.progress)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("hint", "show_solution", "run_solution", "use_command") and (
                self.step is None):
            return None
        return True

