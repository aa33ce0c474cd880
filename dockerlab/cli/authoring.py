"""`dockerlab new | lint | schema | trust`: tools for instructors writing labs and quizzes."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from dockerlab.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_PASS


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Declare this group's subcommands on the main parser."""
    p = sub.add_parser("new", help="write a commented starting lab or quiz")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    lab = kinds.add_parser("lab", help="labs/SLUG/lab.yaml: a tiny working lab to start from")
    lab.add_argument("slug", metavar="SLUG", help="the lab id, e.g. registry-mirror")
    quiz = kinds.add_parser("quiz", help="content/ID.quiz.yaml: one question of each type")
    quiz.add_argument("slug", metavar="ID", help="the quiz id, e.g. private-registry")
    for q in (lab, quiz):
        q.add_argument(
            "--dir",
            type=Path,
            default=Path("."),
            help="the content folder to write into (default: the current folder)",
        )
        q.add_argument("--force", action="store_true", help="overwrite an existing file")
        q.set_defaults(handler=cmd_new)

    p = sub.add_parser("lint", help="check labs, quizzes and the course map: file:line:column")
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders (default: the bundled course and --content folders)",
    )
    p.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")
    p.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: annotations for GitHub Actions",
    )
    p.set_defaults(handler=cmd_lint)

    p = sub.add_parser("schema", help="print the JSON Schema (draft-07) of lab or quiz files")
    p.add_argument("kind", choices=("lab", "quiz"))
    p.set_defaults(handler=cmd_schema)

    p = sub.add_parser("trust", help="let labs from a folder run their setup and solution commands")
    p.add_argument("dir", nargs="?", type=Path, metavar="DIR")
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--list", action="store_true", help="the folders you trust, and whether they changed since"
    )
    group.add_argument("--revoke", action="store_true", help="stop trusting DIR")
    p.set_defaults(handler=cmd_trust)


def _relative(path: str) -> str:
    """A path under the current folder as typed from here; others unchanged."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def cmd_new(args: argparse.Namespace) -> int:
    from dockerlab.authoring.scaffold import ScaffoldError, new_lab, new_quiz

    try:
        if args.kind == "lab":
            written = new_lab(args.slug, args.dir, force=args.force)
        else:
            written = new_quiz(args.slug, args.dir, force=args.force)
    except ScaffoldError as exc:
        print(f"dockerlab: {exc}", file=sys.stderr)
        return EXIT_ERROR
    shown = _relative(str(written))
    print(f"wrote {shown}")
    root = _relative(str(args.dir.resolve())) or "."
    print(f"next: dockerlab lint {shown}")
    if args.kind == "lab":
        from dockerlab.runner.trust import is_bundled

        if not is_bundled(written):
            print(f"      dockerlab trust {root}")
        print(f"      dockerlab --content {root} validate {_relative(str(written.parent))}")
    else:
        print(f"      dockerlab --content {root} quiz {args.slug} --review")
    return EXIT_PASS


def cmd_lint(args: argparse.Namespace) -> int:
    from dockerlab.authoring.lint import format_problem, lint

    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"dockerlab: {path}: no such file or folder", file=sys.stderr)
    if missing:
        return EXIT_ERROR
    result = lint(args.paths)
    for problem in result.problems:
        shown = type(problem)(
            _relative(problem.file),
            problem.line,
            problem.column,
            problem.message,
            problem.suggestion,
            problem.severity,
        )
        print(format_problem(shown, args.format))
    files = len(result.files)
    if files == 0:
        where = ", ".join(map(str, args.paths)) or "the content folders"
        print(f"dockerlab: no lab.yaml, *.quiz.yaml or course.yaml in {where}", file=sys.stderr)
        return EXIT_ERROR
    errors, warnings = len(result.errors), len(result.warnings)
    summary = (
        f"{files} file{'s' if files != 1 else ''} checked: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
    print(summary, file=sys.stderr)
    if errors or (args.strict and warnings):
        return EXIT_FAIL
    return EXIT_PASS


def cmd_schema(args: argparse.Namespace) -> int:
    from dockerlab.authoring.schema import render

    sys.stdout.write(render(args.kind))
    return EXIT_PASS


def cmd_trust(args: argparse.Namespace) -> int:
    from dockerlab.runner import trust

    if args.list:
        print("bundled course: always trusted")
        for entry in trust.trusted_folders():
            state = {
                "trusted": "trusted",
                "changed": f"changed since you trusted it: read it, then `dockerlab trust "
                f"{entry.folder}` again",
                "missing": "folder is gone (`dockerlab trust --revoke` forgets it)",
            }[entry.status]
            print(f"{entry.folder}: {state} (sha256 {entry.sha256[:12]}, {entry.trusted_at})")
        return EXIT_PASS
    if args.dir is None:
        print("dockerlab: trust needs a folder (or --list)", file=sys.stderr)
        return EXIT_ERROR
    if args.revoke:
        if trust.revoke(args.dir):
            print(f"{args.dir.resolve()} is no longer trusted: its labs' commands will not run")
            return EXIT_PASS
        print(f"dockerlab: {args.dir.resolve()} was not trusted", file=sys.stderr)
        return EXIT_ERROR
    if trust.is_bundled(args.dir):
        print("the bundled course is always trusted")
        return EXIT_PASS
    try:
        entry = trust.trust(args.dir)
    except NotADirectoryError as exc:
        print(f"dockerlab: {exc}", file=sys.stderr)
        return EXIT_ERROR
    _describe(entry.folder)
    print(
        f"trusted {entry.folder} (sha256 {entry.sha256[:12]}): its labs' setup and solution "
        "commands may now run; any change to its files asks again"
    )
    return EXIT_PASS


def _describe(folder: Path) -> None:
    """What the learner just agreed to run: each lab and how many commands it has."""
    from dockerlab.model.loader import find_lab_files
    from dockerlab.model.yamlsource import read_yaml

    labs = find_lab_files([folder, folder / "labs"])
    for file in labs:
        src, _ = read_yaml(file)
        data = src.data if isinstance(src.data, dict) else {}
        setup = data.get("setup") or []
        steps = data.get("steps") or []
        commands = (len(setup) if isinstance(setup, list) else 1) + sum(
            len(s.get("solution") or [])
            if isinstance(s, dict) and isinstance(s.get("solution"), list)
            else 1
            for s in (steps if isinstance(steps, list) else [])
        )
        print(f"  {_relative(str(file))}: {commands} setup/solution command(s)")
