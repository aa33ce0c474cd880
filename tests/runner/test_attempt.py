"""`LabSession.attempt` and the `StepWatcher` without an engine: pure logic over a lab whose
checks read files in the workspace, a real progress store, and an engine that fails the test if
anything asks it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, cast

import pytest

from dockerlab.checks.result import Status
from dockerlab.engine.client import Engine
from dockerlab.engine.events import EngineEvent
from dockerlab.model.loader import load_lab
from dockerlab.progress.store import ProgressStore
from dockerlab.runner.attempt import Attempt, Counting
from dockerlab.runner.session import LabSession
from dockerlab.runner.trust import trust
from dockerlab.runner.watcher import StepWatcher

LAB = """\
format_version: 1
id: files
title: Files
section: test
summary: Files in the workspace.
minutes: 1
steps:
  - id: write
    title: Write the file
    instructions: Write hello into made.txt.
    solution: "echo hello > made.txt"
    check: {kind: file, path: made.txt, contains: hello}
    diagnoses:
      - pattern: "Permission denied"
        explanation: The workspace is not yours.
  - id: refused
    title: A command check
    instructions: Nothing.
    solution: "true"
    check: {kind: command, run: "true"}
"""

DEADLINE = 10.0  # seconds the watcher gets to answer (it answers in milliseconds)


class NoEngine:
    """Stands in for the engine: these checks must never ask it."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the engine was asked for {name!r}")


@pytest.fixture
def session(tmp_path: Path) -> LabSession:
    folder = tmp_path / "pack" / "files"
    folder.mkdir(parents=True)
    (folder / "lab.yaml").write_text(LAB, encoding="utf-8")
    return LabSession(
        load_lab(folder / "lab.yaml"),
        cast(Engine, NoEngine()),
        workspace=tmp_path / "ws",
        capabilities=set(),
        progress=ProgressStore(),
    )


def made(session: LabSession, text: str = "hello") -> None:
    session.workspace.mkdir(parents=True, exist_ok=True)
    (session.workspace / "made.txt").write_text(text, encoding="utf-8")


def record(session: LabSession, step_id: str) -> tuple[tuple[int, int, int], bool | None]:
    """(passes, fails, errors) counted for the step, and whether it is done with help (None:
    not done)."""
    assert session.progress is not None
    count = session.progress.attempts(session.lab.id, step_id)
    done = session.progress.completed_steps(session.lab.id).get(step_id)
    return (count.passes, count.fails, count.errors), None if done is None else done.assisted


def test_a_failing_attempt_is_counted_and_diagnoses_the_output(session: LabSession) -> None:
    step = session.lab.step("write")
    made(session, "goodbye")
    attempt = session.attempt(step, output="bash: made.txt: Permission denied\n")
    assert attempt.status is Status.FAIL
    assert not attempt.completed
    assert attempt.counted
    assert attempt.diagnoses is not None
    assert [d.explanation for d in attempt.diagnoses] == ["The workspace is not yours."]
    assert record(session, "write") == ((0, 1, 0), None)


def test_output_not_given_is_not_diagnosed_and_output_without_a_match_finds_none(
    session: LabSession,
) -> None:
    step = session.lab.step("write")
    assert session.attempt(step).diagnoses is None
    assert session.attempt(step, output="").diagnoses == ()
    assert session.attempt(step, output="all fine").diagnoses == ()


def test_a_pass_completes_the_step_and_is_told_before_it_is_written(session: LabSession) -> None:
    step = session.lab.step("write")
    made(session)
    told: list[tuple[Attempt, tuple[tuple[int, int, int], bool | None]]] = []
    attempt = session.attempt(step, on_verdict=lambda a: told.append((a, record(session, "write"))))
    assert attempt.passed
    assert attempt.completed
    assert not attempt.assisted
    assert told == [(attempt, ((0, 0, 0), None))]  # nothing written yet when told
    assert record(session, "write") == ((1, 0, 0), False)


def test_a_live_recheck_counts_only_the_pass_that_completes_the_step(session: LabSession) -> None:
    step = session.lab.step("write")
    failed = session.attempt(step, counting=Counting.PASS)
    assert failed.status is Status.FAIL
    assert not failed.counted
    assert record(session, "write") == ((0, 0, 0), None)
    made(session)
    passed = session.attempt(step, counting=Counting.PASS)
    assert passed.counted
    assert passed.completed
    assert record(session, "write") == ((1, 0, 0), False)


def test_a_recheck_of_a_done_step_can_count_without_completing_it(session: LabSession) -> None:
    step = session.lab.step("write")
    made(session)
    attempt = session.attempt(step, completes=False)
    assert attempt.passed
    assert not attempt.completed
    assert record(session, "write") == ((1, 0, 0), None)


def test_a_step_this_session_solved_completes_with_help_and_the_wait_counts_nothing(
    session: LabSession, tmp_path: Path
) -> None:
    trust(tmp_path / "pack")  # the solution is a shell command of a lab outside the course
    step = session.lab.step("write")
    outcomes = session.solve(step)
    assert [o.ok for o in outcomes] == [True]
    attempt = session.attempt(step, wait=True, counting=Counting.NEVER)
    assert attempt.completed
    assert attempt.assisted
    assert not attempt.counted
    assert record(session, "write") == ((0, 0, 0), True)


def test_an_error_verdict_is_counted_as_an_error_and_completes_nothing(
    session: LabSession,
) -> None:
    attempt = session.attempt(session.lab.step("refused"))  # an untrusted lab's command check
    assert attempt.status is Status.ERROR
    assert "not trusted" in attempt.verdict.message
    assert not attempt.completed
    assert record(session, "refused") == ((0, 0, 1), None)


class Heard:
    """What a watcher told, with a way to wait for it (no fixed sleeps)."""

    def __init__(self) -> None:
        self.attempts: list[Attempt] = []
        self._cond = threading.Condition()

    def __call__(self, attempt: Attempt) -> None:
        with self._cond:
            self.attempts.append(attempt)
            self._cond.notify_all()

    def wait_for(self, count: int) -> list[Attempt]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.attempts) >= count, timeout=DEADLINE)
        assert ok, f"the watcher told {len(self.attempts)} attempts, not {count}"
        return self.attempts

    def wait_for_pass(self) -> Attempt:
        with self._cond:
            ok = self._cond.wait_for(lambda: any(a.passed for a in self.attempts), DEADLINE)
        assert ok, f"no passing attempt; the watcher told {self.attempts}"
        return next(a for a in self.attempts if a.passed)


def test_the_watcher_checks_on_request_and_counts_what_the_learner_asked_for(
    session: LabSession,
) -> None:
    heard = Heard()
    watcher = StepWatcher(session, heard)
    try:
        step = session.lab.step("write")
        watcher.follow(step)
        assert watcher.plan is not None
        assert watcher.plan.describe() == "file made.txt"
        watcher.request(asked=True, output="Permission denied")
        (attempt,) = heard.wait_for(1)
        assert attempt.status is Status.FAIL
        assert attempt.counted
        assert attempt.diagnoses is not None
        assert len(attempt.diagnoses) == 1
    finally:
        watcher.stop()


def test_the_watcher_sees_a_watched_file_change_and_completes_the_step(
    session: LabSession,
) -> None:
    heard = Heard()
    watcher = StepWatcher(session, heard)
    try:
        watcher.follow(session.lab.step("write"))
        made(session)  # as from another terminal: nobody asks for a check
        passed = heard.wait_for_pass()
        assert passed.completed
        assert watcher.settle(DEADLINE)  # told first, written right after
        assert record(session, "write") == ((1, 0, 0), False)
        # done: its follow-ups and requests check nothing until the next step is followed
        assert watcher.step is None
        watcher.request(asked=True)
        assert not watcher.busy
        assert record(session, "write") == ((1, 0, 0), False)
    finally:
        watcher.stop()


def test_a_watcher_that_is_not_live_never_checks_but_says_what_it_would_watch(
    session: LabSession,
) -> None:
    def never(attempt: Attempt) -> None:
        raise AssertionError(f"checked: {attempt}")

    watcher = StepWatcher(session, never, live=False)
    watcher.follow(session.lab.step("write"))
    watcher.request(asked=True)
    watcher.engine_event(EngineEvent("container", "start", "registry"))
    assert watcher.plan is not None
    assert watcher.plan.files == (session.workspace / "made.txt",)
    assert not watcher.busy
    assert watcher.checks_run == 0


def test_requests_while_a_check_runs_become_one_check_with_what_each_asked(
    session: LabSession,
) -> None:
    heard = Heard()
    release = threading.Event()

    def slow(attempt: Attempt) -> None:
        heard(attempt)
        if len(heard.attempts) == 1:
            assert release.wait(DEADLINE)

    watcher = StepWatcher(session, slow)
    try:
        watcher.follow(session.lab.step("write"))
        watcher.request()
        heard.wait_for(1)  # the first check is running (held in its callback)
        watcher.request()
        watcher.request(asked=True)
        watcher.request(output="Permission denied")
        watcher.request()
        release.set()
        assert watcher.settle(DEADLINE)
        first, merged = heard.attempts
        assert not first.counted
        assert first.diagnoses is None
        assert merged.counted
        assert merged.diagnoses is not None
        assert len(merged.diagnoses) == 1
        assert record(session, "write") == ((0, 1, 0), None)
    finally:
        watcher.stop()
