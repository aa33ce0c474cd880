"""The learner's record through the ProgressStore API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dockerlab.progress import ProgressStore, QuizAnswer, QuizAttempt
from tests.waiting import wait_until


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with ProgressStore(tmp_path / "progress.sqlite3") as s:
        yield s


def test_default_location_is_the_data_dir(tmp_path: Path) -> None:
    with ProgressStore() as store:
        store.set_last_place("page:intro")
    assert (tmp_path / "dockerlab-home" / "progress.sqlite3").is_file()


def test_completing_a_step_again_keeps_the_first_time_and_stays_assisted(
    store: ProgressStore,
) -> None:
    store.record_step("basics", "push", content_hash="h1", assisted=True)
    first = store.completed_steps("basics")["push"]
    # a second completion now would carry a later time
    wait_until(lambda: datetime.now(UTC) > first.completed_at, timeout=5, what="a later time")
    store.record_step("basics", "push", content_hash="h1", assisted=False)
    again = store.completed_steps("basics")["push"]
    assert again.completed_at == first.completed_at
    assert again.assisted is True
    assert first.completed_at.tzinfo is not None


def test_a_step_redone_after_its_content_changed_is_no_longer_changed(
    store: ProgressStore,
) -> None:
    store.record_step("basics", "push", content_hash="old", assisted=False)
    assert store.completed_steps("basics")["push"].changed("new")
    store.record_step("basics", "push", content_hash="new", assisted=False)
    record = store.completed_steps("basics")["push"]
    assert not record.changed("new")
    assert record.assisted is False


def test_attempts_are_counted_per_outcome_and_shown_on_the_completed_step(
    store: ProgressStore,
) -> None:
    for status in ("fail", "error", "fail", "pass"):
        store.record_attempt("basics", "push", status)
    store.record_step("basics", "push", content_hash="h", assisted=False)
    counts = store.attempts("basics", "push")
    assert (counts.passes, counts.fails, counts.errors) == (1, 2, 1)
    assert counts.last_status == "pass"
    assert store.completed_steps("basics")["push"].attempts == 4
    assert store.attempts("basics", "never-checked").total == 0


def test_an_unknown_attempt_status_is_refused(store: ProgressStore) -> None:
    with pytest.raises(ValueError, match="pass, fail, error"):
        store.record_attempt("basics", "push", "PASS")


def test_hints_revealed_counts_up_to_the_furthest_hint(store: ProgressStore) -> None:
    assert store.hints_revealed("basics", "push") == 0
    store.record_hint("basics", "push", 0)
    assert store.hints_revealed("basics", "push") == 1
    store.record_hint("basics", "push", 2)
    store.record_hint("basics", "push", 1)
    assert store.hints_revealed("basics", "push") == 3
    with pytest.raises(ValueError, match="hint index"):
        store.record_hint("basics", "push", -1)


def test_completed_steps_only_lists_that_labs_steps(store: ProgressStore) -> None:
    store.record_step("basics", "run", content_hash="h", assisted=False)
    store.record_step("tls", "certs", content_hash="h", assisted=False)
    store.record_attempt("auth", "login", "fail")
    assert set(store.completed_steps("basics")) == {"run"}
    assert store.completed_steps("nothing-here") == {}
    assert store.lab_ids() == ["auth", "basics", "tls"]


def test_quiz_attempts_come_back_with_every_answer_in_order(store: ProgressStore) -> None:
    early = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    late = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
    store.record_quiz(
        QuizAttempt(
            "secure", 2, 3, False, [("q1", "TLS", True), ("q2", "", False), ("q3", "b", True)], late
        )
    )
    store.record_quiz(QuizAttempt("secure", 3, 3, True, [("q1", "TLS", True)], early))
    store.record_quiz(QuizAttempt("basics", 1, 1, True, [], early))

    secure = store.quiz_attempts("secure")
    assert [a.at for a in secure] == [early, late]
    assert list(secure[1].answers) == [("q1", "TLS", True), ("q2", "", False), ("q3", "b", True)]
    assert isinstance(secure[1].answers[0], QuizAnswer)
    assert secure[1].answers[0].question_id == "q1"
    assert secure[1].percent == pytest.approx(66.666, abs=0.01)
    assert len(store.quiz_attempts()) == 3


def test_the_same_quiz_attempt_recorded_twice_is_kept_once(store: ProgressStore) -> None:
    attempt = QuizAttempt("secure", 1, 2, False, [("q1", "a", True)])
    store.record_quiz(attempt)
    store.record_quiz(attempt)
    assert len(store.quiz_attempts("secure")) == 1
    assert len(store.quiz_attempts("secure")[0].answers) == 1


def test_last_place_is_remembered_across_restarts(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    with ProgressStore(db) as store:
        assert store.last_place() is None
        store.set_last_place("lab:registry-basics/push")
        store.set_last_place("quiz:secure-registry")
    with ProgressStore(db) as store:
        assert store.last_place() == "quiz:secure-registry"


def test_learner_defaults_to_the_os_user_and_can_be_set(
    store: ProgressStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "osuser")
    assert store.learner() == "osuser"
    store.set_learner("  Ada Lovelace  ")
    assert store.learner() == "Ada Lovelace"
    with pytest.raises(ValueError, match="empty"):
        store.set_learner("   ")


def test_learner_falls_back_when_the_os_has_no_user_name(
    store: ProgressStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_user() -> str:
        raise OSError("no login")

    monkeypatch.setattr("getpass.getuser", no_user)
    assert store.learner() == "learner"


def _fill(store: ProgressStore) -> None:
    for step in ("run", "push"):
        store.record_step("basics", step, content_hash="h", assisted=False)
        store.record_attempt("basics", step, "pass")
    store.record_hint("basics", "push", 0)
    store.record_step("tls", "certs", content_hash="h", assisted=False)
    store.record_quiz(QuizAttempt("secure", 1, 1, True, [("q", "a", True)]))
    store.set_last_place("lab:basics/push")
    store.set_learner("ada")


def test_reset_one_step_leaves_the_rest(store: ProgressStore) -> None:
    _fill(store)
    assert store.reset("basics", "push") == 3  # completion, attempts, hints
    assert set(store.completed_steps("basics")) == {"run"}
    assert store.hints_revealed("basics", "push") == 0
    assert store.attempts("basics", "push").total == 0
    assert set(store.completed_steps("tls")) == {"certs"}


def test_reset_one_lab_leaves_other_labs_and_quizzes(store: ProgressStore) -> None:
    _fill(store)
    assert store.reset("basics") == 5
    assert store.completed_steps("basics") == {}
    assert set(store.completed_steps("tls")) == {"certs"}
    assert len(store.quiz_attempts()) == 1
    assert store.last_place() == "lab:basics/push"


def test_reset_everything_keeps_only_the_learner_name(store: ProgressStore) -> None:
    _fill(store)
    assert store.reset() == 8  # 3 completions, 2 attempts, 1 hint, 1 quiz attempt, last place
    assert store.lab_ids() == []
    assert store.quiz_attempts() == []
    assert store.last_place() is None
    assert store.learner() == "ada"
    assert store.reset() == 0


def test_reset_of_a_step_without_its_lab_is_refused(store: ProgressStore) -> None:
    with pytest.raises(ValueError, match="lab id"):
        store.reset(None, "push")
