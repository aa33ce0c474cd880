"""`dockerlab images export FILE` and `dockerlab images import FILE`: offline image bundles."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from dockerlab.cli.common import EXIT_ERROR, EXIT_PASS


def register_images(isub: argparse._SubParsersAction[Any]) -> None:
    """Add `export` and `import` to the `images` group (declared in cli/doctor.py)."""
    p = isub.add_parser("export", help="write every course image into one offline bundle")
    p.add_argument("file", metavar="FILE", help="the bundle to write (a tar file)")
    p.set_defaults(handler=cmd_images_export)
    p = isub.add_parser("import", help="load an offline bundle, verifying every digest")
    p.add_argument("file", metavar="FILE", help="a bundle written by `dockerlab images export`")
    p.set_defaults(handler=cmd_images_import)


class Bar:
    """A progress bar on a terminal; on anything else, a plain line at every quarter."""

    WIDTH = 30

    def __init__(self, label: str, out: TextIO | None = None) -> None:
        self.label = label
        self.out = out or sys.stdout
        self.tty = self.out.isatty()
        self.quarter = -1
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        if self.tty:
            now = time.monotonic()
            if now - self.last < 0.1 and done < total:
                return
            self.last = now
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.out.write(f"\r{self.label} [{bar}] {share:4.0%} {_mb(done)}/{_mb(total)}")
            self.out.flush()
            return
        quarter = int(share * 4)
        if quarter > self.quarter:
            self.quarter = quarter
            print(f"{self.label}: {share:.0%} ({_mb(done)} of {_mb(total)})", file=self.out)

    def end(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def cmd_images_export(args: argparse.Namespace) -> int:
    from dockerlab.engine import Engine
    from dockerlab.engine.bundle import export_bundle

    path = Path(args.file)
    if path.is_dir():
        print(f"dockerlab: {path} is a folder; give a file name, e.g. {path}/course.tar")
        return EXIT_ERROR
    bar = Bar("saving")
    start = time.monotonic()
    bundle = export_bundle(Engine(timeout=300), path, progress=bar)
    bar.end()
    for image in bundle.images:
        kind = "stand-in" if image.standin else "real"
        print(f"  {image.ref}  {image.id[:19]}  ({kind})")
    size = path.stat().st_size
    took = time.monotonic() - start
    print(f"wrote {path}: {len(bundle.images)} images, {_mb(size)} in {took:.1f} s")
    print(f"on the machine without internet: dockerlab images import {path.name}")
    return EXIT_PASS


def cmd_images_import(args: argparse.Namespace) -> int:
    from dockerlab.engine import Engine
    from dockerlab.engine.bundle import BundleError, import_bundle, verify_bundle

    path = Path(args.file)
    start = time.monotonic()
    try:
        bar = Bar("verifying")
        verified = verify_bundle(path, progress=bar)
        bar.end()
        bar = Bar("loading")
        bundle = import_bundle(Engine(timeout=300), path, progress=bar, verified=verified)
        bar.end()
    except BundleError as exc:
        print(f"dockerlab: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for image in bundle.images:
        kind = "stand-in" if image.standin else "real"
        print(f"  loaded {image.ref}  {image.id[:19]}  ({kind}, ID verified)")
    took = time.monotonic() - start
    print(f"{len(bundle.images)} images loaded from {path.name} in {took:.1f} s")
    return EXIT_PASS
