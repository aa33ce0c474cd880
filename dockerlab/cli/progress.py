"""`dockerlab progress`: show, reset, export and import the learner's record; set the learner name.

Every failure to read the record or a file is one plain sentence on stderr and exit 2, never a
traceback. A reset first saves the whole record to a backup file that `import` brings back.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockerlab.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_PASS

if TYPE_CHECKING:
    from dockerlab.progress import GradeColumn, ProgressStore, Snapshot
    from dockerlab.runner.catalog import Catalog


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Declare this group's subcommands on the main parser."""
    group = sub.add_parser(
        "progress",
        help="your record: show, reset, export, import",
        description="What you have done: lab steps, hints, quiz attempts, where you left off.",
    )
    group.set_defaults(handler=_guarded(cmd_show))
    actions = group.add_subparsers(dest="progress_action", metavar="ACTION")

    p = actions.add_parser("show", help="labs and steps done, quiz best scores, last place")
    p.set_defaults(handler=_guarded(cmd_show))

    p = actions.add_parser("reset", help="forget one step, one lab, or everything")
    p.add_argument("target", nargs="?", metavar="LAB[/STEP]", help="omit to reset everything")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=_guarded(cmd_reset))

    p = actions.add_parser("export", help="write your record as JSON, or a gradebook CSV")
    p.add_argument("--format", choices=("json", "csv"), default="json")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of the screen")
    p.add_argument(
        "--from",
        dest="sources",
        action="append",
        default=[],
        metavar="FILE",
        help="(csv) one row per learner from these exported JSON files instead of your record",
    )
    p.set_defaults(handler=_guarded(cmd_export))

    p = actions.add_parser("import", help="merge an exported JSON file into your record")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=_guarded(cmd_import))

    p = actions.add_parser("learner", help="show or set your name/id for gradebook exports")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.set_defaults(handler=_guarded(cmd_learner))


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the record's own errors (damaged database, unreadable file) into exit 2 + message."""

    def run(args: argparse.Namespace) -> int:
        from dockerlab.progress import ProgressError

        try:
            return handler(args)
        except ProgressError as exc:
            print(f"dockerlab progress: {exc}", file=sys.stderr)
            return EXIT_ERROR

    return run


def _store() -> ProgressStore:
    from dockerlab.progress import ProgressStore

    return ProgressStore()


def _catalog() -> Catalog:
    """The labs on this machine (for step totals and changed steps); broken labs are skipped."""
    from dockerlab.runner.catalog import load_catalog

    return load_catalog()


# -- show ---------------------------------------------------------------------------------------


def cmd_show(args: argparse.Namespace) -> int:
    catalog = _catalog()
    with _store() as store:
        print(f"Learner: {store.learner()}")
        print(f"Last place: {store.last_place() or '(none yet)'}")
        lab_ids = store.lab_ids()
        quizzes = store.quiz_attempts()
        if not lab_ids and not quizzes:
            print("\nNothing recorded yet.")
            return EXIT_PASS
        if lab_ids:
            print("\nLabs")
        for lab_id in lab_ids:
            print(f"  {lab_id:<28} {_lab_line(store, catalog, lab_id)}")
    if quizzes:
        print("\nQuizzes")
        by_quiz: dict[str, list[float]] = {}
        passed: set[str] = set()
        for q in quizzes:
            by_quiz.setdefault(q.quiz_id, []).append(q.percent)
            if q.passed:
                passed.add(q.quiz_id)
        for quiz_id, scores in sorted(by_quiz.items()):
            verdict = "passed" if quiz_id in passed else "not passed yet"
            print(f"  {quiz_id:<28} best {max(scores):.0f}% ({len(scores)} attempt(s), {verdict})")
    return EXIT_PASS


def _lab_line(store: ProgressStore, catalog: Catalog, lab_id: str) -> str:
    """ "2/5 steps done, changed since you did them: push, 1 with the solution shown, 1 in
    challenge mode"."""
    from dockerlab.runner.learner import read_lab_progress

    loaded = catalog.labs.get(lab_id)
    summary = read_lab_progress(store, lab_id, loaded.lab if loaded else None)
    if summary.total is None:
        line = f"{summary.count} step(s) done (lab not found here)"
    else:
        line = f"{summary.count}/{summary.total} steps done"
        if summary.changed:
            line += f", changed since you did them: {', '.join(summary.changed)}"
    if summary.assisted:
        line += f", {summary.assisted} with the solution shown"
    if summary.challenge:
        line += f", {summary.challenge} in challenge mode"
    return line


# -- reset --------------------------------------------------------------------------------------


def _parse_target(target: str | None) -> tuple[str | None, str | None, str]:
    """LAB or LAB/STEP → (lab, step, how to say it); None → everything."""
    if not target:
        return None, None, "ALL your progress (every lab, every quiz attempt, the last place)"
    lab, _, step = target.partition("/")
    if not lab or (target.count("/") and not step) or "/" in step:
        raise ValueError(f"'{target}' is not LAB or LAB/STEP")
    if step:
        return lab, step, f"your progress in step '{step}' of lab '{lab}'"
    return lab, None, f"your progress in lab '{lab}'"


def _confirm(question: str) -> bool:
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def cmd_reset(args: argparse.Namespace) -> int:
    try:
        lab, step, what = _parse_target(args.target)
    except ValueError as exc:
        print(f"dockerlab progress reset: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if not args.yes:
        if not sys.stdin.isatty():
            # Nobody to ask: refusing is the only answer that cannot lose progress.
            print(f"not resetting {what}: add --yes to confirm", file=sys.stderr)
            return EXIT_ERROR
        if not _confirm(f"Forget {what}?"):
            print("nothing was reset")
            return EXIT_FAIL
    with _store() as store:
        backup = _backup(store)
        removed = store.reset(lab, step)
    if removed == 0:
        backup.unlink()
        print(f"nothing to reset: there was no record of {what.removeprefix('your ')}")
        return EXIT_PASS
    print(f"reset {what}: {removed} record(s) removed")
    print(f"a copy from before the reset is in {backup}")
    print(f"(`dockerlab progress import {backup}` brings it back)")
    return EXIT_PASS


def _backup(store: ProgressStore) -> Path:
    from datetime import UTC, datetime

    folder = store.path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"progress-before-reset-{stamp}.json"
    _write_text(path, json.dumps(store.export_json(), indent=2, ensure_ascii=False) + "\n")
    return path


# -- export / import ----------------------------------------------------------------------------


def _write_text(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file behind."""
    from dockerlab.progress import ProgressError

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise ProgressError(f"cannot write {path}: {exc.strerror or exc}") from exc


def read_export(file: str) -> Snapshot:
    """An exported progress file, checked; every problem is a ProgressFileError naming it."""
    from dockerlab.progress import ProgressFileError, from_json

    try:
        text = Path(file).read_text(encoding="utf-8")
    except OSError as exc:
        raise ProgressFileError(f"cannot read {file}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError:
        raise ProgressFileError(f"{file} is not a text file (expected JSON)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProgressFileError(
            f"{file} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    try:
        return from_json(data)
    except ProgressFileError as exc:
        raise ProgressFileError(f"{file}: {exc}") from None


def _columns() -> list[GradeColumn]:
    """Lab columns with their step lists from the labs found here, in catalogue order."""
    from dockerlab.progress import GradeColumn

    catalog = _catalog()
    return [
        GradeColumn("lab", lab_id, tuple(s.id for s in loaded.lab.steps))
        for lab_id, loaded in catalog.labs.items()
    ]


def cmd_export(args: argparse.Namespace) -> int:
    from dockerlab.progress import gradebook_csv

    if args.sources and args.format != "csv":
        print("dockerlab progress export: --from needs --format csv", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        with _store() as store:
            text = json.dumps(store.export_json(), indent=2, ensure_ascii=False) + "\n"
    else:
        if args.sources:
            snapshots = [read_export(f) for f in args.sources]
        else:
            with _store() as store:
                snapshots = [store.snapshot()]
        text = gradebook_csv(snapshots, _columns())
    if args.output:
        _write_text(Path(args.output), text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_PASS


def cmd_import(args: argparse.Namespace) -> int:
    snapshot = read_export(args.file)  # checked in full before the record is opened
    with _store() as store:
        summary = store.import_snapshot(snapshot)
    print(f"imported {args.file} (learner {snapshot.learner}): {summary}")
    return EXIT_PASS


def cmd_learner(args: argparse.Namespace) -> int:
    with _store() as store:
        if args.name is None:
            print(store.learner())
            return EXIT_PASS
        try:
            store.set_learner(args.name)
        except ValueError as exc:
            print(f"dockerlab progress learner: {exc}", file=sys.stderr)
            return EXIT_ERROR
        print(f"learner name set to {store.learner()}")
    return EXIT_PASS
