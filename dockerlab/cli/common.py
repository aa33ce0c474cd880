"""Helpers the CLI modules share: finding labs, printing problems, exit codes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dockerlab.model.problems import ContentError

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


def add_content_dirs(dirs: list[str]) -> None:
    """`--content DIR` adds to $DOCKERLAB_CONTENT for everything this process loads."""
    existing = os.environ.get("DOCKERLAB_CONTENT", "")
    parts = [p for p in existing.split(os.pathsep) if p] + [str(Path(d).resolve()) for d in dirs]
    os.environ["DOCKERLAB_CONTENT"] = os.pathsep.join(parts)


def print_problems(err: ContentError) -> None:
    for problem in err.problems:
        print(problem, file=sys.stderr)
    count = len(err.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
