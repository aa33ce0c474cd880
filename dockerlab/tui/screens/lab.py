"""The lab screen: steps, the current step's instructions, a command bar that runs in the lab
workspace, hints, the solution, and live verification.

The screen is made of parts, one module each: `lab_lifecycle` opens and resets the lab,
`lab_commands` runs the learner's commands (the command bar, the output log, the solution, a
shell), `lab_verify` checks the current step live. This module lays the screen out and shows the
steps, the instructions, hints and the solution.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Log, Markdown, Static

from dockerlab.model.safetext import safe_text
from dockerlab.progress.records import Mode
from dockerlab.runner.watch import plan_for
from dockerlab.tui.screens.lab_commands import LabCommands
from dockerlab.tui.screens.lab_lifecycle import LabLifecycle
from dockerlab.tui.screens.lab_verify import LiveVerification
from dockerlab.tui.text import plural
from dockerlab.tui.widgets.command_bar import CommandBar
from dockerlab.tui.widgets.feedback import CheckPanel, HintPanel
from dockerlab.tui.widgets.status_line import StatusLine
from dockerlab.tui.widgets.step_list import StepList, StepRow

if TYPE_CHECKING:
    from dockerlab.checks.result import Result
    from dockerlab.model.lab import Step
    from dockerlab.progress.store import ProgressStore
    from dockerlab.runner.session import LabSession


CHALLENGE_LINE = "Challenge mode: work out the commands; F2 for a hint, F7 to show them."


class LabScreen(LabLifecycle, LabCommands, LiveVerification):
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
        self.step: Step | None = None
        self.done: dict[str, bool] = {}  # step id -> done with help
        self.changed: set[str] = set()  # done, but the step's content changed since
        self.assisted_now: set[str] = set()
        self.hints_shown = 0
        self.solution_shown = False
        self.last_result: Result | None = None
        self.diagnoses: list[str] = []
        self.completed_shown_at: dict[str, float] = {}

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

    @property
    def progress(self) -> ProgressStore | None:
        return self.lab_app.progress

    # -- the learner's progress through the steps ----------------------------------------------
    def reload_progress(self) -> None:
        """Read which steps are done from the learner's record and show the first one not done."""
        if self.session is None:
            return
        from dockerlab.progress.hashing import content_hash

        records = self.progress.completed_steps(self.lab_id) if self.progress else {}
        steps = {s.id: s for s in self.session.lab.steps}
        self.done = {sid: r.assisted for sid, r in records.items() if sid in steps}
        self.changed = {
            sid
            for sid, r in records.items()
            if sid in steps and r.changed(content_hash(steps[sid]))
        }
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
            md.update(
                safe_text(
                    f"## ✓ Lab complete\n\nYou did all {len(lab.steps)} steps of "
                    f"*{lab.title}*{extra}.\n\nEscape goes back to the course map, where the "
                    "next thing to do is waiting. Ctrl+R resets this lab to do it again."
                )
            )
        else:
            number = lab.steps.index(step) + 1
            goal = f"**Goal:** {step.goal}\n\n" if step.goal else ""
            if self.session.mode is Mode.CHALLENGE:
                goal += f"*{CHALLENGE_LINE}*\n\n"
            # with values earlier steps captured; in challenge mode without command blocks
            text = self.session.instructions(step)
            md.update(
                safe_text(f"## Step {number} of {len(lab.steps)}: {step.title}\n\n{goal}{text}")
            )
        self.query_one("#instructions-scroll").scroll_home(animate=False)
        self._show_feedback()
        self.refresh_bindings()  # hint/solution keys are off once the lab is done

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

    def _show_feedback(self) -> None:
        watching = f"watching {self.plan.describe()}" if self.plan is not None else ""
        self.query_one("#watching", Static).update(Text(safe_text(watching)))
        self.query_one(CheckPanel).show(self.last_result, self.diagnoses)
        step = self.step
        if step is None:
            self.query_one(HintPanel).show([], 0, None)
        else:
            solution = [c.run for c in step.solution] if self.solution_shown else None
            self.query_one(HintPanel).show(
                step.hints[: self.hints_shown], len(step.hints), solution
            )
        shown = self.last_result is not None or (
            step is not None and (self.hints_shown > 0 or self.solution_shown)
        )
        self.query_one("#feedback").display = shown

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
            title = safe_text(self.session.lab.title)
            self.notify(f"Lab complete: {title}", title="✓ Well done", markup=False)
        else:
            self.request_check()

    def _stamp(self, step_id: str) -> None:
        self.completed_shown_at[step_id] = time.perf_counter()

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

    # -- challenge mode: the instructions without their commands ---------------------------------
    def action_toggle_challenge(self) -> None:
        """Switch the open lab between guided and challenge mode and keep the choice for it."""
        session = self.session
        if session is None:
            return
        mode = Mode.GUIDED if session.mode is Mode.CHALLENGE else Mode.CHALLENGE
        session.mode = mode  # steps done from now on are recorded in this mode
        lab_id = session.lab.id
        self.write_progress(lambda p: p.set_lab_mode(lab_id, mode))
        self._show_text(self.step)
        if mode is Mode.CHALLENGE:
            self.notify("Challenge mode: the commands are hidden. F2 hints, F3 the solution.")
        else:
            self.notify("Guided mode: the instructions show their commands again.")

    def action_use_command(self) -> None:
        if self.session is not None and self.session.mode is Mode.CHALLENGE:
            self.notify("Challenge mode: no command to take. F2 gives a hint; F7 shows them.")
            return
        super().action_use_command()

    # -- back ----------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

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
            self.step is None
        ):
            return None
        return True
