"""`dockerlab gradebook FILES...`: a class's progress exports merged into one CSV and one HTML.

Every exported file is checked in full first: a bad one is named with the place that is wrong,
exit 2, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dockerlab.cli.common import EXIT_ERROR, EXIT_PASS


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "gradebook",
        help="merge a class's progress exports into one CSV and one HTML report",
        description="Each learner runs `dockerlab progress export -o NAME.json`; give all the "
        "files here. Per learner: labs done, with help or not, steps done in challenge mode, "
        "quiz scores, time in the labs. Per step: how many got it at the first try, with "
        "hints, with the solution, in challenge mode.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="exported progress files (JSON)")
    p.add_argument("--csv", metavar="OUT", help="write the CSV here (default gradebook.csv)")
    p.add_argument("--html", metavar="OUT", help="write the HTML here (default gradebook.html)")
    p.add_argument("--title", default="dockerlab gradebook", help="the HTML report's title")
    p.set_defaults(handler=cmd_gradebook)


def _labs() -> dict[str, tuple[str, ...]]:
    """The labs here with their step ids, in course order (broken labs are skipped)."""
    from dockerlab.runner.catalog import load_catalog

    catalog = load_catalog()
    return {lab_id: tuple(s.id for s in ld.lab.steps) for lab_id, ld in catalog.labs.items()}


def cmd_gradebook(args: argparse.Namespace) -> int:
    from dockerlab.cli.progress import _write_text, read_export
    from dockerlab.progress import ProgressError
    from dockerlab.progress.gradebook import build, to_csv, to_html

    try:
        snapshots = [read_export(f) for f in args.files]
        book = build(snapshots, _labs())
        csv_path = Path(args.csv or "gradebook.csv")
        html_path = Path(args.html or "gradebook.html")
        _write_text(csv_path, to_csv(book))
        _write_text(html_path, to_html(book, args.title))
    except ProgressError as exc:
        print(f"dockerlab gradebook: {exc}", file=sys.stderr)
        return EXIT_ERROR
    learners = len(book.learners)
    print(f"{len(args.files)} exports, {learners} learners: wrote {csv_path} and {html_path}")
    return EXIT_PASS
