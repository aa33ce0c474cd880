"""Diagnoses of storage mistakes: read-only mode around garbage collection (registry-gc) and a
swarm registry's storage (registry-swarm), each caused on the real engine.

The read-only registries run under unique names on free ports (no engine lock); the one swarm
test holds the engine lock, as every test that touches the swarm does.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import requests

from dockerlab.checks import Status
from dockerlab.checks.context import CheckContext
from dockerlab.checks.registry import check_registry
from dockerlab.engine import Engine
from dockerlab.engine.swarm import swarm_state
from dockerlab.model.checks import RegistryCheck
from tests.conftest import free_port
from tests.labs.conftest import (
    SUFFIX,
    Created,
    answers,
    diagnosed,
    docker,
    push,
    run,
    wait_until,
)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("diagnosis_images")]

READ_ONLY = "REGISTRY_STORAGE_MAINTENANCE_READONLY"


def exited_registry_log(made: Created, tag: str, *env: str) -> str:
    """Start a registry with these `-e` settings, wait for it to stop, return its log."""
    name = f"dl-diag-{tag}-{SUFFIX}"
    made.containers.append(name)
    args = [a for pair in (("-e", e) for e in env) for a in pair]
    docker("run", "-d", "--name", name, *args, "registry:2")
    wait_until(
        lambda: docker("inspect", "-f", "{{.State.Status}}", name) == "exited",
        f"the registry with {' '.join(env)} did not stop",
    )
    return run("docker", "logs", name)


# --- registry-gc: read-only mode --------------------------------------------------------------


def test_the_flat_readonly_enabled_variable_stops_the_registry(made: Created) -> None:
    output = exited_registry_log(made, "ro-flat", f"{READ_ONLY}_ENABLED=true")
    assert "panic: readonly config key must contain additional keys" in output
    diagnosed("registry-gc", "read-only", output, "readonly config key must contain")


@pytest.mark.parametrize("value", ['{"enabled": "true"}', 'enabled: "true"'])
def test_a_quoted_true_stops_the_registry(made: Created, value: str) -> None:
    tag = "ro-quoted-" + ("json" if value.startswith("{") else "yaml")
    output = exited_registry_log(made, tag, f"{READ_ONLY}={value}")
    assert "panic: readonly's enabled config key must have a boolean value" in output
    diagnosed("registry-gc", "read-only", output, "must have a boolean value")


def test_the_block_style_value_makes_the_registry_read_only(made: Created) -> None:
    """The quiz's answer writes the section as `enabled: true`, the lab as JSON: both work."""
    port = free_port()
    name = f"dl-diag-ro-yaml-{SUFFIX}"
    made.containers.append(name)
    docker(
        "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:5000",
        "-e", f"{READ_ONLY}=enabled: true", "registry:2",
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_until(answers(f"{url}/v2/"), "the read-only registry did not answer")
    answer = requests.delete(f"{url}/v2/x/manifests/sha256:{'0' * 64}", timeout=10)
    assert (answer.status_code, answer.text.strip()) == (405, "Method not allowed")


@pytest.fixture(scope="module")
def read_only_registry(made: Created) -> str:
    """A registry in read-only mode with deletes on, as the lab's read-only step makes it."""
    port = free_port()
    name = f"dl-diag-ro-{SUFFIX}"
    made.containers.append(name)
    docker(
        "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:5000",
        "-e", "REGISTRY_STORAGE_DELETE_ENABLED=true",
        "-e", f'{READ_ONLY}={{"enabled": true}}',
        "registry:2",
    )  # fmt: skip
    wait_until(answers(f"http://127.0.0.1:{port}/v2/"), "the read-only registry did not answer")
    return f"127.0.0.1:{port}"


@pytest.mark.parametrize("step", ["read-only", "read-write"])
def test_a_push_to_a_read_only_registry_is_explained(
    made: Created, read_only_registry: str, step: str
) -> None:
    output = push(made, read_only_registry, f"diag-ro-{SUFFIX}")
    assert "error parsing HTTP 405 response body: invalid character 'M'" in output
    diagnosed("registry-gc", step, output, "error parsing HTTP 405 response body")


def test_a_read_only_registry_is_named_read_only_not_deletes_off(
    engine: Engine, read_only_registry: str, tmp_path: Path
) -> None:
    spec = RegistryCheck(kind="registry", url=f"http://{read_only_registry}", deletes_enabled=True)
    result = check_registry(spec, CheckContext(engine=engine, workspace=tmp_path))
    assert result.status is Status.FAIL
    assert "405 Method not allowed: the registry is read-only" in result.message


# --- registry-swarm: storage that survives the task --------------------------------------------


def test_a_bind_mount_of_a_missing_folder_is_explained(tmp_path: Path) -> None:
    missing = tmp_path / "registry-storage"
    output = run(
        "docker", "run", "--rm",
        "--mount", f"type=bind,source={missing},target=/var/lib/registry",
        "registry:2",
    )  # fmt: skip
    assert 'invalid mount config for type "bind": bind source path does not exist' in output
    diagnosed("registry-swarm", "keep-storage", output, "bind source path does not exist")


@pytest.mark.usefixtures("engine_lock")
def test_a_constraint_no_node_meets_is_explained(engine: Engine) -> None:
    created_swarm = not swarm_state(engine).active
    if created_swarm:
        docker("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1")
    name = f"dl-diag-pinned-{SUFFIX}"
    try:
        docker(
            "service", "create", "--detach", "--name", name,
            "--constraint", f"node.hostname==dl-no-such-node-{SUFFIX}",
            "busybox:latest", "sleep", "600",
        )  # fmt: skip
        errors = ""

        def pending_with_a_reason() -> bool:
            nonlocal errors
            errors = run("docker", "service", "ps", "--no-trunc", "--format", "{{.Error}}", name)
            return "no suitable node" in errors

        wait_until(pending_with_a_reason, "the pinned task never said why it waits")
        diagnosed("registry-swarm", "keep-storage", errors, "no suitable node")
    finally:
        subprocess.run(["docker", "service", "rm", name], capture_output=True, check=False)
        if created_swarm:
            docker("swarm", "leave", "--force")
