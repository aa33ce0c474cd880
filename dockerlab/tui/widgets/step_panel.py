"""The lab screen's current step: its instructions, and below them what the last check found
(with any diagnosis), the hints revealed so far and the solution when asked for.

The screen hands the step down (`show`, `show_verdict`); the panel keeps which hints are shown
and whether the solution is, and says so up with `HintRevealed` (the screen records it)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Markdown

from dockerlab.checks.result import Result
from dockerlab.model.lab import Step
from dockerlab.model.safetext import safe_text
from dockerlab.tui.widgets.feedback import CheckPanel, HintPanel


class StepPanel(Vertical):
    """`step` is the step shown (None: the lab is complete, or not open yet)."""

    class HintRevealed(Message):
        """The learner revealed hint number `index` (0-based) of step `step_id`."""

        def __init__(self, step_id: str, index: int) -> None:
            super().__init__()
            self.step_id = step_id
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.step: Step | None = None
        self.hints_shown = 0
        self.solution_shown = False
        self.result: Result | None = None
        self.diagnoses: list[str] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="instructions-scroll"):
            yield Markdown("Opening the lab…", id="instructions")
        with VerticalScroll(id="feedback"):
            yield CheckPanel(id="check")
            yield HintPanel(id="hints")

    def on_mount(self) -> None:
        self.query_one(CheckPanel).show(None)
        self.query_one(HintPanel).show([], 0, None)

    def say(self, markdown: str) -> None:
        """Instead of a step's instructions (the lab cannot open)."""
        self.query_one(Markdown).update(markdown)

    def show(self, step: Step | None, markdown: str, hints_shown: int, *, later: bool) -> None:
        """Make `step` the one shown, its `markdown` (made safe here) in place of the
        instructions, with no verdict yet and `hints_shown` hints. With `later` the text (the
        slow part) is drawn right after the next refresh, unless the step moved on by then."""
        self.step = step
        self.result = None
        self.diagnoses = []
        self.solution_shown = False
        self.hints_shown = hints_shown
        if later:
            self.call_after_refresh(self._show_text, step, markdown)
        else:
            self._show_text(step, markdown)

    def redraw(self, markdown: str) -> None:
        """The current step's instructions drawn again as `markdown` (they read differently
        now: challenge mode on or off); its verdict, hints and solution stay."""
        self._show_text(self.step, markdown)

    def _show_text(self, step: Step | None, markdown: str) -> None:
        if step is not self.step:
            return
        self.query_one(Markdown).update(safe_text(markdown))
        self.query_one("#instructions-scroll").scroll_home(animate=False)
        self._show_feedback()

    def show_verdict(self, result: Result, diagnoses: Sequence[str] | None) -> None:
        """What the latest check found; `diagnoses` None keeps the ones shown."""
        self.result = result
        if diagnoses is not None:
            self.diagnoses = list(diagnoses)
        self._show_feedback()

    def reveal_hint(self) -> None:
        """The next hint (a notice when there is none)."""
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
        self.post_message(self.HintRevealed(step.id, index))
        self.query_one("#feedback").scroll_end(animate=False)

    def toggle_solution(self) -> None:
        if self.step is None:
            return
        self.solution_shown = not self.solution_shown
        self._show_feedback()
        self.query_one("#feedback").scroll_end(animate=False)

    def _show_feedback(self) -> None:
        step = self.step
        self.query_one(CheckPanel).show(self.result, self.diagnoses)
        if step is None:
            self.query_one(HintPanel).show([], 0, None)
        else:
            solution = [c.run for c in step.solution] if self.solution_shown else None
            self.query_one(HintPanel).show(
                step.hints[: self.hints_shown], len(step.hints), solution
            )
        shown = self.result is not None or (
            step is not None and (self.hints_shown > 0 or self.solution_shown)
        )
        self.query_one("#feedback").display = shown
