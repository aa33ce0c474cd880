"""The learner's record as the app and the CLI use it: one way to write each thing (the place
they are at, a hint revealed, the mode chosen for a lab, a quiz attempt, a lab forgotten), and
one summary of their progress in a lab.

Step attempts and completions are written by the lab's `LabSession`. The app and its
screens reach the record only through here and the session (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from dockerlab.progress import Mode, ProgressError, ProgressStore, StepRecord

if TYPE_CHECKING:
    from dockerlab.model.lab import Lab
    from dockerlab.quiz.scoring import QuizAttempt

__all__ = [
    "LabProgress",
    "Mode",
    "ProgressError",
    "ProgressStore",
    "forget_lab",
    "lab_progress",
    "open_record",
    "read_lab_progress",
    "save_hint",
    "save_lab_mode",
    "save_place",
    "save_quiz_attempt",
]


def open_record() -> ProgressStore:
    """The learner's record in their data folder. Raises ProgressError (a damaged file, no
    permission) with the reason."""
    return ProgressStore()


def save_place(store: ProgressStore, place: str) -> None:
    """Where the learner is ("page:ID", "lab:ID/STEP"): what the app offers to do next."""
    store.set_last_place(place)


def save_hint(store: ProgressStore, lab_id: str, step_id: str, index: int) -> None:
    """The learner revealed hint `index` (0-based) of a step."""
    store.record_hint(lab_id, step_id, index)


def save_lab_mode(store: ProgressStore, lab_id: str, mode: Mode) -> None:
    """The mode (guided or challenge) the learner chose for a lab: it opens in it next time."""
    store.set_lab_mode(lab_id, mode)


def forget_lab(store: ProgressStore, lab_id: str) -> int:
    """Forget the learner's progress in a lab (after a reset); how many records went."""
    return store.reset(lab_id)


def save_quiz_attempt(store: ProgressStore, attempt: QuizAttempt, seed: int | None) -> None:
    """Keep a finished quiz attempt, with the seed that ordered its options (None: file order)."""
    store.record_quiz(replace(attempt, seed=seed))


@dataclass(frozen=True)
class LabProgress:
    """The learner's progress in one lab, against the lab as it is here now (`lab`; None when
    it is not found here: `total` None).

    `done`: step id → whether the solution was shown, for the steps the lab still has (every
    recorded step when the lab is not found). `changed`: done steps whose content changed since,
    in the lab's order (worked out when first asked: it hashes each done step)."""

    lab_id: str
    total: int | None
    done: Mapping[str, bool]
    lab: Lab | None = field(default=None, repr=False, compare=False)
    records: Mapping[str, StepRecord] = field(default_factory=dict, repr=False, compare=False)

    @property
    def count(self) -> int:
        return len(self.done)

    @property
    def assisted(self) -> int:
        """How many done steps were done with the solution shown."""
        return sum(self.done.values())

    @property
    def challenge(self) -> int:
        """How many done steps were done in challenge mode."""
        return sum(r.mode is Mode.CHALLENGE for sid, r in self.records.items() if sid in self.done)

    @property
    def state(self) -> Literal["done", "started", "todo"]:
        if self.total is not None and self.count == self.total:
            return "done"
        return "started" if self.count else "todo"

    @cached_property
    def changed(self) -> tuple[str, ...]:
        if self.lab is None:
            return ()
        from dockerlab.progress import content_hash

        return tuple(
            s.id
            for s in self.lab.steps
            if s.id in self.done and self.records[s.id].changed(content_hash(s))
        )


def lab_progress(lab_id: str, lab: Lab | None, records: Mapping[str, StepRecord]) -> LabProgress:
    """Sum up `records` (the record's completed steps of this lab) against `lab` (None: the lab
    is not found here). The one place that says which steps count as done or changed."""
    if lab is None:
        done = {sid: r.assisted for sid, r in records.items()}
        return LabProgress(lab_id, None, done, None, records)
    done = {s.id: records[s.id].assisted for s in lab.steps if s.id in records}
    return LabProgress(lab_id, len(lab.steps), done, lab, records)


def read_lab_progress(store: ProgressStore | None, lab_id: str, lab: Lab | None) -> LabProgress:
    """`lab_progress` from the learner's record (nothing done without a record)."""
    records = store.completed_steps(lab_id) if store is not None else {}
    return lab_progress(lab_id, lab, records)
