"""Diagnoses of missing manifests and repositories, deletes and garbage collection:
registry-gc, registry-basics, registry-tls."""

from __future__ import annotations

import pytest
import requests

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

# --- missing manifests and repositories: registry-gc, registry-basics, registry-tls ----------


@pytest.fixture(scope="module")
def plain_registry(made: Created) -> str:
    """A plain registry on 127.0.0.1 (deletes not enabled) holding `diag:v1`."""
    name, port = f"dl-diag-plain-{SUFFIX}", free_port()
    made.containers.append(name)
    docker("run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:5000", "registry:2")
    host = f"127.0.0.1:{port}"
    wait_until(answers(f"http://{host}/v2/"), "the plain registry did not answer")
    output = push(made, host, "diag:v1")
    assert "digest: sha256:" in output, output
    return host


@pytest.mark.parametrize(
    ("slug", "step"),
    [
        ("registry-gc", "garbage-collect"),
        ("registry-basics", "pull-back"),
        ("registry-tls", "pull"),
    ],
)
def test_pulling_a_tag_that_is_not_there_is_explained(
    plain_registry: str, slug: str, step: str
) -> None:
    output = run("docker", "pull", f"{plain_registry}/diag:v9")
    assert "manifest unknown" in output
    diagnosed(slug, step, output, "manifest unknown")


@pytest.mark.parametrize(
    ("slug", "step"), [("registry-gc", "garbage-collect"), ("registry-basics", "pull-back")]
)
def test_pulling_a_repository_that_does_not_exist_is_explained(
    plain_registry: str, slug: str, step: str
) -> None:
    """Docker Hub answers `repository does not exist`; registry:2 answers MANIFEST_UNKNOWN, and
    Docker 20.10 prints `manifest for ... not found: manifest unknown`."""
    output = run("docker", "pull", f"{plain_registry}/no-such-repository-{SUFFIX}")
    key = next(k for k in ("repository does not exist", "manifest unknown") if k in output)
    diagnosed(slug, step, output, key)


def test_asking_the_api_for_a_repository_that_does_not_exist_is_explained(
    plain_registry: str,
) -> None:
    output = requests.get(
        f"http://{plain_registry}/v2/no-such-repository/tags/list", timeout=10
    ).text
    assert "NAME_UNKNOWN" in output
    diagnosed("registry-gc", "garbage-collect", output, "repository name not known to registry")


def test_deleting_without_deletes_enabled_is_explained(plain_registry: str) -> None:
    digest = requests.head(
        f"http://{plain_registry}/v2/diag/manifests/v1",
        timeout=10,
        headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"},
    ).headers["Docker-Content-Digest"]
    output = requests.delete(f"http://{plain_registry}/v2/diag/manifests/{digest}", timeout=10).text
    diagnosed("registry-gc", "delete-manifest", output, "UNSUPPORTED")


def test_deleting_by_tag_is_explained(made: Created) -> None:
    name, port = f"dl-diag-delete-{SUFFIX}", free_port()
    made.containers.append(name)
    docker(
        "run",
        "-d",
        "--name",
        name,
        "-p",
        f"127.0.0.1:{port}:5000",
        "-e",
        "REGISTRY_STORAGE_DELETE_ENABLED=true",
        "registry:2",
    )
    host = f"127.0.0.1:{port}"
    wait_until(answers(f"http://{host}/v2/"), "the registry did not answer")
    push(made, host, "demo:v1")
    output = requests.delete(f"http://{host}/v2/demo/manifests/v1", timeout=10).text
    diagnosed("registry-gc", "delete-manifest", output, "DIGEST_INVALID")


def test_garbage_collect_without_the_config_file_is_explained() -> None:
    output = run(
        "docker", "run", "--rm", "--entrypoint", "registry", "registry:2", "garbage-collect"
    )
    diagnosed("registry-gc", "garbage-collect", output, "configuration path unspecified")
