"""Live verification of the lab screen's current step: what makes a check worth running, and
running it.

The app forwards engine events here; the step's `WatchPlan` says which are relevant, a thread
watches the files it names, and a timer re-checks what announces nothing. Checks run one at a
time in a thread worker; a request while one runs is kept and run next, so a burst of events
costs at most one extra check and the newest state always gets checked.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from dockerlab.checks.result import Result
from dockerlab.engine.events import EngineUp
from dockerlab.runner.watch import FILE_POLL, FOLLOW_UP, WatchPlan, changed_files
from dockerlab.tui.messages import EngineActivity, EngineStateChanged
from dockerlab.tui.screens.base import BaseScreen

if TYPE_CHECKING:
    from dockerlab.model.lab import Step
    from dockerlab.runner.session import LabSession


class CheckDone(Message, bubble=False):
    def __init__(
        self, step_id: str, result: Result, completed: bool, diagnoses: list[str], diagnose: bool
    ) -> None:
        super().__init__()
        self.step_id = step_id
        self.result = result
        self.completed = completed
        self.diagnoses = diagnoses
        self.diagnose = diagnose


class FilesChanged(Message, bubble=False):
    pass


class LiveVerification(BaseScreen):
    """The lab screen's checking. `plan` is the current step's `WatchPlan`; `checks_run` counts
    the checks that finished."""

    # what this part reads of the lab screen
    session: LabSession | None
    step: Step | None
    last_output: str | None
    last_result: Result | None
    diagnoses: list[str]
    assisted_now: set[str]

    if TYPE_CHECKING:
        # what it calls back on the lab screen
        def _show_feedback(self) -> None: ...
        def _step_completed(self, step: Step) -> None: ...

    def __init__(self) -> None:
        super().__init__()
        self.plan: WatchPlan | None = None
        self.checks_run = 0
        self._checking = False
        self._pending: tuple[bool, bool] | None = None
        self._poll: Timer | None = None
        self._follow_ups: list[Timer] = []
        self._stop = threading.Event()

    def on_unmount(self) -> None:
        self._stop.set()  # ends watch_files

    def _restart_poll(self) -> None:
        if self._poll is not None:
            self._poll.stop()
            self._poll = None
        if self.plan is not None and self.lab_app.options.check_steps:
            self._poll = self.set_interval(self.plan.poll_interval, self.request_check)

    # -- checking ------------------------------------------------------------------------------
    def request_check(self, record: bool = False, diagnose: bool = False) -> None:
        """Check the current step now (or right after the check that is running)."""
        if self.session is None or self.step is None or not self.lab_app.options.check_steps:
            return
        if self._checking:
            before = self._pending or (False, False)
            self._pending = (before[0] or record, before[1] or diagnose)
            return
        self._checking = True
        self.check_step(self.step, record, diagnose, self.last_output)

    @work(thread=True, exit_on_error=False, group="lab-check", name="checking the step")
    def check_step(self, step: Step, record: bool, diagnose: bool, output: str | None) -> None:
        session = self.session
        assert session is not None
        # one evaluation, not counted (peek); counted below when the
        # learner asked for it or it passed
        try:
            result = session.peek(step)
        except Exception as exc:  # noqa: BLE001 - a check that crashes must not stop checking
            result = Result.error(f"the check failed to run: {exc!r}")
        if result.passed:
            # shown first, written right after: the tick does not wait for two fsyncs
            self.post_message(CheckDone(step.id, result, True, [], diagnose))
            if session.progress is not None:
                session.progress.record_attempt(session.lab.id, step.id, "pass")
            session.complete(step, assisted=step.id in self.assisted_now)
            return
        if record and session.progress is not None:
            session.progress.record_attempt(session.lab.id, step.id, result.status.value)
        found: list[str] = []
        if diagnose and output:
            found = [d.explanation for d in session.diagnose(step, output)]
        self.post_message(CheckDone(step.id, result, False, found, diagnose))

    @on(CheckDone)
    def _checked(self, message: CheckDone) -> None:
        self._checking = False
        self.checks_run += 1
        step = self.step
        if step is not None and message.step_id == step.id:
            if message.completed:
                self._step_completed(step)
            else:
                self.last_result = message.result
                if message.diagnose:
                    self.diagnoses = message.diagnoses
                self._show_feedback()
        if self._pending is not None:
            record, diagnose = self._pending
            self._pending = None
            self.request_check(record, diagnose)

    def action_check(self) -> None:
        if self.step is None:
            self.notify("Every step of this lab is done.")
            return
        self.request_check(record=True, diagnose=True)

    # -- what makes a check worth running -------------------------------------------------------
    @on(EngineActivity)
    def _engine_activity(self, message: EngineActivity) -> None:
        if self.plan is not None and self.plan.relevant(message.event):
            self.request_check()
            self._follow_up()

    @on(EngineStateChanged)
    def _engine_state(self, message: EngineStateChanged) -> None:
        if isinstance(message.state, EngineUp):
            self.request_check()

    @on(FilesChanged)
    def _files_changed(self) -> None:
        self.request_check()
        self._follow_up()

    def _follow_up(self) -> None:
        """State lags its event (a registry listens a moment after its container starts)."""
        for timer in self._follow_ups:
            timer.stop()
        self._follow_ups = [self.set_timer(delay, self.request_check) for delay in FOLLOW_UP]

    @work(thread=True, exit_on_error=False, group="lab-files", name="watching files")
    def watch_files(self) -> None:
        worker = get_current_worker()
        plan: WatchPlan | None = None
        before = None
        while not worker.is_cancelled and not self._stop.wait(FILE_POLL):
            current = self.plan
            if current is None or not current.files:
                plan, before = current, None
                continue
            now = current.signature()
            if current is plan and before is not None and changed_files(before, now):
                self.post_message(FilesChanged())
            plan, before = current, now
