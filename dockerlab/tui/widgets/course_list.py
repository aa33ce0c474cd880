"""The course map on the home screen: sections, and under each its pages, labs and quizzes with
the learner's progress as a symbol and words."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from dockerlab.model.safetext import safe_text
from dockerlab.tui.course_map import KIND_WORDS, SYMBOLS, Item, SectionView

STATUS_WIDTH = 26


def item_prompt(item: Item, is_next: bool, width: int) -> Text:
    marker = "▶ " if is_next else "  "
    head = f"{marker}{KIND_WORDS[item.kind]:<5} "
    status = f"{SYMBOLS[item.state]} {item.detail}".ljust(STATUS_WIDTH)
    room = max(width - len(head) - len(status) - 2, 10)
    full = safe_text(item.title)
    title = full if len(full) <= room else full[: room - 1] + "…"
    text = Text(head, style="bold" if is_next else "")
    text.append(
        title.ljust(room), style="bold" if is_next else ("dim" if not item.available else "")
    )
    text.append("  ")
    text.append(status, style="dim" if item.state in ("missing", "done") else "")
    return text


class CourseList(OptionList):
    """Options are items ("lab:registry-basics"); section titles are disabled separators."""

    DEFAULT_CSS = """
    CourseList { height: 1fr; border: none; padding: 0 0; }
    CourseList:focus { border: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.views: tuple[SectionView, ...] = ()
        self.next_key: str | None = None

    def show(self, views: Sequence[SectionView], next_key: str | None) -> None:
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        self.views = tuple(views)
        self.next_key = next_key
        width = self.size.width or 78
        options: list[Option] = []
        for number, view in enumerate(self.views, start=1):
            options.append(
                Option(
                    Text(safe_text(f"{number}. {view.info.title}"), style="bold underline"),
                    id=f"section:{view.info.id}",
                    disabled=True,
                )
            )
            for item in view.items:
                options.append(
                    Option(
                        item_prompt(item, item.key == next_key, width - 2),
                        id=item.key,
                        disabled=not item.available,
                    )
                )
        self.set_options(options)
        target = keep or next_key
        if target is not None:
            with contextlib.suppress(Exception):  # the option may be gone after a reload
                self.highlighted = self.get_option_index(target)

    def on_resize(self) -> None:
        if self.views:  # the titles column takes whatever width there is
            self.show(self.views, self.next_key)
