"""Problems found in content files, each with a place and, where we can guess, a fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, at file:line:column (both 1-based; line 0 when the
    problem is not in a file, e.g. a malformed --var on the command line)."""

    file: str
    line: int
    column: int
    message: str
    suggestion: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        text = f"{where}: {self.message}"
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        return text


class ContentError(Exception):
    """Raised with every problem found in a file, never just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest known spelling of `word`, if one is close enough to be a typo."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None
