"""`container`: a container by name — state, image, published ports, mounts, env, restart policy.

Every mismatch found is reported, the most important first (state, image, ports, mounts,
environment, restart policy), in one sentence: "container 'registry' is running but publishes
5001, not 5000".
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from dockerlab.checks.context import CheckContext
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import CONTAINER_ACTIONS, EventRule, WatchPlan
from dockerlab.engine import refs
from dockerlab.engine.client import EngineError
from dockerlab.engine.containers import ContainerInfo, MountInfo, PortBinding, inspect_container
from dockerlab.engine.endpoint import engine_endpoint
from dockerlab.engine.images import inspect_image
from dockerlab.engine.ports import port_holder
from dockerlab.model.checks import ContainerCheck, MountSpec, PortSpec

_IMAGE_ID = re.compile(r"(sha256:)?[0-9a-f]{12,64}")


def check_container(spec: ContainerCheck, ctx: CheckContext) -> Result:
    """PASS when the container is in the expected state with every property asked for."""
    who = f"container '{spec.name}'"
    try:
        info = inspect_container(ctx.engine, spec.name)
    except EngineError as exc:
        return Result.error(f"could not inspect {who}: {exc}")
    if info is None:
        if spec.state == "absent":
            return Result.ok(f"{who} does not exist, as expected")
        expected = _expected_state(spec.state)
        return Result.fail(f"{who} does not exist (expected it {expected}){_held(spec, ctx)}")
    if spec.state == "absent":
        return Result.fail(f"{who} still exists ({describe_status(info)}; expected it removed)")

    problems = [
        *image_problems(spec, info, ctx),
        *port_problems(spec.ports, info.ports),
        *mount_problems(spec.mounts, info.mounts, ctx),
        *env_problems(spec.env, info.env),
        *restart_problems(spec.restart, info),
    ]
    status = describe_status(info)
    if not state_matches(spec.state, info):
        message = f"{who} is {status} (expected it {_expected_state(spec.state)})"
        if problems:
            message += ", and " + "; ".join(problems)
        return Result.fail(message + ("" if info.running else _held(spec, ctx)))
    if problems:
        return Result.fail(f"{who} is {status} but " + "; ".join(problems))
    return Result.ok(f"{who} is {status}" + "".join(f", {v}" for v in _verified(spec, info)))


def _held(spec: ContainerCheck, ctx: CheckContext) -> str:
    """Why the container may not be able to start: a host port it should publish is held by
    something else here (on this machine only: a remote engine's ports are not ours to see)."""
    if spec.state not in ("running", "present") or not engine_endpoint(ctx.engine.base_url).local:
        return ""
    notes = []
    for port in spec.ports:
        holder = port_holder(ctx.engine, port.host) if port.host else None
        if holder and holder != f"container '{spec.name}'":
            notes.append(
                f"; port {port.host} is held by {holder}: stop it, or run the lab on another "
                "port (e.g. --var registry_port=5001)"
            )
    return "".join(notes)


def state_matches(expected: str, info: ContainerInfo) -> bool:
    """`running` and `exited` are the engine's statuses; `present` is any of them."""
    return expected == "present" or info.status == expected


def describe_status(info: ContainerInfo) -> str:
    """The container's status as a learner would say it: "exited (code 1)"."""
    if info.status == "exited":
        return f"exited (code {info.exit_code})"
    if info.status == "created":
        return "created (never started)"
    if info.status == "restarting":
        return f"restarting (last exit code {info.exit_code})"
    return info.status or "in an unknown state"


def _expected_state(state: str) -> str:
    return "to exist" if state == "present" else state


def image_problems(spec: ContainerCheck, info: ContainerInfo, ctx: CheckContext) -> list[str]:
    """The container's image against `spec.image`, by normalised reference.

    A container created from an image ID or digest, or a check naming one, is compared by image ID
    too: `docker run sha256:...` runs the same image as `docker run busybox`.
    """
    if spec.image is None or refs.same(info.image, spec.image):
        return []
    if (
        _IMAGE_ID.fullmatch(info.image)
        or "@" in info.image
        or "@" in spec.image
        or (_IMAGE_ID.fullmatch(spec.image))
    ):
        expected = inspect_image(ctx.engine, spec.image)
        if expected is not None and expected.id == info.image_id:
            return []
    return [f"runs image '{info.image}', not '{spec.image}'"]


def parse_port(container: int | str) -> tuple[int, str]:
    """(port, protocol) of a PortSpec's container port: 5000, "5000" or "5000/udp"."""
    port, _, proto = str(container).partition("/")
    return int(port), (proto or "tcp").lower()


def port_problems(specs: list[PortSpec], bindings: tuple[PortBinding, ...]) -> list[str]:
    """What is wrong with the published ports, one phrase per port asked for.

    Docker 20.10 binds `-p 5000:5000` on both 0.0.0.0 and ::; a `host_ip` matches any of them.
    """
    problems = []
    for p in specs:
        port, proto = parse_port(p.container)
        label = str(port) if proto == "tcp" else f"{port}/{proto}"
        mine = [b for b in bindings if (b.container_port, b.protocol) == (port, proto)]
        if not mine:
            others = ", ".join(sorted({_binding(b) for b in bindings}))
            problems.append(
                f"does not publish port {label}" + (f" (it publishes {others})" if others else "")
            )
            continue
        if p.host is not None and not any(b.host_port == p.host for b in mine):
            seen = ", ".join(str(b.host_port or "a random port") for b in _unique_ports(mine))
            if p.host == port and proto == "tcp":
                problems.append(f"publishes {seen}, not {p.host}")
            else:
                problems.append(f"publishes port {label} on {seen}, not {p.host}")
            continue
        chosen = [b for b in mine if p.host is None or b.host_port == p.host]
        if p.host_ip and not any(_same_ip(p.host_ip, b.host_ip) for b in chosen):
            ips = ", ".join(sorted({b.host_ip for b in chosen}))
            problems.append(f"publishes port {label} on {ips}, not {p.host_ip}")
    return problems


def _unique_ports(bindings: list[PortBinding]) -> list[PortBinding]:
    seen: dict[int, PortBinding] = {}
    for b in bindings:
        seen.setdefault(b.host_port, b)
    return list(seen.values())


def _binding(b: PortBinding) -> str:
    label = str(b.container_port) if b.protocol == "tcp" else f"{b.container_port}/{b.protocol}"
    return f"{label} on {b.host_port or 'a random port'}"


def _same_ip(expected: str, actual: str) -> bool:
    try:
        return ipaddress.ip_address(expected) == ipaddress.ip_address(actual or "0.0.0.0")
    except ValueError:
        return expected == actual


def mount_problems(
    specs: list[MountSpec], mounts: tuple[MountInfo, ...], ctx: CheckContext
) -> list[str]:
    """What is wrong with the mounts asked for.

    A bind `source` is a path (relative ones live in the lab workspace), compared once resolved;
    a volume `source` is its name. Without `type`, a source containing "/" or starting with "."
    or "~" is a path, and a bare word is compared as whatever the container mounted there.
    """
    problems = []
    for m in specs:
        target = m.target.rstrip("/") or "/"
        found = next((x for x in mounts if (x.destination.rstrip("/") or "/") == target), None)
        if found is None:
            problems.append(f"has no mount at {m.target}")
            continue
        expected_type = m.type or (_bind_like(m.source) and "bind") or None
        if expected_type and found.type != expected_type:
            problems.append(f"mounts {_describe_mount(found)} at {m.target}, not a {expected_type}")
            continue
        if m.source is None:
            continue
        if found.type == "volume":
            if found.name != m.source:
                problems.append(f"mounts volume '{found.name}' at {m.target}, not '{m.source}'")
        elif _resolved(Path(found.source)) != _resolved(ctx.path(m.source)):
            problems.append(f"mounts {found.source} at {m.target}, not {ctx.path(m.source)}")
    return problems


def _bind_like(source: str | None) -> bool:
    return source is not None and ("/" in source or source.startswith((".", "~")))


def _describe_mount(m: MountInfo) -> str:
    if m.type == "volume":
        return f"volume '{m.name}'"
    if m.type == "bind":
        return f"the directory {m.source}"
    return f"a {m.type}"


def _resolved(path: Path) -> Path:
    return path.resolve(strict=False)


def env_problems(expected: dict[str, str], env: dict[str, str]) -> list[str]:
    """Each expected KEY=VALUE missing or different in the container's environment."""
    problems = []
    for key, value in expected.items():
        if key not in env:
            problems.append(f"has no environment variable {key} (expected {key}={value})")
        elif env[key] != value:
            problems.append(f"has {key}={env[key]}, not {key}={value}")
    return problems


def restart_problems(expected: str | None, info: ContainerInfo) -> list[str]:
    """The restart policy against `expected` ("no" also covers an unset policy)."""
    actual = info.restart or "no"
    if expected is None or actual == expected:
        return []
    return [f"has restart policy '{actual}', not '{expected}'"]


def _verified(spec: ContainerCheck, info: ContainerInfo) -> list[str]:
    out = []
    if spec.image:
        out.append(f"from image '{info.image}'")
    for p in spec.ports:
        port, proto = parse_port(p.container)
        mine = [b for b in info.ports if (b.container_port, b.protocol) == (port, proto)]
        where = ", ".join(sorted({f"{b.host_ip}:{b.host_port}" for b in mine}))
        out.append(f"publishing {p.container} on {where}")
    out.extend(f"with {m.target} mounted" for m in spec.mounts)
    if spec.env:
        out.append("with " + ", ".join(f"{k}={v}" for k, v in spec.env.items()))
    if spec.restart:
        out.append(f"with restart policy '{info.restart}'")
    return out


def watch_container(spec: ContainerCheck, ctx: CheckContext) -> WatchPlan:
    """The container's own lifecycle events (by name, renames included)."""
    return WatchPlan(
        rules=(EventRule("container", CONTAINER_ACTIONS, frozenset({spec.name})),),
        reasons=(f"container '{spec.name}'",),
    )


CONTAINER = CheckKind(ContainerCheck, check_container, watch_container)
