"""`dockerlab validate`: the instructor's end-to-end test of a lab, as Instruqt's `track test`.

Cleanup → setup → for each step: the check must FAIL (unless the step says why it may already
pass), the solution runs, the check must PASS within the step's timeout → cleanup → nothing the
lab declared remains.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from dockerlab.checks.result import Result, Status
from dockerlab.engine.client import EngineUnavailable
from dockerlab.engine.ownership import CleanupReport
from dockerlab.runner.session import LabSession
from dockerlab.runner.shell import CommandOutcome

Events = Callable[[str], None]


@dataclass
class StepReport:
    step_id: str
    title: str
    before: Result | None = None
    before_waived: str | None = None
    solution: list[CommandOutcome] = field(default_factory=list)
    after: Result | None = None
    seconds: float = 0.0
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class LabReport:
    lab_id: str
    steps: list[StepReport] = field(default_factory=list)
    setup: list[CommandOutcome] = field(default_factory=list)
    cleanup: CleanupReport | None = None
    leftovers: list[str] = field(default_factory=list)
    seconds: float = 0.0
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.leftovers and all(s.ok for s in self.steps)


def _tail(outcome: CommandOutcome, lines: int = 6) -> str:
    text = "\n".join(outcome.output.rstrip().splitlines()[-lines:])
    why = "timed out" if outcome.timed_out else f"exit {outcome.exit_code}"
    return f"`{outcome.command}` failed ({why}):\n{text}"


def _validate_step(session: LabSession, index: int, report: StepReport, say: Events) -> None:
    step = session.lab.steps[index]
    report.before = session.check(step)
    if step.passes_before_solution:
        report.before_waived = step.passes_before_solution
    elif report.before.status is Status.PASS:
        report.problem = (
            "the check already passes before the solution: it does not prove the step was done "
            "(tighten the check, or set passes_before_solution with the reason)"
        )
        return
    elif report.before.status is Status.ERROR:
        report.problem = f"the check could not run before the solution: {report.before.message}"
        return
    say(f"  [{step.id}] before: {report.before.status.value} — {report.before.message}")
    report.solution = session.solve(step)
    failed = next((o for o in report.solution if not o.ok), None)
    if failed is not None:
        report.problem = "the solution failed: " + _tail(failed)
        return
    report.after = session.wait_for(step)
    say(f"  [{step.id}] after:  {report.after.status.value} — {report.after.message}")
    if not report.after.passed:
        report.problem = (
            f"the check did not pass within {step.timeout:g}s after the solution: "
            f"{report.after.message}"
        )


def validate(session: LabSession, say: Events | None = None) -> LabReport:
    """Run the whole lab end to end. Always cleans up, also after a failure."""
    say = say or (lambda _msg: None)
    started = time.monotonic()
    report = LabReport(lab_id=session.lab.id)
    missing = session.missing_requirements()
    if missing:
        report.problem = f"this machine lacks {', '.join(missing)}"
        return report
    try:
        session.cleanup()  # a previous interrupted run may have left the lab's own resources
        report.setup = session.start()
        bad = next((o for o in report.setup if not o.ok), None)
        if bad is not None:
            report.problem = "setup failed: " + _tail(bad)
        else:
            for index, step in enumerate(session.lab.steps):
                t0 = time.monotonic()
                step_report = StepReport(step.id, step.title)
                report.steps.append(step_report)
                _validate_step(session, index, step_report, say)
                step_report.seconds = time.monotonic() - t0
                if not step_report.ok:
                    break
    except EngineUnavailable as exc:
        report.problem = f"the Docker engine could not be asked: {exc}"
    finally:
        try:
            report.cleanup = session.cleanup()
            report.leftovers = session.leftovers()
        except EngineUnavailable as exc:
            report.problem = report.problem or f"cleanup could not reach the engine: {exc}"
    report.seconds = time.monotonic() - started
    return report
