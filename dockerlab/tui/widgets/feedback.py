"""Below the instructions: what the last check found (with any diagnosis), the hints revealed
so far, and the solution when asked for."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from dockerlab.checks.result import Result, Status
from dockerlab.model.safetext import safe_text

WORDS = {Status.PASS: "done", Status.FAIL: "not yet", Status.ERROR: "could not check"}


class CheckPanel(Static):
    """The latest check of the current step: symbol, word, observed-vs-expected, diagnoses."""

    DEFAULT_CSS = """
    CheckPanel { height: auto; padding: 0 1; }
    CheckPanel.-empty { display: none; }
    """

    def show(self, result: Result | None, diagnoses: Sequence[str] = (), note: str = "") -> None:
        self.set_class(result is None and not note, "-empty")
        text = Text()
        if note:
            text.append(note + "\n", style="italic")
        if result is not None:
            text.append(f"{result.status.symbol} {WORDS[result.status]}: ", style="bold")
            text.append(safe_text(result.message))
            # an all/any check says what its first failing part said: do not repeat that
            for extra in result.lines()[1:]:
                if extra.strip()[2:] != result.message:
                    text.append("\n  " + extra)
        for explanation in diagnoses:
            text.append("\nWhy: ", style="bold")
            text.append(safe_text(explanation.strip()))
        self.update(text)


class HintPanel(Static):
    """Hints revealed one at a time, and the reference solution when shown."""

    DEFAULT_CSS = """
    HintPanel { height: auto; padding: 0 1; }
    HintPanel.-empty { display: none; }
    """

    def show(self, hints: Sequence[str], total: int, solution: Sequence[str] | None) -> None:
        self.set_class(not hints and solution is None, "-empty")
        text = Text()
        for i, hint in enumerate(hints, start=1):
            if i > 1:
                text.append("\n")
            text.append(f"Hint {i} of {total}: ", style="bold")
            text.append(safe_text(hint.strip()))
        if solution is not None:
            if hints:
                text.append("\n")
            text.append(
                "Solution (F4 runs it for you; the step then counts as done with help):",
                style="bold",
            )
            for command in solution:
                text.append(f"\n  $ {safe_text(command)}")
        self.update(text)
