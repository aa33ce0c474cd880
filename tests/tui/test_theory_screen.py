"""Pilot tests of the theory screen. No engine; a frozen fixture course is used."""

from __future__ import annotations

import pytest
from textual.widgets import MarkdownViewer, Static

from dockerlab.tui.screens.home import HomeScreen
from dockerlab.tui.screens.theory import TheoryScreen
from dockerlab.tui.widgets.course_list import CourseList
from tests.tui.conftest import offline_app, until

pytestmark = pytest.mark.usefixtures("fixture_course")


async def test_theory_pages_have_a_table_of_contents_and_mark_pages_read() -> None:
    app = offline_app(open="page:container-registries")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TheoryScreen), what="theory")
        screen = app.screen

        def shown_title() -> str:
            return str(screen.query_one("#theory-title", Static).render())

        await until(pilot, lambda: "page 1 of" in shown_title(), what="the page title")
        title = shown_title()
        assert "page 1 of 1: Container registries" in title
        viewer = screen.query_one(MarkdownViewer)
        assert viewer.show_table_of_contents
        toc = viewer.table_of_contents
        await until(pilot, lambda: bool(toc.table_of_contents), what="a table of contents")
        entries = toc.table_of_contents or []
        assert any("Container registries" in str(entry[1]) for entry in entries)
        await pilot.press("t")
        assert not viewer.show_table_of_contents
        assert "container-registries" in app.state.pages_read
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        page = str(app.screen.query_one(CourseList).get_option("page:container-registries").prompt)
        assert "≡ read" in page
