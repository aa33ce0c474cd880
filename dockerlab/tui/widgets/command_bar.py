"""The command bar: a shell prompt in the lab workspace, with history on up/down."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class CommandBar(Input):
    """An Input that remembers what was submitted; up/down walk back and forth through it."""

    BINDINGS = [
        Binding(
            "up",
            "history_previous",
            "Previous command",
            show=False,
            id="command_bar.history_previous",
        ),
        Binding("down", "history_next", "Next command", show=False, id="command_bar.history_next"),
    ]

    DEFAULT_CSS = """
    CommandBar { border: none; height: 1; padding: 0 1; width: 1fr; }
    CommandBar:focus { border: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder="type a command and press Enter (Ctrl+Y: take one from the instructions)",
            id=id,
        )
        self.history: list[str] = []
        self._position: int | None = None  # None: editing a new line
        self._draft = ""

    def remember(self, command: str) -> None:
        if command and (not self.history or self.history[-1] != command):
            self.history.append(command)
        self._position = None
        self._draft = ""

    def put(self, command: str) -> None:
        """Replace the line with `command`, cursor at the end."""
        self.value = command
        self.cursor_position = len(command)

    def action_history_previous(self) -> None:
        if not self.history:
            return
        if self._position is None:
            self._draft = self.value
            self._position = len(self.history) - 1
        elif self._position > 0:
            self._position -= 1
        self.put(self.history[self._position])

    def action_history_next(self) -> None:
        if self._position is None:
            return
        if self._position < len(self.history) - 1:
            self._position += 1
            self.put(self.history[self._position])
        else:
            self._position = None
            self.put(self._draft)
