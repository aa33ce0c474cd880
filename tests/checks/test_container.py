"""`container` checks against real containers made with the docker CLI, as a learner would."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockerlab.checks import Status
from dockerlab.checks.container import port_problems
from dockerlab.engine import Engine
from dockerlab.engine.containers import PortBinding
from dockerlab.model.checks import PortSpec
from tests.checks.helpers_engine import check, context, docker
from tests.conftest import free_port

pytestmark = pytest.mark.engine


@dataclass(frozen=True)
class Running:
    name: str
    port: int
    volume: str
    workspace: Path


@pytest.fixture(scope="module")
def running(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A running container with a port on 127.0.0.1, a bind mount, a volume, env and a policy."""
    suffix = uuid.uuid4().hex[:8]
    workspace = tmp_path_factory.mktemp("workspace")
    (workspace / "registry-data").mkdir()
    c = Running(f"dltest-c-{suffix}", free_port(), f"dltest-v-{suffix}", workspace)
    try:
        docker(
            "run", "-d", "--name", c.name, "-p", f"127.0.0.1:{c.port}:5000",
            "-v", f"{workspace / 'registry-data'}:/var/lib/registry", "-v", f"{c.volume}:/vol",
            "-e", "REGISTRY_STORAGE_DELETE_ENABLED=true", "--restart", "unless-stopped",
            "busybox", "sleep", "600",
        )  # fmt: skip
        yield c
    finally:
        docker("rm", "-f", "-v", c.name, check=False)
        docker("volume", "rm", c.volume, check=False)


def test_running_container_with_everything_expected_passes(
    engine: Engine, running: Running
) -> None:
    ctx = context(engine, running.workspace)
    result = check(
        ctx,
        kind="container",
        name=running.name,
        state="running",
        image="docker.io/library/busybox",
        ports=[{"container": "5000/tcp", "host": running.port, "host_ip": "127.0.0.1"}],
        mounts=[
            {"target": "/var/lib/registry", "source": "registry-data", "type": "bind"},
            {"target": "/vol", "source": running.volume},
        ],
        env={"REGISTRY_STORAGE_DELETE_ENABLED": "true"},
        restart="unless-stopped",
    )
    assert result.status is Status.PASS, result.message
    assert result.message.startswith(f"container '{running.name}' is running, from image 'busybox'")
    assert f"publishing 5000/tcp on 127.0.0.1:{running.port}" in result.message


def test_other_host_port_reports_what_is_published(engine: Engine, running: Running) -> None:
    other = running.port + 1
    result = check(
        context(engine, running.workspace),
        kind="container",
        name=running.name,
        ports=[{"container": 5000, "host": other}],
    )
    assert result.status is Status.FAIL
    assert result.message == (
        f"container '{running.name}' is running but publishes port 5000 on {running.port}, "
        f"not {other}"
    )


def test_port_on_localhost_only_is_not_published_on_every_address(
    engine: Engine, running: Running
) -> None:
    result = check(
        context(engine, running.workspace),
        kind="container",
        name=running.name,
        ports=[{"container": 5000, "host": running.port, "host_ip": "0.0.0.0"}],
    )
    assert result.status is Status.FAIL
    assert result.message.endswith("but publishes port 5000 on 127.0.0.1, not 0.0.0.0")


def test_unpublished_port_names_the_ports_that_are(engine: Engine, running: Running) -> None:
    result = check(
        context(engine, running.workspace),
        kind="container",
        name=running.name,
        ports=[{"container": 6000}],
    )
    assert result.status is Status.FAIL
    assert result.message.endswith(
        f"does not publish port 6000 (it publishes 5000 on {running.port})"
    )


def test_bind_mount_of_another_directory_fails(
    engine: Engine, running: Running, tmp_path: Path
) -> None:
    result = check(
        context(engine, tmp_path),
        kind="container",
        name=running.name,
        mounts=[{"target": "/var/lib/registry", "source": "registry-data"}],
    )
    assert result.status is Status.FAIL
    assert result.message.endswith(
        f"mounts {running.workspace / 'registry-data'} at /var/lib/registry, "
        f"not {tmp_path / 'registry-data'}"
    )


def test_mount_type_volume_and_target_mismatches(engine: Engine, running: Running) -> None:
    result = check(
        context(engine, running.workspace),
        kind="container",
        name=running.name,
        mounts=[
            {"target": "/var/lib/registry", "type": "volume"},
            {"target": "/vol", "source": "other-volume"},
            {"target": "/certs"},
        ],
    )
    assert result.status is Status.FAIL
    assert result.message == (
        f"container '{running.name}' is running but mounts the directory "
        f"{running.workspace / 'registry-data'} at /var/lib/registry, not a volume; "
        f"mounts volume '{running.volume}' at /vol, not 'other-volume'; has no mount at /certs"
    )


def test_every_mismatch_is_reported_most_important_first(engine: Engine, running: Running) -> None:
    result = check(
        context(engine, running.workspace),
        kind="container",
        name=running.name,
        state="exited",
        image="registry:2",
        env={"REGISTRY_STORAGE_DELETE_ENABLED": "false", "REGISTRY_HTTP_ADDR": ":5000"},
        restart="always",
    )
    assert result.status is Status.FAIL
    assert result.message == (
        f"container '{running.name}' is running (expected it exited), and runs image 'busybox', "
        "not 'registry:2'; has REGISTRY_STORAGE_DELETE_ENABLED=true, not "
        "REGISTRY_STORAGE_DELETE_ENABLED=false; has no environment variable REGISTRY_HTTP_ADDR "
        "(expected REGISTRY_HTTP_ADDR=:5000); has restart policy 'unless-stopped', not 'always'"
    )


def test_existing_container_expected_absent_fails(engine: Engine, running: Running) -> None:
    result = check(
        context(engine, running.workspace), kind="container", name=running.name, state="absent"
    )
    assert result.status is Status.FAIL
    assert (
        result.message == f"container '{running.name}' still exists (running; expected it removed)"
    )


def test_missing_container_fails_and_passes_when_expected_absent(
    engine: Engine, unique: str, workspace: Path
) -> None:
    ctx = context(engine, workspace)
    name = f"dltest-none-{unique}"
    missing = check(ctx, kind="container", name=name)
    assert missing.status is Status.FAIL
    assert missing.message == f"container '{name}' does not exist (expected it running)"
    absent = check(ctx, kind="container", name=name, state="absent")
    assert absent.status is Status.PASS, absent.message


def test_an_id_prefix_is_not_a_container_name(
    engine: Engine, running: Running, workspace: Path
) -> None:
    cid = docker("inspect", "-f", "{{.Id}}", running.name).stdout.strip()
    result = check(context(engine, workspace), kind="container", name=cid[:12], state="present")
    assert result.status is Status.FAIL


def test_exited_container_reports_its_exit_code(
    engine: Engine, unique: str, workspace: Path
) -> None:
    name = f"dltest-exit-{unique}"
    try:
        docker("run", "--name", name, "busybox", "sh", "-c", "exit 3", check=False)
        ctx = context(engine, workspace)
        assert check(ctx, kind="container", name=name, state="exited").status is Status.PASS
        assert check(ctx, kind="container", name=name, state="present").status is Status.PASS
        result = check(ctx, kind="container", name=name)
        assert result.status is Status.FAIL
        assert result.message == f"container '{name}' is exited (code 3) (expected it running)"
    finally:
        docker("rm", "-f", "-v", name, check=False)


def test_container_created_from_an_image_id_matches_by_id(
    engine: Engine, unique: str, workspace: Path
) -> None:
    name = f"dltest-id-{unique}"
    image_id = docker("image", "inspect", "-f", "{{.Id}}", "busybox").stdout.strip()
    try:
        docker("create", "--name", name, "-p", "5000", image_id, "true")
        ctx = context(engine, workspace)
        same = check(
            ctx,
            kind="container",
            name=name,
            state="present",
            image="busybox",
            ports=[{"container": 5000, "host_ip": "0.0.0.0"}],
        )
        assert same.status is Status.PASS, same.message
        other = check(ctx, kind="container", name=name, state="present", image="hello-world")
        assert other.status is Status.FAIL
        assert other.message == (
            f"container '{name}' is created (never started) but runs image '{image_id}', "
            "not 'hello-world'"
        )
        not_started = check(ctx, kind="container", name=name)
        assert (
            not_started.message
            == f"container '{name}' is created (never started) (expected it running)"
        )
    finally:
        docker("rm", "-f", "-v", name, check=False)


def test_unreachable_engine_is_an_error_not_a_failure(workspace: Path) -> None:
    dead = Engine(timeout=2, base_url="unix:///nonexistent/dltest.sock")
    result = check(context(dead, workspace), kind="container", name="registry")
    assert result.status is Status.ERROR
    assert result.message.startswith("could not ask the Docker engine")


def test_ports_on_all_addresses_match_ipv4_and_ipv6_bindings() -> None:
    # Docker 20.10 reports `-p 5000:5000` as two bindings: 0.0.0.0 and ::
    bindings = (PortBinding(5000, "tcp", "0.0.0.0", 5000), PortBinding(5000, "tcp", "::", 5000))
    assert port_problems([PortSpec(container=5000, host=5000, host_ip="0.0.0.0")], bindings) == []
    assert port_problems([PortSpec(container="5000/tcp", host_ip="::")], bindings) == []
    assert port_problems([PortSpec(container=5000, host=5001)], bindings) == [
        "publishes port 5000 on 5000, not 5001"
    ]
    moved = (PortBinding(5000, "tcp", "0.0.0.0", 5001), PortBinding(5000, "tcp", "::", 5001))
    assert port_problems([PortSpec(container=5000, host=5000)], moved) == [
        "publishes 5001, not 5000"
    ]
    assert port_problems([PortSpec(container=5000, host_ip="127.0.0.1")], bindings) == [
        "publishes port 5000 on 0.0.0.0, ::, not 127.0.0.1"
    ]
    assert port_problems([PortSpec(container="5000/udp")], bindings) == [
        "does not publish port 5000/udp (it publishes 5000 on 5000)"
    ]
