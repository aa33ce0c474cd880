"""`{{ name }}` substitution in a lab's strings, with unknown names reported where they stand."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dockerlab.model.problems import Problem, did_you_mean
from dockerlab.model.yamlsource import PathKey, Source

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# Go-template words Docker's --format strings use ({{end}}, {{json .}}): never lab variables
GO_TEMPLATE_WORDS = frozenset(
    [
        "end",
        "else",
        "range",
        "if",
        "with",
        "json",
        "index",
        "len",
        "println",
        "printf",
        "print",
        "join",
        "title",
        "lower",
        "upper",
        "split",
        "define",
        "template",
        "block",
        "and",
        "or",
        "not",
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
    ]
)


def substitute(
    src: Source, values: Mapping[str, str | int], skip: tuple[str, ...] = ("variables",)
) -> tuple[Any, list[Problem]]:
    """The data with placeholders filled; a string that is only `{{ x }}` keeps x's type."""
    problems: list[Problem] = []

    def fill(node: Any, path: PathKey) -> Any:
        if isinstance(node, dict):
            return {
                k: (v if (not path and k in skip) else fill(v, (*path, k))) for k, v in node.items()
            }
        if isinstance(node, list):
            return [fill(v, (*path, i)) for i, v in enumerate(node)]
        if not isinstance(node, str):
            return node
        whole = PLACEHOLDER.fullmatch(node.strip())
        if whole and whole.group(1) in values:
            return values[whole.group(1)]

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in GO_TEMPLATE_WORDS and name not in values:
                return match.group(0)
            if name not in values:
                hint = did_you_mean(name, values)
                known = ", ".join(sorted(values)) or "none are declared"
                problems.append(
                    src.problem(
                        path, f"unknown variable '{{{{ {name} }}}}' (variables: {known})", hint
                    )
                )
                return match.group(0)
            return str(values[name])

        return PLACEHOLDER.sub(one, node)

    return fill(src.data, ()), problems


def resolve_nested(values: Mapping[str, str | int], rounds: int = 5) -> dict[str, str | int]:
    """Variables may use other variables (`{{ registry_port }}` inside a default). Unknown names
    stay as they are, to be reported where the value is used; cycles stop after a few rounds."""
    out = dict(values)
    for _ in range(rounds):
        changed = False
        for name, value in out.items():
            if not isinstance(value, str) or "{{" not in value:
                continue

            def one(match: re.Match[str], me: str = name) -> str:
                other = match.group(1)
                if other == me or other not in out:
                    return match.group(0)
                return str(out[other])

            new = PLACEHOLDER.sub(one, value)
            if new != value:
                out[name] = new
                changed = True
        if not changed:
            break
    return out
