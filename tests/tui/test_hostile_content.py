"""The app shows content text from a shared pack without escape sequences or bidi controls, and
text that looks like markup ("[/]", "[bold]") as text, never as markup (which would crash)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Markdown, Static

from dockerlab.model.safetext import unsafe_characters
from dockerlab.tui.screens.quiz import ChoiceList, QuizScreen
from tests.tui.conftest import offline_app, until

pytestmark = pytest.mark.usefixtures("fixture_course")

QUIZ = """\
format_version: 1
id: hostile
title: "Hostile \\e[31mquiz [/] \\u202eevil"
section: hub
questions:
  - id: pick
    type: single
    prompt: "Pick \\e[2Jone \\u202e[bold]"
    options:
      - {id: a, text: "[/] a closing tag", correct: true, feedback: "Right \\e[5mblink"}
      - {id: b, text: "[bold]b[/bold] \\e]0;owned\\a"}
    hints: ["A hint with [/] in it"]
    explanation: "Because \\u202etxt.exe"
"""


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "hostile.quiz.yaml").write_text(QUIZ)
    monkeypatch.setenv("DOCKERLAB_CONTENT", str(tmp_path))
    return tmp_path


async def test_a_hostile_quiz_is_shown_as_plain_text(pack: Path) -> None:
    app = offline_app(open="quiz:hostile")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, QuizScreen) and app.screen.quiz is not None,
            what="the quiz",
        )
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        title = str(screen.query_one("#quiz-title", Static).render())
        assert "Hostile quiz [/] evil" in title
        choices = screen.query_one(ChoiceList)
        await pilot.pause()
        shown = [str(choices.get_option_at_index(i).prompt) for i in range(2)]
        assert "[/] a closing tag" in choices.render_line(0).text + "".join(shown)
        await pilot.press("ctrl+g")  # a hint through a notification: markup off
        choices.highlighted = 0
        await pilot.press("enter")
        feedback = str(screen.query_one("#quiz-feedback", Static).render())
        assert "✓ Right." in feedback
        assert "Because txt.exe" in feedback
        question = screen.query_one("#question", Markdown).source
        seen = title + question + feedback + "".join(shown)
        assert unsafe_characters(seen.replace("\n", "")) == []
        # the hint's toast is drawn as text (markup in it crashed the app)
        await until(
            pilot,
            lambda: any(
                "A hint with [/] in it" in str(t.render()) for t in app.screen.query("Toast")
            ),
            what="the hint's notification drawn",
        )
