"""A step attempt: one check of a step and what it did to the learner's record.

`LabSession.attempt` is the one place that checks a step, counts the attempt, records the step
completed and diagnoses the learner's output; the CLI, the app and the rehearsal only show the
`Attempt` it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from dockerlab.checks.result import Result, Status
from dockerlab.model.lab import Diagnosis, Step


class Counting(Enum):
    """Which verdicts of an attempt count in the learner's record (`step_attempts`)."""

    ALWAYS = "always"  # the learner asked for the check (`dockerlab check`, F5, after a command)
    PASS = "pass"  # a live re-check nobody asked for: counted only when it completes the step
    NEVER = "never"  # waiting for the state after the reference solution ran: nothing counted


@dataclass(frozen=True)
class Attempt:
    """The verdict of one check of `step`, and what was recorded for it.

    `completed`: the verdict passed and the step counts as done (recorded when the session has
    a progress store). `assisted`: done with help (the session ran the step's solution).
    `counted`: the verdict was counted as an attempt. `diagnoses`: the step's known mistakes
    the learner's output matches; None when no output was given to diagnose."""

    step: Step
    verdict: Result
    completed: bool = False
    assisted: bool = False
    counted: bool = False
    diagnoses: tuple[Diagnosis, ...] | None = None

    @property
    def passed(self) -> bool:
        return self.verdict.passed

    @property
    def status(self) -> Status:
        return self.verdict.status


# told the attempt as soon as its verdict is known, before anything is written (the app draws
# a tick without waiting for the record's disk writes)
OnVerdict = Callable[[Attempt], None]
