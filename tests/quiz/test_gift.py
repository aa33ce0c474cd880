"""GIFT: our export, our import, round trips, and an independent reader (pygiftparser)."""

from __future__ import annotations

import io
import re
import textwrap
import warnings
from typing import Any

import pytest

with warnings.catch_warnings():
    # pygiftparser 1.1 calls locale.getdefaultlocale() on import, deprecated since Python 3.11
    warnings.simplefilter("ignore", DeprecationWarning)
    from pygiftparser import answer as gift_answers  # type: ignore[import-untyped]
    from pygiftparser import parser as gift_parser
    from pygiftparser.utils import transformSpecials  # type: ignore[import-untyped]

from dockerlab.model.problems import ContentError
from dockerlab.model.quiz import LoadedQuiz, Question, Quiz, parse_quiz
from dockerlab.quiz.gift import escape, quiz_to_gift, unescape
from dockerlab.quiz.gift_import import NO_EXPLANATION, read_gift
from dockerlab.quiz.yamlout import quiz_to_yaml

FOREIGN = """\
// A GIFT file as an LMS user writes it: no dockerlab comments.
$CATEGORY: $course$/top/Registries

::Default port::Which port does Docker Registry listen on by default?{
  ~80#That is plain HTTP's port.
  =5000#Right, as in -p 5000\\:5000.
  ~443#That is HTTPS's port; the registry uses 5000 for both.
  ####The registry image listens on 5000 inside the container.
}

::Loopback::[markdown]Docker talks to `127.0.0.1\\:5000` over plain HTTP.{TRUE
#No\\: 127.0.0.0/8 is exempt.#Yes, loopback is exempt.####Registries on 127.0.0.0/8 need no TLS.}

::Registries::Which of these are image registries?{
  ~%50%Quay.io#Red Hat's registry.
  ~%50%Harbor#A CNCF registry.
  ~%-100%Jenkins#A CI server.
  ####Quay and Harbor store images; Jenkins builds them.
}

::Hook::Docker Hub calls a {=webhook#A URL called on push.
=web hook#A URL called on push. ####A webhook is an HTTP POST.} on every push.

Which command lists images?{=docker image ls =docker images}
"""


def gift_parse(text: str) -> list[Any]:
    """The independent reader's questions; every one must be valid."""
    questions = gift_parser.parseFile(io.StringIO(text))
    assert all(q.valid for q in questions)
    return list(questions)


def plain(text: str) -> str:
    """pygiftparser leaves escapes in answers and feedback; undo them as GIFT defines."""
    return str(transformSpecials(text)).replace("\\n", "\n").strip()


def as_seen_by_pygiftparser(q: Any) -> dict[str, Any]:
    """One parsed question as comparable data: title, text, kind, answers, general feedback."""
    answers = q.answers
    data: dict[str, Any] = {
        "title": q.title,
        "text": plain(q.text),
        "general": plain(q.generalFeedback),
        "kind": type(answers).__name__,
    }
    if isinstance(answers, gift_answers.TrueFalseSet):
        data["answers"] = [
            (answers.answer, plain(answers.feedbackWrong), plain(answers.feedbackCorrect))
        ]
    else:
        data["answers"] = [
            (plain(a.answer), a.fraction > 0, plain(a.feedback)) for a in answers.answers
        ]
    return data


def expected(question: Question) -> dict[str, Any]:
    """What an independent reader must find for one of our questions."""
    data: dict[str, Any] = {
        "title": question.id,
        "text": question.prompt.strip(),
        "general": question.explanation.strip(),
    }
    if question.type == "true_false":
        right = question.feedback_true if question.answer else question.feedback_false
        wrong = question.feedback_false if question.answer else question.feedback_true
        data["kind"] = "TrueFalseSet"
        data["answers"] = [(question.answer, (wrong or "").strip(), (right or "").strip())]
    elif question.type == "short":
        data["kind"] = "ShortSet"
        data["answers"] = [(a, True, (question.feedback or "").strip()) for a in question.accept]
    else:
        data["kind"] = "SelectSet" if question.type == "single" else "MultipleChoicesSet"
        data["answers"] = [
            (o.text.strip(), o.correct, (o.feedback or "").strip()) for o in question.options
        ]
    return data


# --- escaping ---------------------------------------------------------------------------------


def test_escape_backslashes_every_special_character_and_newlines() -> None:
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


@pytest.mark.parametrize(
    "text",
    ["~=#{}:", "C:\\new\\path", "two\nlines\n\nand a paragraph", "50% off", "a \\n literal"],
)
def test_unescape_undoes_escape(text: str) -> None:
    assert unescape(escape(text)) == text.strip()


# --- our own round trips ------------------------------------------------------------------------


def test_every_bundled_quiz_survives_yaml_gift_yaml_unchanged(
    bundled: dict[str, LoadedQuiz],
) -> None:
    for loaded in bundled.values():
        back = read_gift(quiz_to_gift(loaded.quiz), f"{loaded.quiz.id}.gift").quiz
        assert back == loaded.quiz


def test_sample_with_pins_regex_and_hints_survives_the_round_trip(sample: Quiz) -> None:
    gift = quiz_to_gift(sample)
    assert "~%50%Docker Hub#The default one." in gift
    assert "~%-100%Swarm#An orchestrator, not a registry." in gift
    assert "{TRUE#127.0.0.0/8 is the exception.#Loopback is exempt." in gift
    assert read_gift(gift, "sample.gift").quiz == sample


def test_gift_to_yaml_to_gift_keeps_questions_answers_and_both_feedbacks() -> None:
    imported = read_gift(FOREIGN, "registries.gift")
    yaml_text = quiz_to_yaml(imported.quiz)
    reloaded = parse_quiz(yaml_text, "registries.quiz.yaml")
    again = quiz_to_gift(reloaded)
    before = [as_seen_by_pygiftparser(q) for q in gift_parse(FOREIGN)]
    after = [as_seen_by_pygiftparser(q) for q in gift_parse(again)]
    # titles become ids (slugs) and untitled questions get one; everything else is identical
    for b in before:
        b.pop("title")
    for a in after:
        a.pop("title")
    # the missing-word question reads as one prompt with the blank where the answers stood
    hook = before[3]
    assert hook["text"] == "Docker Hub calls a"
    hook["text"] = "Docker Hub calls a _____ on every push."
    before[4]["general"] = NO_EXPLANATION
    assert after == before


def test_foreign_gift_imports_into_the_four_types() -> None:
    result = read_gift(FOREIGN, "registries.gift")
    quiz = result.quiz
    assert quiz.id == "registries"
    assert quiz.section == "imported"
    assert [q.id for q in quiz.questions] == [
        "default-port",
        "loopback",
        "registries",
        "hook",
        "q5",
    ]
    assert [q.type for q in quiz.questions] == [
        "single",
        "true_false",
        "multiple",
        "short",
        "short",
    ]
    port = quiz.questions[0]
    assert [o.id for o in port.options] == ["a", "b", "c"]
    assert port.right_options()[0].feedback == "Right, as in -p 5000:5000."
    loop = quiz.questions[1]
    assert loop.prompt == "Docker talks to `127.0.0.1:5000` over plain HTTP."
    assert (loop.answer, loop.feedback_true, loop.feedback_false) == (
        True,
        "Yes, loopback is exempt.",
        "No: 127.0.0.0/8 is exempt.",
    )
    assert [o.correct for o in quiz.questions[2].options] == [True, True, False]
    assert quiz.questions[4].accept == ["docker image ls", "docker images"]
    warnings = [str(w) for w in result.warnings]
    assert (
        "registries.gift:24:28: no general feedback (####): the explanation says so; write one"
        in warnings
    )
    assert any("set `section:`" in w for w in warnings)


# --- an independent reader -------------------------------------------------------------------


def test_an_independent_gift_parser_reads_every_bundled_quiz_back(
    bundled: dict[str, LoadedQuiz],
) -> None:
    for quiz_id, loaded in bundled.items():
        parsed = gift_parse(quiz_to_gift(loaded.quiz))
        assert len(parsed) == len(loaded.quiz.questions), quiz_id
        for question, seen in zip(loaded.quiz.questions, parsed, strict=True):
            assert seen.markup == "markdown"
            assert as_seen_by_pygiftparser(seen) == expected(question), f"{quiz_id}/{question.id}"


def test_multiple_weights_add_up_to_a_hundred_for_the_independent_parser(sample: Quiz) -> None:
    three_right = sample.model_copy(deep=True)
    many = three_right.question("pick-many")
    options = [o.model_copy(update={"correct": True}) for o in many.options]
    q = many.model_copy(update={"options": options})
    three_right = three_right.model_copy(update={"questions": [q]})
    gift = quiz_to_gift(three_right)
    assert gift.count("~%33.33333%") == 3
    (parsed,) = gift_parse(gift)
    assert type(parsed.answers).__name__ == "MultipleChoicesSet"


# --- import problems ---------------------------------------------------------------------------


def problems(text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        read_gift(textwrap.dedent(text), "bad.gift")
    return [str(p) for p in info.value.problems]


def test_unclosed_answers_name_the_line_and_column_of_the_brace() -> None:
    text = """\
    ::ok::Fine?{T####Yes, fine.}

    // a comment line does not shift the count
    ::broken::Where does it end?{
      =here
      ~there
    """
    (problem,) = problems(text)
    assert problem.startswith("bad.gift:4:29: the answers have no closing }")
    assert "escape a literal brace as \\}" in problem


def test_several_right_answers_in_a_single_choice_are_explained() -> None:
    (problem,) = problems("::two::Pick{=a =b ~c}\n")
    assert problem.startswith("bad.gift:1:16: several `=` answers")
    assert "~%50%" in problem


def test_an_unclosed_title_is_a_problem() -> None:
    (problem,) = problems("::oops Pick{=a ~b}\n")
    assert problem.startswith("bad.gift:1:1: the title has no closing `::`")


def test_a_file_without_questions_says_what_a_question_looks_like() -> None:
    (problem,) = problems("// only a comment\n")
    assert "no questions found" in problem
    assert "{=right ~wrong}" in problem


def test_unsupported_question_kinds_are_skipped_with_a_warning() -> None:
    text = textwrap.dedent(
        """\
        Just some instructions.

        ::essay::Describe a registry.{}

        ::num::How many? {#3:1}

        ::match::Match them.{=a -> 1 =b -> 2}

        ::ok::Is 127.0.0.1 exempt?{T####It is.}
        """
    )
    result = read_gift(text, "mixed.gift")
    assert [q.id for q in result.quiz.questions] == ["ok"]
    warnings = "\n".join(str(w) for w in result.warnings)
    for words in ("description", "essay", "numerical", "matching"):
        assert re.search(rf"mixed\.gift:\d+:\d+: .*{words}", warnings), words


def test_the_imported_yaml_names_the_source_and_loads() -> None:
    result = read_gift(FOREIGN, "registries.gift")
    text = quiz_to_yaml(result.quiz, comment="Imported from registries.gift.")
    assert text.startswith("# Imported from registries.gift.\nformat_version: 1\nid: registries\n")
    assert parse_quiz(text, "registries.quiz.yaml") == result.quiz


def test_text_before_the_first_answer_is_a_problem() -> None:
    (problem,) = problems("::q::Pick{ oops ~a =b}\n")
    assert problem.startswith("bad.gift:1:12: text before the first answer")


def test_an_unreadable_dockerlab_comment_is_ignored_with_a_warning() -> None:
    text = "// dockerlab [1, 2]\n::q::Is it?{T####Yes.}\n"
    result = read_gift(text, "odd.gift")
    assert result.quiz.questions[0].answer is True
    assert any("not a JSON object" in str(w) for w in result.warnings)
