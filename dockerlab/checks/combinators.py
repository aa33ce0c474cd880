"""`all`, `any` and `not`: combine other checks."""

from __future__ import annotations

from dockerlab.checks import CheckContext, evaluate, evaluator
from dockerlab.checks.result import Result, Status, combine_all
from dockerlab.model.checks import AllCheck, AnyCheck, NotCheck


@evaluator(AllCheck)
def check_all(spec: AllCheck, ctx: CheckContext) -> Result:
    results = [evaluate(c, ctx) for c in spec.checks]
    status = combine_all(results)
    if status is Status.PASS:
        return Result(status, f"all {len(results)} checks pass", tuple(results))
    first = next(r for r in results if r.status is status)
    return Result(status, first.message, tuple(results))


@evaluator(AnyCheck)
def check_any(spec: AnyCheck, ctx: CheckContext) -> Result:
    results = [evaluate(c, ctx) for c in spec.checks]
    passing = [r for r in results if r.passed]
    if passing:
        return Result(Status.PASS, passing[0].message, tuple(results))
    if any(r.status is Status.ERROR for r in results):
        return Result(Status.ERROR, "none passed and some could not be determined", tuple(results))
    return Result(Status.FAIL, "none of: " + "; ".join(r.message for r in results), tuple(results))


@evaluator(NotCheck)
def check_not(spec: NotCheck, ctx: CheckContext) -> Result:
    inner = evaluate(spec.check, ctx)
    if inner.status is Status.ERROR:
        return inner
    if inner.passed:
        return Result(Status.FAIL, f"expected this not to hold, but {inner.message}", (inner,))
    return Result(Status.PASS, f"as expected, not so: {inner.message}", (inner,))
