"""Live checking of a lab's current step: what makes a check worth running, and running it.

A `StepWatcher` follows one step of a `LabSession`. Its `WatchPlan` (runner/watch.py) says
which engine events are relevant; the watcher looks at the files the plan names, re-checks on a
timer what announces nothing, and again a little later after a relevant change (state lags its
event). Checks run one at a time in the watcher's own thread, each a `LabSession.attempt`; a
request while one runs is kept and run next, so a burst of events costs at most one extra check
and the newest state always gets checked. Whoever shows the result is told through callbacks
called in that thread (the app posts a message from them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from dockerlab.checks.result import Result
from dockerlab.engine.events import EngineEvent, EngineState, EngineUp
from dockerlab.model.lab import Step
from dockerlab.runner.attempt import Attempt, Counting
from dockerlab.runner.session import LabSession
from dockerlab.runner.watch import (
    FILE_POLL,
    FOLLOW_UP,
    FileSignature,
    WatchPlan,
    changed_files,
    plan_for,
)


@dataclass(frozen=True)
class _Request:
    """A check to run: `asked` by the learner (counted whatever its verdict), with the output of
    their last command to diagnose (None: nothing to diagnose)."""

    asked: bool = False
    output: str | None = None

    def merge(self, other: _Request) -> _Request:
        output = other.output if other.output is not None else self.output
        return _Request(self.asked or other.asked, output)


class StepWatcher:
    """Checks the step it `follow`s whenever something it depends on may have changed, until
    an attempt completes it (then nothing, until the owner follows the next step).

    `on_attempt` hears each attempt as soon as its verdict is known (before the learner's record
    is written); `on_failure` hears an error that happened after that (the record could not be
    written). With `live=False` nothing is ever checked (an app without an engine), but `plan`
    still says what would be watched. `checks_run` counts the checks that finished."""

    def __init__(
        self,
        session: LabSession,
        on_attempt: Callable[[Attempt], None],
        on_failure: Callable[[Exception], None] | None = None,
        *,
        live: bool = True,
    ) -> None:
        self.session = session
        self.live = live
        self.checks_run = 0
        self._on_attempt = on_attempt
        self._on_failure = on_failure
        self._step: Step | None = None
        self._plan: WatchPlan | None = None
        self._wanted: _Request | None = None
        self._checking = False
        self._follow_ups: list[float] = []  # monotonic times of the re-checks after a change
        self._next_poll: float | None = None
        self._files_plan: WatchPlan | None = None  # the plan `_files_before` was taken for
        self._files_before: FileSignature | None = None
        self._next_file_look = 0.0
        self._stopped = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    # -- what the owner says --------------------------------------------------------------------
    @property
    def step(self) -> Step | None:
        return self._step

    @property
    def plan(self) -> WatchPlan | None:
        """What is watched for the current step (None when there is none)."""
        return self._plan

    @property
    def busy(self) -> bool:
        """Whether a check runs or waits to run."""
        with self._cond:
            return self._checking or self._wanted is not None

    def settle(self, timeout: float) -> bool:
        """Wait until no check runs or waits to run (True), at most `timeout` seconds (False)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: not (self._checking or self._wanted is not None), timeout
            )

    def follow(self, step: Step | None) -> None:
        """Watch `step` from now on (None: nothing). Does not check it: `request` does."""
        plan = plan_for(step.check, self.session.context()) if step is not None else None
        with self._cond:
            self._step, self._plan = step, plan
            if step is None:
                self._wanted = None
            # changes from now on: what the files are now is the baseline
            self._files_plan = plan
            self._files_before = plan.signature() if plan is not None and plan.files else None
            self._next_poll = None
            if plan is not None and self.live:
                self._next_poll = time.monotonic() + plan.poll_interval
            self._cond.notify_all()
        if self.live and self._thread is None and step is not None:
            self._thread = threading.Thread(target=self._run, name="checking the step", daemon=True)
            self._thread.start()

    def request(self, *, asked: bool = False, output: str | None = None) -> None:
        """Check the current step now (or right after the check that is running). `asked`: the
        learner asked for it; `output`: their last command's output, to diagnose."""
        if not self.live:
            return
        with self._cond:
            self._want(_Request(asked, output))

    def engine_event(self, event: EngineEvent) -> None:
        """An engine event: checked now and a little later when it can change the verdict."""
        plan = self._plan
        if plan is not None and plan.relevant(event):
            self._changed()

    def engine_state(self, state: EngineState) -> None:
        """The engine came back (or its summary changed): check again."""
        if isinstance(state, EngineUp):
            self.request()

    def stop(self) -> None:
        """End the watcher's thread (a check that runs still ends)."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    # -- inside, under the lock -------------------------------------------------------------------
    def _want(self, request: _Request) -> None:
        if self._step is None:
            return
        self._wanted = request if self._wanted is None else self._wanted.merge(request)
        self._cond.notify_all()

    def _changed(self) -> None:
        """A relevant change: check now and after each FOLLOW_UP delay (the last ones replaced)."""
        if not self.live:
            return
        now = time.monotonic()
        with self._cond:
            self._follow_ups = [now + delay for delay in FOLLOW_UP]
            self._want(_Request())

    def _timers(self, now: float) -> None:
        """Follow-ups and the poll that came due become a request; changed files too."""
        if self._follow_ups and self._follow_ups[0] <= now:
            self._follow_ups = [t for t in self._follow_ups if t > now]
            self._want(_Request())
        if self._next_poll is not None and self._next_poll <= now and self._plan is not None:
            self._next_poll = now + self._plan.poll_interval
            self._want(_Request())
        if now >= self._next_file_look and self._plan is not None and self._plan.files:
            self._next_file_look = now + FILE_POLL
            self._look_at_files(self._plan, now)

    def _look_at_files(self, plan: WatchPlan, now: float) -> None:
        signature = plan.signature()
        before = self._files_before if plan is self._files_plan else None
        self._files_plan, self._files_before = plan, signature
        if before is not None and changed_files(before, signature):
            self._follow_ups = [now + delay for delay in FOLLOW_UP]
            self._want(_Request())

    def _wake_in(self, now: float) -> float | None:
        """Seconds until the next timer (None: none; a request wakes the thread)."""
        times = []
        if self._plan is not None and self._plan.files:
            times.append(self._next_file_look)
        if self._follow_ups:
            times.append(self._follow_ups[0])
        if self._next_poll is not None:
            times.append(self._next_poll)
        return max(0.0, min(times) - now) if times else None

    def _next(self) -> tuple[Step, _Request] | None:
        """Wait for the next check to run (None: stopped)."""
        with self._cond:
            while not self._stopped:
                now = time.monotonic()
                self._timers(now)
                if self._wanted is not None and self._step is not None:
                    request, self._wanted = self._wanted, None
                    self._checking = True
                    return self._step, request
                self._cond.wait(self._wake_in(now))
            return None

    # -- the watcher's thread ---------------------------------------------------------------------
    def _run(self) -> None:
        while (job := self._next()) is not None:
            step, request = job
            try:
                self._check(step, request)
            finally:
                with self._cond:
                    self._checking = False
                    self.checks_run += 1
                    self._cond.notify_all()

    def _check(self, step: Step, request: _Request) -> None:
        told = False

        def tell(attempt: Attempt) -> None:
            nonlocal told
            told = True
            if attempt.completed:
                with self._cond:  # done: nothing to check until the owner follows the next step
                    if self._step is step:
                        self._step = None
                        self._wanted = None
            self._on_attempt(attempt)

        counting = Counting.ALWAYS if request.asked else Counting.PASS
        try:
            self.session.attempt(step, counting=counting, output=request.output, on_verdict=tell)
        except Exception as exc:  # noqa: BLE001 - a check that crashes must not stop checking
            if not told:
                tell(Attempt(step, Result.error(f"the check failed to run: {exc!r}")))
            elif self._on_failure is not None:
                self._on_failure(exc)
