"""Pilot tests of the home screen and of what works everywhere, seen from it: help, the command
palette, keymaps, the size guard, NO_COLOR and themes, the status line. No engine; a frozen
fixture course is used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from dockerlab.progress.store import ProgressStore
from dockerlab.tui.app import DockerLabApp
from dockerlab.tui.screens.help import HelpScreen
from dockerlab.tui.screens.home import HomeScreen
from dockerlab.tui.screens.lab import LabScreen
from dockerlab.tui.screens.quiz import QuizScreen
from dockerlab.tui.screens.theory import TheoryScreen
from dockerlab.tui.screens.too_small import TooSmallScreen
from dockerlab.tui.widgets.course_list import CourseList
from tests.tui.conftest import OfflineEngine, offline_app, until

pytestmark = pytest.mark.usefixtures("fixture_course")


async def loaded(pilot: Pilot[Any], app: DockerLabApp) -> None:
    await until(
        pilot,
        lambda: (
            app.course is not None
            and isinstance(app.screen, HomeScreen)
            and any(c.option_count for c in app.screen.query(CourseList))
        ),
        what="the course",
    )


def option_ids(app: DockerLabApp) -> list[str]:
    return [o.id or "" for o in app.screen.query_one(CourseList).options]


def _palette_choice(app: DockerLabApp) -> str:
    """The highlighted entry of the open command palette ("" while it has none)."""
    from textual.command import CommandList, CommandPalette

    if not isinstance(app.screen, CommandPalette):
        return ""
    results = app.screen.query_one(CommandList)
    if results.highlighted is None:
        return ""
    return str(results.get_option_at_index(results.highlighted).prompt)


async def test_home_shows_sections_in_order_with_items_and_the_next_thing() -> None:
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        assert option_ids(app) == [
            "section:hub",
            "page:container-registries",
            "quiz:container-registries",
            "section:private-registry",
            "page:docker-registry",
            "lab:registry-basics",
            "lab:registry-gc",
        ]
        course = app.screen.query_one(CourseList)
        assert course.get_option("lab:registry-gc").disabled  # not written yet: shown, greyed
        banner = str(app.screen.query_one("#next-banner", Static).render())
        assert "Next: Read · Container registries" in banner
        assert course.highlighted_option is not None
        assert course.highlighted_option.id == "page:container-registries"


async def test_home_shows_lab_and_quiz_progress_in_words(tmp_path: Path) -> None:
    from dockerlab.progress.records import QuizAttempt

    with ProgressStore() as store:
        store.record_step("registry-basics", "run-registry", content_hash="x", assisted=False)
        store.record_quiz(QuizAttempt("container-registries", 3, 3, True))
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        course = app.screen.query_one(CourseList)
        lab = str(course.get_option("lab:registry-basics").prompt)
        quiz = str(course.get_option("quiz:container-registries").prompt)
        assert "◐ started: 1/7 steps" in lab
        assert "✓ passed: 3/3" in quiz
        # a section with work started goes on with that work, not its page
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.next is not None
        assert home.next.key == "lab:registry-basics"


async def test_enter_opens_the_highlighted_item_and_escape_comes_back() -> None:
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TheoryScreen), what="theory")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        # the page is read now, so the next thing is the section's quiz
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.next is not None
        assert home.next.key == "quiz:container-registries"
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, QuizScreen), what="the quiz")


async def test_help_lists_every_binding_with_its_key_and_id() -> None:
    from dockerlab.tui.app import all_binding_ids

    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        table = app.screen.query_one("#keys", Static).content
        from rich.console import Console

        console = Console(width=200, record=True)
        console.print(table)
        text = console.export_text()
        for binding_id in all_binding_ids():
            assert binding_id in text, binding_id
        assert "F2" in text or "f2" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_command_palette_offers_every_action_of_the_screen_and_the_course() -> None:
    from dockerlab.tui.commands import binding_commands, course_commands

    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        titles = {c.title for c in binding_commands(app.screen, app.run_palette_action)}
        assert {"Do next", "Help", "Light/dark theme", "Check this machine"} <= titles
        course = {c.title for c in course_commands(app)}
        assert "Lab: Run a Private Docker Registry" in course
        assert "Quiz: Quiz 10: Quiz on Container Registries" in course
        # the palette itself, driven by keys only
        await pilot.press("ctrl+p")
        await pilot.press(*"Run a Private")
        await until(pilot, lambda: "Run a Private" in _palette_choice(app), what="the match")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LabScreen), what="the lab")
        lab_titles = {c.title for c in binding_commands(app.screen, app.run_palette_action)}
        assert {
            "Hint",
            "Solution",
            "Run the solution",
            "Check now",
            "Shell",
            "Take cmd",
            "Reset the lab",
            "Back",
        } <= lab_titles


async def test_keymap_file_remaps_keys_and_reports_unknown_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('"home.next" = "x"\n"home.nxt" = "y"\n')
    monkeypatch.setenv("DOCKERLAB_CONFIG_DIR", str(config))
    app = offline_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot, app)
        assert any("did you mean 'home.next'" in n.message for n in app._notifications)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, TheoryScreen), what="remapped key")


async def test_below_80x24_the_app_says_what_it_needs() -> None:
    app = offline_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TooSmallScreen), what="size guard")
        text = str(app.screen.query_one(Static).render())
        assert "at least 80×24" in text
        assert "60×20" in text
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not isinstance(app.screen, TooSmallScreen), what="resize")


async def test_no_color_and_themes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        assert app.no_color
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before
        assert app.theme in ("textual-light", "textual-dark")
    assert DockerLabApp(engine=OfflineEngine()).state.theme == app.theme  # remembered for next time


async def test_status_line_says_why_the_engine_is_unreachable() -> None:
    from dockerlab.engine.events import EngineDown

    app = offline_app(engine_state=EngineDown("no Docker engine is running here", 2.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        from dockerlab.tui.widgets.status_line import StatusLine

        text = str(app.screen.query_one(StatusLine).render())
        assert "✗ Docker engine unreachable: no Docker engine is running here" in text
        assert "retrying in 2 s" in text


async def test_the_offline_app_asks_no_engine_on_any_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The engine is passed in: the offline app asks its fake nothing, and no other connection
    to a real engine is ever made (home, a lab, a page, a quiz, help, the welcome screen's
    absence included)."""
    from dockerlab.engine.client import Engine

    def no_engine(self: Engine) -> object:
        raise AssertionError("the offline app connected to an engine")

    monkeypatch.setattr(Engine, "_connect", no_engine)
    app = offline_app()
    engine = app.engine
    assert isinstance(engine, OfflineEngine)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        for key in ("lab:registry-basics", "page:docker-registry", "quiz:container-registries"):
            app.open_item(key)
            await until(pilot, lambda: not isinstance(app.screen, HomeScreen), what=key)
            await until(
                pilot,
                lambda: not any(w.is_running for w in app.workers),
                what=f"{key}'s work done",
            )
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
    assert app.capabilities() == {"engine", "swarm"}
    assert engine.asked == 0
