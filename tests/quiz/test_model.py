"""Quiz files: what loads, and how a broken one is explained (file:line:column, a fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab.model.problems import ContentError, Problem
from dockerlab.model.quiz import (
    Quiz,
    QuizNotFound,
    find_quiz,
    find_quizzes,
    load_quiz,
    parse_quiz,
)
from tests.quiz.conftest import BROKEN, SAMPLE, write_quiz


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ContentError) as info:
        load_quiz(path)
    return info.value.problems


def find(problems: list[Problem], words: str) -> Problem:
    for problem in problems:
        if words in str(problem):
            return problem
    raise AssertionError(f"no problem mentions {words!r}: {[str(p) for p in problems]}")


def test_sample_quiz_loads_with_every_question_type(sample: Quiz) -> None:
    assert [q.type for q in sample.questions] == ["single", "multiple", "true_false", "short"]
    assert sample.question("pick-one").option("none").pinned
    assert sample.needed_to_pass() == 3  # 60% of 4 questions, rounded up


def test_misspelled_key_names_file_line_column_and_suggests_the_key(tmp_path: Path) -> None:
    path = write_quiz(tmp_path, BROKEN, "broken")
    problems = problems_of(path)
    explanation = find(problems, "unknown key 'explenation'")
    assert (explanation.file, explanation.line, explanation.column) == (str(path), 13, 5)
    assert explanation.suggestion == "explanation"
    assert str(explanation).endswith("(did you mean 'explanation'?)")
    feedback = find(problems, "unknown key 'feedbak'")
    assert (feedback.line, feedback.column, feedback.suggestion) == (18, 9, "feedback")


def test_wrong_type_value_and_unknown_question_type_point_at_the_value(tmp_path: Path) -> None:
    problems = problems_of(write_quiz(tmp_path, BROKEN, "broken"))
    pass_mark = find(problems, "pass_mark")
    assert (pass_mark.line, pass_mark.column) == (4, 12)
    assert "valid integer" in pass_mark.message
    kind = find(problems, "unknown question type 'singel'")
    assert (kind.line, kind.column) == (7, 11)
    assert "did you mean 'single'?" in kind.message


def test_missing_field_is_reported_at_the_question_that_lacks_it(tmp_path: Path) -> None:
    problems = problems_of(write_quiz(tmp_path, BROKEN, "broken"))
    missing = find(problems, "missing required key 'explanation'")
    assert (missing.line, missing.column) == (10, 5)  # the `- id: q2` mapping


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path) -> None:
    problems = problems_of(write_quiz(tmp_path, BROKEN, "broken"))
    assert len(problems) == 5
    assert [p.line for p in problems] == sorted(p.line for p in problems)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            ('{id: p80, text: "80",', '{id: p80, text: "80", correct: true,'),
            "needs exactly one option with `correct: true` (found: p80, p5000)",
        ),
        (("{id: p443,", "{id: p80,"), "option ids must be unique in a question: p80 repeat"),
        (("    answer: true\n", ""), "needs `answer: true` or `answer: false`"),
        (
            ("    accept: [webhook, webhooks, web hook, web-hook]\n", ""),
            "a short question needs `accept:`",
        ),
        (('regex: "web[ -]?hooks? url"', 'regex: "web("'), "not a valid regular expression"),
        (
            ("    answer: true\n", "    answer: true\n    accept: [x]\n"),
            "only short questions take `accept:`",
        ),
        (("id: sample", "id: list"), "'list' is a `dockerlab quiz` subcommand"),
        (("link: docker-hub", "link: Docker Hub"), "should match pattern"),
    ],
)
def test_semantic_mistakes_are_explained(
    tmp_path: Path, change: tuple[str, str], words: str
) -> None:
    old, new = change
    assert old in SAMPLE
    text = SAMPLE.replace(old, new, 1)
    name = "list" if "id: list" in new else "sample"
    problem = find(problems_of(write_quiz(tmp_path, text, name)), words)
    assert problem.line > 1


def test_quiz_id_must_match_its_file_name(tmp_path: Path) -> None:
    path = write_quiz(tmp_path, SAMPLE, "other")
    problem = find(problems_of(path), "does not match the file name")
    assert (problem.line, problem.column) == (2, 5)
    assert "rename the file to sample.quiz.yaml or set `id: other`" in problem.message


def test_yaml_syntax_error_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    path = write_quiz(tmp_path, "id: x\ntitle: [unclosed\n", "x")
    problem = problems_of(path)[0]
    assert problem.message.startswith("YAML syntax error")
    assert problem.line >= 2


def test_find_quizzes_reports_broken_files_and_keeps_the_good_ones(tmp_path: Path) -> None:
    write_quiz(tmp_path, SAMPLE, "sample")
    write_quiz(tmp_path, BROKEN, "broken")
    catalog = find_quizzes([tmp_path])
    assert list(catalog.quizzes) == ["sample"]
    assert catalog.problems
    assert all(p.file.endswith("broken.quiz.yaml") for p in catalog.problems)


def test_a_later_folder_overrides_a_bundled_quiz_with_the_same_id(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write_quiz(first, SAMPLE)
    write_quiz(second, SAMPLE.replace('title: "Sample: every feature"', "title: Override"))
    assert find_quizzes([first, second]).quizzes["sample"].quiz.title == "Override"
    assert find_quiz("sample", [first, second]).quiz.title == "Override"


def test_unknown_quiz_id_suggests_the_closest(tmp_path: Path) -> None:
    write_quiz(tmp_path, SAMPLE)
    with pytest.raises(QuizNotFound, match="did you mean 'sample'"):
        find_quiz("sampel", [tmp_path])


def test_parse_quiz_checks_without_a_file(sample: Quiz) -> None:
    assert parse_quiz(SAMPLE, "anywhere/sample.quiz.yaml") == sample
