"""Pilot tests of the quiz screen. No engine; a frozen fixture course is used."""

from __future__ import annotations

from functools import partial

import pytest
from textual.widgets import Static

from dockerlab.progress.store import ProgressStore
from dockerlab.tui.app import DockerLabApp
from dockerlab.tui.screens.quiz import ChoiceList, QuizScreen
from tests.tui.conftest import offline_app, until

pytestmark = pytest.mark.usefixtures("fixture_course")


def quiz_loaded(app: DockerLabApp) -> bool:
    return isinstance(app.screen, QuizScreen) and app.screen.quiz is not None


def saved_attempts() -> int:
    with ProgressStore() as store:
        return len(store.quiz_attempts("container-registries"))


async def test_quiz_one_question_at_a_time_with_feedback_score_and_retry_of_missed() -> None:
    app = offline_app(open="quiz:container-registries")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, QuizScreen) and app.screen.quiz is not None,
            what="the quiz",
        )
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert screen.quiz is not None
        questions = screen.quiz.questions
        assert "question 1 of 3" in str(screen.query_one("#quiz-title", Static).render())

        # 1: a short answer, typed wrong
        assert questions[0].type == "short"
        await pilot.press(*"carrier pigeon", "enter")
        feedback = str(screen.query_one("#quiz-feedback", Static).render())
        assert "✗ Wrong." in feedback
        assert "Explanation:" in feedback
        await pilot.press("enter")
        # 2: choose the right option (file order: quiz_file_order)
        assert questions[1].type in ("single", "multiple")
        right = next(i for i, o in enumerate(screen.shown) if o.correct)
        choices = screen.query_one(ChoiceList)
        choices.highlighted = right
        await pilot.press("enter")
        assert "✓ Right." in str(screen.query_one("#quiz-feedback", Static).render())
        await pilot.press("enter")
        # 3: true/false, answered right
        assert questions[2].type == "true_false"
        screen.query_one(ChoiceList).highlighted = 0 if questions[2].answer else 1
        await pilot.press("enter", "enter")
        assert screen.finished
        assert screen.attempt is not None
        assert (screen.attempt.score, screen.attempt.total) == (2, 3)
        assert "score 2/3" in str(screen.query_one("#quiz-title", Static).render())
        # retry only the missed one, right this time
        await pilot.press("ctrl+r")
        assert [q.id for q in screen.asking] == [questions[0].id]
        await pilot.press(*questions[0].accept[0], "enter", "enter")
        assert screen.attempt.score == 3
        assert screen.attempt.passed
        await until(pilot, lambda: saved_attempts() == 2, what="both attempts saved")
    with ProgressStore() as store:
        attempts = store.quiz_attempts("container-registries")
    assert [(a.score, a.passed) for a in attempts] == [(2, False), (3, True)]
    assert attempts[-1].answers[0][0] == questions[0].id


async def test_multiple_choice_marks_with_space_and_answers_with_enter() -> None:
    from dockerlab.model.quiz import Option, Question

    app = offline_app(open="quiz:container-registries")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, QuizScreen) and app.screen.quiz is not None,
            what="the quiz",
        )
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        question = Question(
            id="pick",
            type="multiple",
            prompt="Pick a and c",
            explanation="Because.",
            options=[
                Option(id="a", text="A", correct=True),
                Option(id="b", text="B"),
                Option(id="c", text="C", correct=True),
            ],
        )
        screen.start([question])
        await pilot.pause()
        await pilot.press("space", "down", "down", "space", "enter")
        assert screen.graded["pick"].correct
        assert screen.graded["pick"].chosen == ("a", "c")


async def test_each_attempt_gets_a_new_order_kept_with_the_attempt() -> None:
    from dockerlab.quiz import arrange

    seeds = []
    for _ in range(2):
        app = offline_app(open="quiz:container-registries", quiz_file_order=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(
                pilot,
                partial(quiz_loaded, app),
                what="the quiz",
            )
            screen = app.screen
            assert isinstance(screen, QuizScreen)
            assert screen.quiz is not None
            assert screen.seed is not None
            seeds.append(screen.seed)
            await pilot.press(*"webhook", "enter", "enter")  # on to the choice question
            question = screen.quiz.questions[1]
            assert [o.id for o in screen.shown] == [o.id for o in arrange(question, screen.seed)]
            screen.finish()
            await app.workers.wait_for_complete()  # the attempt is saved in a worker
    assert seeds[0] != seeds[1]
    with ProgressStore() as store:
        attempts = store.quiz_attempts("container-registries")
    assert [a.seed for a in attempts] == seeds
