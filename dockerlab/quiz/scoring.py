"""Grade answers and score attempts. Pure functions: no terminal, no files, no clock.

A question is right or wrong as a whole: a `multiple` question is right only when exactly the
right options are chosen. The score is the number of questions right; the attempt passes when
that reaches the quiz's pass mark (a percent of all its questions).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from dockerlab.model.quiz import Question, Quiz
from dockerlab.progress.records import QuizAnswer, QuizAttempt

# QuizAttempt is the progress record's type: the attempt scored here is the one it keeps
__all__ = [
    "Graded",
    "QuizAttempt",
    "grade",
    "grade_choice",
    "grade_short",
    "grade_true_false",
    "missed_questions",
    "retry",
    "right_answer_text",
    "score",
    "unreadable",
]
from dockerlab.quiz.matching import match_short


@dataclass(frozen=True)
class Graded:
    """One question answered: what was given, whether it was right, and what to show."""

    question_id: str
    given: str
    """As recorded: option ids joined with "," in file order, "true"/"false", or the text typed."""
    correct: bool
    chosen: tuple[str, ...] = ()
    """Option ids picked (choice questions only), in file order."""
    feedback: tuple[str, ...] = ()
    """The feedback of each thing picked (chosen options, the true/false side, a short answer)."""
    note: str | None = None
    """A spelling note for an accepted typo, or why an answer could not be read."""
    explanation: str = ""
    right_answer: str = ""
    """The right answer in words, e.g. "It prevents ..." or "false" or "webhook"."""


def right_answer_text(question: Question) -> str:
    """The right answer as a learner would read it."""
    if question.type == "true_false":
        return "true" if question.answer else "false"
    if question.type == "short":
        return question.accept[0]
    return "; ".join(o.text for o in question.right_options())


def grade_choice(question: Question, chosen: Collection[str]) -> Graded:
    """Grade option ids picked for a single or multiple question; unknown ids raise KeyError."""
    picked = {question.option(i).id for i in chosen}
    in_order = tuple(o.id for o in question.options if o.id in picked)
    right = {o.id for o in question.right_options()}
    correct = picked == right and (question.type == "multiple" or len(picked) == 1)
    feedback = tuple(
        o.feedback for o in question.options if o.id in picked and o.feedback is not None
    )
    return Graded(
        question_id=question.id,
        given=",".join(in_order),
        correct=correct,
        chosen=in_order,
        feedback=feedback,
        explanation=question.explanation,
        right_answer=right_answer_text(question),
    )


def grade_true_false(question: Question, value: bool) -> Graded:
    """Grade a true/false answer; the feedback is the one written for the side chosen."""
    said = question.feedback_true if value else question.feedback_false
    return Graded(
        question_id=question.id,
        given="true" if value else "false",
        correct=value == question.answer,
        feedback=(said,) if said else (),
        explanation=question.explanation,
        right_answer=right_answer_text(question),
    )


def grade_short(question: Question, text: str) -> Graded:
    """Grade a typed answer with the matching rules (case, punctuation, synonyms, one typo)."""
    verdict = match_short(text, question.accept, question.regex, typos=question.typos)
    shown = (question.feedback,) if verdict.accepted and question.feedback else ()
    return Graded(
        question_id=question.id,
        given=text.strip(),
        correct=verdict.accepted,
        feedback=shown,
        note=verdict.note,
        explanation=question.explanation,
        right_answer=right_answer_text(question),
    )


def grade(question: Question, answer: str | bool | Collection[str]) -> Graded:
    """Grade any answer: option ids (a str for single, a collection for either), a bool, text."""
    if question.type == "true_false":
        if not isinstance(answer, bool):
            raise TypeError("a true_false question takes a bool")
        return grade_true_false(question, answer)
    if question.type == "short":
        if not isinstance(answer, str):
            raise TypeError("a short question takes the text typed")
        return grade_short(question, answer)
    if isinstance(answer, bool):
        raise TypeError(f"a {question.type} question takes option ids")
    return grade_choice(question, [answer] if isinstance(answer, str) else answer)


def unreadable(question: Question, given: str, reason: str) -> Graded:
    """An answer that could not be understood: it counts as wrong, and `reason` says why."""
    return Graded(
        question_id=question.id,
        given=given.strip(),
        correct=False,
        note=reason,
        explanation=question.explanation,
        right_answer=right_answer_text(question),
    )


def score(quiz: Quiz, graded: Iterable[Graded | QuizAnswer]) -> QuizAttempt:
    """Score answers against the whole quiz; a question with no answer counts as wrong.

    A later answer to the same question replaces an earlier one. The attempt keeps each answer
    as the progress record does: (question_id, answer_text, correct).
    """
    by_id = {a.question_id: _recorded(a) for a in graded}
    unknown = set(by_id) - {q.id for q in quiz.questions}
    if unknown:
        raise KeyError(f"quiz '{quiz.id}' has no question {', '.join(sorted(unknown))}")
    answers = tuple(by_id[q.id] for q in quiz.questions if q.id in by_id)
    right = sum(1 for a in answers if a.correct)
    total = len(quiz.questions)
    return QuizAttempt(
        quiz_id=quiz.id,
        score=right,
        total=total,
        passed=right * 100 >= quiz.pass_mark * total,
        answers=answers,
        question_ids=tuple(q.id for q in quiz.questions),
    )


def _recorded(answer: Graded | QuizAnswer) -> QuizAnswer:
    if isinstance(answer, Graded):
        return QuizAnswer(answer.question_id, answer.given, answer.correct)
    return answer


def retry(quiz: Quiz, previous: QuizAttempt, regraded: Iterable[Graded]) -> QuizAttempt:
    """A new attempt: the previous answers with the retried questions' new answers in place."""
    return score(quiz, [*(QuizAnswer(*a) for a in previous.answers), *regraded])


def missed_questions(quiz: Quiz, attempt: QuizAttempt) -> list[Question]:
    """The questions to ask again: not answered right in `attempt`, in quiz order."""
    missed = set(attempt.missed)
    return [q for q in quiz.questions if q.id in missed]
