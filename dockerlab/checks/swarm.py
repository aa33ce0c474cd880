"""`swarm` (this engine's swarm: active, manager) and `service` (a swarm service, converged)."""

from __future__ import annotations

from dockerlab.checks.context import CheckContext
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import (
    CONTAINER_ACTIONS,
    POLL_UNWATCHED,
    SWARM_ACTIONS,
    EventRule,
    WatchPlan,
)
from dockerlab.engine import refs
from dockerlab.engine.client import EngineError
from dockerlab.engine.swarm import ServiceInfo, SwarmState, inspect_service, swarm_state
from dockerlab.model.checks import ServiceCheck, ServicePortSpec, SwarmCheck


def check_swarm(spec: SwarmCheck, ctx: CheckContext) -> Result:
    """PASS when the swarm is (or is not) active here, and this node's role is the one asked for."""
    return judge_swarm(spec, swarm_state(ctx.engine))


def judge_swarm(spec: SwarmCheck, swarm: SwarmState) -> Result:
    """The swarm check's verdict on an observed SwarmState (pure)."""
    if not spec.active:
        if swarm.state == "inactive":
            return Result.ok("this engine is not in a swarm, as expected")
        return Result.fail(f"this engine's swarm is {_said(swarm.state)} (expected no swarm)")
    if not swarm.active:
        why = f": {swarm.error}" if swarm.error else ""
        return Result.fail(f"this engine's swarm is {_said(swarm.state)}{why} (expected it active)")
    role = "manager" if swarm.manager else "worker"
    if spec.manager is not None and spec.manager != swarm.manager:
        wanted = "manager" if spec.manager else "worker"
        return Result.fail(f"this engine is in a swarm as a {role}, not a {wanted}")
    return Result.ok(f"this engine is in an active swarm as a {role}")


def _said(state: str) -> str:
    """A LocalNodeState as part of a sentence: "inactive", "locked", "in an error state"."""
    return "in an error state" if state == "error" else state


def check_service(spec: ServiceCheck, ctx: CheckContext) -> Result:
    """PASS when the service exists (or not) with its replicas converged, image and ports."""
    who = f"service '{spec.name}'"
    swarm = swarm_state(ctx.engine)
    if not swarm.active:
        if not spec.present:
            return Result.ok(f"{who} does not exist (this engine is not in a swarm), as expected")
        return Result.fail(f"{who} does not exist: this engine's swarm is {_said(swarm.state)}")
    if not swarm.manager:
        return Result.error(
            f"cannot look for {who}: this node is a swarm worker, and only managers list services"
        )
    try:
        info = inspect_service(ctx.engine, spec.name)
    except EngineError as exc:
        return Result.error(f"could not inspect {who}: {exc}")
    return judge_service(spec, info)


def judge_service(spec: ServiceCheck, info: ServiceInfo | None) -> Result:
    """The service check's verdict on an observed service (pure)."""
    who = f"service '{spec.name}'"
    if info is None:
        if spec.present:
            return Result.fail(f"{who} does not exist")
        return Result.ok(f"{who} does not exist, as expected")
    if not spec.present:
        return Result.fail(f"{who} still exists (expected it removed)")
    problems = [
        *replica_problems(spec.replicas, info),
        *image_problems(spec.image, info),
        *port_problems(spec.ports, info),
    ]
    if problems:
        return Result.fail(f"{who} " + "; ".join(problems))
    return Result.ok(f"{who} " + ", ".join(_observed(spec, info)))


def replica_problems(expected: int | None, info: ServiceInfo) -> list[str]:
    """Converged means the spec asks for `expected` replicas and that many tasks run."""
    if expected is None:
        return []
    if info.replicas is None:
        # a global service runs one task per eligible node: on a one-node swarm, one replica
        if info.running != expected:
            return [f"runs in {info.mode} mode with {info.running} tasks running, not {expected}"]
        return []
    if info.replicas != expected:
        return [f"is set to {info.replicas} replicas, not {expected}"]
    if info.running != expected:
        return [f"runs {info.running} of {expected} replicas (not converged yet)"]
    return []


def without_digest(ref: str) -> str:
    """`nginx:latest@sha256:...` -> `nginx:latest`: swarm pins service images to a digest."""
    return ref.split("@", 1)[0]


def image_problems(expected: str | None, info: ServiceInfo) -> list[str]:
    """The service's image by normalised reference; its digest only when `expected` names one."""
    if expected is None:
        return []
    if "@" in expected:
        _, _, _, want = refs.split(expected)
        _, _, _, have = refs.split(info.image)
        same = refs.repository(expected) == refs.repository(info.image) and want == have
    else:
        same = refs.same(without_digest(info.image), expected)
    if same:
        return []
    return [f"runs image '{without_digest(info.image)}', not '{expected}'"]


def port_problems(specs: list[ServicePortSpec], info: ServiceInfo) -> list[str]:
    """Each published port asked for: present, on the published port, in the publish mode."""
    problems = []
    for p in specs:
        mine = [x for x in info.ports if x.target == p.target]
        if not mine:
            problems.append(f"does not publish port {p.target}")
            continue
        if p.published is not None and not any(x.published == p.published for x in mine):
            seen = ", ".join(str(x.published) for x in mine)
            problems.append(f"publishes port {p.target} on {seen}, not {p.published}")
            continue
        chosen = [x for x in mine if p.published is None or x.published == p.published]
        if p.mode is not None and not any(x.mode == p.mode for x in chosen):
            problems.append(
                f"publishes port {p.target} in {chosen[0].mode} mode, not {p.mode} mode"
            )
    return problems


def _observed(spec: ServiceCheck, info: ServiceInfo) -> list[str]:
    out = [
        f"runs {info.running} of {info.replicas} replicas"
        if info.replicas is not None
        else f"runs in {info.mode} mode ({info.running} running)"
    ]
    if spec.image:
        out.append(f"from image '{without_digest(info.image)}'")
    for p in spec.ports:
        x = next(
            x
            for x in info.ports
            if x.target == p.target
            and p.published in (None, x.published)
            and p.mode in (None, x.mode)
        )
        out.append(f"publishing {x.target} on {x.published or 'a per-task port'} ({x.mode} mode)")
    return out


def watch_swarm(spec: SwarmCheck, ctx: CheckContext) -> WatchPlan:
    """Node and daemon events, and a timer."""
    return WatchPlan(
        rules=(EventRule("node"), EventRule("daemon")),
        poll_interval=POLL_UNWATCHED,
        reasons=("the swarm",),
    )


def watch_service(spec: ServiceCheck, ctx: CheckContext) -> WatchPlan:
    """The service's events and every container's (its tasks), and a timer: replicas converge
    after their containers start, the task state lags the event."""
    return WatchPlan(
        rules=(
            EventRule("service", SWARM_ACTIONS, frozenset({spec.name})),
            EventRule("container", CONTAINER_ACTIONS),
        ),
        poll_interval=POLL_UNWATCHED,
        reasons=(f"service '{spec.name}'",),
    )


SWARM = CheckKind(SwarmCheck, check_swarm, watch_swarm)
SERVICE = CheckKind(ServiceCheck, check_service, watch_service)
