"""Which changes can make a check come out differently: the plan types — pure logic, no threads.

A `WatchPlan` says what to follow for one check: engine events (by type, action and name),
files (workspace paths a file check reads, the Docker client's config.json for a login check,
certs.d trust files), and how often to re-check anyway for what no event announces (an HTTP
endpoint, a shell command, a registry changed through its API). The app follows the engine and
the files and re-runs the check when `relevant(event)` is true or a file's `signature` changed;
because state can lag behind its event (a registry container is started before it listens),
a relevant change is also re-checked a little later (`FOLLOW_UP`).

Each check kind says what to watch for it next to its evaluator (`CheckKind.watch`, in its
family module); `dockerlab.checks.kinds.plan_for` asks the right one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from dockerlab.checks.context import CheckContext
from dockerlab.engine.events import EngineEvent

T = TypeVar("T")

# how long to wait between re-checks of a check no event announces
POLL_UNWATCHED = 2.0
# the safety net for checks every change of which has an event (events can be missed)
POLL_WATCHED = 15.0
# after a relevant change, check now and again after these many seconds: a registry answers
# ~20-30 ms after its container's start event, a service converges over seconds
FOLLOW_UP: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3.0)
# how often the app looks at the watched files (a stat() each: cheap)
FILE_POLL = 0.2

CONTAINER_ACTIONS = frozenset(
    {
        "create",
        "start",
        "restart",
        "stop",
        "die",
        "kill",
        "destroy",
        "rename",
        "pause",
        "unpause",
        "update",
        "oom",
        "health_status",
    }
)
IMAGE_ACTIONS = frozenset({"pull", "push", "tag", "untag", "delete", "import", "load"})
SWARM_ACTIONS = frozenset({"create", "update", "remove"})
ANY_ACTION: frozenset[str] = frozenset()


@dataclass(frozen=True)
class EventRule:
    """Engine events of `type` whose action is in `actions` (empty: any) about one of `names`
    (empty: anything)."""

    type: str
    actions: frozenset[str] = ANY_ACTION
    names: frozenset[str] = frozenset()

    def matches(self, event: EngineEvent) -> bool:
        if event.type != self.type:
            return False
        if self.actions and event.action not in self.actions:
            return False
        if not self.names:
            return True
        return bool(_event_names(event) & self.names)


def _event_names(event: EngineEvent) -> set[str]:
    """A container event names it by `name` (and `oldName` when renamed, with a leading /)."""
    names = {event.name}
    old = event.attributes.get("oldName")
    if old:
        names.add(old.lstrip("/"))
    return names


@dataclass(frozen=True)
class WatchPlan:
    """What to follow for one check; see the module docstring."""

    rules: tuple[EventRule, ...] = ()
    files: tuple[Path, ...] = ()
    poll_interval: float = POLL_WATCHED
    reasons: tuple[str, ...] = field(default=(), compare=False)

    def relevant(self, event: EngineEvent) -> bool:
        """Whether this engine event can change the check's outcome."""
        return any(rule.matches(event) for rule in self.rules)

    def signature(self) -> FileSignature:
        """The watched files' state now; compare two with `changed_files`."""
        return file_signature(self.files)

    def merge(self, other: WatchPlan) -> WatchPlan:
        return WatchPlan(
            rules=_unique(self.rules + other.rules),
            files=_unique(self.files + other.files),
            poll_interval=min(self.poll_interval, other.poll_interval),
            reasons=_unique(self.reasons + other.reasons),
        )

    def describe(self) -> str:
        """One line for the learner: what the app is watching for this step."""
        return "; ".join(self.reasons) if self.reasons else "nothing: re-checked on a timer"


def on_a_timer(what: str) -> WatchPlan:
    """The plan of a check no engine event or file announces (a shell command's outcome): it is
    re-checked every POLL_UNWATCHED seconds. A kind that uses it says so in its registry entry."""
    return WatchPlan(poll_interval=POLL_UNWATCHED, reasons=(f"{what} (on a timer)",))


def _unique(items: tuple[T, ...]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))


# (mode, size, mtime) — or None when the path is not there
Stat = tuple[int, int, int] | None
FileSignature = Mapping[Path, Stat]


def _stat(path: Path) -> Stat:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mode, st.st_size, st.st_mtime_ns)


def file_signature(paths: Iterable[Path]) -> dict[Path, Stat]:
    return {p: _stat(p) for p in paths}


def changed_files(before: FileSignature, after: FileSignature) -> list[Path]:
    """The paths whose state differs between two signatures."""
    return [p for p in after if before.get(p, ()) != after[p]]


def workspace_files(ctx: CheckContext, *paths: str | None) -> tuple[Path, ...]:
    """The files a check names (CA files, keys...), resolved as the check resolves them; the
    ones not given (None) left out."""
    return tuple(ctx.path(p) for p in paths if p)
