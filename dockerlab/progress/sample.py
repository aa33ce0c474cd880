"""Generated class exports, for the gradebook's tests and benchmark: `sample_export(i)` is the
JSON data a learner's `dockerlab progress export` could have written, varied by `i`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from dockerlab.progress.records import (
    AttemptCount,
    AttemptRow,
    HintRow,
    Mode,
    QuizAttempt,
    Snapshot,
    StepRow,
)
from dockerlab.progress.snapshot import to_json

LABS = {
    "registry-basics": ("run-registry", "tag", "push", "remove-local", "pull-back", "bind-mount"),
    "registry-tls": ("make-cert", "run-tls", "trust", "push-tls"),
    "registry-auth": ("htpasswd", "run-auth", "login", "push-auth"),
}
QUIZZES = ("registry-basics", "secure-registry")
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def sample_snapshot(i: int, learner: str | None = None) -> Snapshot:
    snap = Snapshot(learner=learner or f"learner-{i:04d}")
    minute = 0
    for lab_no, (lab_id, steps) in enumerate(LABS.items()):
        reached = (i * 7 + lab_no * 3) % (len(steps) + 2)  # some finish, some stop early
        for s_no, step_id in enumerate(steps[:reached]):
            minute += 1 + (i + s_no) % 5
            at = START + timedelta(minutes=minute)
            fails = (i + s_no + lab_no) % 4 == 0
            hints = (i * 3 + s_no) % 5 == 0
            assisted = (i + s_no * 2) % 9 == 0
            mode = Mode.CHALLENGE if (i + lab_no) % 3 == 0 else Mode.GUIDED
            snap.steps.append(StepRow(lab_id, step_id, f"h{s_no}", assisted, at, at, mode))
            count = AttemptCount(1, int(fails) * 2, 0, "pass", at)
            snap.attempts.append(AttemptRow(lab_id, step_id, count))
            if hints:
                snap.hints.append(HintRow(lab_id, step_id, 1 + i % 2, at))
    for q_no, quiz_id in enumerate(QUIZZES):
        for attempt in range((i + q_no) % 3):
            score = (i + attempt + q_no) % 5
            at = START + timedelta(days=1, minutes=attempt)
            snap.quiz_attempts.append(QuizAttempt(quiz_id, score, 4, score >= 3, (), at))
    return snap


def sample_export(i: int, learner: str | None = None) -> dict[str, Any]:
    return to_json(sample_snapshot(i, learner))
