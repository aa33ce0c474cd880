"""Help: every key of every screen (as remapped by the keymap), and where to change them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from dockerlab.tui.screens.base import BaseScreen
from dockerlab.tui.widgets.status_line import StatusLine

WHERE = {
    "DockerLabApp": "Everywhere",
    "HomeScreen": "Course map",
    "FirstRunScreen": "Welcome / machine check",
    "LabScreen": "Lab",
    "CommandBar": "Lab command bar",
    "TheoryScreen": "Theory",
    "QuizScreen": "Quiz",
    "ChoiceList": "Quiz options",
    "ConfirmScreen": "Questions (reset ...)",
    "HelpScreen": "Help",
}

INTRO = (
    "Everything works from the keyboard. Every action below is also in the command palette "
    "(Ctrl+P): type a few letters of what you want. In a lab, type shell commands in the "
    "command bar at the bottom; they run in the lab's workspace, and each step ticks off by "
    "itself as soon as the engine shows it is done — also when you work in another terminal."
)


def keys_table(
    classes: Iterable[Any], keymap: dict[str, str], display: Callable[[Binding], str]
) -> Group:
    """Every binding with an id of these classes, grouped by where it works, with the keys the
    keymap gives it."""
    parts: list[Text | Table] = []
    for cls in classes:
        rows = [b for b in cls.BINDINGS if isinstance(b, Binding) and b.id]
        if not rows:
            continue
        parts.append(Text(WHERE.get(cls.__name__, cls.__name__), style="bold underline"))
        table = Table(box=None, show_header=False, expand=True, pad_edge=False)
        table.add_column("Key", no_wrap=True, width=10)
        table.add_column("What it does", ratio=1)
        table.add_column("Id (for keymap.toml)", style="dim", no_wrap=True, width=28)
        for binding in rows:
            keys = keymap.get(binding.id or "", binding.key)
            shown = ", ".join(display(Binding(k.strip(), binding.action)) for k in keys.split(","))
            table.add_row(f"  {shown}", binding.description or binding.action, binding.id)
        parts.append(table)
    return Group(*parts)


class HelpScreen(BaseScreen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="help.back"),
    ]

    def __init__(self, binding_classes: list[Any]) -> None:
        super().__init__()
        self.binding_classes = binding_classes  # the app's and every screen's (app.py)

    def compose(self) -> ComposeResult:
        from dockerlab.tui.keymap import keymap_path

        yield Static("Help — every key", id="help-title")
        with VerticalScroll(id="help-body"):
            yield Static(INTRO, id="help-intro")
            keys = keys_table(self.binding_classes, self.lab_app.keymap, self.app.get_key_display)
            yield Static(keys, id="keys")
            yield Static(
                Text.assemble(
                    ("\nChange a key: ", "bold"),
                    f"put its id and the new key in {keymap_path()}, for example\n",
                    ('    "lab.hint" = "ctrl+g"\n', "bold"),
                    "and start dockerlab again. Ctrl+T switches between the light and dark theme; "
                    "NO_COLOR=1 turns colour off (every state is also written in words). Below "
                    "80×24 the app says so instead of drawing; `dockerlab --plain` lists the "
                    "commands for a plain terminal.",
                ),
                id="help-keymap",
            )
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_back(self) -> None:
        self.app.pop_screen()
