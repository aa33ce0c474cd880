"""Which changes can make a step's check come out differently — pure logic, no threads.

The plan types live in `dockerlab.checks.watchplan`; what to watch for each check kind lives
next to its evaluator in the registry (`dockerlab.checks.kinds`). This module is what the
runner and the app use: `plan_for(check, ctx)`, `WatchPlan`, `changed_files`, the intervals.
"""

from __future__ import annotations

from dockerlab.checks.kinds import plan_for
from dockerlab.checks.watchplan import (
    FILE_POLL,
    FOLLOW_UP,
    POLL_UNWATCHED,
    POLL_WATCHED,
    EventRule,
    FileSignature,
    WatchPlan,
    changed_files,
    file_signature,
)

__all__ = [
    "FILE_POLL",
    "FOLLOW_UP",
    "POLL_UNWATCHED",
    "POLL_WATCHED",
    "EventRule",
    "FileSignature",
    "WatchPlan",
    "changed_files",
    "file_signature",
    "plan_for",
]
