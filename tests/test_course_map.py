"""The course map: the bundled one loads and reaches everything; broken maps are explained."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from dockerlab.model.course import (
    COURSE_FILE,
    Course,
    course_problems,
    existing_pages,
    load_course,
)
from dockerlab.model.problems import ContentError, Problem
from dockerlab.paths import bundled_content, bundled_labs

EXPECTED_SECTIONS = ["hub", "private-registry", "secure-registry", "swarm-registry", "third-party"]


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(bundled_content() / COURSE_FILE)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def make_tree(root: Path, pages: list[str], labs: dict[str, str], quizzes: list[str]) -> None:
    """A content folder and a labs folder holding just these files."""
    for page in pages:
        write(root / "content" / f"{page}.md", f"# {page}\n\nText.\n")
    for quiz in quizzes:
        write(root / "content" / f"{quiz}.quiz.yaml", "questions: []\n")
    for lab, section in labs.items():
        write(root / "labs" / lab / "lab.yaml", f"id: {lab}\nsection: {section}\n")


def problems_for(root: Path, course_yaml: str) -> list[Problem]:
    course = load_course(write(root / "content" / "course.yaml", course_yaml))
    return course_problems(course, root / "content", root / "labs")


# --- the bundled course ---------------------------------------------------------------------


def test_bundled_course_map_loads_with_the_agreed_sections_in_order(course: Course) -> None:
    assert course.format_version == 1
    assert [s.id for s in course.sections] == EXPECTED_SECTIONS
    assert course.section("hub").quiz_ids == ["container-registries", "docker-hub"]
    assert course.section("private-registry").labs == [
        "registry-basics",
        "registry-gc",
        "registry-mirror",
        "registry-webhooks",
    ]
    assert course.section("secure-registry").labs == ["registry-tls", "registry-auth"]
    assert course.section("swarm-registry").labs == ["registry-swarm"]
    assert course.section("third-party").quiz_ids == ["third-party"]


def test_every_page_the_map_names_exists_and_starts_with_a_title(course: Course) -> None:
    content = bundled_content()
    for page in course.page_ids():
        path = content / f"{page}.md"
        assert path.is_file(), f"{path} is missing"
        first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith("# "), f"{path} must start with a '# Title' line"


def test_every_bundled_page_is_in_the_map(course: Course) -> None:
    assert sorted(existing_pages(bundled_content())) == sorted(course.page_ids())


def test_every_bundled_lab_page_and_quiz_is_reachable_and_every_reference_exists(
    course: Course,
) -> None:
    problems = course_problems(course, bundled_content(), bundled_labs())
    assert problems == [], "\n".join(str(p) for p in problems)


def test_bundled_pages_fit_a_terminal() -> None:
    """Code blocks do not wrap (a wrapped command cannot be copied); pages have sections."""
    for page, path in existing_pages(bundled_content()).items():
        text = path.read_text(encoding="utf-8")
        assert re.search(r"^## ", text, re.MULTILINE), f"{page}: no '## ' sections"
        in_code = False
        for number, line in enumerate(text.splitlines(), start=1):
            if line.startswith("```"):
                in_code = not in_code
            elif in_code:
                assert len(line) <= 100, f"{page}.md:{number}: code line longer than 100"
        assert not in_code, f"{page}: unclosed code block"


# --- broken maps ----------------------------------------------------------------------------


def test_misspelled_key_is_reported_at_its_line_with_the_right_spelling(tmp_path: Path) -> None:
    path = write(
        tmp_path / "course.yaml",
        """
        format_version: 1
        title: Registries
        sections:
          - id: hub
            titel: Docker Hub
            summary: Hub.
        """,
    )
    with pytest.raises(ContentError) as caught:
        load_course(path)
    problems = caught.value.problems
    unknown = [p for p in problems if "unknown key 'titel'" in p.message]
    assert len(unknown) == 1
    assert (unknown[0].file, unknown[0].line, unknown[0].column) == (str(path), 5, 5)
    assert unknown[0].suggestion == "title"
    assert any("missing required key 'title'" in p.message for p in problems)


def test_unknown_page_id_is_reported_where_the_map_names_it(tmp_path: Path) -> None:
    make_tree(tmp_path, pages=["docker-hub"], labs={}, quizzes=[])
    problems = problems_for(
        tmp_path,
        """
        format_version: 1
        title: Registries
        sections:
          - id: hub
            title: Docker Hub
            summary: Hub.
            pages:
              - docker-hubb
        """,
    )
    missing = [p for p in problems if "docker-hubb" in p.message]
    assert len(missing) == 1
    assert missing[0].file.endswith("course.yaml")
    assert (missing[0].line, missing[0].column) == (8, 9)
    assert missing[0].suggestion == "docker-hub"
    assert "has no file" in missing[0].message
    # the page that does exist is now reached by nothing
    orphan = [p for p in problems if p.file.endswith("docker-hub.md")]
    assert len(orphan) == 1
    assert "not reachable" in orphan[0].message
    assert str(orphan[0]).startswith(str(tmp_path / "content" / "docker-hub.md") + ":1:1:")


def test_missing_lab_and_quiz_get_suggestions(tmp_path: Path) -> None:
    make_tree(tmp_path, pages=[], labs={"registry-tls": "secure"}, quizzes=["secure-registry"])
    problems = problems_for(
        tmp_path,
        """
        format_version: 1
        title: Registries
        sections:
          - id: secure
            title: TLS
            summary: TLS.
            labs: [registry-tsl]
            quiz: secure-regsitry
        """,
    )
    by_id = {p.message.split("'")[1]: p for p in problems if "has no file" in p.message}
    assert by_id["registry-tsl"].suggestion == "registry-tls"
    assert by_id["registry-tsl"].line == 7
    assert by_id["secure-regsitry"].suggestion == "secure-registry"
    assert by_id["secure-regsitry"].line == 8
    assert "registry-tsl/lab.yaml" in by_id["registry-tsl"].message


def test_complete_small_map_has_no_problems(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        pages=["intro"],
        labs={"basics": "start"},
        quizzes=["start-a", "start-b"],
    )
    write(tmp_path / "content" / "README.md", "Notes for authors, not a page.\n")
    problems = problems_for(
        tmp_path,
        """
        format_version: 1
        title: Registries
        sections:
          - id: start
            title: Start
            summary: Start here.
            pages: [intro]
            labs: [basics]
            quizzes: [start-a, start-b]
        """,
    )
    assert problems == []


def test_lab_in_the_wrong_section_is_reported_in_the_lab_file(tmp_path: Path) -> None:
    make_tree(tmp_path, pages=[], labs={"basics": "other"}, quizzes=[])
    problems = problems_for(
        tmp_path,
        """
        format_version: 1
        title: Registries
        sections:
          - id: start
            title: Start
            summary: Start here.
            labs: [basics]
        """,
    )
    assert len(problems) == 1
    assert problems[0].file.endswith("basics/lab.yaml")
    assert (problems[0].line, problems[0].suggestion) == (2, "start")
    assert "says section 'other'" in problems[0].message


def test_page_without_a_title_line_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "content" / "intro.md"
    page.parent.mkdir(parents=True)
    page.write_text("\nJust text, no heading.\n", encoding="utf-8")
    problems = problems_for(
        tmp_path,
        """
        format_version: 1
        title: Registries
        sections:
          - {id: start, title: Start, summary: Start here., pages: [intro]}
        """,
    )
    assert [(p.line, p.message) for p in problems] == [
        (2, "a page must start with a '# Title' line")
    ]


def test_duplicate_section_ids_and_items_listed_twice_are_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path / "course.yaml",
        """
        format_version: 1
        title: Registries
        sections:
          - {id: hub, title: Hub, summary: One., pages: [intro]}
          - {id: hub, title: Hub again, summary: Two., pages: [intro]}
        """,
    )
    with pytest.raises(ContentError) as caught:
        load_course(path)
    messages = [(p.line, p.message) for p in caught.value.problems]
    assert any(line == 5 and "section id 'hub' is already used" in m for line, m in messages)
    assert any(line == 5 and "page 'intro' is already listed" in m for line, m in messages)


def test_quiz_and_quizzes_together_are_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path / "course.yaml",
        """
        format_version: 1
        title: Registries
        sections:
          - id: hub
            title: Hub
            summary: One.
            quiz: a
            quizzes: [b]
        """,
    )
    with pytest.raises(ContentError) as caught:
        load_course(path)
    [problem] = caught.value.problems
    assert problem.line == 4
    assert "either 'quiz'" in problem.message


def test_bad_ids_and_unknown_format_version_are_explained(tmp_path: Path) -> None:
    path = write(
        tmp_path / "course.yaml",
        """
        format_version: 2
        title: Registries
        sections:
          - id: hub
            title: Hub
            summary: One.
            pages: [Docker Hub]
        """,
    )
    with pytest.raises(ContentError) as caught:
        load_course(path)
    found = {p.line: p.message for p in caught.value.problems}
    assert "format_version 1, not 2" in found[1]
    assert "'Docker Hub' is not an id" in found[7]


def test_yaml_syntax_error_and_missing_file_are_problems_not_crashes(tmp_path: Path) -> None:
    broken = write(tmp_path / "course.yaml", "sections: [\n")
    with pytest.raises(ContentError) as caught:
        load_course(broken)
    assert "YAML syntax error" in caught.value.problems[0].message
    with pytest.raises(ContentError) as caught:
        load_course(tmp_path / "nowhere")
    assert "cannot read the file" in caught.value.problems[0].message


def test_a_folder_means_its_course_yaml() -> None:
    assert [s.id for s in load_course(bundled_content()).sections] == EXPECTED_SECTIONS


def test_a_lab_not_written_yet_gets_no_misleading_suggestion(tmp_path: Path) -> None:
    make_tree(tmp_path, pages=[], labs={"registry-basics": "start"}, quizzes=[])
    problems = problems_for(
        tmp_path,
        """
        format_version: 1
        title: Registries
        sections:
          - {id: start, title: Start, summary: Go., labs: [registry-basics, registry-gc]}
        """,
    )
    assert [(p.message.split("'")[1], p.suggestion) for p in problems] == [("registry-gc", None)]
