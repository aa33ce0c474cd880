"""The progress database's tables and their forward migrations, versioned by `PRAGMA user_version`.

MIGRATIONS[i] takes a database from version i to i + 1. Never edit a migration that has shipped:
learners' databases already ran it. Add a new one at the end instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from dockerlab.progress.records import ProgressError

Migration = Sequence[str]

MIGRATIONS: tuple[Migration, ...] = (
    # 0 -> 1: the first schema
    (
        """CREATE TABLE step_completion (
            lab_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            assisted INTEGER NOT NULL CHECK (assisted IN (0, 1)),
            completed_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (lab_id, step_id)
        )""",
        """CREATE TABLE step_attempts (
            lab_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            passes INTEGER NOT NULL DEFAULT 0,
            fails INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            last_status TEXT,
            last_at TEXT,
            PRIMARY KEY (lab_id, step_id)
        )""",
        """CREATE TABLE hints (
            lab_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            revealed INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (lab_id, step_id)
        )""",
        """CREATE TABLE quiz_attempt (
            id INTEGER PRIMARY KEY,
            quiz_id TEXT NOT NULL,
            score REAL NOT NULL,
            total REAL NOT NULL,
            passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
            at TEXT NOT NULL,
            UNIQUE (quiz_id, at)
        )""",
        """CREATE TABLE quiz_answer (
            attempt_id INTEGER NOT NULL REFERENCES quiz_attempt (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            answer_text TEXT NOT NULL,
            correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
            PRIMARY KEY (attempt_id, position)
        )""",
        """CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    ),
    # 1 -> 2: the seed that shuffled a quiz attempt's options (NULL: file order, or older)
    ("ALTER TABLE quiz_attempt ADD COLUMN seed INTEGER",),
    # 2 -> 3: the mode each step was done in; steps done before modes existed were guided
    (
        """ALTER TABLE step_completion ADD COLUMN mode TEXT NOT NULL DEFAULT 'guided'
            CHECK (mode IN ('guided', 'challenge'))""",
    ),
)

LATEST = len(MIGRATIONS)


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database up to the newest schema; returns the version it is at afterwards.

    The connection must be in autocommit mode (isolation_level=None). All pending migrations run
    in one IMMEDIATE transaction: another process opening the same file at the same moment waits,
    then finds the work done, and a crash half-way leaves the old version intact.
    Raises ProgressError when the file was written by a newer dockerlab (it is left untouched).
    """
    latest = len(migrations)
    if version_of(conn) == latest:
        return latest
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = version_of(conn)  # again: another process may have migrated meanwhile
        if current > latest:
            raise ProgressError(
                f"the progress database has schema version {current}, but this dockerlab "
                f"only knows up to {latest}: it was written by a newer dockerlab. Upgrade "
                "dockerlab; the file was left as it is."
            )
        for version in range(current, latest):
            for statement in migrations[version]:
                conn.execute(statement)
        # PRAGMA does not take parameters; the value is our own integer.
        conn.execute(f"PRAGMA user_version = {int(latest)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return latest
