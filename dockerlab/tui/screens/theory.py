"""Theory: a section's Markdown pages, one at a time, with a table of contents."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Markdown, MarkdownViewer, Static

from dockerlab.model.safetext import safe_text
from dockerlab.model.yamlsource import read_text
from dockerlab.tui.screens.base import BaseScreen
from dockerlab.tui.widgets.status_line import StatusLine


class TheoryScreen(BaseScreen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Course", id="theory.back"),
        Binding("n", "next_page", "Next page", id="theory.next_page"),
        Binding("p", "previous_page", "Previous page", id="theory.previous_page"),
        Binding("t", "toggle_toc", "Contents", id="theory.toggle_toc"),
    ]

    def __init__(self, page_id: str | None = None, section_id: str | None = None) -> None:
        super().__init__()
        self.page_id = page_id
        self.section_id = section_id
        self.pages: list[str] = []
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Static("Theory", id="theory-title")
        yield MarkdownViewer("", show_table_of_contents=True, id="page")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        # Textual 8 sets this class only when the value changes, and True is the default
        viewer.set_class(viewer.show_table_of_contents, "-show-table-of-contents")
        course = self.lab_app.course
        section = None
        if course is not None:
            if self.page_id is not None:
                section = course.section_of("page", self.page_id)
            elif self.section_id is not None:
                section = course.section(self.section_id)
        self.section_title = section.title if section is not None else ""
        self.pages = (
            list(section.pages) if section is not None else ([self.page_id] if self.page_id else [])
        )
        if self.page_id in self.pages:
            self.index = self.pages.index(self.page_id)
        self.show_page()

    def show_page(self) -> None:
        app = self.lab_app
        if not self.pages:
            self.query_one(MarkdownViewer).document.update("This section has no pages yet.")
            return
        page_id = self.pages[self.index]
        course = app.course
        path = course.pages.get(page_id) if course is not None else None
        if path is None:
            text = f"# {page_id}\n\nThis page is not written yet."
            title = page_id
        else:
            read, problems = read_text(path)  # bounded in size, UTF-8 or a message
            why = problems[0].message if problems else ""
            text = read if read is not None else f"# {page_id}\n\nThis page cannot be shown: {why}"
            title = course.page_title(page_id) if course is not None else page_id
            app.state.pages_read.add(page_id)
            app.save_state()
        where = f"{self.section_title} — " if self.section_title else ""
        self.query_one("#theory-title", Static).update(
            Text(safe_text(f"Theory · {where}page {self.index + 1} of {len(self.pages)}: {title}"))
        )
        viewer = self.query_one(MarkdownViewer)
        viewer.document.update(safe_text(text))
        viewer.scroll_home(animate=False)
        if app.progress is not None:
            place = f"page:{page_id}"
            self._save_place(place)

    def _save_place(self, place: str) -> None:
        progress = self.lab_app.progress
        if progress is not None:
            from dockerlab.runner.learner import save_place

            self.run_worker(
                lambda: save_place(progress, place),
                thread=True,
                group="progress",
                exit_on_error=False,
                name="saving progress",
            )

    def action_next_page(self) -> None:
        if self.index + 1 < len(self.pages):
            self.index += 1
            self.show_page()
        else:
            self.notify("That was the last page of this section.")

    def action_previous_page(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show_page()

    def action_toggle_toc(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        """Links like `lab:registry-basics` or `quiz:docker-hub` open that item in the app."""
        href = event.href
        if href.split(":", 1)[0] in ("lab", "page", "quiz", "section"):
            event.prevent_default()
            self.lab_app.open_item(href)
