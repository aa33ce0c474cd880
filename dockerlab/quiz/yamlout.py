"""Write a quiz as the YAML an instructor would have written: defaults left out, text readable."""

from __future__ import annotations

from typing import Any

import yaml

from dockerlab.model.quiz import Quiz


class _QuizDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """SafeDumper (libyaml's where PyYAML has it) that writes multi-line strings as `|` blocks
    (a subclass: no global change)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_QuizDumper.add_representer(str, _str)


def quiz_data(quiz: Quiz) -> dict[str, Any]:
    """The quiz as plain data in file order, without keys left at their defaults."""
    data = quiz.model_dump(mode="json", exclude_defaults=True)
    # format_version is a default too, but every file should say which format it is
    return {"format_version": quiz.format_version, **data}


def quiz_to_yaml(quiz: Quiz, comment: str | None = None) -> str:
    """The quiz as YAML text, with `comment` lines (if any) at the top as `# ...`."""
    body = yaml.dump(
        quiz_data(quiz),
        Dumper=_QuizDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    head = "".join(f"# {line}\n" for line in comment.splitlines()) if comment else ""
    return head + body
