"""A check kind: its model, how to evaluate it, and what to watch to re-check it.

Each family module (container.py, image.py, ...) ends with one `CheckKind` per model it
handles; `dockerlab.checks.kinds` imports them by name into the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar, get_args

from dockerlab.checks.context import CheckContext
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import WatchPlan
from dockerlab.model.base import CheckSpec

Spec = TypeVar("Spec", bound=CheckSpec)


@dataclass(frozen=True)
class CheckKind(Generic[Spec]):
    """Everything about one kind of check, in one place.

    `evaluate` judges the state (PASS / FAIL / ERROR, may raise: `kinds.evaluate` turns that
    into ERROR); `watch` says which engine events and files can change its outcome. A kind that
    nothing announces says so with `watchplan.on_a_timer`: no kind gets a plan by default.
    """

    model: type[Spec]
    evaluate: Callable[[Spec, CheckContext], Result]
    watch: Callable[[Spec, CheckContext], WatchPlan]

    @property
    def name(self) -> str:
        """The `kind:` key that selects this model in a lab file."""
        return str(get_args(self.model.model_fields["kind"].annotation)[0])
