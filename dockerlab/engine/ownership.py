"""Cleanup by declaration: remove exactly the resources a lab owns, and nothing else.

Names come from the lab's `cleanup:` section. A container, service, image, volume or network
the lab did not declare is never touched; the swarm is left only when the lab created it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockerlab.engine.client import Engine
from dockerlab.engine.refs import familiar


@dataclass(frozen=True)
class Owned:
    """What a lab owns, by name/reference (plain data, so the engine needs no lab model)."""

    containers: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    image_labels: tuple[str, ...] = ()  # "KEY=VALUE": every image with that label
    volumes: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    leave_swarm: bool = False


@dataclass
class CleanupReport:
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def swarm_active(engine: Engine) -> bool:
    """Whether this engine is part of a swarm right now."""
    info = engine.info()
    return str((info.get("Swarm") or {}).get("LocalNodeState", "inactive")) == "active"


def _try(report: CleanupReport, what: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> None:
    from docker.errors import APIError, NotFound

    try:
        fn(*args, **kw)
        report.removed.append(what)
    except NotFound:
        pass
    except APIError as exc:
        report.errors.append(f"{what}: {exc.explanation or exc}")


def cleanup(engine: Engine, owned: Owned) -> CleanupReport:
    """Remove the owned resources (services first, then containers, images, volumes, networks)."""
    report = CleanupReport()
    client = engine.client
    with engine.translate():
        services = owned.services if (owned.services and swarm_active(engine)) else ()
        for name in services:
            _try(report, f"service {name}", client.api.remove_service, name)
        if services:
            _wait_tasks_gone(engine, services)
        for name in owned.containers:
            _try(report, f"container {name}", client.api.remove_container, name, force=True, v=True)
        for ref in owned.images:
            _try(report, f"image {ref}", client.api.remove_image, familiar(ref))
        if owned.image_labels:
            _remove_labelled(engine, owned.image_labels, report)
        for name in owned.volumes:
            _try(report, f"volume {name}", client.api.remove_volume, name, force=True)
        for name in owned.networks:
            _try(report, f"network {name}", client.api.remove_network, name)
        if owned.leave_swarm and swarm_active(engine):
            _try(report, "swarm (this lab created it)", client.api.leave_swarm, force=True)
    return report


def _labelled(engine: Engine, labels: tuple[str, ...]) -> list[str]:
    """IDs of every image (intermediate ones too) carrying one of the `KEY=VALUE` labels."""
    ids: list[str] = []
    for label in labels:
        found: list[dict[str, Any]] = engine.call(
            lambda cl, lb=label: cl.api.images(all=True, filters={"label": lb})  # type: ignore[misc]
        )
        ids += [str(i["Id"]) for i in found if str(i["Id"]) not in ids]
    return ids


def _remove_labelled(engine: Engine, labels: tuple[str, ...], report: CleanupReport) -> None:
    """Remove the labelled images with all their names; a parent is refused while it has a
    child, so repeat until a round removes nothing."""
    from docker.errors import APIError, NotFound

    refused: dict[str, str] = {}
    while True:
        removed = 0
        for image_id in _labelled(engine, labels):
            try:
                engine.client.api.remove_image(image_id, force=True)
                removed += 1
                refused.pop(image_id, None)
                report.removed.append(f"image {image_id[7:19]} (labelled)")
            except NotFound:
                pass
            except APIError as exc:
                refused[image_id] = str(exc.explanation or exc)
        if removed == 0:
            break
    left = _labelled(engine, labels)  # a refused parent may have gone with its last child
    report.errors += [
        f"image {i[7:19]} (labelled): {why}" for i, why in refused.items() if i in left
    ]


def _wait_tasks_gone(engine: Engine, services: tuple[str, ...], timeout: float = 30) -> None:
    """Service containers linger a moment after `service rm`; wait so images can be removed."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = {
            (c.get("Labels") or {}).get("com.docker.swarm.service.name")
            for c in engine.call(lambda cl: cl.api.containers(all=True))
        }
        if not names.intersection(services):
            return
        time.sleep(0.3)


def leftovers(engine: Engine, owned: Owned, swarm_created: bool) -> list[str]:
    """Owned resources that still exist (after cleanup this should be empty)."""
    from docker.errors import NotFound

    out: list[str] = []
    client = engine.client

    def exists(fn: Callable[[str], Any], name: str) -> bool:
        try:
            fn(name)
            return True
        except NotFound:
            return False

    with engine.translate():
        if owned.services and swarm_active(engine):
            for name in owned.services:
                if exists(client.api.inspect_service, name):
                    out.append(f"service {name}")
        for name in owned.containers:
            if exists(client.api.inspect_container, name):
                out.append(f"container {name}")
        for ref in owned.images:
            if exists(client.api.inspect_image, familiar(ref)):
                out.append(f"image {ref}")
        out += [f"image {i[7:19]} (labelled)" for i in _labelled(engine, owned.image_labels)]
        for name in owned.volumes:
            if exists(client.api.inspect_volume, name):
                out.append(f"volume {name}")
        for name in owned.networks:
            if exists(client.api.inspect_network, name):
                out.append(f"network {name}")
        if owned.leave_swarm and swarm_created and swarm_active(engine):
            out.append("swarm (created by the lab)")
    return out


REMOVER_IMAGE = "busybox:latest"


def remove_as_engine(engine: Engine, path: Path) -> None:
    """Remove `path` with the engine's own rights: a throwaway container bind-mounts its parent
    and deletes it. For files a container wrote as root into a non-root learner's workspace (a
    bind-mounted registry-data) and for a lab's declared host paths, which only the engine (or
    sudo) may delete. Raises EngineError when the container could not do it."""
    from dockerlab.engine.client import LABEL_OWNER, EngineError
    from dockerlab.engine.images import inspect_image, prepare

    if inspect_image(engine, REMOVER_IMAGE) is None:
        prepare(engine, [REMOVER_IMAGE])
    with engine.translate():
        from docker.errors import APIError, ContainerError

        try:
            engine.client.containers.run(
                REMOVER_IMAGE,
                ["rm", "-rf", "--", f"/parent/{path.name}"],
                volumes={str(path.parent): {"bind": "/parent", "mode": "rw"}},
                network_mode="none",
                labels={LABEL_OWNER: "dockerlab"},
                remove=True,
            )
        except (APIError, ContainerError) as exc:
            raise EngineError(f"could not remove {path}: {exc}") from exc
