"""The engine status line at the bottom of every screen: version, swarm, images — or why the
engine cannot be reached and that the app keeps trying."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from dockerlab.runner.machine import EngineState


def describe(state: EngineState | None) -> Text:
    """One line, symbols with words: never colour alone."""
    if state is None:  # the first frame: nothing imported that it does not need
        return Text("… Docker engine: asking", style="dim")
    from dockerlab.runner.machine import EngineDown

    if isinstance(state, EngineDown):
        text = Text("✗ Docker engine unreachable: ", style="bold")
        text.append(state.reason, style="")
        text.append(f" — retrying in {state.retry_in:g} s", style="dim")
        return text
    text = Text("✓ Docker ", style="")
    text.append(state.version, style="bold")
    text.append(f" · swarm {state.swarm} · images: {state.images.describe()}")
    if state.images.standin and not state.images.real:
        text.append(" (offline)", style="dim")
    if state.images.missing:
        text.append(" — F9 prepares them", style="bold")
    if state.remote:
        text.append(f" · remote engine {state.remote}: ", style="bold")
        text.append("its 127.0.0.1 ports, bind mounts and certs.d cannot be checked from here")
    return text


class StatusLine(Static):
    """Follows the app's `engine_state`; it never asks the engine itself."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "engine_state", self._show, init=True)

    def _show(self, state: EngineState | None) -> None:
        self.update(describe(state))
