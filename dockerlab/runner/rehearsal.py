"""The rehearsal of a lab (`dockerlab validate`): the instructor's end-to-end test of a lab, as
Instruqt's `track test`.

Cleanup → setup → for each step: the check must FAIL (unless the step says why it may already
pass), the solution runs, the check must PASS within the step's timeout → cleanup → nothing the
lab declared remains.

With `near_misses=True`, each step's `near_misses:` are tried first, before its solution: every
mistake must make the check FAIL (for the reason its `message` names, with the diagnosis it
names), every other legitimate way must make it PASS, and each is undone before the next.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from dockerlab.checks.result import Result, Status
from dockerlab.engine.client import EngineUnavailable
from dockerlab.engine.ownership import CleanupReport
from dockerlab.model.lab import NearMiss, Step
from dockerlab.runner.attempt import Counting
from dockerlab.runner.session import LabSession
from dockerlab.runner.shell import CommandOutcome

Events = Callable[[str], None]


# how long a near miss that must FAIL is watched for a PASS, or for its expected message (the
# state it makes may settle: a registry answers a moment after its container starts)
SETTLE = 8.0


@dataclass
class NearMissReport:
    name: str
    expect: str
    result: Result | None = None
    problem: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class StepReport:
    step_id: str
    title: str
    before: Result | None = None
    before_waived: str | None = None
    solution: list[CommandOutcome] = field(default_factory=list)
    after: Result | None = None
    near_misses: list[NearMissReport] = field(default_factory=list)
    seconds: float = 0.0
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and all(n.ok for n in self.near_misses)


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


def _try_near_miss(session: LabSession, step: Step, miss: NearMiss, say: Events) -> NearMissReport:
    """Run one near miss, judge the check, undo it (always)."""
    report = NearMissReport(miss.name, miss.expect)
    started = time.monotonic()
    try:
        outcomes = [session.run(cmd) for cmd in miss.run]
        output = "\n".join(o.output for o in outcomes)
        if miss.expect == "pass":
            report.result = session.wait_for(step)
            if not report.result.passed:
                report.problem = (
                    f"another way to do the step was refused: {report.result.message}"
                    + _output_tail(outcomes)
                )
        else:
            report.result = _settled_failure(session, step, miss)
            if report.result.passed:
                report.problem = (
                    f"a mistake passed the check: {report.result.message}" + _output_tail(outcomes)
                )
            elif report.result.status is Status.ERROR:
                report.problem = f"the check could not tell: {report.result.message}"
            elif miss.message and not re.search(miss.message, report.result.message):
                report.problem = (
                    f"the check failed, but not for the reason expected ('{miss.message}'): "
                    f"{report.result.message}"
                )
        if report.problem is None and miss.diagnosis is not None:
            found = [d.pattern for d in session.diagnose(step, output)]
            if not any(miss.diagnosis in pattern for pattern in found):
                report.problem = (
                    f"the output did not get the diagnosis '{miss.diagnosis}' "
                    f"(it got: {found or 'none'}); output ended: {output.strip()[-200:]}"
                )
    finally:
        undone = session.run_all(miss.undo)
        bad = next((o for o in undone if not o.ok), None)
        if bad is not None and report.problem is None:
            report.problem = "undo failed: " + _tail(bad)
        report.seconds = time.monotonic() - started
    verdict = report.result.status.value if report.result else "-"
    say(f"  [{step.id}] near miss '{miss.name}' (must {miss.expect}): {verdict}")
    return report


def _output_tail(outcomes: list[CommandOutcome], lines: int = 4) -> str:
    """The last lines the near miss's commands printed, for a report that must say why."""
    text = "\n".join(o.output.rstrip() for o in outcomes if o.output.strip())
    tail = "\n".join(text.splitlines()[-lines:])
    return f"\n(its commands printed: {tail})" if tail else ""


def _settled_failure(session: LabSession, step: Step, miss: NearMiss) -> Result:
    """The check's verdict once the mistake's state settled: watched for SETTLE seconds at most,
    stopping at once on a PASS (a false pass) or on a FAIL whose message is the expected one."""
    deadline = time.monotonic() + SETTLE
    while True:
        result = session.peek(step)
        if result.passed or time.monotonic() >= deadline:
            return result
        if result.status is Status.FAIL and (
            miss.message is None or re.search(miss.message, result.message)
        ):
            return result
        time.sleep(0.25)


def _rehearse_step(
    session: LabSession, index: int, report: StepReport, say: Events, near_misses: bool
) -> None:
    step = session.lab.steps[index]
    # a check before the solution proves nothing done: counted, never completing the step
    report.before = session.attempt(step, completes=False).verdict
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
    if near_misses:
        for miss in step.near_misses:
            report.near_misses.append(_try_near_miss(session, step, miss, say))
    report.solution = session.solve(step)
    failed = next((o for o in report.solution if not o.ok), None)
    if failed is not None:
        report.problem = "the solution failed: " + _tail(failed)
        return
    # as `dockerlab solve`: the state the solution made, waited for; done with help
    report.after = session.attempt(step, wait=True, counting=Counting.NEVER).verdict
    say(f"  [{step.id}] after:  {report.after.status.value} — {report.after.message}")
    if not report.after.passed:
        report.problem = (
            f"the check did not pass within {step.timeout:g}s after the solution: "
            f"{report.after.message}"
        )


def rehearse(
    session: LabSession, say: Events | None = None, *, near_misses: bool = False
) -> LabReport:
    """Run the whole lab end to end (with each step's near misses first, when asked). Always
    cleans up, also after a failure."""
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
                _rehearse_step(session, index, step_report, say, near_misses)
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
