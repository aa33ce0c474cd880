"""Merging an exported record into the local one, inside the caller's transaction.

The rule everywhere: never lose what is here. A completion keeps the earliest time and stays
assisted if either side was; the content hash comes from whichever side completed the step more
recently, and the mode with it (the same content done on both sides: challenge only if both
were); attempt and hint counts take the higher value (importing the same file twice changes
nothing, where adding would double them); settings take the most recent value; quiz attempts
are added unless the same one (quiz id and time) is already here.
"""

from __future__ import annotations

import sqlite3

from dockerlab.progress.records import (
    AttemptRow,
    HintRow,
    ImportSummary,
    Mode,
    QuizAttempt,
    SettingRow,
    Snapshot,
    StepRow,
)
from dockerlab.progress.snapshot import iso, parse_iso


def insert_quiz_attempt(db: sqlite3.Connection, attempt: QuizAttempt) -> bool:
    """Add the attempt and its answers; False when that attempt was already recorded."""
    cur = db.execute(
        """INSERT INTO quiz_attempt (quiz_id, score, total, passed, at, seed)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (quiz_id, at) DO NOTHING""",
        (
            attempt.quiz_id,
            attempt.score,
            attempt.total,
            int(attempt.passed),
            iso(attempt.at),
            attempt.seed,
        ),
    )
    if cur.rowcount != 1:
        return False
    db.executemany(
        """INSERT INTO quiz_answer (attempt_id, position, question_id, answer_text, correct)
           VALUES (?, ?, ?, ?, ?)""",
        [
            (cur.lastrowid, i, qid, text, int(ok))
            for i, (qid, text, ok) in enumerate(attempt.answers)
        ],
    )
    return True


def put_setting(db: sqlite3.Connection, row: SettingRow, *, only_if_newer: bool = False) -> bool:
    """Set a value; with `only_if_newer` (imports), not when the one here was set later or is
    the same. True when it was written.

    The learner's own actions write unconditionally: a machine whose clock is behind the
    imported file's must still remember where the learner is now.
    """
    condition = (
        "WHERE excluded.updated_at > setting.updated_at AND excluded.value != setting.value"
        if only_if_newer
        else ""
    )
    cur = db.execute(
        f"""INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                updated_at = excluded.updated_at {condition}""",
        (row.key, row.value, iso(row.updated_at)),
    )
    return cur.rowcount == 1


def _merge_step(db: sqlite3.Connection, new: StepRow, summary: ImportSummary) -> None:
    key = (new.lab_id, new.step_id)
    old = db.execute(
        "SELECT * FROM step_completion WHERE lab_id = ? AND step_id = ?", key
    ).fetchone()
    if old is None:
        row = (new.content_hash, int(new.assisted), iso(new.completed_at), iso(new.updated_at))
        db.execute(
            """INSERT INTO step_completion
                   (lab_id, step_id, content_hash, assisted, completed_at, updated_at, mode)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (*key, *row, new.mode.value),
        )
        summary.steps_added += 1
        return
    old_updated = parse_iso(old["updated_at"])
    newer = new.updated_at > old_updated
    if new.content_hash == old["content_hash"]:
        both = {old["mode"], new.mode.value}
        mode = Mode.CHALLENGE.value if both == {Mode.CHALLENGE.value} else Mode.GUIDED.value
    else:
        mode = new.mode.value if newer else old["mode"]
    merged = (
        new.content_hash if newer else old["content_hash"],
        int(bool(old["assisted"]) or new.assisted),
        iso(min(parse_iso(old["completed_at"]), new.completed_at)),
        iso(max(old_updated, new.updated_at)),
        mode,
    )
    current = (
        old["content_hash"],
        old["assisted"],
        old["completed_at"],
        old["updated_at"],
        old["mode"],
    )
    if merged != current:
        db.execute(
            """UPDATE step_completion SET content_hash = ?, assisted = ?, completed_at = ?,
                   updated_at = ?, mode = ? WHERE lab_id = ? AND step_id = ?""",
            (*merged, *key),
        )
        summary.steps_updated += 1


def _merge_attempts(db: sqlite3.Connection, new: AttemptRow, summary: ImportSummary) -> None:
    c = new.count
    last_at = iso(c.last_at) if c.last_at else None
    # '' stands in for "never" so max() and > work when either side has no time
    cur = db.execute(
        """INSERT INTO step_attempts
               (lab_id, step_id, passes, fails, errors, last_status, last_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (lab_id, step_id) DO UPDATE SET
               passes = max(passes, excluded.passes),
               fails = max(fails, excluded.fails),
               errors = max(errors, excluded.errors),
               last_status = CASE WHEN excluded.last_at > coalesce(last_at, '')
                             THEN excluded.last_status ELSE last_status END,
               last_at = nullif(max(coalesce(last_at, ''), coalesce(excluded.last_at, '')), '')
           WHERE excluded.passes > passes OR excluded.fails > fails
               OR excluded.errors > errors OR excluded.last_at > coalesce(last_at, '')""",
        (new.lab_id, new.step_id, c.passes, c.fails, c.errors, c.last_status, last_at),
    )
    summary.attempts_updated += cur.rowcount


def _merge_hints(db: sqlite3.Connection, new: HintRow, summary: ImportSummary) -> None:
    cur = db.execute(
        """INSERT INTO hints (lab_id, step_id, revealed, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (lab_id, step_id) DO UPDATE SET
               revealed = excluded.revealed,
               updated_at = max(updated_at, excluded.updated_at)
           WHERE excluded.revealed > revealed""",
        (new.lab_id, new.step_id, new.revealed, iso(new.updated_at)),
    )
    summary.hints_updated += cur.rowcount


def apply(db: sqlite3.Connection, snapshot: Snapshot) -> ImportSummary:
    """Merge the snapshot into the database (the caller holds the transaction)."""
    summary = ImportSummary()
    for step in snapshot.steps:
        _merge_step(db, step, summary)
    for attempts in snapshot.attempts:
        _merge_attempts(db, attempts, summary)
    for hints in snapshot.hints:
        _merge_hints(db, hints, summary)
    for quiz in snapshot.quiz_attempts:
        summary.quiz_attempts_added += insert_quiz_attempt(db, quiz)
    for setting in snapshot.settings:
        if put_setting(db, setting, only_if_newer=True):
            summary.settings_updated.append(setting.key)
    return summary
