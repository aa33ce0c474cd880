"""What the learner's record holds, as plain values: the store hands these out and takes them in.

Times are timezone-aware datetimes in UTC. Everything here is stdlib only (see architecture.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple


class ProgressError(Exception):
    """The learner's record could not be read or written; the message says why, in plain words."""


class ProgressFileError(ProgressError):
    """An exported progress file (for `import`) is not one we can read; the message says where."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class Mode(StrEnum):
    """How a lab's steps are shown: `guided` with their commands, `challenge` without (the
    goal and explanations only; the hints and the solution still give the commands)."""

    GUIDED = "guided"
    CHALLENGE = "challenge"


# the setting that keeps the learner's mode for one lab: "lab_mode:<lab id>"
LAB_MODE_SETTING = "lab_mode:"


def lab_mode_key(lab_id: str) -> str:
    return f"{LAB_MODE_SETTING}{lab_id}"


class QuizAnswer(NamedTuple):
    """One answer the learner gave in a quiz attempt."""

    question_id: str
    answer_text: str
    correct: bool


@dataclass(frozen=True)
class StepRecord:
    """A completed step. `attempts` counts every check run of the step (passing or not);
    `mode` is the mode the step was done in (records from before modes existed: guided)."""

    step_id: str
    content_hash: str
    assisted: bool
    completed_at: datetime
    attempts: int = 0
    mode: Mode = Mode.GUIDED

    def changed(self, current_hash: str) -> bool:
        """True when the step's content (as hashed now) differs from what the learner completed."""
        return current_hash != self.content_hash


@dataclass(frozen=True)
class QuizAttempt:
    """One go at a quiz: `score` questions right out of `total`, whether that reached the pass
    mark, and each answer given. `dockerlab.quiz.score` makes one; the store keeps it as it is.

    `answers` holds (question_id, answer_text, correct) triples, in quiz order; the store gives
    back QuizAnswer named tuples, which are such triples. `seed` is the seed that put the options
    in the order the learner saw (`dockerlab.quiz.arrange`); None means file order (or an older
    record). `question_ids` (every question of the quiz, in order, answered or not) is known
    when the attempt is scored, not stored: an attempt read back from the record has none.
    """

    quiz_id: str
    score: int
    total: int
    passed: bool
    answers: Sequence[tuple[str, str, bool]] = ()
    at: datetime = field(default_factory=utcnow)
    seed: int | None = None
    question_ids: tuple[str, ...] = field(default=(), compare=False)

    @property
    def percent(self) -> float:
        """The score as a percentage of the total (0 when the quiz had nothing to score)."""
        return 100.0 * self.score / self.total if self.total else 0.0

    @property
    def missed(self) -> tuple[str, ...]:
        """Ids of the questions not answered right (unanswered ones included), in quiz order;
        () for an attempt read back from the record (its question list is not stored)."""
        right = {question_id for question_id, _text, correct in self.answers if correct}
        return tuple(q for q in self.question_ids if q not in right)


@dataclass(frozen=True)
class AttemptCount:
    """How often a step's check ran, by outcome, and the latest outcome."""

    passes: int = 0
    fails: int = 0
    errors: int = 0
    last_status: str | None = None
    last_at: datetime | None = None

    @property
    def total(self) -> int:
        return self.passes + self.fails + self.errors


@dataclass
class ImportSummary:
    """What merging an exported file changed here; all zero means it held nothing new."""

    steps_added: int = 0
    steps_updated: int = 0
    attempts_updated: int = 0
    hints_updated: int = 0
    quiz_attempts_added: int = 0
    settings_updated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.steps_added
            or self.steps_updated
            or self.attempts_updated
            or self.hints_updated
            or self.quiz_attempts_added
            or self.settings_updated
        )

    def __str__(self) -> str:
        if not self.changed:
            return "nothing new: everything in the file was already here"
        parts = [
            f"{self.steps_added} step(s) added",
            f"{self.steps_updated} step(s) updated",
            f"{self.attempts_updated} attempt count(s) updated",
            f"{self.hints_updated} hint record(s) updated",
            f"{self.quiz_attempts_added} quiz attempt(s) added",
        ]
        if self.settings_updated:
            parts.append("updated: " + ", ".join(self.settings_updated))
        return "; ".join(parts)


# Rows as stored, used for export/import (they carry what merging needs: `updated_at` decides
# which of two content hashes is newer; completion times merge by taking the earliest).


@dataclass(frozen=True)
class StepRow:
    lab_id: str
    step_id: str
    content_hash: str
    assisted: bool
    completed_at: datetime
    updated_at: datetime
    mode: Mode = Mode.GUIDED


@dataclass(frozen=True)
class AttemptRow:
    lab_id: str
    step_id: str
    count: AttemptCount


@dataclass(frozen=True)
class HintRow:
    lab_id: str
    step_id: str
    revealed: int
    updated_at: datetime


@dataclass(frozen=True)
class SettingRow:
    key: str
    value: str
    updated_at: datetime


@dataclass
class Snapshot:
    """Everything in one learner's record: what `export_json` writes and `import_json` reads."""

    learner: str
    steps: list[StepRow] = field(default_factory=list)
    attempts: list[AttemptRow] = field(default_factory=list)
    hints: list[HintRow] = field(default_factory=list)
    quiz_attempts: list[QuizAttempt] = field(default_factory=list)
    settings: list[SettingRow] = field(default_factory=list)
