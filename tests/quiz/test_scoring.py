"""Grading answers and scoring attempts, as the app and the CLI both use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab.model.quiz import Quiz
from dockerlab.progress import ProgressStore, QuizAnswer, QuizAttempt
from dockerlab.quiz.scoring import (
    grade,
    missed_questions,
    retry,
    right_answer_text,
    score,
    unreadable,
)


def test_single_right_and_wrong_with_the_chosen_options_feedback(sample: Quiz) -> None:
    q = sample.question("pick-one")
    right = grade(q, "p5000")
    assert right.correct
    assert right.feedback == ("The registry image listens on 5000.",)
    wrong = grade(q, "p80")
    assert not wrong.correct
    assert wrong.feedback == ("That is HTTP's usual port.",)
    assert wrong.explanation == "The registry listens on 5000 inside its container."
    assert wrong.right_answer == "5000"


def test_multiple_is_right_only_for_exactly_the_right_set(sample: Quiz) -> None:
    q = sample.question("pick-many")
    assert grade(q, ["quay", "hub"]).correct
    assert grade(q, ("quay", "hub")).given == "hub,quay"  # recorded in file order
    assert not grade(q, ["hub"]).correct
    assert not grade(q, ["hub", "quay", "swarm"]).correct
    assert grade(q, ["hub", "swarm"]).feedback == (
        "The default one.",
        "An orchestrator, not a registry.",
    )


def test_unknown_option_id_is_a_programming_error(sample: Quiz) -> None:
    with pytest.raises(KeyError):
        grade(sample.question("pick-one"), "p22")


def test_true_false_shows_the_feedback_for_the_side_chosen(sample: Quiz) -> None:
    q = sample.question("yes-no")
    assert grade(q, True).correct
    assert grade(q, True).feedback == ("Loopback is exempt.",)
    wrong = grade(q, False)
    assert (wrong.correct, wrong.given, wrong.feedback) == (
        False,
        "false",
        ("127.0.0.0/8 is the exception.",),
    )
    with pytest.raises(TypeError):
        grade(q, "true")


def test_short_uses_the_matching_rules_and_keeps_the_spelling_note(sample: Quiz) -> None:
    q = sample.question("fill-in")
    typo = grade(q, "Webhok")
    assert typo.correct
    assert typo.note is not None
    assert "webhook" in typo.note
    assert typo.feedback == ("A URL called on an event.",)
    assert grade(q, "web-hook URL").correct  # the regex
    wrong = grade(q, "callback")
    assert not wrong.correct
    assert wrong.feedback == ()
    assert right_answer_text(q) == "webhook"


def test_score_counts_right_questions_and_applies_the_pass_mark(sample: Quiz) -> None:
    qs = sample.questions
    graded = [grade(qs[0], "p5000"), grade(qs[1], ["hub", "quay"]), grade(qs[2], False)]
    attempt = score(sample, graded)
    assert (attempt.score, attempt.total) == (2, 4)
    assert not attempt.passed  # 2 of 4 is 50%; the unanswered fourth counts as wrong
    assert attempt.missed == ("yes-no", "fill-in")
    attempt = score(sample, [*graded, grade(qs[3], "webhook")])
    assert (attempt.score, attempt.passed) == (3, True)  # 75% >= 60%


def test_unreadable_answers_count_as_wrong_and_say_why(sample: Quiz) -> None:
    q = sample.question("pick-one")
    bad = unreadable(q, " z ", "answer with one letter from a to d")
    assert (bad.correct, bad.given, bad.note) == (False, "z", "answer with one letter from a to d")
    assert score(sample, [bad]).score == 0


def test_retry_replaces_only_the_missed_answers(sample: Quiz) -> None:
    qs = sample.questions
    first = score(sample, [grade(qs[0], "p80"), grade(qs[1], ["hub", "quay"])])
    assert [q.id for q in missed_questions(sample, first)] == ["pick-one", "yes-no", "fill-in"]
    again = retry(sample, first, [grade(qs[0], "p5000"), grade(qs[3], "webhooks")])
    assert again.score == 3
    assert again.missed == ("yes-no",)
    assert [question_id for question_id, _text, _correct in again.answers] == [
        "pick-one",
        "pick-many",
        "fill-in",
    ]


def test_score_refuses_answers_to_questions_the_quiz_does_not_have(sample: Quiz) -> None:
    other = sample.model_copy(update={"id": "other", "questions": sample.questions[:1]})
    with pytest.raises(KeyError, match="no question pick-many"):
        score(other, [grade(sample.questions[1], ["hub"])])


def test_the_scored_attempt_is_what_the_progress_record_keeps(sample: Quiz, tmp_path: Path) -> None:
    """One attempt type: whole numbers and (question, answer, correct) triples, stored as is."""
    attempt = score(sample, [grade(sample.questions[0], "p5000")])
    assert isinstance(attempt, QuizAttempt)
    assert (attempt.quiz_id, attempt.score, attempt.total) == ("sample", 1, 4)
    assert not attempt.passed
    assert isinstance(attempt.score, int)
    assert list(attempt.answers) == [QuizAnswer("pick-one", "p5000", True)]
    with ProgressStore(tmp_path / "progress.sqlite3") as store:
        store.record_quiz(attempt)
        (kept,) = store.quiz_attempts("sample")
    assert kept == attempt
    assert isinstance(kept.score, int)
