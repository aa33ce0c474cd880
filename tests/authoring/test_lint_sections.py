"""Lint reports sections no course map defines and misspelt fixed values; `dockerlab list`
shows the course map's section titles and the app's heading for unlisted labs."""

from __future__ import annotations

from pathlib import Path

from dockerlab import paths
from dockerlab.authoring.lint import lint
from dockerlab.model.course import load_course
from tests.authoring.conftest import GOOD_LAB, Cli, write_lab


def test_a_section_no_course_map_defines_is_a_warning(tmp_path: Path) -> None:
    write_lab(tmp_path, GOOD_LAB.replace("section: private-registry", "section: privat-registry"))
    result = lint([tmp_path])
    assert not result.errors
    (problem,) = result.warnings
    assert problem.line == 4
    assert "section 'privat-registry' is not a section of any course map" in problem.message
    assert "under 'More labs and quizzes'" in problem.message
    assert problem.suggestion == "private-registry"


def test_an_http_method_is_checked_with_did_you_mean(tmp_path: Path) -> None:
    text = GOOD_LAB.replace(
        """          kind: container
          name: "{{ box }}\"""",
        """          kind: http
          url: http://127.0.0.1:5000/v2/
          method: DELET""",
    )
    write_lab(tmp_path, text)
    (problem,) = lint([tmp_path]).errors
    assert "steps.0.check.method: Input should be 'GET'" in problem.message
    assert problem.suggestion == "DELETE"


def test_list_uses_the_course_map_titles_and_the_apps_heading(tmp_path: Path, cli: Cli) -> None:
    write_lab(tmp_path, GOOD_LAB)
    code, out, err = cli("--content", str(tmp_path), "list")
    assert code == 0, err
    lines = out.splitlines()
    course = load_course(paths.bundled_content())
    headings = [line for line in lines if not line.startswith(" ")]
    assert headings == [s.title for s in course.sections if s.labs] + ["More labs and quizzes"]
    assert lines[-2:] == ["More labs and quizzes", "  tiny                 Tiny (1 min)"]


def test_feedback_that_repeats_the_verdict_is_a_warning(tmp_path: Path, cli: Cli) -> None:
    quiz = tmp_path / "demo.quiz.yaml"
    quiz.write_text(
        """\
format_version: 1
id: demo
title: Demo
section: private-registry
questions:
  - id: port
    type: single
    prompt: Which port?
    options:
      - {id: a, text: "5000", correct: true, feedback: "Right, the API is on 5000."}
      - {id: b, text: "443", feedback: Not inside the container.}
    explanation: The registry listens on 5000.
"""
    )
    (problem,) = lint([quiz]).warnings
    assert (problem.line, problem.column) == (10, 56)
    assert "feedback starts with 'Right'" in problem.message
    # the scaffold's own quiz does not do it
    assert cli("new", "quiz", "mine", "--dir", str(tmp_path / "new"))[0] == 0
    assert not lint([tmp_path / "new"]).problems


def test_show_prints_a_check_command_that_reaches_the_same_lab(tmp_path: Path, cli: Cli) -> None:
    write_lab(tmp_path, GOOD_LAB)
    code, out, _ = cli("--content", str(tmp_path), "show", "tiny", "--var", "box=my box")
    assert code == 0
    assert out.splitlines()[-1] == (
        f"Check your work: dockerlab --content {tmp_path} check tiny run-box --var 'box=my box'"
    )
