"""Which changes can make a step's check come out differently — pure logic, no threads.

A `WatchPlan` says what to follow for one check: engine events (by type, action and name),
files (workspace paths a file check reads, the Docker client's config.json for a login check,
certs.d trust files), and how often to re-check anyway for what no event announces (an HTTP
endpoint, a shell command, a registry changed through its API). The app follows the engine and
the files and re-runs the check when `relevant(event)` is true or a file's `signature` changed;
because state can lag behind its event (a registry container is started before it listens),
a relevant change is also re-checked a little later (`FOLLOW_UP`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from dockerlab.checks.context import CheckContext
from dockerlab.checks.daemon import certs_folder
from dockerlab.engine.events import EngineEvent
from dockerlab.model import checks as m

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


def plan_for(check: m.Check, ctx: CheckContext) -> WatchPlan:
    """The watch plan for a step's check (all/any/not: everything their children need)."""
    if isinstance(check, m.AllCheck | m.AnyCheck):
        plan = WatchPlan()
        for child in check.checks:
            plan = plan.merge(plan_for(child, ctx))
        return plan
    if isinstance(check, m.NotCheck):
        return plan_for(check.check, ctx)
    return _leaf(check, ctx)


def _leaf(check: m.Check, ctx: CheckContext) -> WatchPlan:
    if isinstance(check, m.ContainerCheck):
        return WatchPlan(
            rules=(EventRule("container", CONTAINER_ACTIONS, frozenset({check.name})),),
            reasons=(f"container '{check.name}'",),
        )
    if isinstance(check, m.ImageCheck):
        if check.pulled_from is not None:
            # the registry's log (a pull) and its content announce nothing of their own
            return WatchPlan(
                rules=(EventRule("image", IMAGE_ACTIONS),),
                files=_ca(check.pulled_from.ca_file, ctx),
                poll_interval=POLL_UNWATCHED,
                reasons=("images", f"registry {check.pulled_from.url}"),
            )
        return WatchPlan(rules=(EventRule("image", IMAGE_ACTIONS),), reasons=("images",))
    if isinstance(check, m.RegistryConfigCheck):
        # a bind-mounted config file can change under a running container
        files = (ctx.path(check.config_file),) if check.config_file else ()
        return WatchPlan(
            rules=(EventRule("container", CONTAINER_ACTIONS, frozenset({check.container})),),
            files=files,
            poll_interval=POLL_UNWATCHED,
            reasons=(f"the configuration of container '{check.container}'",),
        )
    if isinstance(check, m.RegistryCheck):
        # pushes land in the registry; its container coming and going changes what answers;
        # a manifest deleted through the API (or a garbage collection) announces nothing
        return WatchPlan(
            rules=(
                EventRule("image", frozenset({"push"})),
                EventRule("container", CONTAINER_ACTIONS),
            ),
            files=_ca(check.ca_file, ctx) + _ca(check.certificate, ctx),
            poll_interval=POLL_UNWATCHED,
            reasons=(f"registry {check.url}",),
        )
    if isinstance(check, m.FileCheck):
        paths = [ctx.path(check.path)]
        if check.same_as:
            paths.append(ctx.path(check.same_as))
        if check.certificate and check.certificate.key:
            paths.append(ctx.path(check.certificate.key))
        return WatchPlan(files=tuple(paths), reasons=(f"file {check.path}",))
    if isinstance(check, m.HttpCheck):
        return WatchPlan(
            rules=(EventRule("container", CONTAINER_ACTIONS),),
            files=_ca(check.ca_file, ctx),
            poll_interval=POLL_UNWATCHED,
            reasons=(f"{check.url}",),
        )
    if isinstance(check, m.SwarmCheck):
        return WatchPlan(
            rules=(EventRule("node"), EventRule("daemon")),
            poll_interval=POLL_UNWATCHED,
            reasons=("the swarm",),
        )
    if isinstance(check, m.ServiceCheck):
        # replicas converge after their containers start: the task state lags the event
        return WatchPlan(
            rules=(
                EventRule("service", SWARM_ACTIONS, frozenset({check.name})),
                EventRule("container", CONTAINER_ACTIONS),
            ),
            poll_interval=POLL_UNWATCHED,
            reasons=(f"service '{check.name}'",),
        )
    if isinstance(check, m.LoginCheck):
        config = ctx.docker_config_dir / "config.json"
        if check.url is not None:
            # whether the registry still accepts the stored password: its container, on a timer
            return WatchPlan(
                rules=(EventRule("container", CONTAINER_ACTIONS),),
                files=(config, *_ca(check.ca_file, ctx)),
                poll_interval=POLL_UNWATCHED,
                reasons=(f"logins in {config}", f"registry {check.url}"),
            )
        return WatchPlan(files=(config,), reasons=(f"logins in {config}",))
    if isinstance(check, m.DaemonCheck):
        trust: list[Path] = []
        if check.certs_d is not None:
            trust.append(certs_folder(check.certs_d, ctx) / check.certs_d.host / "ca.crt")
            if check.certs_d.matches:
                trust.append(ctx.path(check.certs_d.matches))
        return WatchPlan(
            rules=(EventRule("daemon"),),
            files=tuple(trust),
            poll_interval=POLL_UNWATCHED,
            reasons=("the daemon's registry settings",),
        )
    if isinstance(check, m.JsonCheck):
        if check.file is not None:
            return WatchPlan(files=(ctx.path(check.file),), reasons=(f"file {check.file}",))
        return WatchPlan(
            rules=(EventRule("container", CONTAINER_ACTIONS), EventRule("image", IMAGE_ACTIONS)),
            files=_ca(check.ca_file, ctx),
            poll_interval=POLL_UNWATCHED,
            reasons=(f"{check.url}",),
        )
    # a command check (or a kind this module does not know yet): nothing announces it
    kind = getattr(check, "kind", "check")
    return WatchPlan(poll_interval=POLL_UNWATCHED, reasons=(f"{kind} (on a timer)",))


def _ca(ca_file: str | None, ctx: CheckContext) -> tuple[Path, ...]:
    return (ctx.path(ca_file),) if ca_file else ()


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
