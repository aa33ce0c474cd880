"""`dockerlab` on the command line: parse, call the layers below, print. Thin on purpose.

Each group of subcommands lives in its own module with a `register(subparsers)` function that
only declares arguments; handlers import what they need when they run, so `dockerlab` with no
arguments opens the app without loading the engine or the checks.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dockerlab.cli import authoring, doctor, gradebook, labs, progress, quiz, serve

# the modules under dockerlab.cli that declare subcommands, in the order `--help` lists them
GROUPS = (labs, doctor, quiz, progress, authoring, gradebook, serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockerlab",
        description="Learn Docker container registries by doing. With no command, opens the app.",
    )
    parser.add_argument("--plain", action="store_true", help="never open the full-screen app")
    parser.add_argument(
        "--content",
        action="append",
        default=[],
        metavar="DIR",
        help="add labs, quizzes and pages from DIR (also $DOCKERLAB_CONTENT)",
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        dest="app_vars",
        metavar="NAME=VALUE",
        help="a lab variable for the app, or for the lab command that follows, "
        "e.g. --var registry_port=5001",
    )
    parser.add_argument(
        "--challenge",
        action="store_true",
        dest="app_challenge",
        help="open the app with the labs you open in challenge mode: goals and explanations, "
        "no commands (the hints and the solution still have them)",
    )
    parser.add_argument(
        "--context",
        metavar="NAME",
        help="the Docker context to use (as `docker --context`); else DOCKER_HOST, "
        "DOCKER_CONTEXT or the docker CLI's current context",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from dockerlab import settings

    parser = build_parser()
    args = parser.parse_args(argv)
    # the settings of this run, chosen once: the environment, then --content
    with settings.use(settings.Settings.from_env().with_content(args.content)):
        return _run(args, parser)


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from dockerlab.cli.engines import choose_engine

    if not choose_engine(args.context):
        return 2
    handler = getattr(args, "handler", None)
    # `serve` hands --var and --challenge to the app of each browser session
    app_options_used = handler is None or getattr(args, "takes_app_options", False)
    if args.app_challenge and not app_options_used:
        print(
            "dockerlab: --challenge before a command is for the app (and `serve`); for a lab "
            "in a plain terminal use `dockerlab show --challenge LAB`",
            file=sys.stderr,
        )
        return 2
    if args.app_vars and not app_options_used:
        if not hasattr(args, "var"):
            print(
                f"dockerlab: --var before `{args.command}` sets nothing: it takes no lab variables",
                file=sys.stderr,
            )
            return 2
        args.var = [*args.app_vars, *args.var]  # a --var after the command wins
    if handler is None:
        from dockerlab.cli.app import open_app

        return open_app(args, parser)
    from dockerlab.engine.client import EngineError, EngineUnavailable
    from dockerlab.model.problems import ContentError
    from dockerlab.progress.records import ProgressError
    from dockerlab.runner.trust import UntrustedContent

    try:
        return int(handler(args) or 0)
    except EngineUnavailable as exc:
        print(f"dockerlab: cannot reach the Docker engine: {exc}", file=sys.stderr)
        return 2
    except EngineError as exc:
        print(f"dockerlab: {exc}", file=sys.stderr)
        return 1
    except ContentError as exc:
        from dockerlab.cli.common import print_problems

        print_problems(exc)
        return 2
    except UntrustedContent as exc:
        print(f"dockerlab: {exc}", file=sys.stderr)
        return 2
    except ProgressError as exc:
        print(f"dockerlab: your progress record: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # output piped into `head` and the reader went away: not an error worth a traceback
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
