"""`swarm` and `service` checks against the real engine's swarm.

The swarm is shared with everyone using this engine: the whole module holds the engine lock,
initialises a swarm only when there was none, and leaves only a swarm it created. The kernel here
has no IPVS, so published ports are tested on services with no running replicas: the ports are
recorded and checked, and nothing listens on any address.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockerlab.checks import CheckContext, Status
from dockerlab.checks.swarm import judge_service, judge_swarm
from dockerlab.engine import Engine
from dockerlab.engine.swarm import ServiceInfo, ServicePort, SwarmState, swarm_state
from dockerlab.model.checks import ServiceCheck, SwarmCheck
from tests.checks.helpers_engine import check, context, docker, engine_lock, wait_for
from tests.conftest import free_port

pytestmark = pytest.mark.engine


class Swarm:
    """The module's hold on the engine's swarm: knows whether it created it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.created = False
        self.services: list[str] = []

    def active(self) -> bool:
        return swarm_state(self.engine).active

    def ensure_active(self) -> None:
        if not self.active():
            docker("swarm", "init", "--advertise-addr", "127.0.0.1")
            self.created = True

    def ensure_inactive(self) -> None:
        if self.active():
            if not self.created:
                pytest.skip("the swarm was active before these tests; it is not ours to leave")
            self.leave()

    def leave(self) -> None:
        docker("swarm", "leave", "--force")
        self.created = False

    def service(self, name: str, *args: str) -> None:
        self.services.append(name)
        docker("service", "create", "--detach", "--name", name, *args)


@pytest.fixture(scope="module")
def swarm(engine: Engine) -> Iterator[Swarm]:
    with engine_lock():
        s = Swarm(engine)
        try:
            yield s
        finally:
            if s.services and s.active():
                docker("service", "rm", *s.services, check=False)
            if s.created:
                s.leave()


@pytest.fixture
def ctx(engine: Engine, workspace: Path) -> CheckContext:
    return context(engine, workspace)


# inactive first, so the module initialises and leaves a swarm at most once


def test_no_swarm_fails_active_and_service_checks(swarm: Swarm, ctx: CheckContext) -> None:
    swarm.ensure_inactive()
    result = check(ctx, kind="swarm")
    assert result.status is Status.FAIL
    assert result.message == "this engine's swarm is inactive (expected it active)"
    assert check(ctx, kind="swarm", active=False).status is Status.PASS
    service = check(ctx, kind="service", name="registry")
    assert service.status is Status.FAIL
    assert service.message == "service 'registry' does not exist: this engine's swarm is inactive"
    assert check(ctx, kind="service", name="registry", present=False).status is Status.PASS


def test_active_swarm_with_this_node_as_manager(swarm: Swarm, ctx: CheckContext) -> None:
    swarm.ensure_active()
    result = check(ctx, kind="swarm", manager=True)
    assert result.status is Status.PASS, result.message
    assert result.message == "this engine is in an active swarm as a manager"
    worker = check(ctx, kind="swarm", manager=False)
    assert worker.status is Status.FAIL
    assert worker.message == "this engine is in a swarm as a manager, not a worker"
    inactive = check(ctx, kind="swarm", active=False)
    assert inactive.status is Status.FAIL
    assert inactive.message == "this engine's swarm is active (expected no swarm)"


def test_converged_service_passes_and_other_replica_counts_fail(
    swarm: Swarm, ctx: CheckContext
) -> None:
    swarm.ensure_active()
    name = f"dltest-svc-{uuid.uuid4().hex[:8]}"
    swarm.service(name, "--replicas", "2", "busybox", "sleep", "600")
    spec = {"kind": "service", "name": name, "replicas": 2, "image": "docker.io/library/busybox"}
    assert wait_for(lambda: check(ctx, **spec).passed, timeout=60), check(ctx, **spec).message
    assert check(ctx, **spec).message == (
        f"service '{name}' runs 2 of 2 replicas, from image 'busybox:latest'"
    )
    three = check(ctx, kind="service", name=name, replicas=3, image="nginx")
    assert three.status is Status.FAIL
    assert three.message == (
        f"service '{name}' is set to 2 replicas, not 3; runs image 'busybox:latest', not 'nginx'"
    )
    removed = check(ctx, kind="service", name=name, present=False)
    assert removed.message == f"service '{name}' still exists (expected it removed)"
    docker("service", "rm", name)
    assert check(ctx, kind="service", name=name, present=False).status is Status.PASS
    gone = check(ctx, kind="service", name=name)
    assert gone.status is Status.FAIL
    assert gone.message == f"service '{name}' does not exist"


def test_service_whose_task_exited_is_not_converged(swarm: Swarm, ctx: CheckContext) -> None:
    swarm.ensure_active()
    name = f"dltest-svc-{uuid.uuid4().hex[:8]}"
    swarm.service(name, "--restart-condition", "none", "busybox", "false")

    def task_ended() -> bool:
        states = docker("service", "ps", "--format", "{{.CurrentState}}", name).stdout
        return states.startswith(("Failed", "Complete"))

    assert wait_for(task_ended, timeout=60)
    result = check(ctx, kind="service", name=name, replicas=1)
    assert result.status is Status.FAIL
    assert result.message == f"service '{name}' runs 0 of 1 replicas (not converged yet)"


def test_published_ports_with_their_mode(swarm: Swarm, ctx: CheckContext) -> None:
    swarm.ensure_active()
    name = f"dltest-svc-{uuid.uuid4().hex[:8]}"
    host, ingress = free_port(), free_port()
    swarm.service(
        name, "--replicas", "0",
        "--publish", f"mode=host,target=80,published={host}",
        "--publish", f"target=81,published={ingress}",
        "nginx",
    )  # fmt: skip
    ports = [{"target": 80, "published": host, "mode": "host"}, {"target": 81, "mode": "ingress"}]
    result = check(ctx, kind="service", name=name, replicas=0, ports=ports)
    assert result.status is Status.PASS, result.message
    assert result.message == (
        f"service '{name}' runs 0 of 0 replicas, publishing 80 on {host} (host mode), "
        f"publishing 81 on {ingress} (ingress mode)"
    )
    wrong = check(
        ctx, kind="service", name=name,
        ports=[{"target": 80, "mode": "ingress"}, {"target": 81, "published": host},
               {"target": 5000}],
    )  # fmt: skip
    assert wrong.status is Status.FAIL
    assert wrong.message == (
        f"service '{name}' publishes port 80 in host mode, not ingress mode; publishes port 81 "
        f"on {ingress}, not {host}; does not publish port 5000"
    )


def test_unreachable_engine_is_an_error(workspace: Path) -> None:
    dead = context(Engine(timeout=2, base_url="unix:///nonexistent/dltest.sock"), workspace)
    assert check(dead, kind="swarm").status is Status.ERROR
    assert check(dead, kind="service", name="registry").status is Status.ERROR


def _service(**kw: object) -> ServiceInfo:
    base: dict[str, object] = {
        "id": "x", "name": "web", "image": "nginx:latest@sha256:" + "a" * 64,
        "mode": "replicated", "replicas": 3, "ports": (), "running": 3,
    }  # fmt: skip
    base.update(kw)
    return ServiceInfo(**base)  # type: ignore[arg-type]


def test_service_images_are_compared_without_their_digest_pin() -> None:
    spec = ServiceCheck(kind="service", name="web", image="docker.io/library/nginx")
    assert judge_service(spec, _service()).status is Status.PASS
    pinned = ServiceCheck(kind="service", name="web", image="nginx@sha256:" + "a" * 64)
    assert judge_service(pinned, _service()).status is Status.PASS
    other = ServiceCheck(kind="service", name="web", image="nginx@sha256:" + "b" * 64)
    assert judge_service(other, _service()).message == (
        f"service 'web' runs image 'nginx:latest', not 'nginx@sha256:{'b' * 64}'"
    )


def test_global_service_counts_its_running_tasks() -> None:
    # `--mode global` on a one-node swarm runs one task: the goal "one replica" is met
    one = ServiceCheck(kind="service", name="web", replicas=1)
    assert judge_service(one, _service(mode="global", replicas=None, running=1)).passed
    spec = ServiceCheck(kind="service", name="web", replicas=3)
    result = judge_service(spec, _service(mode="global", replicas=None, running=1))
    assert result.message == "service 'web' runs in global mode with 1 tasks running, not 3"
    ports = _service(ports=(ServicePort(80, 8080, "tcp", "ingress"),))
    assert judge_service(ServiceCheck(kind="service", name="web"), ports).passed


def test_locked_or_worker_swarms_are_described() -> None:
    locked = judge_swarm(SwarmCheck(kind="swarm"), SwarmState("locked", False))
    assert locked.message == "this engine's swarm is locked (expected it active)"
    broken = judge_swarm(SwarmCheck(kind="swarm"), SwarmState("error", False, error="no quorum"))
    assert broken.message == (
        "this engine's swarm is in an error state: no quorum (expected it active)"
    )
    worker = judge_swarm(SwarmCheck(kind="swarm", manager=True), SwarmState("active", False))
    assert worker.message == "this engine is in a swarm as a worker, not a manager"
