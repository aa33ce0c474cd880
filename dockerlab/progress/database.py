"""Opening the progress database file: WAL, durable commits, busy timeout, current schema."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from dockerlab.progress.records import ProgressError
from dockerlab.progress.schema import migrate

DB_NAME = "progress.sqlite3"
# Long enough to outwait another instance's write (milliseconds each), short enough that a
# stuck process shows up as an error rather than a frozen app.
BUSY_TIMEOUT_S = 15.0


def default_path() -> Path:
    from dockerlab.paths import data_dir

    return data_dir() / DB_NAME


def _busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting out other instances doing the same.

    Switching needs a moment of exclusive access, and SQLite reports "locked" at once instead
    of calling the busy handler (two first starts at the same time hit this), so we retry here
    for as long as the busy timeout allows. Once a file is in WAL the switch is a no-op.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def explain(path: Path, exc: sqlite3.Error) -> ProgressError:
    """A sqlite error as something a learner can act on."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if _busy(exc):
        return ProgressError(
            f"another dockerlab kept the progress database {path} busy for over "
            f"{BUSY_TIMEOUT_S:.0f} s; nothing was lost, try again in a moment"
        )
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return ProgressError(
            f"the progress database {path} is damaged ({exc}). The file was left as it is; "
            "move it aside (dockerlab then starts a new one) and bring your progress back "
            "with `dockerlab progress import` from an export or a backup."
        )
    return ProgressError(f"cannot use the progress database {path}: {exc}")


def open_database(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (callers BEGIN IMMEDIATE themselves), WAL, full sync,
    busy timeout, schema migrated; raises ProgressError saying what to do when it cannot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise explain(path, exc) from exc
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return conn
