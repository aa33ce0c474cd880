"""Evaluate a step's check against the real engine, registry and files.

Each check family lives in its own module and registers an evaluator for its model with
`@evaluator(Model)`. `evaluate()` never raises: anything unexpected becomes an ERROR result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from dockerlab.checks.context import CheckContext
from dockerlab.checks.remote import unavailable
from dockerlab.checks.result import Result, Status
from dockerlab.engine.client import EngineUnavailable

__all__ = ["CheckContext", "Result", "Status", "evaluate", "evaluator"]

Spec = TypeVar("Spec")
Evaluator = Callable[[Any, CheckContext], Result]
_EVALUATORS: dict[type, Evaluator] = {}


def evaluator(
    model: type[Spec],
) -> Callable[[Callable[[Spec, CheckContext], Result]], Callable[[Spec, CheckContext], Result]]:
    """Register the function that evaluates checks of `model`."""

    def register(
        fn: Callable[[Spec, CheckContext], Result],
    ) -> Callable[[Spec, CheckContext], Result]:
        _EVALUATORS[model] = fn
        return fn

    return register


def evaluate(spec: Any, ctx: CheckContext) -> Result:
    """Evaluate one check. Engine trouble is ERROR; a bug in a check is ERROR with its message."""
    _load_families()
    fn = _EVALUATORS.get(type(spec))
    if fn is None:
        return Result(Status.ERROR, f"no evaluator for check kind '{getattr(spec, 'kind', spec)}'")
    try:
        blocked = unavailable(spec, ctx)  # a remote engine: its machine is not this one
        return blocked or _with_message(spec, fn(spec, ctx))
    except EngineUnavailable as exc:
        return Result(Status.ERROR, f"could not ask the Docker engine: {exc}")
    except Exception as exc:  # noqa: BLE001 - a check must never crash the runner or the app
        return Result(
            Status.ERROR, f"{getattr(spec, 'kind', 'check')} check failed to run: {exc!r}"
        )


def _with_message(spec: Any, result: Result) -> Result:
    """A failing check with an author's `message`: the learner reads it; the observed-vs-expected
    line moves to `detail`. ERROR keeps its own message (we could not tell; the author's sentence
    would be a guess)."""
    message = getattr(spec, "message", None)
    if message and result.status is Status.FAIL:
        return replace(result, message=message, detail=result.message)
    return result


_LOADED = False


def _load_families() -> None:
    global _LOADED
    if _LOADED:
        return
    import importlib

    for name in FAMILIES:
        importlib.import_module(f"dockerlab.checks.{name}")
    _LOADED = True


# one module per family; each registers its evaluators on import
FAMILIES: tuple[str, ...] = (
    "combinators",
    "container",
    "image",
    "registry",
    "registry_config",
    "file",
    "http",
    "swarm",
    "login",
    "daemon",
    "command",
    "jsondoc",
    "pipeline",
)
