"""Moodle XML export: well-formed, with Moodle's question types and fractions."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dockerlab.model.quiz import LoadedQuiz, Quiz
from dockerlab.quiz.moodle import quiz_to_moodle_xml


def parse(quiz: Quiz) -> ET.Element:
    text = quiz_to_moodle_xml(quiz)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    return ET.fromstring(text.encode("utf-8"))


def answers(question: ET.Element) -> list[tuple[str, str, str]]:
    return [
        (a.get("fraction", ""), a.findtext("text", ""), a.findtext("feedback/text", ""))
        for a in question.findall("answer")
    ]


def test_every_bundled_quiz_is_well_formed_with_the_right_types(
    bundled: dict[str, LoadedQuiz],
) -> None:
    kinds = {
        "single": "multichoice",
        "multiple": "multichoice",
        "true_false": "truefalse",
        "short": "shortanswer",
    }
    for loaded in bundled.values():
        root = parse(loaded.quiz)
        category, *questions = root.findall("question")
        assert category.get("type") == "category"
        assert category.findtext("category/text") == f"$course$/top/dockerlab/{loaded.quiz.id}"
        assert len(questions) == len(loaded.quiz.questions)
        for ours, theirs in zip(loaded.quiz.questions, questions, strict=True):
            assert theirs.get("type") == kinds[ours.type]
            assert theirs.findtext("name/text") == ours.id
            assert theirs.findtext("questiontext/text") == ours.prompt
            assert theirs.find("questiontext").get("format") == "markdown"  # type: ignore[union-attr]
            assert theirs.findtext("generalfeedback/text") == ours.explanation
            if ours.type in ("single", "multiple"):
                single = "true" if ours.type == "single" else "false"
                assert theirs.findtext("single") == single


def test_fractions_and_feedback_per_type(sample: Quiz) -> None:
    one, many, yes_no, short = parse(sample).findall("question")[1:]
    assert answers(one) == [
        ("0", "80", "That is HTTP's usual port."),
        ("100", "5000", "The registry image listens on 5000."),
        ("0", "443", "That is HTTPS's usual port."),
        ("0", "None of these", "One of them is right."),
    ]
    assert one.findtext("shuffleanswers") == "false"  # a pinned option: Moodle cannot pin one
    assert answers(many) == [
        ("50", "Docker Hub", "The default one."),
        ("50", "Quay.io", "Red Hat's."),
        ("-100", "Swarm", "An orchestrator, not a registry."),
    ]
    assert many.findtext("shuffleanswers") == "true"
    assert answers(yes_no) == [
        ("100", "true", "Loopback is exempt."),
        ("0", "false", "127.0.0.0/8 is the exception."),
    ]
    assert [a[:2] for a in answers(short)] == [
        ("100", "webhook"),
        ("100", "webhooks"),
        ("100", "web hook"),
        ("100", "web-hook"),
    ]
    assert short.findtext("usecase") == "0"
    assert [h.findtext("text") for h in short.findall("hint")] == ["It starts with web."]


def test_markup_in_text_is_escaped_not_interpreted(sample: Quiz) -> None:
    q = sample.questions[0].model_copy(update={"prompt": "Is <b>this</b> & `that` <ok>?"})
    quiz = sample.model_copy(update={"questions": [q]})
    (question,) = parse(quiz).findall("question")[1:]
    assert question.findtext("questiontext/text") == "Is <b>this</b> & `that` <ok>?"
