"""Export a quiz as Moodle XML: multichoice (single or multiple), truefalse and shortanswer.

Text stays Markdown (`format="markdown"`, which Moodle renders). The questions go into a
category named after the quiz. Options are shuffled by Moodle unless the quiz pins one, because
Moodle cannot pin a single option in place. Control characters, which XML 1.0 cannot hold, are
left out (dockerlab/quiz/export.py says what else does not come along).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dockerlab.model.quiz import Question, Quiz
from dockerlab.model.safetext import export_text as clean

MOODLE_TYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "true_false": "truefalse",
    "short": "shortanswer",
}


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "markdown") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = clean(text)
    return element


def _value(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = clean(value)


def _fraction(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _answer(parent: ET.Element, fraction: float, text: str, feedback: str | None, fmt: str) -> None:
    answer = ET.SubElement(parent, "answer", {"fraction": _fraction(fraction), "format": fmt})
    ET.SubElement(answer, "text").text = clean(text)
    _text(answer, "feedback", feedback or "")


def _choices(element: ET.Element, question: Question) -> None:
    right = question.right_options()
    _value(element, "single", "true" if question.type == "single" else "false")
    pinned = any(o.pinned for o in question.options)
    _value(element, "shuffleanswers", "false" if pinned else "true")
    _value(element, "answernumbering", "abc")
    for option in question.options:
        if option.correct:
            fraction = 100.0 if question.type == "single" else 100 / len(right)
        else:
            # a wrong pick in a multiple question takes away all the credit, as in dockerlab
            fraction = 0.0 if question.type == "single" else -100.0
        _answer(element, fraction, option.text, option.feedback, "markdown")


def _question(parent: ET.Element, question: Question) -> None:
    element = ET.SubElement(parent, "question", {"type": MOODLE_TYPES[question.type]})
    name = ET.SubElement(element, "name")
    ET.SubElement(name, "text").text = clean(question.id)
    _text(element, "questiontext", question.prompt)
    _text(element, "generalfeedback", question.explanation)
    _value(element, "defaultgrade", "1")
    _value(element, "penalty", "1" if question.type == "true_false" else "0.3333333")
    _value(element, "hidden", "0")
    _value(element, "idnumber", question.id)
    if question.type in ("single", "multiple"):
        _choices(element, question)
    elif question.type == "true_false":
        for value in (True, False):
            feedback = question.feedback_true if value else question.feedback_false
            fraction = 100.0 if value == question.answer else 0.0
            _answer(element, fraction, "true" if value else "false", feedback, "moodle_auto_format")
    else:
        _value(element, "usecase", "0")
        for accepted in question.accept:
            _answer(element, 100.0, accepted, question.feedback, "moodle_auto_format")
    for hint in question.hints:
        _text(element, "hint", hint)


def quiz_to_moodle_xml(quiz: Quiz) -> str:
    """The quiz as a Moodle XML document (UTF-8, with an XML declaration)."""
    root = ET.Element("quiz")
    category = ET.SubElement(root, "question", {"type": "category"})
    holder = ET.SubElement(category, "category")
    ET.SubElement(holder, "text").text = f"$course$/top/dockerlab/{quiz.id}"
    info = ET.SubElement(category, "info", {"format": "markdown"})
    ET.SubElement(info, "text").text = clean(quiz.summary or quiz.title)
    for question in quiz.questions:
        _question(root, question)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
