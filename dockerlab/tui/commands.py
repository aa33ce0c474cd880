"""The command palette: every key binding of the screen it was opened on, and every page, lab
and quiz of the course — so everything the app can do is reachable by name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding

if TYPE_CHECKING:
    from textual.screen import Screen

    from dockerlab.tui.host import AppHost


def binding_commands(
    screen: Screen[Any], run: Callable[[Any, str], None]
) -> Iterator[SystemCommand]:
    """One command per enabled binding with an id (and a description) on `screen`; choosing it
    calls `run(node, action)`."""
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if not binding.id or not binding.description or binding.id in seen:
            continue
        if binding.action == "command_palette" or not active.enabled:
            continue
        seen.add(binding.id)
        shown = screen.app.get_key_display(binding) if binding.key else key
        help_text = binding.tooltip or f"key: {shown}"
        yield SystemCommand(
            binding.description,
            f"{help_text} ({binding.id})",
            partial(run, active.node, binding.action),
        )


def course_commands(host: AppHost) -> Iterator[SystemCommand]:
    """Open any page, lab or quiz by name (they appear when the search matches)."""
    if host.course is None:
        return
    from dockerlab.tui.course_map import KIND_WORDS, course_view

    for view in course_view(host.course, host.progress, host.state.pages_read):
        for item in view.items:
            if not item.available:
                continue
            yield SystemCommand(
                f"{KIND_WORDS[item.kind]}: {item.title}",
                f"{view.info.title} · {item.detail}",
                partial(host.open_item, item.key),
                discover=False,
            )
