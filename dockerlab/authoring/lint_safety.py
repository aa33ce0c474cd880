"""What lint says about content that would break, hang or mislead at run time: Docker names
outside Docker's own grammar (a container named `x; touch /tmp/f`), regular expressions with a
nested quantifier (`^(a+)+$`), which backtrack exponentially on a near miss, and text holding
terminal escapes or bidi overrides (which the CLI and the app drop when they show it).

The grammars are Docker's: container and volume names are moby's `RestrictedNamePattern`
(`^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$`, daemon/names); image references are distribution's
reference grammar (reference/regexp.go). Networks and services get the container rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from dockerlab.authoring.lint_report import warning
from dockerlab.model.checks import (
    AllCheck,
    AnyCheck,
    CommandCheck,
    ContainerCheck,
    FileCheck,
    HttpCheck,
    ImageCheck,
    NotCheck,
    ServiceCheck,
)
from dockerlab.model.lab import Lab
from dockerlab.model.patterns import nested_quantifier
from dockerlab.model.problems import Problem
from dockerlab.model.quiz import Quiz
from dockerlab.model.safetext import unsafe_characters
from dockerlab.model.yamlsource import PathKey, Source

NAME_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]"
_NAME = re.compile(rf"/?{NAME_CHARS}+")

# distribution/reference, reference/regexp.go
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])"
_DOMAIN = rf"{_HOST}(?::[0-9]+)?"
_NAME_PART = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"({_NAME_PART})(?::{_TAG})?(?:@{_DIGEST})?")
NAME_TOTAL_LENGTH_MAX = 255


def name_error(kind: str, name: str) -> str | None:
    """Why Docker refuses `name` as a container, volume, network or service name (None: fine)."""
    if _NAME.fullmatch(name):
        return None
    if kind == "container":
        return f"Invalid container name ({name}), only {NAME_CHARS} are allowed"
    if kind == "volume":
        return (
            f'"{name}" includes invalid characters for a local volume name, '
            f'only "{NAME_CHARS}" are allowed'
        )
    return f"{kind} name '{name}' is not a valid Docker name; only {NAME_CHARS}+ is"


def reference_error(ref: str) -> str | None:
    """Why Docker refuses `ref` as an image reference (None: fine)."""
    if len(ref) > 1024:
        return "invalid reference format"
    found = _REFERENCE.fullmatch(ref)
    if found is None:
        if _REFERENCE.fullmatch(ref.lower()):
            return "invalid reference format: repository name must be lowercase"
        return "invalid reference format"
    if len(found.group(1)) > NAME_TOTAL_LENGTH_MAX:
        return f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
    return None


def _check_names(check: Any, path: PathKey) -> Iterator[tuple[PathKey, str, str]]:
    """(path, kind, value) of every Docker name or reference a check holds."""
    if isinstance(check, ContainerCheck | ServiceCheck):
        kind = "container" if isinstance(check, ContainerCheck) else "service"
        yield (*path, "name"), kind, check.name
        if check.image:
            yield (*path, "image"), "image", check.image
    elif isinstance(check, ImageCheck):
        yield (*path, "ref"), "image", check.ref
        if check.same_as:
            yield (*path, "same_as"), "image", check.same_as
    elif isinstance(check, AllCheck | AnyCheck):
        for i, sub in enumerate(check.checks):
            yield from _check_names(sub, (*path, "checks", i))
    elif isinstance(check, NotCheck):
        yield from _check_names(check.check, (*path, "check"))


def _lab_names(lab: Lab) -> Iterator[tuple[PathKey, str, str]]:
    for i, image in enumerate(lab.images):
        yield ("images", i), "image", image
    cleanup = lab.cleanup
    for key, kind, names in (
        ("containers", "container", cleanup.containers),
        ("services", "service", cleanup.services),
        ("volumes", "volume", cleanup.volumes),
        ("networks", "network", cleanup.networks),
        ("images", "image", cleanup.images),
    ):
        for i, name in enumerate(names):
            yield ("cleanup", key, i), kind, name
    for j, step in enumerate(lab.steps):
        yield from _check_names(step.check, ("steps", j, "check"))


def name_problems(lab: Lab, src: Source) -> list[Problem]:
    """Every Docker name or image reference in the lab that Docker would refuse (errors)."""
    problems: list[Problem] = []
    for path, kind, value in _lab_names(lab):
        error = reference_error(value) if kind == "image" else name_error(kind, value)
        if error:
            problems.append(src.problem(path, f"{kind} '{value}': {error}"))
    return problems


def _check_patterns(check: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(check, CommandCheck) and check.output:
        yield (*path, "output"), check.output
    elif isinstance(check, FileCheck) and check.contains:
        yield (*path, "contains"), check.contains
    elif isinstance(check, HttpCheck):
        if check.body:
            yield (*path, "body"), check.body
        for name, value in check.headers.items():
            yield (*path, "headers", name), value
    elif isinstance(check, AllCheck | AnyCheck):
        for i, sub in enumerate(check.checks):
            yield from _check_patterns(sub, (*path, "checks", i))
    elif isinstance(check, NotCheck):
        yield from _check_patterns(check.check, (*path, "check"))


def _nested_warning(src: Source, path: PathKey, pattern: str) -> Problem:
    return warning(
        src,
        path,
        f"pattern '{pattern}' repeats a group that itself repeats (a nested quantifier, as in "
        "(a+)+); on a near miss it backtracks for ages: write it without the inner repeat",
    )


def lab_pattern_problems(lab: Lab, src: Source) -> list[Problem]:
    """A warning for each diagnosis or check pattern with a nested quantifier."""
    found: list[tuple[PathKey, str]] = []
    for j, step in enumerate(lab.steps):
        for k, diagnosis in enumerate(step.diagnoses):
            found.append((("steps", j, "diagnoses", k, "pattern"), diagnosis.pattern))
        found.extend(_check_patterns(step.check, ("steps", j, "check")))
    return [_nested_warning(src, path, p) for path, p in found if nested_quantifier(p)]


def quiz_pattern_problems(quiz: Quiz, src: Source) -> list[Problem]:
    """A warning for each answer pattern with a nested quantifier."""
    return [
        _nested_warning(src, ("questions", i, "regex"), q.regex)
        for i, q in enumerate(quiz.questions)
        if q.regex and nested_quantifier(q.regex)
    ]


def _strings(value: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def control_problems(src: Source) -> list[Problem]:
    """A warning for each text holding control characters (other than newline and tab), escape
    sequences or bidi controls."""
    problems: list[Problem] = []
    for path, text in _strings(src.data, ()):
        found = unsafe_characters(text)
        if found:
            problems.append(
                warning(
                    src,
                    path,
                    f"this text holds {', '.join(found)} (terminal control or bidi characters); "
                    "they are dropped when shown, so write the text without them",
                )
            )
    return problems
