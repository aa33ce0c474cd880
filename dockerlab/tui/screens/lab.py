"""The lab screen: steps, the current step's instructions, a command bar that runs in the lab
workspace, hints, the solution, and live checking.

The screen is made of widgets that own their state: `StepList` (the steps), `StepPanel` (the
current step's instructions, verdict, hints and solution), the output `Log` and `CommandRow`
(the command bar, the solution and a shell). The screen hands them what to show and hears
from them by messages. The runner does the work: `open_lab`/`reset_lab` open and reset the
lab, a `StepWatcher` checks the current step live (each check a `LabSession.attempt`) and
tells the screen, by a `Checked` message, what it found.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Log, Static

from dockerlab.model.safetext import safe_text
from dockerlab.runner.learner import save_hint, save_place
from dockerlab.tui.messages import EngineActivity, EngineStateChanged
from dockerlab.tui.screens.base import BaseScreen
from dockerlab.tui.screens.confirm import ConfirmScreen
from dockerlab.tui.text import plural
from dockerlab.tui.widgets.command_bar import CommandBar
from dockerlab.tui.widgets.command_row import CommandRow
from dockerlab.tui.widgets.status_line import StatusLine
from dockerlab.tui.widgets.step_list import StepList, StepRow
from dockerlab.tui.widgets.step_panel import StepPanel

if TYPE_CHECKING:
    from dockerlab.model.lab import Step
    from dockerlab.runner.attempt import Attempt
    from dockerlab.runner.learner import ProgressStore
    from dockerlab.runner.opening import OpenedLab
    from dockerlab.runner.session import LabSession
    from dockerlab.runner.watcher import StepWatcher


class LabReady(Message, bubble=False):
    def __init__(self, opened: OpenedLab) -> None:
        super().__init__()
        self.opened = opened


class LabUnavailable(Message, bubble=False):
    def __init__(self, why: str) -> None:
        super().__init__()
        self.why = why


class LabReset(Message, bubble=False):
    pass


class Checked(Message, bubble=False):
    """The watcher checked a step (maybe no longer the current one)."""

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt


class CheckFailed(Message, bubble=False):
    """A check's verdict came, but the learner's record could not be written."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


CHALLENGE_LINE = "Challenge mode: work out the commands; F2 for a hint, F7 to show them."


class LabScreen(BaseScreen):
    """One lab. `done` (step id → done with help), `changed` (done, but the step's content
    changed since); `completed_shown_at` (step id → perf_counter) is when a step was drawn done."""

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
        Binding(
            "f7",
            "toggle_challenge",
            "Challenge mode on/off",
            id="lab.toggle_challenge",
            show=False,
            tooltip="F7: hide the commands in the instructions (challenge mode) or show them",
        ),
    ]

    def __init__(self, lab_id: str) -> None:
        super().__init__()
        self.lab_id = lab_id
        self.session: LabSession | None = None
        self.watcher: StepWatcher | None = None
        self.step: Step | None = None
        self.done: dict[str, bool] = {}
        self.changed: set[str] = set()
        self.completed_shown_at: dict[str, float] = {}

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="lab-top"):
            yield Static(f"Lab: {self.lab_id}", id="lab-title")
            yield Static("", id="watching")
        with Horizontal(id="lab-body"):
            yield StepList(id="steps")
            yield StepPanel(id="lab-main")
        yield Log(id="output", max_lines=2000)
        yield CommandRow(id="command-row")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(CommandBar).focus()
        self.open_lab()

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    @property
    def progress(self) -> ProgressStore | None:
        return self.lab_app.progress

    @property
    def running(self) -> str | None:
        """The command that runs (None: none)."""
        return self.query_one(CommandRow).running

    def write_line(self, line: str) -> None:
        self.query_one(Log).write_line(line)

    @on(CommandRow.Output)
    def _output(self, message: CommandRow.Output) -> None:
        self.write_line(message.line)

    # -- opening and resetting -------------------------------------------------------------------
    @work(
        thread=True, exclusive=True, exit_on_error=False, group="lab-open", name="opening the lab"
    )
    def open_lab(self) -> None:
        from dockerlab.model.problems import ContentError
        from dockerlab.runner.opening import open_lab

        app = self.lab_app
        loaded = app.course.labs.get(self.lab_id) if app.course is not None else None
        if loaded is None:
            self.post_message(LabUnavailable(f"There is no lab '{self.lab_id}' here yet."))
            return
        try:
            opened = open_lab(
                loaded,
                engine=app.engine,
                capabilities=app.capabilities(),
                progress=app.progress,
                overrides=app.options.overrides,
                set_up=app.options.check_steps,
                challenge=self._challenge_on_open(),
                on_output=self._post_output,
            )
        except ContentError as err:
            self.post_message(LabUnavailable(str(err)))
            return
        self.post_message(LabReady(opened))

    def _post_output(self, line: str) -> None:
        self.post_message(CommandRow.Output(line))

    @on(LabUnavailable)
    def _unavailable(self, message: LabUnavailable) -> None:
        self.query_one(StepPanel).say(f"## This lab cannot open\n\n{message.why}")

    @on(LabReady)
    def _ready(self, message: LabReady) -> None:
        from dockerlab.runner.watcher import StepWatcher

        session = message.opened.session
        self.session = session
        self.watcher = StepWatcher(
            session,
            on_attempt=self._post_checked,
            on_failure=self._post_check_failed,
            live=self.lab_app.options.check_steps,
        )
        self.query_one(CommandRow).session = session
        self.query_one("#lab-title", Static).update(f"Lab: {session.lab.title}")
        if message.opened.missing:
            lacks = ", ".join(message.opened.missing)
            self.write_line(
                f"! This lab needs what this machine lacks: {lacks} (F9 checks the machine)."
            )
        if message.opened.problem:
            self.write_line(f"! {message.opened.problem}")
        self.write_line(f"Ready. Commands you type below run in {session.workspace}")
        self.reload_progress()

    def action_reset(self) -> None:
        if self.session is None:
            return
        owned = self.session.lab.cleanup.described()
        detail = (
            (
                "It removes what this lab created — " + ", ".join(owned) + " — and forgets "
                "your progress in it. Nothing else is touched."
            )
            if owned
            else ("It forgets your progress in this lab.")
        )
        self.app.push_screen(
            ConfirmScreen(f"Reset the lab '{self.session.lab.title}'?", detail), self._reset_answer
        )

    def _reset_answer(self, yes: bool | None) -> None:
        if yes:
            self.write_line("Resetting the lab …")
            if self.watcher is not None:
                self.watcher.follow(None)  # no check of the old state lands after the reset
            self.reset_lab()

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="lab-open", name="resetting the lab"
    )
    def reset_lab(self) -> None:
        from dockerlab.runner.opening import reset_lab

        assert self.session is not None
        if self.watcher is not None:
            self.watcher.settle(10)  # a check already running ends before anything is removed
        if reset_lab(self.session, self._post_output):
            self.post_message(LabReset())

    @on(LabReset)
    def _was_reset(self) -> None:
        self.write_line("The lab is as new.")
        self.reload_progress()

    # -- the learner's progress through the steps ----------------------------------------------
    def reload_progress(self) -> None:
        """Read which steps are done from the learner's record and show the first one not done."""
        if self.session is None:
            return
        from dockerlab.runner.learner import read_lab_progress

        summary = read_lab_progress(self.progress, self.lab_id, self.session.lab)
        self.done = dict(summary.done)
        self.changed = set(summary.changed)
        self.show_step(self._first_not_done())
        self._request_check()

    def _first_not_done(self) -> Step | None:
        assert self.session is not None
        return next((s for s in self.session.lab.steps if s.id not in self.done), None)

    def show_step(self, step: Step | None, *, text_later: bool = False) -> None:
        """Make `step` the current one. With `text_later` the step list is redrawn at once and
        the instructions (Markdown: the slow part) right after, so a tick shows without delay."""
        assert self.session is not None
        assert self.watcher is not None
        self.step = step
        lab = self.session.lab
        hints = 0
        if step is not None and self.progress is not None:
            hints = min(self.progress.hints_revealed(lab.id, step.id), len(step.hints))
        self.watcher.follow(step)
        if step is not None:
            place = f"lab:{lab.id}/{step.id}"
            self.write_progress(partial(save_place, place=place))
        self._show_steps()
        self.query_one(CommandRow).show_step(step)
        self.query_one(StepPanel).show(step, self._text_of(step), hints, later=text_later)
        plan = self.watcher.plan
        watching = f"watching {plan.describe()}" if plan is not None else ""
        self.query_one("#watching", Static).update(Text(safe_text(watching)))
        self.refresh_bindings()  # hint/solution keys are off once the lab is done

    def _text_of(self, step: Step | None) -> str:
        """The step's instructions (with the values earlier steps captured; in challenge mode
        without their commands), or the lab done."""
        from dockerlab.runner.learner import Mode

        assert self.session is not None
        lab = self.session.lab
        if step is None:
            helped = sum(1 for assisted in self.done.values() if assisted)
            extra = f" ({plural(helped, 'step')} with help)" if helped else ""
            return (
                f"## ✓ Lab complete\n\nYou did all {len(lab.steps)} steps of "
                f"*{lab.title}*{extra}.\n\nEscape goes back to the course map, where the "
                "next thing to do is waiting. Ctrl+R resets this lab to do it again."
            )
        number = lab.steps.index(step) + 1
        goal = f"**Goal:** {step.goal}\n\n" if step.goal else ""
        if self.session.mode is Mode.CHALLENGE:
            goal += f"*{CHALLENGE_LINE}*\n\n"
        # with values earlier steps captured; in challenge mode without command blocks
        text = self.session.instructions(step)
        return f"## Step {number} of {len(lab.steps)}: {step.title}\n\n{goal}{text}"

    def _show_steps(self) -> None:
        assert self.session is not None
        rows = []
        for number, s in enumerate(self.session.lab.steps, start=1):
            if s.id in self.done:
                mark = (
                    "changed" if s.id in self.changed else ("helped" if self.done[s.id] else "done")
                )
            elif self.step is not None and s.id == self.step.id:
                mark = "current"
            else:
                mark = "todo"
            rows.append(StepRow(number, safe_text(s.title), mark))
        self.query_one(StepList).show(rows)

    # -- checking: the watcher's verdicts ----------------------------------------------------------
    def _request_check(self, *, asked: bool = False, output: str | None = None) -> None:
        if self.watcher is not None:
            self.watcher.request(asked=asked, output=output)

    def _post_checked(self, attempt: Attempt) -> None:  # from the watcher's thread
        self.post_message(Checked(attempt))

    def _post_check_failed(self, error: Exception) -> None:  # from the watcher's thread
        self.post_message(CheckFailed(error))

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        attempt = message.attempt
        step = self.step
        if step is None or attempt.step.id != step.id:
            return  # the screen moved on
        if attempt.completed:
            self._step_completed(step, attempt.assisted)
            return
        diagnoses = attempt.diagnoses
        explanations = None if diagnoses is None else [d.explanation for d in diagnoses]
        self.query_one(StepPanel).show_verdict(attempt.verdict, explanations)

    @on(CheckFailed)
    def _check_failed(self, message: CheckFailed) -> None:
        self.notify(
            f"checking the step failed: {message.error}",
            title="Something went wrong",
            severity="error",
            timeout=10,
            markup=False,  # the error's own text, brackets and all
        )

    def _step_completed(self, step: Step, assisted: bool) -> None:
        assert self.session is not None
        self.done[step.id] = assisted
        self.changed.discard(step.id)
        number = self.session.lab.steps.index(step) + 1
        how = " (with help)" if assisted else ""
        self.write_line(f"✓ Step {number} done{how}: {step.title}")
        nxt = self._first_not_done()
        self.call_after_refresh(self._stamp, step.id)  # queued first: the refresh with the tick
        self.show_step(nxt, text_later=True)
        if nxt is None:
            title = safe_text(self.session.lab.title)
            self.notify(f"Lab complete: {title}", title="✓ Well done", markup=False)
        else:
            self._request_check()

    def _stamp(self, step_id: str) -> None:
        self.completed_shown_at[step_id] = time.perf_counter()

    @on(CommandRow.Done)
    def _command_done(self, message: CommandRow.Done) -> None:
        self._request_check(asked=True, output=message.output)

    @on(EngineActivity)
    def _engine_activity(self, message: EngineActivity) -> None:
        if self.watcher is not None:
            self.watcher.engine_event(message.event)

    @on(EngineStateChanged)
    def _engine_state(self, message: EngineStateChanged) -> None:
        if self.watcher is not None:
            self.watcher.engine_state(message.state)

    # -- keys ------------------------------------------------------------------------------------
    def action_check(self) -> None:
        if self.step is None:
            self.notify("Every step of this lab is done.")
            return
        self._request_check(asked=True, output=self.query_one(CommandRow).last_output)

    def action_hint(self) -> None:
        self.query_one(StepPanel).reveal_hint()

    @on(StepPanel.HintRevealed)
    def _hint_revealed(self, message: StepPanel.HintRevealed) -> None:
        lab_id, step_id, index = self.lab_id, message.step_id, message.index
        self.write_progress(partial(save_hint, lab_id=lab_id, step_id=step_id, index=index))

    def action_show_solution(self) -> None:
        panel = self.query_one(StepPanel)
        panel.toggle_solution()
        if panel.solution_shown and self.session is not None and self.step is not None:
            self.session.commands_shown(self.step)  # done now, the step counts as guided

    def action_run_solution(self) -> None:
        self.query_one(CommandRow).run_solution()

    def action_use_command(self) -> None:
        self.query_one(CommandRow).take_command()

    def action_shell(self) -> None:
        self.query_one(CommandRow).open_shell()

    def action_clear_log(self) -> None:
        self.query_one(Log).clear()

    # -- challenge mode: the instructions without their commands ---------------------------------
    def _challenge_on_open(self) -> bool:
        """`dockerlab --challenge` sets each lab to challenge mode the first time it is opened in
        this run; F7's choice stands after that."""
        options = self.lab_app.options
        if not options.challenge or self.lab_id in options.challenged:
            return False
        options.challenged.add(self.lab_id)
        return True

    def action_toggle_challenge(self) -> None:
        """Switch the open lab between guided and challenge mode and keep the choice for it."""
        from dockerlab.runner.learner import Mode, save_lab_mode

        session = self.session
        if session is None:
            return
        mode = Mode.GUIDED if session.mode is Mode.CHALLENGE else Mode.CHALLENGE
        session.mode = mode  # steps done from now on are recorded in this mode
        lab_id = session.lab.id
        # the mode as it is when the write runs: of two quick switches, the last write is right
        self.write_progress(lambda p: save_lab_mode(p, lab_id, session.mode))
        self.query_one(StepPanel).redraw(self._text_of(self.step))
        if mode is Mode.CHALLENGE:
            self.notify("Challenge mode: the commands are hidden. F2 hints, F3 the solution.")
        else:
            self.notify("Guided mode: the instructions show their commands again.")

    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("hint", "show_solution", "run_solution", "use_command") and (
            self.step is None
        ):
            return None
        return True

    # -- the learner's record, written off the UI thread ---------------------------------------
    def write_progress(self, write: Callable[[ProgressStore], None]) -> None:
        if self.progress is not None:
            self._write_progress(write)

    @work(thread=True, exit_on_error=False, group="progress", name="saving progress")
    def _write_progress(self, write: Callable[[ProgressStore], None]) -> None:
        assert self.progress is not None
        write(self.progress)
