"""The gradebook CSV: one row per learner, a learner column, how many steps the learner did in
challenge mode (without the instructions' commands), then one column per lab and per quiz.

A lab's cell is the percent of its steps done when the lab's step ids are known (a GradeColumn
from the catalogue), else the number of steps done (the header says which). A quiz's cell is the
best score in percent, empty when the learner never took it. Rows come from Snapshots: the local
store's, or several learners' exported files collected by an instructor.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dockerlab.progress.records import Mode, Snapshot

LEARNER_HEADER = "learner"
CHALLENGE_HEADER = "steps in challenge mode"


@dataclass(frozen=True)
class GradeColumn:
    """A lab or quiz column. For a lab, `steps` lists the step ids that count (None: unknown)."""

    kind: Literal["lab", "quiz"]
    id: str
    steps: tuple[str, ...] | None = None

    @property
    def header(self) -> str:
        if self.kind == "quiz":
            return f"quiz:{self.id} best %"
        if self.steps is None:
            return f"lab:{self.id} steps done"
        return f"lab:{self.id} %"


@dataclass
class _Learner:
    """One learner's results, gathered from every snapshot that carries their name."""

    name: str
    done: dict[str, set[str]] = field(default_factory=dict)  # lab id -> step ids done
    best: dict[str, float] = field(default_factory=dict)  # quiz id -> best percent
    # (lab id, step id) -> done in challenge mode (in every export that has the step)
    challenge: dict[tuple[str, str], bool] = field(default_factory=dict)

    def add(self, snapshot: Snapshot) -> None:
        for step in snapshot.steps:
            self.done.setdefault(step.lab_id, set()).add(step.step_id)
            key = (step.lab_id, step.step_id)
            self.challenge[key] = self.challenge.get(key, True) and step.mode is Mode.CHALLENGE
        for quiz in snapshot.quiz_attempts:
            self.best[quiz.quiz_id] = max(self.best.get(quiz.quiz_id, 0.0), quiz.percent)

    def cell(self, column: GradeColumn) -> str:
        if column.kind == "quiz":
            return _percent(self.best[column.id]) if column.id in self.best else ""
        done = self.done.get(column.id, set())
        if column.steps is None:
            return str(len(done))
        if not column.steps:
            return ""
        return _percent(100.0 * len(done & set(column.steps)) / len(column.steps))


def _percent(value: float) -> str:
    return f"{round(value, 1):g}"


def _learners(snapshots: Iterable[Snapshot]) -> list[_Learner]:
    """Snapshots with the same learner name (one learner, two machines) make one row."""
    by_name: dict[str, _Learner] = {}
    for snapshot in snapshots:
        by_name.setdefault(snapshot.learner, _Learner(snapshot.learner)).add(snapshot)
    return list(by_name.values())


def grade_columns(
    snapshots: Sequence[Snapshot], columns: Sequence[GradeColumn] | None = None
) -> list[GradeColumn]:
    """The given columns in their order, then any lab or quiz the data has that they lack
    (labs, then quizzes, by id), so no learner's work is left out of the gradebook."""
    result = list(columns or [])
    known = {(c.kind, c.id) for c in result}
    labs = sorted({s.lab_id for snap in snapshots for s in snap.steps})
    quizzes = sorted({q.quiz_id for snap in snapshots for q in snap.quiz_attempts})
    found: list[GradeColumn] = [GradeColumn("lab", i) for i in labs]
    found += [GradeColumn("quiz", i) for i in quizzes]
    result += [c for c in found if (c.kind, c.id) not in known]
    return result


def gradebook_table(
    snapshots: Sequence[Snapshot], columns: Sequence[GradeColumn] | None = None
) -> list[list[str]]:
    """The gradebook as rows of cells: a header row, then one row per learner (by name)."""
    cols = grade_columns(snapshots, columns)
    rows = [[LEARNER_HEADER, CHALLENGE_HEADER, *(c.header for c in cols)]]
    for learner in _learners(snapshots):
        in_challenge = str(sum(learner.challenge.values()))
        rows.append([learner.name, in_challenge, *(learner.cell(c) for c in cols)])
    return rows


def gradebook_csv(
    snapshots: Sequence[Snapshot], columns: Sequence[GradeColumn] | None = None
) -> str:
    """The gradebook as CSV text (comma-separated, quoted where needed, \\r\\n line ends)."""
    out = io.StringIO()
    csv.writer(out).writerows(gradebook_table(snapshots, columns))
    return out.getvalue()
