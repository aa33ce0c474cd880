"""The database file: versioned schema, forward migrations, and files we must not touch."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from dockerlab.progress import ProgressError, ProgressStore
from dockerlab.progress.schema import LATEST, MIGRATIONS, migrate, version_of


def _connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db, isolation_level=None)


def test_a_new_database_is_at_the_latest_schema_version(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    ProgressStore(db).close()
    conn = _connect(db)
    try:
        assert version_of(conn) == LATEST == len(MIGRATIONS)
    finally:
        conn.close()


def test_migrations_run_forward_from_the_files_version_and_keep_its_data(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "db.sqlite3")
    v1 = MIGRATIONS[:1]
    assert migrate(conn, v1) == 1
    conn.execute(
        "INSERT INTO setting (key, value, updated_at) VALUES ('last_place', 'page:x', 't')"
    )
    v2 = (*v1, ("ALTER TABLE setting ADD COLUMN note TEXT DEFAULT 'added'",))
    assert migrate(conn, v2) == 2
    row = conn.execute("SELECT value, note FROM setting").fetchone()
    assert row == ("page:x", "added")
    assert migrate(conn, v2) == 2  # nothing left to do
    conn.close()


def test_a_failing_migration_leaves_the_old_version_intact(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "db.sqlite3")
    migrate(conn, MIGRATIONS[:1])
    broken = (*MIGRATIONS[:1], ("CREATE TABLE extra (x)", "THIS IS NOT SQL"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, broken)
    assert version_of(conn) == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "extra" not in tables
    conn.close()


def test_a_database_from_a_newer_dockerlab_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    ProgressStore(db).close()
    conn = _connect(db)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(ProgressError, match="newer dockerlab"):
        ProgressStore(db)
    assert db.read_bytes() == before


def test_a_file_that_is_not_a_database_gets_a_clear_error_and_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    junk = b"this is not sqlite, but it might be someone's only copy\n" * 100
    db.write_bytes(junk)
    with pytest.raises(ProgressError, match="is damaged") as err:
        ProgressStore(db)
    assert str(db) in str(err.value)
    assert db.read_bytes() == junk


def test_using_a_closed_store_raises_a_progress_error(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.sqlite3")
    store.close()
    with pytest.raises(ProgressError):
        store.record_attempt("lab", "step", "pass")
    with pytest.raises(ProgressError):
        store.last_place()


def test_a_write_waits_for_another_instances_transaction(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    store = ProgressStore(db)
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another app instance in the middle of a write
    other.execute("INSERT INTO setting VALUES ('learner', 'other', '2026-01-01T00:00:00+00:00')")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    store.record_attempt("lab", "step", "pass")  # waits instead of failing
    assert time.monotonic() - started >= 0.2
    release.join()
    assert store.attempts("lab", "step").passes == 1
    assert store.learner() == "other"
    store.close()
    other.close()


def test_a_lock_held_too_long_is_a_clear_error_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dockerlab.progress.database.BUSY_TIMEOUT_S", 0.1)
    db = tmp_path / "progress.sqlite3"
    store = ProgressStore(db)
    store.record_attempt("lab", "step", "pass")
    other = _connect(db)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(ProgressError, match="busy"):
        store.record_attempt("lab", "step", "pass")
    other.execute("ROLLBACK")
    other.close()
    assert store.attempts("lab", "step").passes == 1
    store.record_attempt("lab", "step", "pass")  # and it works again once the lock is gone
    assert store.attempts("lab", "step").passes == 2
    store.close()


def test_opening_while_another_instance_creates_the_file_waits_instead_of_failing(
    tmp_path: Path,
) -> None:
    # A new file is not in WAL yet; switching it needs the other writer gone, and SQLite says
    # "locked" at once rather than waiting, so open must retry.
    db = tmp_path / "progress.sqlite3"
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE other_instance_was_here (x)")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    with ProgressStore(db) as store:
        store.set_last_place("page:intro")
        assert store.last_place() == "page:intro"
    release.join()
    other.close()
