"""runner/learner.py: one summary of a lab's progress, one way to keep a quiz attempt."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dockerlab.model.loader import load_lab
from dockerlab.progress import ProgressStore, QuizAnswer, QuizAttempt, StepRecord, content_hash
from dockerlab.runner.learner import lab_progress, read_lab_progress, save_quiz_attempt

LAB = Path(__file__).resolve().parents[1] / "tui" / "fixtures" / "labs" / "registry-basics"


def _record(step_id: str, hash_: str, assisted: bool = False) -> StepRecord:
    return StepRecord(step_id, hash_, assisted, datetime(2026, 1, 1, tzinfo=UTC))


def test_done_changed_and_assisted_are_counted_against_the_lab_as_it_is_now() -> None:
    lab = load_lab(LAB / "lab.yaml", capabilities=set()).lab
    first, second = lab.steps[0], lab.steps[1]
    records = {
        first.id: _record(first.id, content_hash(first), assisted=True),
        second.id: _record(second.id, "an older version"),
        "removed-step": _record("removed-step", "x", assisted=True),
    }
    summary = lab_progress(lab.id, lab, records)
    assert summary.total == len(lab.steps) > 2
    assert dict(summary.done) == {first.id: True, second.id: False}
    assert summary.changed == (second.id,)
    assert (summary.count, summary.assisted, summary.state) == (2, 1, "started")


def test_a_lab_not_found_here_counts_what_the_record_holds() -> None:
    summary = lab_progress("gone", None, {"x": _record("x", "h", assisted=True)})
    assert (summary.total, summary.count, summary.assisted) == (None, 1, 1)
    assert summary.state == "started"
    assert read_lab_progress(None, "gone", None).state == "todo"


def test_every_step_done_is_done(tmp_path: Path) -> None:
    lab = load_lab(LAB / "lab.yaml", capabilities=set()).lab
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        for step in lab.steps:
            store.record_step(lab.id, step.id, content_hash=content_hash(step), assisted=False)
        summary = read_lab_progress(store, lab.id, lab)
    assert summary.state == "done"
    assert summary.changed == ()


def test_a_quiz_attempt_is_kept_with_its_answers_and_seed(tmp_path: Path) -> None:
    attempt = QuizAttempt("quiz-1", 1, 2, True, (QuizAnswer("q1", "b", True),))
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        save_quiz_attempt(store, attempt, seed=42)
        [kept] = store.quiz_attempts("quiz-1")
    assert (kept.score, kept.total, kept.passed, kept.seed) == (1, 2, True, 42)
    assert [tuple(a) for a in kept.answers] == [("q1", "b", True)]


def test_hints_and_a_forgotten_lab_go_through_one_door(tmp_path: Path) -> None:
    from dockerlab.runner.learner import forget_lab, save_hint, save_place

    with ProgressStore(tmp_path / "p.sqlite3") as store:
        save_hint(store, "lab-1", "step-1", 0)
        save_hint(store, "lab-1", "step-1", 1)
        store.record_step("lab-1", "step-1", content_hash="h", assisted=False)
        save_place(store, "lab:lab-1/step-1")
        assert store.hints_revealed("lab-1", "step-1") == 2
        assert store.last_place() == "lab:lab-1/step-1"
        assert forget_lab(store, "lab-1") > 0
        assert store.completed_steps("lab-1") == {}
        assert store.hints_revealed("lab-1", "step-1") == 0
