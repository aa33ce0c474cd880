"""Helpers the CLI modules share: `--var` arguments, printing problems, exit codes."""

from __future__ import annotations

import sys

from dockerlab.model.problems import ContentError

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


def parse_vars(items: list[str]) -> dict[str, str | int] | None:
    """The `--var NAME=VALUE` arguments, or None after printing why one is malformed."""
    from dockerlab.model.variables import parse_var_args

    try:
        return parse_var_args(items)
    except ContentError as err:
        print_problems(err)
        return None


def print_problems(err: ContentError) -> None:
    for problem in err.problems:
        print(problem, file=sys.stderr)
    count = len(err.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
