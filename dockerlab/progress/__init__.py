"""The learner's record: completed steps, attempts, hints, quiz attempts, where they left off.

Stored in SQLite (stdlib only) at <data dir>/progress.sqlite3; see store.py for why it survives
crashes and concurrent app instances.
"""

from dockerlab.progress.export import GradeColumn, gradebook_csv, gradebook_table
from dockerlab.progress.hashing import content_hash
from dockerlab.progress.records import (
    AttemptCount,
    ImportSummary,
    Mode,
    ProgressError,
    ProgressFileError,
    QuizAnswer,
    QuizAttempt,
    Snapshot,
    StepRecord,
)
from dockerlab.progress.snapshot import from_json
from dockerlab.progress.store import ProgressStore

__all__ = [
    "AttemptCount",
    "GradeColumn",
    "ImportSummary",
    "Mode",
    "ProgressError",
    "ProgressFileError",
    "ProgressStore",
    "QuizAnswer",
    "QuizAttempt",
    "Snapshot",
    "StepRecord",
    "content_hash",
    "from_json",
    "gradebook_csv",
    "gradebook_table",
]
