"""The lab's steps: done, done with help, current, to do — each a symbol AND a word."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

MARKS: dict[str, tuple[str, str]] = {
    "done": ("✓", "done"),
    "helped": ("✓", "helped"),
    "changed": ("~", "edited"),
    "current": ("▶", "now"),
    "todo": ("·", "to do"),
}


@dataclass(frozen=True)
class StepRow:
    number: int
    title: str
    mark: str  # a key of MARKS


class StepList(Static):
    """Shows rows handed to it (`show`); it knows nothing of labs or progress."""

    DEFAULT_CSS = """
    StepList { width: 32; height: 1fr; padding: 0 1; border-right: vkey $foreground 30%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.rows: tuple[StepRow, ...] = ()

    def show(self, rows: Sequence[StepRow]) -> None:
        self.rows = tuple(rows)
        self.update(self.render_rows())

    def render_rows(self) -> Text:
        text = Text("Steps\n", style="bold")
        for row in self.rows:
            symbol, word = MARKS[row.mark]
            style = (
                "bold reverse" if row.mark == "current" else ("dim" if row.mark == "todo" else "")
            )
            line = Text(
                f"{symbol} {word:<6} {row.title}", style=style, no_wrap=True, overflow="ellipsis"
            )
            line.truncate(
                max(self.size.width - 2, 20) if self.size.width else 26, overflow="ellipsis"
            )
            text.append_text(line)
            text.append("\n")
        return text

    def on_resize(self) -> None:
        if self.rows:
            self.update(self.render_rows())
