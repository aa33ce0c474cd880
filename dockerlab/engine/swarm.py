"""This engine's swarm and its services: node state, a service's spec, ports and running tasks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dockerlab.engine.client import Engine, EngineError


@dataclass(frozen=True)
class SwarmState:
    """`state` is the engine's LocalNodeState: inactive, pending, active, error or locked."""

    state: str
    manager: bool
    node_id: str = ""
    error: str = ""

    @property
    def active(self) -> bool:
        return self.state == "active"


@dataclass(frozen=True)
class ServicePort:
    """A published service port; `published` is 0 when none was given (host mode)."""

    target: int
    published: int
    protocol: str
    mode: str  # ingress or host


@dataclass(frozen=True)
class ServiceInfo:
    """A service's spec, its endpoint's published ports, and how many tasks really run."""

    id: str
    name: str
    image: str  # as the spec holds it, usually pinned: nginx:latest@sha256:...
    mode: str  # replicated or global
    replicas: int | None  # the spec's replica count; None for a global service
    ports: tuple[ServicePort, ...]
    running: int  # tasks whose desired state and current state are both "running"


def swarm_state(engine: Engine) -> SwarmState:
    """The swarm as this engine sees it (from `docker info`)."""
    swarm = engine.info().get("Swarm") or {}
    return SwarmState(
        state=str(swarm.get("LocalNodeState") or "inactive"),
        manager=bool(swarm.get("ControlAvailable")),
        node_id=str(swarm.get("NodeID") or ""),
        error=str(swarm.get("Error") or ""),
    )


def inspect_service(engine: Engine, name: str) -> ServiceInfo | None:
    """The service called exactly `name` with its running task count, or None when there is none.

    Needs a manager node: the engine refuses (EngineError) on a worker or outside a swarm.
    """
    from docker.errors import APIError, NotFound

    def get(client: Any) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        try:
            attrs = dict(client.api.inspect_service(name))
            if (attrs.get("Spec") or {}).get("Name") != name:
                return None  # the engine also resolves ID prefixes; a lab means a name
            tasks = client.api.tasks(filters={"service": attrs["ID"], "desired-state": "running"})
        except NotFound:
            return None
        except APIError as exc:
            raise EngineError(str(exc.explanation or exc)) from exc
        return attrs, list(tasks)

    found = engine.call(get)
    if found is None:
        return None
    return service_info(*found)


def service_info(attrs: dict[str, Any], tasks: list[dict[str, Any]]) -> ServiceInfo:
    """Turn `docker service inspect` output and its tasks into a ServiceInfo (pure)."""
    spec = attrs.get("Spec") or {}
    container = (spec.get("TaskTemplate") or {}).get("ContainerSpec") or {}
    mode = spec.get("Mode") or {}
    replicated = mode.get("Replicated")
    # the endpoint has what the manager allocated (an ingress port it picked); the spec, what
    # was asked for
    endpoint = (attrs.get("Endpoint") or {}).get("Ports")
    ports = endpoint or (spec.get("EndpointSpec") or {}).get("Ports") or ()
    running = sum(
        1
        for t in tasks
        if t.get("DesiredState") == "running" and (t.get("Status") or {}).get("State") == "running"
    )
    return ServiceInfo(
        id=str(attrs.get("ID", "")),
        name=str(spec.get("Name", "")),
        image=str(container.get("Image", "")),
        mode="replicated" if replicated is not None else (next(iter(mode), "replicated").lower()),
        replicas=int(replicated.get("Replicas") or 0) if replicated is not None else None,
        ports=tuple(
            ServicePort(
                target=int(p.get("TargetPort") or 0),
                published=int(p.get("PublishedPort") or 0),
                protocol=str(p.get("Protocol") or "tcp"),
                mode=str(p.get("PublishMode") or "ingress"),
            )
            for p in ports
        ),
        running=running,
    )


__all__ = [
    "ServiceInfo",
    "ServicePort",
    "SwarmState",
    "inspect_service",
    "service_info",
    "swarm_state",
]
