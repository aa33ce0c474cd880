"""Shown instead of a broken layout when the terminal is smaller than the app needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallScreen(Screen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen Static { width: 1fr; height: auto; padding: 0 1; text-align: center; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self._say()

    def on_resize(self) -> None:
        self._say()

    def _say(self) -> None:
        w, h = self.app.size
        self.query_one(Static).update(
            f"dockerlab needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; "
            f"this one is {w}×{h}.\nMake the window larger (or the font smaller). "
            "Ctrl+Q quits. `dockerlab --plain` lists the commands that work anywhere."
        )
