"""How the screens look at 80×24 (pytest-textual-snapshot). Deterministic: the frozen fixture
course, a fixed engine status line, no engine, no clock, fixed folders, quiz options in file
order. Update with `pytest tests/tui/test_snapshots.py --snapshot-update` after a deliberate
change, and look at the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import MarkdownViewer, Static

from dockerlab.tui.app import DockerLabApp
from dockerlab.tui.screens.help import HelpScreen
from dockerlab.tui.screens.home import HomeScreen
from dockerlab.tui.screens.lab import LabScreen
from dockerlab.tui.screens.quiz import QuizScreen
from dockerlab.tui.screens.theory import TheoryScreen
from dockerlab.tui.widgets.command_bar import CommandBar
from dockerlab.tui.widgets.course_list import CourseList
from dockerlab.tui.widgets.feedback import HintPanel
from tests.tui.conftest import offline_app, until

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _fixed_places(monkeypatch: pytest.MonkeyPatch, fixture_course: object) -> None:
    monkeypatch.setenv("DOCKERLAB_WORKSPACES", "/tmp/dockerlab-snapshots/workspaces")
    monkeypatch.setenv("DOCKERLAB_CONFIG_DIR", "/tmp/dockerlab-snapshots/config")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("DOCKERLAB_THEME", raising=False)


def home_ready(app: DockerLabApp) -> Callable[[Pilot[Any]], Any]:
    async def wait(pilot: Pilot[Any]) -> None:
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, HomeScreen)
                and any(c.option_count for c in app.screen.query(CourseList))
            ),
            what="home",
        )

    return wait


def test_home_screen(snap_compare: SnapCompare) -> None:
    app = offline_app()
    assert snap_compare(app, terminal_size=(80, 24), run_before=home_ready(app))


def test_lab_screen(snap_compare: SnapCompare) -> None:
    app = offline_app(open="lab:registry-basics")

    async def ready(pilot: Pilot[Any]) -> None:
        await until(
            pilot,
            lambda: isinstance(app.screen, LabScreen) and app.screen.session is not None,
            what="the lab",
        )
        app.screen.query_one(CommandBar).cursor_blink = False
        await pilot.press("f2")  # one hint revealed
        panel = app.screen.query_one(HintPanel)
        await until(pilot, lambda: "Hint 1 of" in str(panel.render()), what="the hint")

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_theory_screen(snap_compare: SnapCompare) -> None:
    app = offline_app(open="page:docker-registry")

    async def ready(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: isinstance(app.screen, TheoryScreen), what="theory")
        viewer = app.screen.query_one(MarkdownViewer)
        await until(
            pilot,
            lambda: viewer.document.children and viewer.table_of_contents.table_of_contents,
            what="the page and its table of contents",
        )

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_quiz_screen_after_an_answer(snap_compare: SnapCompare) -> None:
    app = offline_app(open="quiz:container-registries")

    async def ready(pilot: Pilot[Any]) -> None:
        await until(
            pilot,
            lambda: isinstance(app.screen, QuizScreen) and app.screen.quiz is not None,
            what="the quiz",
        )
        await pilot.press(*"webhook", "enter")
        feedback = app.screen.query_one("#quiz-feedback", Static)
        await until(pilot, lambda: str(feedback.render()).strip(), what="the feedback")

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_help_screen(snap_compare: SnapCompare) -> None:
    app = offline_app()

    async def ready(pilot: Pilot[Any]) -> None:
        await home_ready(app)(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await until(pilot, lambda: app.screen.query_one("#help-body").has_focus, what="focus")

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_too_small_terminal(snap_compare: SnapCompare) -> None:
    from dockerlab.tui.screens.too_small import TooSmallScreen

    app = offline_app()

    async def ready(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: isinstance(app.screen, TooSmallScreen), what="the guard")

    assert snap_compare(app, terminal_size=(60, 20), run_before=ready)


def test_home_screen_light_theme(
    snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKERLAB_THEME", "light")
    app = offline_app()
    assert app.theme == "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=home_ready(app))
