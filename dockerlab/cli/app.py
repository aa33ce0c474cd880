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
    try:
        from dockerlab.tui.app import run_app
    except ImportError:
        parser.print_help()
        return 0
    return int(run_app(args))
