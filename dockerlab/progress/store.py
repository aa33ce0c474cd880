"""The learner's record in SQLite: step completions, attempts, hints, quiz attempts, last place.

Why it survives: WAL journal with synchronous=FULL, and every write is its own short
`BEGIN IMMEDIATE ... COMMIT`, so a kill -9 (or power cut) loses at most the write in flight and
never leaves a half-written record. Two dockerlab instances share the file: a writer waits (the
busy timeout) for the other's short transaction instead of failing, and readers never block.
One store may be used from several threads (the app's workers); a lock serialises them.
"""

from __future__ import annotations

import getpass
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from dockerlab.progress import merge
from dockerlab.progress.database import default_path, explain, open_database
from dockerlab.progress.records import (
    AttemptCount,
    AttemptRow,
    HintRow,
    ImportSummary,
    Mode,
    QuizAnswer,
    QuizAttempt,
    SettingRow,
    Snapshot,
    StepRecord,
    StepRow,
    lab_mode_key,
    utcnow,
)
from dockerlab.progress.snapshot import STATUSES, from_json, iso, parse_iso, to_json


def default_learner() -> str:
    """The OS user name, which is what a learner is called until they set a name."""
    try:
        return getpass.getuser() or "learner"
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return "learner"


class ProgressStore:
    """One learner's record, at `path` (default: <data dir>/progress.sqlite3).

    Every method raises ProgressError (never a bare sqlite3 error) when the file cannot be used.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_path()
        self._lock = threading.RLock()
        self._conn = open_database(self.path)

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short transaction; the write lock is taken up front so it cannot deadlock."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise explain(self.path, exc) from exc
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise explain(self.path, exc) from exc
                raise

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise explain(self.path, exc) from exc

    @contextmanager
    def _view(self) -> Iterator[None]:
        """Reads inside see one moment of the file, even while another instance writes."""
        with self._lock:
            if self._conn.in_transaction:  # already inside a view: it is the same moment
                yield
                return
            try:
                self._conn.execute("BEGIN")
            except sqlite3.Error as exc:
                raise explain(self.path, exc) from exc
            try:
                yield
            finally:
                if self._conn.in_transaction:
                    self._conn.execute("COMMIT")

    def close(self) -> None:
        """Close the file; the store cannot be used afterwards."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- steps ----------------------------------------------------------------------------------

    def record_step(
        self,
        lab_id: str,
        step_id: str,
        *,
        content_hash: str,
        assisted: bool,
        mode: Mode = Mode.GUIDED,
    ) -> None:
        """Mark a step completed. Idempotent: the first completion time is kept, `assisted` stays
        True once it was True, and the content hash becomes the one given (the learner has now
        done this version of the step). `mode` is the mode this version was first done in: done
        again with the same content, the step keeps the mode it had."""
        now = iso(utcnow())
        with self._write() as db:
            db.execute(
                """INSERT INTO step_completion
                       (lab_id, step_id, content_hash, assisted, completed_at, updated_at, mode)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (lab_id, step_id) DO UPDATE SET
                       content_hash = excluded.content_hash,
                       assisted = max(assisted, excluded.assisted),
                       updated_at = excluded.updated_at,
                       mode = CASE WHEN content_hash = excluded.content_hash THEN mode
                              ELSE excluded.mode END""",
                (lab_id, step_id, content_hash, int(assisted), now, now, Mode(mode).value),
            )

    def record_attempt(self, lab_id: str, step_id: str, status: str) -> None:
        """Count one check run of a step; `status` is "pass", "fail" or "error"."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        counts = tuple(int(status == s) for s in STATUSES)
        with self._write() as db:
            db.execute(
                """INSERT INTO step_attempts
                       (lab_id, step_id, passes, fails, errors, last_status, last_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (lab_id, step_id) DO UPDATE SET
                       passes = passes + excluded.passes,
                       fails = fails + excluded.fails,
                       errors = errors + excluded.errors,
                       last_status = excluded.last_status,
                       last_at = excluded.last_at""",
                (lab_id, step_id, *counts, status, iso(utcnow())),
            )

    def attempts(self, lab_id: str, step_id: str) -> AttemptCount:
        """How often this step's check ran, by outcome (all zero when never)."""
        rows = self._read(
            "SELECT * FROM step_attempts WHERE lab_id = ? AND step_id = ?", (lab_id, step_id)
        )
        return _attempt_count(rows[0]) if rows else AttemptCount()

    def record_hint(self, lab_id: str, step_id: str, index: int) -> None:
        """Hint number `index` (0-based, as in the step's `hints` list) was revealed; revealing
        it means the ones before it were shown too, so the count never goes down."""
        if index < 0:
            raise ValueError(f"hint index must be 0 or more, not {index}")
        with self._write() as db:
            db.execute(
                """INSERT INTO hints (lab_id, step_id, revealed, updated_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (lab_id, step_id) DO UPDATE SET
                       revealed = max(revealed, excluded.revealed),
                       updated_at = excluded.updated_at""",
                (lab_id, step_id, index + 1, iso(utcnow())),
            )

    def hints_revealed(self, lab_id: str, step_id: str) -> int:
        """How many of the step's hints the learner has seen (0 when none)."""
        rows = self._read(
            "SELECT revealed FROM hints WHERE lab_id = ? AND step_id = ?", (lab_id, step_id)
        )
        return int(rows[0]["revealed"]) if rows else 0

    def completed_steps(self, lab_id: str) -> dict[str, StepRecord]:
        """Every completed step of the lab, by step id, with its attempt count."""
        rows = self._read(
            """SELECT c.step_id, c.content_hash, c.assisted, c.completed_at, c.mode,
                      coalesce(a.passes + a.fails + a.errors, 0) AS attempts
               FROM step_completion c
               LEFT JOIN step_attempts a ON a.lab_id = c.lab_id AND a.step_id = c.step_id
               WHERE c.lab_id = ? ORDER BY c.completed_at""",
            (lab_id,),
        )
        return {
            r["step_id"]: StepRecord(
                step_id=r["step_id"],
                content_hash=r["content_hash"],
                assisted=bool(r["assisted"]),
                completed_at=parse_iso(r["completed_at"]),
                attempts=int(r["attempts"]),
                mode=Mode(r["mode"]),
            )
            for r in rows
        }

    def lab_ids(self) -> list[str]:
        """Every lab the learner has any record for (completions, attempts or hints), sorted."""
        rows = self._read(
            """SELECT lab_id FROM step_completion UNION SELECT lab_id FROM step_attempts
               UNION SELECT lab_id FROM hints ORDER BY lab_id"""
        )
        return [r["lab_id"] for r in rows]

    # -- quizzes --------------------------------------------------------------------------------

    def record_quiz(self, attempt: QuizAttempt) -> None:
        """Keep a quiz attempt with each answer. The same attempt (quiz id and time) twice is
        kept once."""
        with self._write() as db:
            merge.insert_quiz_attempt(db, attempt)

    def quiz_attempts(self, quiz_id: str | None = None) -> list[QuizAttempt]:
        """Quiz attempts, oldest first: of one quiz, or of every quiz when `quiz_id` is None."""
        where, params = ("WHERE quiz_id = ?", (quiz_id,)) if quiz_id is not None else ("", ())
        with self._view():
            attempts = self._read(f"SELECT * FROM quiz_attempt {where} ORDER BY at, id", params)
            answers = self._read(
                f"""SELECT a.* FROM quiz_answer a JOIN quiz_attempt q ON q.id = a.attempt_id
                    {where} ORDER BY a.attempt_id, a.position""",
                params,
            )
        by_attempt: dict[int, list[tuple[str, str, bool]]] = {}
        for a in answers:
            by_attempt.setdefault(a["attempt_id"], []).append(
                QuizAnswer(a["question_id"], a["answer_text"], bool(a["correct"]))
            )
        return [
            QuizAttempt(
                quiz_id=q["quiz_id"],
                score=int(q["score"]),
                total=int(q["total"]),
                passed=bool(q["passed"]),
                answers=tuple(by_attempt.get(q["id"], ())),
                at=parse_iso(q["at"]),
                seed=q["seed"],
            )
            for q in attempts
        ]

    # -- settings -------------------------------------------------------------------------------

    def _set(self, key: str, value: str) -> None:
        with self._write() as db:
            merge.put_setting(db, SettingRow(key, value, utcnow()))

    def _get(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM setting WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def set_last_place(self, place: str) -> None:
        """Where the learner is, e.g. "lab:registry-basics/push", "quiz:secure-registry"."""
        self._set("last_place", place)

    def last_place(self) -> str | None:
        """Where the learner was last (what the app resumes at), or None."""
        return self._get("last_place")

    def set_learner(self, name: str) -> None:
        """The learner's name or id, as it appears in gradebook exports."""
        name = name.strip()
        if not name:
            raise ValueError("the learner name cannot be empty")
        self._set("learner", name)

    def learner(self) -> str:
        """The learner's name: the one set, else the OS user name."""
        return self._get("learner") or default_learner()

    def set_lab_mode(self, lab_id: str, mode: Mode) -> None:
        """The learner's choice of mode for one lab (kept by resets, like the learner's name)."""
        self._set(lab_mode_key(lab_id), Mode(mode).value)

    def lab_mode(self, lab_id: str) -> Mode:
        """The mode the learner chose for the lab; guided until they choose."""
        value = self._get(lab_mode_key(lab_id))
        return Mode(value) if value in tuple(Mode) else Mode.GUIDED

    # -- reset, export, import ------------------------------------------------------------------

    def reset(self, lab_id: str | None = None, step_id: str | None = None) -> int:
        """Forget one step, one lab, or (both None) every lab, quiz attempt and the last place;
        the learner's name and the modes chosen for labs stay. Returns how many records were
        removed."""
        if step_id is not None and lab_id is None:
            raise ValueError("resetting a step needs its lab id")
        keys = {"lab_id": lab_id, "step_id": step_id}
        given = {k: v for k, v in keys.items() if v is not None}
        where = " AND ".join(f"{k} = ?" for k in given)
        removed = 0
        with self._write() as db:
            for table in ("step_completion", "step_attempts", "hints"):
                sql = f"DELETE FROM {table}" + (f" WHERE {where}" if where else "")
                removed += db.execute(sql, tuple(given.values())).rowcount
            if not given:
                db.execute("DELETE FROM quiz_answer")
                removed += db.execute("DELETE FROM quiz_attempt").rowcount
                removed += db.execute("DELETE FROM setting WHERE key = 'last_place'").rowcount
        return removed

    def snapshot(self) -> Snapshot:
        """Everything in the record, read in one consistent view."""
        with self._view():
            steps = self._read("SELECT * FROM step_completion ORDER BY lab_id, step_id")
            attempts = self._read("SELECT * FROM step_attempts ORDER BY lab_id, step_id")
            hints = self._read("SELECT * FROM hints ORDER BY lab_id, step_id")
            settings = self._read("SELECT * FROM setting ORDER BY key")
            quizzes = self.quiz_attempts()
            learner = self.learner()
        return Snapshot(
            learner=learner,
            steps=[
                StepRow(
                    lab_id=r["lab_id"],
                    step_id=r["step_id"],
                    content_hash=r["content_hash"],
                    assisted=bool(r["assisted"]),
                    completed_at=parse_iso(r["completed_at"]),
                    updated_at=parse_iso(r["updated_at"]),
                    mode=Mode(r["mode"]),
                )
                for r in steps
            ],
            attempts=[AttemptRow(r["lab_id"], r["step_id"], _attempt_count(r)) for r in attempts],
            hints=[
                HintRow(r["lab_id"], r["step_id"], int(r["revealed"]), parse_iso(r["updated_at"]))
                for r in hints
            ],
            quiz_attempts=quizzes,
            settings=[
                SettingRow(r["key"], r["value"], parse_iso(r["updated_at"])) for r in settings
            ],
        )

    def export_json(self) -> dict[str, Any]:
        """The whole record as JSON-ready data (`import_json` on another machine reads it)."""
        return to_json(self.snapshot())

    def import_json(self, data: dict[str, Any]) -> ImportSummary:
        """Merge an export into this record, never dropping anything newer here: completions keep
        the earliest time, counts the highest, settings the most recent value. All or nothing:
        a broken file raises ProgressFileError before anything is written."""
        return self.import_snapshot(from_json(data))

    def import_snapshot(self, snapshot: Snapshot) -> ImportSummary:
        """Merge an already-checked snapshot, in one transaction (see `import_json`)."""
        with self._write() as db:
            return merge.apply(db, snapshot)


def _attempt_count(row: sqlite3.Row) -> AttemptCount:
    return AttemptCount(
        passes=int(row["passes"]),
        fails=int(row["fails"]),
        errors=int(row["errors"]),
        last_status=row["last_status"],
        last_at=parse_iso(row["last_at"]) if row["last_at"] else None,
    )
