"""What the lab and quiz linters share: severities, how a warning is placed, the problems both
report the same way (ids used twice, echoes of a misspelt key), and how a problem is printed."""

from __future__ import annotations

from typing import Any

from dockerlab.model.problems import Problem
from dockerlab.model.yamlsource import PathKey, Source

WARNING, ERROR = "warning", "error"
# What the model validators say without a place; lint reports these itself, with one.
PLACELESS = ("two steps have the id", "two questions have the id")


def format_problem(problem: Problem, style: str = "text") -> str:
    """`file:line:column: message (did you mean 'x'?)`, warnings marked `warning:`; or a
    GitHub Actions annotation with style="github"."""
    if style == "github":
        level = "warning" if problem.severity == WARNING else "error"
        message = problem.message
        if problem.suggestion:
            message += f" (did you mean '{problem.suggestion}'?)"
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={problem.file},line={problem.line},col={problem.column}::{message}"
    text = str(problem)
    if problem.severity == WARNING:
        head = f"{problem.file}:{problem.line}:{problem.column}: "
        text = head + "warning: " + text[len(head) :]
    return text


def warning(
    src: Source, path: PathKey, message: str, suggestion: str | None = None, *, key: bool = False
) -> Problem:
    p = src.problem(path, message, suggestion, key=key)
    return Problem(p.file, p.line, p.column, p.message, p.suggestion, severity=WARNING)


def as_mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def duplicate_ids(src: Source, items_key: str, what: str) -> list[Problem]:
    """An id used twice in a list (steps, questions), reported at the second one."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, item in enumerate(as_list(as_mapping(src.data).get(items_key))):
        item_id = as_mapping(item).get("id")
        if not isinstance(item_id, str):
            continue
        if item_id in first:
            line, _ = src.position((items_key, first[item_id], "id"))
            problems.append(
                src.problem(
                    (items_key, index, "id"),
                    f"{what} id '{item_id}' is already used at line {line}; "
                    f"{what} ids must be unique",
                )
            )
        else:
            first[item_id] = index
    return problems


def without_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop "missing required key 'x'" when the same mapping has an unknown key that is a
    misspelling of 'x': the did-you-mean already says it (keys of a block mapping share a
    column, and the mapping's place is its first key)."""
    misspelt = {
        (p.file, p.column, p.suggestion): p.line
        for p in problems
        if p.message.startswith("unknown key ") and p.suggestion
    }
    kept = []
    for p in problems:
        if p.message.startswith("missing required key '"):
            key = p.message.removeprefix("missing required key '").rstrip("'")
            line = misspelt.get((p.file, p.column, key))
            if line is not None and line >= p.line:
                continue
        kept.append(p)
    return kept
