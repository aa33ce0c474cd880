"""Home: the course map — sections in order with their pages, labs and quizzes, the learner's
progress on each, and the next thing to do highlighted (Enter opens it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, OptionList, Static

from dockerlab.model.safetext import safe_text
from dockerlab.tui.screens.base import BaseScreen
from dockerlab.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from dockerlab.tui.course_map import Item


class HomeScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "open_next", "Do next", id="home.next"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
        Binding("r", "reload", "Refresh", id="home.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.next: Item | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("dockerlab", style="bold"), id="home-title")
        yield Static("Loading the course…", id="next-banner")
        # the course list is mounted once there is a course to show: a lighter first frame
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        if self.lab_app.course is not None:
            self.refresh_course()

    def on_screen_resume(self) -> None:
        if self.lab_app.course is not None:
            self.refresh_course()

    def refresh_course(self) -> None:
        """Redraw the map from the loaded course and the learner's record."""
        # imported here, not for the first frame (which shows "Loading the course…")
        from dockerlab.tui.course_map import course_view, next_item
        from dockerlab.tui.widgets.course_list import CourseList

        app = self.lab_app
        if app.course is None:
            return
        views = course_view(app.course, app.progress, app.state.pages_read)
        last = app.progress.last_place() if app.progress is not None else None
        self.next = next_item(views, last)
        self.query_one("#home-title", Static).update(
            Text.assemble(
                ("dockerlab", "bold"),
                " — ",
                (safe_text(app.course.title), "bold"),
                ("  ·  ↑↓ choose, Enter open", "dim"),
            )
        )
        self.query_one("#next-banner", Static).update(self._banner())
        lists = self.query(CourseList)
        if lists:
            lists.first().show(views, self.next.key if self.next else None)
        else:
            course = CourseList(id="course")
            self.mount(course, after="#next-banner")
            course.show(views, self.next.key if self.next else None)
            course.focus()

    def _banner(self) -> Text:
        from dockerlab.tui.course_map import KIND_WORDS

        if self.next is None:
            return Text("✓ Everything in the course is done. Well done!", style="bold")
        item = self.next
        text = Text("▶ Next: ", style="bold")
        text.append(safe_text(f"{KIND_WORDS[item.kind]} · {item.title}"), style="bold")
        text.append(f" ({item.detail}) — press n or Enter")
        return text

    def action_open_next(self) -> None:
        if self.next is not None:
            self.lab_app.open_item(self.next.key)

    def action_reload(self) -> None:
        self.lab_app.load_course()

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.lab_app.open_item(event.option.id)
