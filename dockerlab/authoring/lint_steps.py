"""Lint of each step read from the file as written, so these warnings and errors appear even
while other parts of the lab do not load yet: too few hints, instructions that are nothing but
commands (challenge mode would show nothing), and diagnoses whose `example:` (the real error
text) their `pattern` does not match."""

from __future__ import annotations

from dockerlab.authoring.lint_report import as_list, as_mapping, warning
from dockerlab.model.patterns import compile_error, matches
from dockerlab.model.problems import Problem
from dockerlab.model.yamlsource import PathKey, Source


def step_problems(src: Source) -> list[Problem]:
    problems: list[Problem] = []
    for j, step in enumerate(as_list(as_mapping(src.data).get("steps"))):
        step = as_mapping(step)
        problems += _hints(src, j, step)
        problems += _challenge(src, j, step)
        for k, diagnosis in enumerate(as_list(step.get("diagnoses"))):
            problems += _example(src, ("steps", j, "diagnoses", k), as_mapping(diagnosis))
    return problems


def _hints(src: Source, j: int, step: dict[object, object]) -> list[Problem]:
    hints = step.get("hints")
    count = len(hints) if isinstance(hints, list) else 0
    if count >= 2:
        return []
    where: PathKey = ("steps", j, "hints") if count else ("steps", j, "id")
    have = "no hints" if count == 0 else "only one hint"
    name = step.get("id") if isinstance(step.get("id"), str) else f"#{j + 1}"
    return [
        warning(
            src,
            where,
            f"step '{name}' has {have}; give at least two: a nudge first, the command last",
            key=count > 0,
        )
    ]


def _challenge(src: Source, j: int, step: dict[object, object]) -> list[Problem]:
    text = step.get("instructions")
    if not isinstance(text, str) or not text.strip():
        return []
    from dockerlab.model.challenge import HIDDEN_NOTE, without_commands

    if without_commands(text).replace(HIDDEN_NOTE, "").strip():
        return []
    name = step.get("id") if isinstance(step.get("id"), str) else f"#{j + 1}"
    return [
        warning(
            src,
            ("steps", j, "instructions"),
            f"step '{name}' has only commands in its instructions, so challenge mode shows "
            "nothing but its goal: say in words what to do and why",
            key=True,
        )
    ]


def _example(src: Source, where: PathKey, diagnosis: dict[object, object]) -> list[Problem]:
    pattern, example = diagnosis.get("pattern"), diagnosis.get("example")
    if not isinstance(pattern, str) or not isinstance(example, str):
        return []
    if compile_error(pattern) is not None:
        return []  # the loader reports a pattern that does not compile
    if matches(pattern, example, multiline=True):
        return []
    return [
        src.problem(
            (*where, "example"),
            f"this diagnosis's pattern {pattern!r} does not match its example: the learner "
            "who makes this mistake would not see the explanation",
        )
    ]
