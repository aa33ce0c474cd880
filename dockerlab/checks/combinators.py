"""`all`, `any` and `not`: what the results of the checks inside them add up to.

Pure functions of results; `dockerlab.checks.kinds` evaluates the checks inside (the tree is
walked by `model.checks.children`) and hands their results here.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockerlab.checks.result import Result, Status, combine_all


def all_of(results: Sequence[Result]) -> Result:
    """PASS when every one passes; otherwise the first ERROR, else the first FAIL."""
    status = combine_all(list(results))
    if status is Status.PASS:
        return Result(status, f"all {len(results)} checks pass", tuple(results))
    first = next(r for r in results if r.status is status)
    return Result(status, first.message, tuple(results))


def any_of(results: Sequence[Result]) -> Result:
    """PASS when one passes; ERROR when none passed and some could not be determined."""
    passing = [r for r in results if r.passed]
    if passing:
        return Result(Status.PASS, passing[0].message, tuple(results))
    if any(r.status is Status.ERROR for r in results):
        return Result(Status.ERROR, "none passed and some could not be determined", tuple(results))
    return Result(Status.FAIL, "none of: " + "; ".join(r.message for r in results), tuple(results))


def negation(results: Sequence[Result]) -> Result:
    """`not`: PASS when the one check inside fails; an ERROR stays an ERROR."""
    (inner,) = results
    if inner.status is Status.ERROR:
        return inner
    if inner.passed:
        return Result(Status.FAIL, f"expected this not to hold, but {inner.message}", (inner,))
    return Result(Status.PASS, f"as expected, not so: {inner.message}", (inner,))
