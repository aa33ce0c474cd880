"""`dockerlab doctor` and `dockerlab images prepare`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dockerlab.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_PASS

# findings whose ✗ means the course cannot run here (the others are information with a fix)
ESSENTIAL = ("engine", "run a container", "image ")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("doctor", help="what this machine can do, with fixes")
    p.add_argument("--no-hub", action="store_true", help="do not try to reach Docker Hub")
    p.set_defaults(handler=cmd_doctor)

    p = sub.add_parser("images", help="the course's images")
    isub = p.add_subparsers(dest="images_command", metavar="ACTION", required=True)
    prep = isub.add_parser("prepare", help="pull them from Docker Hub, or build offline stand-ins")
    prep.add_argument("--offline", action="store_true", help="do not try Docker Hub")
    prep.set_defaults(handler=cmd_images_prepare)
    from dockerlab.cli.bundles import register_images

    register_images(isub)


def cmd_doctor(args: argparse.Namespace) -> int:
    from dockerlab.engine.doctor import run_doctor
    from dockerlab.runner.catalog import load_catalog
    from dockerlab.runner.privilege import root_steps

    labs = [loaded.lab for loaded in load_catalog().labs.values()]
    report = run_doctor(check_hub=not args.no_hub, root_steps=root_steps(labs))
    for finding in report.findings:
        print(finding.line())
    broken = [f for f in report.findings if f.ok is False and f.name.startswith(ESSENTIAL)]
    return EXIT_FAIL if broken else EXIT_PASS


def cmd_images_prepare(args: argparse.Namespace) -> int:
    from dockerlab.engine import Engine, EngineError, EngineUnavailable
    from dockerlab.engine.images import COURSE_IMAGES, prepare

    engine = Engine(timeout=300)
    total = len(COURSE_IMAGES)
    count = 0

    def progress(line: str) -> None:
        print(f"  {line}")

    try:
        hub = False if args.offline else None
        for index, ref in enumerate(COURSE_IMAGES, start=1):
            print(f"[{index}/{total}] {ref}")
            prepare(engine, [ref], progress=progress, hub=hub)
            count += 1
    except EngineUnavailable as exc:
        print(f"dockerlab: cannot reach the Docker engine: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except EngineError as exc:
        print(f"dockerlab: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{count}/{total} course images ready")
    return EXIT_PASS
