"""A second dockerlab process writing progress, for the crash and concurrency tests.

    python -m tests.progress.writer DB PREFIX COUNT [START]

COUNT 0 writes forever, until killed. START (a time.time() value) makes several writers open
the database at the same instant.

For each i it records step PREFIX-i, an attempt on the shared step, a hint, and the last place;
after each write has returned (committed) it prints what it wrote, so the test knows exactly
which writes must survive.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

from dockerlab.progress import ProgressStore
from tests.waiting import wait_until

LAB = "crash-lab"
SHARED = "shared"


def main(argv: list[str]) -> int:
    db, prefix, count = Path(argv[0]), argv[1], int(argv[2])
    if len(argv) > 3:
        start = float(argv[3])
        wait_until(lambda: time.time() >= start, timeout=60, what="the start", every=0.001)
    store = ProgressStore(db)
    numbers = itertools.count() if count == 0 else range(count)
    for i in numbers:
        step = f"{prefix}-{i}"
        store.record_step(LAB, step, content_hash=f"hash-{i}", assisted=i % 2 == 1)
        print(f"step {step}", flush=True)
        store.record_attempt(LAB, SHARED, "fail")
        print("attempt", flush=True)
        store.record_hint(LAB, step, i % 3)
        store.set_last_place(f"lab:{LAB}/{step}")
        print(f"place {i}", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
