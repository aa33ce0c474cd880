"""Linting a quiz (through the quiz loader, plus ids used twice) and a course map (through the
course loader, plus every entry that points nowhere)."""

from __future__ import annotations

import re
from pathlib import Path

from dockerlab.authoring.lint_report import (
    PLACELESS,
    as_list,
    as_mapping,
    duplicate_ids,
    warning,
    without_echoes,
)
from dockerlab.authoring.lint_safety import control_problems, quiz_pattern_problems
from dockerlab.model.problems import ContentError, Problem
from dockerlab.model.yamlsource import PathKey, Source, read_yaml


def lint_quiz(path: Path) -> tuple[str | None, Source | None, list[Problem]]:
    """(quiz id, parsed source, problems) for one quiz file, through the quiz loader."""
    src, syntax = read_yaml(path)
    if syntax:
        return None, None, syntax
    from dockerlab.model.quiz import load_quiz

    problems: list[Problem] = []
    try:
        problems += quiz_pattern_problems(load_quiz(path, source=src).quiz, src)
    except ContentError as err:
        problems.extend(without_echoes(err.problems))
    duplicates = duplicate_ids(src, "questions", "question")
    if duplicates:
        problems = [p for p in problems if not p.message.split(": ", 1)[-1].startswith(PLACELESS)]
    problems += duplicates + verdict_echoes(src) + control_problems(src)
    quiz_id = as_mapping(src.data).get("id")
    return (quiz_id if isinstance(quiz_id, str) else None), src, problems


VERDICT = re.compile(r"(right|correct|wrong|incorrect)\b", re.IGNORECASE)
FEEDBACK_KEYS = ("feedback", "feedback_true", "feedback_false")


def verdict_echoes(src: Source) -> list[Problem]:
    """Feedback that starts with a verdict: the quiz already prints "Right." or "Wrong." before
    it, so the learner would read "Right. Right, ..."."""
    problems: list[Problem] = []
    for i, question in enumerate(as_list(as_mapping(src.data).get("questions"))):
        places: list[tuple[PathKey, object]] = [
            (("questions", i, key), as_mapping(question).get(key)) for key in FEEDBACK_KEYS
        ]
        for j, option in enumerate(as_list(as_mapping(question).get("options"))):
            at: PathKey = ("questions", i, "options", j, "feedback")
            places.append((at, as_mapping(option).get("feedback")))
        for where, text in places:
            found = VERDICT.match(text.strip()) if isinstance(text, str) else None
            if found:
                problems.append(
                    warning(
                        src,
                        where,
                        f"feedback starts with '{found.group(0)}': the quiz already says "
                        "'Right.' or 'Wrong.' before it; start with the reason",
                    )
                )
    return problems


def labs_dir_for(course_file: Path) -> Path:
    """Where a course map's labs live: `labs/` beside it, else beside its folder (the bundled
    layout: content/course.yaml and labs/)."""
    beside = course_file.parent / "labs"
    return beside if beside.is_dir() else course_file.parent.parent / "labs"


def lint_course(path: Path) -> list[Problem]:
    """The course map's own problems, then every entry that points nowhere."""
    from dockerlab.model.course import course_problems, load_course

    try:
        course = load_course(path)
    except ContentError as err:
        return list(err.problems)
    return course_problems(course, path.parent, labs_dir_for(path))
