"""Offline image bundles: `dockerlab images export` and `import` of the course images.

    .venv/bin/python -m benchmarks.bench_bundle

Baseline in the same run: plain `docker save` of the same images to a file and `docker load` of
it (what the bundle adds: hashing every member, the manifest, verifying before loading, checking
the IDs after). Loading happens on the engine the images came from, so nothing changes there;
the engine lock (as the tests take it) keeps it out of the way of running tests.
"""

from __future__ import annotations

import fcntl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, write_section
from dockerlab.engine import Engine
from dockerlab.engine.images import COURSE_IMAGES, prepare

RUNS = 3


def _run(*args: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    dockerlab = (sys.executable, "-m", "dockerlab")
    with open("/tmp/dockerlab-engine.lock", "w") as lock, tempfile.TemporaryDirectory() as tmp:
        fcntl.flock(lock, fcntl.LOCK_EX)
        engine = Engine(timeout=300)
        prepare(engine)
        version = engine.version().get("Version")
        bundle, plain = Path(tmp) / "course.tar", Path(tmp) / "plain.tar"
        save = [_run("docker", "save", "-o", str(plain), *COURSE_IMAGES) for _ in range(RUNS)]
        export = [_run(*dockerlab, "images", "export", str(bundle)) for _ in range(RUNS)]
        load = [_run("docker", "load", "-i", str(plain)) for _ in range(RUNS)]
        imp = [_run(*dockerlab, "images", "import", str(bundle)) for _ in range(RUNS)]
        size = bundle.stat().st_size
    med = statistics.median
    body = f"""## Offline image bundles (issue 15)

Measured {time.strftime("%Y-%m-%d")} on {machine()}, Docker {version}, by
`benchmarks/bench_bundle.py`: the {len(COURSE_IMAGES)} course images (offline stand-ins here),
median of {RUNS} runs each, whole commands (new processes).

| | median |
|---|---|
| baseline: `docker save` of the same images | {med(save):.2f} s |
| `dockerlab images export` | **{med(export):.2f} s** |
| baseline: `docker load` of that file | {med(load):.2f} s |
| `dockerlab images import` (verify every member, load, check the IDs) | **{med(imp):.2f} s** |

Bundle size **{size / 1e6:.1f} MB** (an uncompressed tar, like `docker save`).
"""
    write_section("bundle", body)
    print(body)


if __name__ == "__main__":
    main()
