"""Help: every key of every screen (as remapped by the keymap), and where to change them."""

from __future__ import annotations

from typing import ClassVar

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
    "HelpScreen": "Help",
}

INTRO = (
    "Everything works from the keyboard. Every action below is also in the command palette "
    "(Ctrl+P): type a few letters of what you want. In a lab, type shell commands in the "
    "command bar at the bottom; they run in the lab's workspace, and each step ticks off by "
    "itself as soon as the engine shows it is done — also when you work in another terminal."
)


def keys_table(keymap: dict[str, str], display: object) -> Table:
    from dockerlab.tui.commands import binding_classes

    table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
    table.add_column("Where", no_wrap=True)
    table.add_column("Key", no_wrap=True)
    table.add_column("What it does")
    table.add_column("Id (for keymap.toml)", style="dim", no_wrap=True)
    get_display = display  # App.get_key_display
    for cls in binding_classes():
        where = WHERE.get(cls.__name__, cls.__name__)
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding) or not binding.id:
                continue
            keys = keymap.get(binding.id, binding.key)
            shown = ", ".join(
                get_display(Binding(k.strip(), binding.action))  # type: ignore[operator]
                for k in keys.split(","))
            table.add_row(where, shown, binding.description or binding.action, binding.id)
            where = ""
    return table


class HelpScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="help.back"),
    ]

    def compose(self) -> ComposeResult:
        from dockerlab.tui.keymap import keymap_path

        yield Static("Help — every key", id="help-title")
        with VerticalScroll(id="help-body"):
            yield Static(INTRO, id="help-intro")
            yield Static(keys_table(self.lab_app.keymap, self.app.get_key_display), id="keys")
            yield Static(Text.assemble(
                ("\nChange a key: ", "bold"),
                f"put its id and the new key in {keymap_path()}, for example\n",
                ('    "lab.hint" = "ctrl+g"\n', "bold"),
                "and start dockerlab again. Ctrl+T switches between the light and dark theme; "
                "NO_COLOR=1 turns colour off (every state is also written in words). Below "
                "80×24 the app says so instead of drawing; `dockerlab --plain` lists the "
                "commands for a plain terminal.",
            ), id="help-keymap")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_back(self) -> None:
        self.app.pop_screen()
