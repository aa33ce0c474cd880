"""The command palette: every key binding of the screen it was opened on, and every page, lab
and quiz of the course — so everything the app can do is reachable by name."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding

if TYPE_CHECKING:
    from textual.screen import Screen

    from dockerlab.tui.app import DockerLabApp


def binding_classes() -> list[Any]:
    """Every class that declares bindings with ids, app first (the help screen lists them)."""
    from dockerlab.tui.app import DockerLabApp
    from dockerlab.tui.screens.confirm import ConfirmScreen
    from dockerlab.tui.screens.first_run import FirstRunScreen
    from dockerlab.tui.screens.help import HelpScreen
    from dockerlab.tui.screens.home import HomeScreen
    from dockerlab.tui.screens.lab import LabScreen
    from dockerlab.tui.screens.quiz import ChoiceList, QuizScreen
    from dockerlab.tui.screens.theory import TheoryScreen
    from dockerlab.tui.widgets.command_bar import CommandBar

    return [
        DockerLabApp,
        HomeScreen,
        FirstRunScreen,
        LabScreen,
        CommandBar,
        ConfirmScreen,
        TheoryScreen,
        QuizScreen,
        ChoiceList,
        HelpScreen,
    ]


def binding_commands(app: DockerLabApp, screen: Screen[Any]) -> Iterator[SystemCommand]:
    """One command per enabled binding with an id (and a description) on `screen`."""
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if not binding.id or not binding.description or binding.id in seen:
            continue
        if binding.action == "command_palette" or not active.enabled:
            continue
        seen.add(binding.id)
        shown = app.get_key_display(binding) if binding.key else key
        help_text = binding.tooltip or f"key: {shown}"
        yield SystemCommand(
            binding.description,
            f"{help_text} ({binding.id})",
            partial(app.run_palette_action, active.node, binding.action),
        )


def course_commands(app: DockerLabApp) -> Iterator[SystemCommand]:
    """Open any page, lab or quiz by name (they appear when the search matches)."""
    if app.course is None:
        return
    from dockerlab.tui.course_map import KIND_WORDS, course_view

    for view in course_view(app.course, app.progress, app.state.pages_read):
        for item in view.items:
            if not item.available:
                continue
            yield SystemCommand(
                f"{KIND_WORDS[item.kind]}: {item.title}",
                f"{view.info.title} · {item.detail}",
                partial(app.open_item, item.key),
                discover=False,
            )
