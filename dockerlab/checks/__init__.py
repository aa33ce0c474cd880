"""Evaluate a step's check against the real engine, registry and files.

Each check family lives in its own module and ends with a `CheckKind` per model it handles:
the evaluator and what to watch to re-check it, side by side. `kinds.py` is the registry, with
every kind imported by name. `evaluate()` never raises: anything unexpected becomes an ERROR
result. `plan_for()` says which engine events and files can change a check's outcome.
"""

from __future__ import annotations

from dockerlab.checks.context import CheckContext
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.kinds import KINDS, evaluate, plan_for
from dockerlab.checks.result import Result, Status

__all__ = ["KINDS", "CheckContext", "CheckKind", "Result", "Status", "evaluate", "plan_for"]
