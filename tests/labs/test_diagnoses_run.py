"""Diagnoses of a registry that does not start: a port already in use (every lab that runs a
registry), a broken or missing configuration file (registry-webhooks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.labs.conftest import (
    SUFFIX,
    Created,
    diagnosed,
    docker,
    run,
)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("diagnosis_images")]

# --- ports: every lab that runs a registry --------------------------------------------------

RUN_STEPS = [
    ("registry-basics", "run-registry"),
    ("registry-tls", "run-registry"),
    ("registry-auth", "run-registry"),
    ("registry-gc", "run-registry"),
    ("registry-mirror", "run-mirror"),
    ("registry-webhooks", "run-registry"),
]


@pytest.fixture(scope="module")
def port_taken_output(made: Created) -> str:
    """What `docker run -p` prints when another container already publishes that port."""
    port = free_port()
    first, second = f"dl-diag-port-a-{SUFFIX}", f"dl-diag-port-b-{SUFFIX}"
    made.containers += [first, second]
    docker("run", "-d", "--name", first, "-p", f"127.0.0.1:{port}:5000", "registry:2")
    return run(
        "docker", "run", "-d", "--name", second, "-p", f"127.0.0.1:{port}:5000", "registry:2"
    )


@pytest.mark.parametrize(("slug", "step"), RUN_STEPS)
def test_publishing_a_port_already_in_use_is_explained(
    port_taken_output: str, slug: str, step: str
) -> None:
    assert "port is already allocated" in port_taken_output
    diagnosed(slug, step, port_taken_output, "port is already allocated")


# --- configuration files: registry-webhooks ---------------------------------------------------


def test_broken_registry_configuration_is_explained(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text("version: 0.1\nnotifications:\n  endpoints:\n  - name: x\n   url: http://a\n")
    output = run(
        "docker", "run", "--rm", "-v", f"{config}:/etc/docker/registry/config.yml", "registry:2"
    )
    diagnosed(
        "registry-webhooks", "run-registry", output, "error parsing /etc/docker/registry/config.yml"
    )


def test_mounting_a_missing_configuration_file_is_explained(tmp_path: Path) -> None:
    missing = tmp_path / "config.yml"
    output = run(
        "docker", "run", "--rm", "-v", f"{missing}:/etc/docker/registry/config.yml", "registry:2"
    )
    diagnosed("registry-webhooks", "run-registry", output, "mount a directory onto a file")
