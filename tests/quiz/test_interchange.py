"""GIFT and Moodle XML with content that is not polite: questions without blank lines between
them, a byte-order mark, control characters, and what a format cannot carry said out loud."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from dockerlab.model.quiz import Quiz
from dockerlab.quiz.export import export_quiz, export_warnings
from dockerlab.quiz.gift_import import read_gift

PACKED = """\
::first::What is 2+2?{=4 ####Four.}
::second::Which port?{
  =5000
  ####The registry's port.
}
Is this true?{T ####Yes.}
// dockerlab {"hints": ["Look at the docs.", "It is a."]}
::fourth::Pick one{=a ~b ####A.}
::fifth::Fill the {=blank ####Blank.} in the text.
"""


def test_questions_without_blank_lines_between_them_are_split() -> None:
    quiz = read_gift(PACKED, "packed.gift").quiz
    assert [(q.id, q.prompt) for q in quiz.questions] == [
        ("first", "What is 2+2?"),
        ("second", "Which port?"),
        ("q3", "Is this true?"),
        ("fourth", "Pick one"),
        ("fifth", "Fill the _____ in the text."),
    ]
    assert quiz.questions[3].hints == ["Look at the docs.", "It is a."]
    assert quiz.questions[1].accept == ["5000"]


def test_the_same_file_with_blank_lines_reads_the_same() -> None:
    spaced = (
        PACKED.replace("\n::", "\n\n::")
        .replace("\nIs", "\n\nIs")
        .replace("\n//", "\n\n//")
        .replace('"]}\n\n::', '"]}\n::')  # the dockerlab comment stays with its question
    )
    assert spaced.count("\n\n") == 4
    assert read_gift(spaced, "x.gift").quiz == read_gift(PACKED, "x.gift").quiz


def test_a_problem_in_a_packed_question_names_its_own_line() -> None:
    with pytest.raises(Exception, match=r"packed.gift:3:") as err:
        read_gift(
            "::a::One?{=1 ####x}\n::b::Two?{=2 ####y}\n::c::Three?{=3 =4 ~5 ####z}\n", "packed.gift"
        )
    assert "several `=` answers" in str(err.value)


def test_a_byte_order_mark_does_not_eat_the_first_title() -> None:
    quiz = read_gift("\ufeff::port::Which port?{=5000 ####Port.}\n", "bom.gift").quiz
    assert [(q.id, q.prompt) for q in quiz.questions] == [("port", "Which port?")]


HOSTILE = """\
format_version: 1
id: hostile
title: "Hostile \\e[31mquiz"
section: test
questions:
  - id: q
    type: short
    prompt: "Type \\x01\\x02yes\\e[0m \\u202eok\\u202c"
    accept: ["yes"]
    regex: "y(es)?"
    hints: ["one", "two"]
    explanation: "Bell\\a and form feed\\f."
  - id: pick
    type: single
    prompt: Pick
    options:
      - {id: a, text: "A\\x0b", correct: true}
      - {id: b, text: B, pinned: true}
    explanation: A.
"""


@pytest.fixture
def hostile() -> Quiz:
    from dockerlab.model.quiz import parse_quiz

    return parse_quiz(HOSTILE, "hostile.quiz.yaml")


def test_moodle_xml_with_control_characters_is_well_formed(hostile: Quiz) -> None:
    text, _ = export_quiz(hostile, "moodle-xml")
    root = ET.fromstring(text.encode("utf-8"))  # raises on a character XML 1.0 cannot hold
    prompts = [q.findtext("questiontext/text") for q in root.findall("question[@type]")][1:]
    assert prompts == ["Type yes ok", "Pick"]
    assert root.findtext("question/info/text") == "Hostile quiz"


def test_gift_export_drops_control_characters_and_reads_back(hostile: Quiz) -> None:
    text, _ = export_quiz(hostile, "gift")
    assert "\x1b" not in text
    assert "\x01" not in text
    back = read_gift(text, "hostile.gift").quiz
    assert back.questions[0].prompt == "Type yes ok"
    assert back.questions[0].regex == "y(es)?"


def test_export_warns_about_what_the_target_cannot_carry(hostile: Quiz) -> None:
    assert export_warnings(hostile, "moodle-xml") == [
        "question 'q': its pattern `y(es)?` cannot be carried: the LMS accepts only the listed "
        "answers (yes)",
        "question 'q': dockerlab accepts one typo in a word; the LMS compares answers exactly",
        "question 'q': control, escape or bidi characters in its text were left out",
        "question 'pick': Moodle cannot pin one option: shuffling is off for the whole question",
        "question 'pick': control, escape or bidi characters in its text were left out",
    ]
    gift = export_warnings(hostile, "gift")
    assert gift[0].startswith(
        "question 'q': its pattern `y(es)?` cannot be carried (kept in a dockerlab comment"
    )
    assert (
        "question 'q': GIFT has no hints: the 2 hint(s) are kept in a dockerlab comment only"
        in gift
    )


def test_bundled_quizzes_export_warnings_name_only_real_losses() -> None:
    from dockerlab.model.quiz import find_quizzes

    for loaded in find_quizzes().quizzes.values():
        for fmt in ("gift", "moodle-xml"):
            for warning in export_warnings(loaded.quiz, fmt):
                assert "control, escape or bidi" not in warning


def test_a_question_bank_too_big_for_one_quiz_is_refused_at_the_first_question_too_many() -> None:
    from dockerlab.model.problems import ContentError

    text = "".join(f"::q{n}::Port {n}?{{=5000 ####The port.}}\n" for n in range(1500))
    with pytest.raises(ContentError) as err:
        read_gift(text, "bank.gift")
    (problem,) = err.value.problems
    assert (problem.line, problem.column) == (1001, 1)
    assert problem.message.startswith("more than 1,000 questions: a quiz holds at most 1,000")
