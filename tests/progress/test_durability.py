"""The record survives what learners do to it: kill -9 mid-write, two app instances at once."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dockerlab.progress import ProgressStore
from tests.progress.writer import LAB, SHARED

REPO = Path(__file__).resolve().parents[2]


def start_writer(
    db: Path, prefix: str, count: int, start: float | None = None
) -> subprocess.Popen[str]:
    at = [] if start is None else [str(start)]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.progress.writer", str(db), prefix, str(count), *at],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def run_until_killed(db: Path, steps_before_kill: int) -> list[str]:
    """Start a writer, SIGKILL it once it has committed that many steps; every line it printed
    (each one a write that had committed)."""
    proc = start_writer(db, "s", 0)
    assert proc.stdout is not None
    lines: list[str] = []
    while sum(line.startswith("step ") for line in lines) < steps_before_kill:
        line = proc.stdout.readline()
        if not line:
            _, err = proc.communicate(timeout=30)
            pytest.fail(f"the writer stopped by itself: {err}")
        lines.append(line.strip())
    proc.send_signal(signal.SIGKILL)  # while it is busy writing the next ones
    # read() through the same buffered stream: communicate() would skip what readline()
    # already buffered
    rest = proc.stdout.read()
    proc.wait(timeout=30)
    assert proc.stderr is not None
    proc.stderr.close()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    return lines + rest.splitlines()


@pytest.mark.parametrize("steps_before_kill", [1, 40, 250])
def test_sigkill_mid_write_keeps_every_committed_write_and_a_sound_file(
    tmp_path: Path, steps_before_kill: int
) -> None:
    db = tmp_path / "progress.sqlite3"
    lines = run_until_killed(db, steps_before_kill)

    assert integrity(db) == "ok"
    with ProgressStore(db) as store:
        done = store.completed_steps(LAB)
        committed = [line.split()[1] for line in lines if line.startswith("step ")]
        assert set(committed) <= set(done)
        assert len(done) <= len(committed) + 1  # at most the write in flight got through
        assert store.attempts(LAB, SHARED).fails >= lines.count("attempt")
        places = [int(line.split()[1]) for line in lines if line.startswith("place ")]
        place = store.last_place()
        resumed_at = int(place.rsplit("-", 1)[1]) if place else -1
        last_printed = places[-1] if places else -1
        assert last_printed <= resumed_at <= last_printed + 1


def test_after_a_sigkill_the_record_takes_new_writes(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    run_until_killed(db, 20)
    with ProgressStore(db) as store:
        store.record_step(LAB, "after-restart", content_hash="h", assisted=False)
    with ProgressStore(db) as store:
        assert "after-restart" in store.completed_steps(LAB)
    assert integrity(db) == "ok"


def test_two_processes_writing_at_once_both_succeed_and_nothing_is_lost(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"  # not there yet: both create and migrate it at once
    count = 300
    start = time.time() + 1.0
    writers = [start_writer(db, prefix, count, start) for prefix in ("a", "b")]
    for proc in writers:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err

    assert integrity(db) == "ok"
    with ProgressStore(db) as store:
        expected = {f"{p}-{i}" for p in ("a", "b") for i in range(count)}
        assert set(store.completed_steps(LAB)) == expected
        assert store.attempts(LAB, SHARED).fails == 2 * count  # no lost update
        assert store.hints_revealed(LAB, "a-2") == 3


def test_several_first_starts_at_once_all_open_the_new_database(tmp_path: Path) -> None:
    # switching a new file to WAL answers "locked" at once, without waiting: open must retry
    for attempt in range(2):
        db = tmp_path / f"progress-{attempt}.sqlite3"
        start = time.time() + 1.0  # time enough for every interpreter to start
        writers = [start_writer(db, f"w{i}", 3, start) for i in range(5)]
        for proc in writers:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        with ProgressStore(db) as store:
            assert len(store.completed_steps(LAB)) == 15
        assert integrity(db) == "ok"


def test_one_store_shared_by_threads_counts_every_attempt(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.sqlite3")

    def check_often() -> None:
        for _ in range(50):
            store.record_attempt("lab", "step", "pass")

    threads = [threading.Thread(target=check_often) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.attempts("lab", "step").passes == 200
    store.close()


def test_the_database_uses_wal_and_full_sync(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    ProgressStore(db).close()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
