"""Matching a parsed YAML document against what a check expects (shared by `file` and
`registry_config` checks): pure functions."""

from __future__ import annotations

from typing import Any

import yaml


class YamlProblem(Exception):
    """The text is not YAML a registry would read; the message says where."""


def parse_yaml(text: str, shown: str) -> Any:
    """The document as a YAML 1.1 parser reads it (PyYAML, as the registry's go-yaml v2: tabs
    in indentation refused, comments ignored, `yes`/`True` are booleans)."""
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise YamlProblem(f"{shown} is not valid YAML{where}: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(f"{shown} is not valid YAML: {exc}") from exc


def same_scalar(expected: Any, actual: Any) -> bool:
    """Booleans by value (only a boolean equals a boolean); anything else by its text, a
    trailing `/` ignored (`http://upstream:5000/` is `http://upstream:5000`)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if expected is None or actual is None:
        return expected is None and actual is None
    return _text(expected) == _text(actual)


def _text(value: Any) -> str:
    text = str(value)
    return text.rstrip("/") if len(text) > 1 else text


def mismatch(expected: Any, actual: Any, path: str = "") -> str | None:
    """Where `actual` does not contain `expected`, or None when it does: mappings by their keys
    (case-insensitive, as the registry reads its keys), every expected list item matching some
    actual item, scalars by `same_scalar`."""
    here = path or "the document"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{here} is not a mapping"
        for key, value in expected.items():
            found = next((k for k in actual if str(k).lower() == str(key).lower()), None)
            child = f"{path}.{key}" if path else str(key)
            if found is None:
                return f"{child} is not set"
            problem = mismatch(value, actual[found], child)
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{here} is not a list"
        for item in expected:
            if all(mismatch(item, candidate, path) for candidate in actual):
                return f"no item of {here} matches {item!r}"
        return None
    if not same_scalar(expected, actual):
        return f"{here} is {actual!r}, not {expected!r}"
    return None
