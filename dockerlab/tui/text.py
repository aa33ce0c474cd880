"""Small pure helpers for what the app shows: commands in instructions, plural words."""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s*(```|~~~)")


def commands_in(markdown: str) -> list[str]:
    """The command lines of a step's fenced code blocks, in order (comments and blank lines
    left out; a line ending in a backslash is joined with the next)."""
    commands: list[str] = []
    inside = False
    pending = ""
    for raw in markdown.splitlines():
        if FENCE.match(raw):
            inside = not inside
            pending = ""
            continue
        if not inside:
            continue
        line = raw.strip()
        if line.startswith("$ "):
            line = line[2:]
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1].rstrip() + " "
            continue
        commands.append(pending + line)
        pending = ""
    return commands


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"
