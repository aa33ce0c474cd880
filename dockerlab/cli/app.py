"""Open the full-screen app, or fall back to the command list when it cannot be drawn."""

from __future__ import annotations

import argparse
import sys


def open_app(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The app needs a terminal; with --plain or no TTY we print the commands instead."""
    if args.plain or not (sys.stdin.isatty() and sys.stdout.isatty()):
        parser.print_help()
        print("\n(no terminal to draw the app in: use the commands above)")
        return 0
    from dockerlab.cli.common import parse_vars, print_problems
    from dockerlab.model.problems import ContentError
    from dockerlab.runner.catalog import undeclared_overrides

    overrides = parse_vars(args.app_vars)
    if overrides is None:
        return 2
    problems = undeclared_overrides(overrides)
    if problems:
        print_problems(ContentError(problems))
        return 2
    try:
        from dockerlab.tui.app import run_app
    except ImportError:
        parser.print_help()
        return 0
    from dockerlab.engine.client import Engine

    return int(run_app(args, engine=Engine(timeout=10)))
