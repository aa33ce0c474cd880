"""The registry of check kinds: one `CheckKind` per check model, imported by name.

Each family module ends with its kinds (evaluator and watch plan side by side); `all`, `any`
and `not` are defined here because they evaluate and watch the checks inside them through this
registry. `tests/checks/test_kinds.py` holds every model of `model.checks.Check` to an entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from dockerlab.checks.combinators import all_of, any_of, negation
from dockerlab.checks.command import COMMAND
from dockerlab.checks.container import CONTAINER
from dockerlab.checks.context import CheckContext
from dockerlab.checks.daemon import DAEMON
from dockerlab.checks.file import FILE
from dockerlab.checks.http import HTTP
from dockerlab.checks.image import IMAGE
from dockerlab.checks.jsondoc import JSON
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.login import LOGIN
from dockerlab.checks.pipeline import NOTIFICATION, REGISTRY_IMAGE
from dockerlab.checks.registry import REGISTRY
from dockerlab.checks.registry_config import REGISTRY_CONFIG
from dockerlab.checks.remote import unavailable
from dockerlab.checks.result import Result, Status
from dockerlab.checks.swarm import SERVICE, SWARM
from dockerlab.checks.watchplan import WatchPlan
from dockerlab.engine.client import EngineUnavailable
from dockerlab.model.base import CheckSpec
from dockerlab.model.checks import AllCheck, AnyCheck, Check, NotCheck, children

Combined = TypeVar("Combined", AllCheck, AnyCheck, NotCheck)


def evaluate(spec: Check, ctx: CheckContext) -> Result:
    """Evaluate one check. Engine trouble is ERROR; a bug in a check is ERROR with its message."""
    kind = KINDS.get(type(spec))
    if kind is None:
        return Result(Status.ERROR, f"no evaluator for check kind '{getattr(spec, 'kind', spec)}'")
    try:
        blocked = unavailable(spec, ctx)  # a remote engine: its machine is not this one
        return blocked or _with_message(spec, kind.evaluate(spec, ctx))
    except EngineUnavailable as exc:
        return Result(Status.ERROR, f"could not ask the Docker engine: {exc}")
    except Exception as exc:  # noqa: BLE001 - a check must never crash the runner or the app
        return Result(
            Status.ERROR, f"{getattr(spec, 'kind', 'check')} check failed to run: {exc!r}"
        )


def plan_for(check: Check, ctx: CheckContext) -> WatchPlan:
    """The watch plan for a step's check (all/any/not: everything their children need)."""
    kind = KINDS.get(type(check))
    if kind is None:
        raise LookupError(f"no check kind is registered for {type(check).__name__}")
    return kind.watch(check, ctx)


def _with_message(spec: Check, result: Result) -> Result:
    """A failing check with an author's `message`: the learner reads it; the observed-vs-expected
    line moves to `detail`. ERROR keeps its own message (we could not tell; the author's sentence
    would be a guess)."""
    if spec.message and result.status is Status.FAIL:
        return replace(result, message=spec.message, detail=result.message)
    return result


def _combinator(
    model: type[Combined], combine: Callable[[Sequence[Result]], Result]
) -> CheckKind[Combined]:
    """A kind that holds other checks: evaluated by combining theirs, watching what they watch."""

    def evaluate_inside(spec: Combined, ctx: CheckContext) -> Result:
        return combine([evaluate(c, ctx) for c in children(spec)])

    def watch_inside(spec: Combined, ctx: CheckContext) -> WatchPlan:
        plan = WatchPlan()
        for child in children(spec):
            plan = plan.merge(plan_for(child, ctx))
        return plan

    return CheckKind(model, evaluate_inside, watch_inside)


ALL = _combinator(AllCheck, all_of)
ANY = _combinator(AnyCheck, any_of)
NOT = _combinator(NotCheck, negation)

# every check kind, in the order of the `Check` union
KINDS: dict[type[CheckSpec], CheckKind[Any]] = {
    kind.model: kind
    for kind in (
        CONTAINER,
        IMAGE,
        REGISTRY,
        REGISTRY_CONFIG,
        FILE,
        HTTP,
        SWARM,
        SERVICE,
        LOGIN,
        DAEMON,
        COMMAND,
        JSON,
        REGISTRY_IMAGE,
        NOTIFICATION,
        ALL,
        ANY,
        NOT,
    )
}
