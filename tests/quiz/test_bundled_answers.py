"""Every bundled short-answer question, re-checked against the matcher: what it accepts is still
accepted as a learner writes it, and the near misses a learner makes are still refused."""

from __future__ import annotations

import logging

import pytest

from dockerlab.model.quiz import LoadedQuiz, Question
from dockerlab.quiz.matching import match_short


def short_questions(bundled: dict[str, LoadedQuiz]) -> list[Question]:
    return [q for loaded in bundled.values() for q in loaded.quiz.questions if q.type == "short"]


def ways_to_write(answer: str) -> list[str]:
    return [answer, answer.upper(), f"  {answer}  ", f"`{answer}`", f'"{answer}"', f"{answer}."]


def test_there_are_short_questions_to_check(bundled: dict[str, LoadedQuiz]) -> None:
    assert len(short_questions(bundled)) >= 7


def test_every_accepted_answer_is_still_accepted(bundled: dict[str, LoadedQuiz]) -> None:
    refused = []
    for question in short_questions(bundled):
        for answer in question.accept:
            for typed in ways_to_write(answer):
                verdict = match_short(typed, question.accept, question.regex, typos=question.typos)
                # a flag keeps its case ("-P" is not "-p"); everything else folds
                if typed == answer.upper() and answer.startswith("-"):
                    continue
                if not verdict.accepted or verdict.note is not None:
                    refused.append((question.id, typed))
    assert refused == []


@pytest.mark.parametrize("typed", ["cacrt", "ca_crt", "ca crt", "ca-crt", "ca.cert", "cacert"])
def test_certs_d_file_refuses_near_misses_of_the_file_name(
    bundled: dict[str, LoadedQuiz], typed: str
) -> None:
    question = next(q for q in short_questions(bundled) if q.id == "certs-d-file")
    assert not question.typos  # the prompt says spelling matters
    assert not match_short(typed, question.accept, question.regex, typos=False).accepted


def test_a_catastrophic_pattern_runs_out_of_time_and_refuses(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # `regex` sees through `^(a+)+$`; this one it cannot, so it exercises the time bound
    with caplog.at_level(logging.WARNING):
        verdict = match_short("a" * 30 + "b" * 30 + "!", ["x"], r"^(a|aa)+(b|bb)+$")
    assert not verdict.accepted
    assert "ran out of time" in caplog.text


def test_the_nested_quantifier_of_the_issue_is_refused_quickly() -> None:
    assert not match_short("a" * 32 + "!", ["x"], r"^(a+)+$").accepted
    assert match_short("a" * 32, ["x"], r"^(a+)+$").accepted
