"""Diagnoses of authentication mistakes: registry-auth."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.labs.conftest import (
    SUFFIX,
    TLS_ENV,
    Created,
    answers,
    diagnosed,
    docker,
    push,
    run,
    wait_until,
    write_cert,
)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("diagnosis_images")]

# --- authentication: registry-auth -------------------------------------------------------------


@dataclass(frozen=True)
class AuthRegistry:
    name: str
    host: str
    folder: Path
    docker_config: Path

    @property
    def env(self) -> dict[str, str]:
        """The learner's docker CLI, with a config (credentials) of its own."""
        return {"DOCKER_CONFIG": str(self.docker_config)}


def htpasswd(folder: Path, password: str) -> None:
    """The lab's own command: bcrypt from the httpd image."""
    line = docker("run", "--rm", "--entrypoint", "htpasswd", "httpd:2", "-Bbn", "moby", password)
    (folder / "auth" / "htpasswd").write_text(line + "\n")


@pytest.fixture(scope="module")
def auth_registry(made: Created, tmp_path_factory: pytest.TempPathFactory) -> AuthRegistry:
    """registry-auth's registry: TLS plus htpasswd (moby/gordon), on 127.0.0.1 only."""
    folder = tmp_path_factory.mktemp("auth-registry")
    write_cert(folder / "certs", cn="127.0.0.1", san=("IP:127.0.0.1",))
    (folder / "auth").mkdir()
    htpasswd(folder, "gordon")
    name, port = f"dl-diag-auth-{SUFFIX}", free_port()
    made.containers.append(name)
    docker(
        "run",
        "-d",
        "--name",
        name,
        "-p",
        f"127.0.0.1:{port}:5000",
        "-v",
        f"{folder / 'auth'}:/auth",
        "-e",
        "REGISTRY_AUTH=htpasswd",
        "-e",
        "REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm",
        "-e",
        "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd",
        "-v",
        f"{folder / 'certs'}:/certs",
        *TLS_ENV,
        "registry:2",
    )
    wait_until(answers(f"https://127.0.0.1:{port}/v2/"), "the auth registry did not answer")
    config = folder / "docker-config"
    config.mkdir()
    return AuthRegistry(name, f"127.0.0.1:{port}", folder, config)


def test_push_before_login_is_explained(made: Created, auth_registry: AuthRegistry) -> None:
    output = push(made, auth_registry.host, f"diag-nologin-{SUFFIX}", env=auth_registry.env)
    assert "no basic auth credentials" in output
    diagnosed("registry-auth", "login", output, "no basic auth credentials")
    diagnosed("registry-auth", "push-pull", output, "no basic auth credentials")


def test_pull_before_login_is_explained(auth_registry: AuthRegistry) -> None:
    output = run("docker", "pull", f"{auth_registry.host}/diag-nologin-pull", env=auth_registry.env)
    # Docker 20.10 retries a refused 127.0.0.0/8 registry over plain HTTP and reports that
    key = (
        "no basic auth credentials"
        if "no basic auth credentials" in output
        else "Client sent an HTTP request to an HTTPS server"
    )
    assert key in output
    diagnosed("registry-auth", "login", output, key)


def login(registry: AuthRegistry, password: str) -> subprocess.CompletedProcess[str]:
    """`echo <password> | docker login <registry> --username moby --password-stdin`."""
    return subprocess.run(
        ["docker", "login", registry.host, "--username", "moby", "--password-stdin"],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **registry.env},
    )


def test_login_with_wrong_password_is_explained(auth_registry: AuthRegistry) -> None:
    done = login(auth_registry, "not-gordon")
    output = done.stdout + done.stderr
    assert "401 Unauthorized" in output
    diagnosed("registry-auth", "login", output, "401 Unauthorized")


def test_push_with_outdated_credentials_is_explained(
    made: Created, auth_registry: AuthRegistry
) -> None:
    """Logged in, then the htpasswd file was made again with another password."""
    done = login(auth_registry, "gordon")
    assert done.returncode == 0, done.stderr
    htpasswd(auth_registry.folder, "a-new-password")
    docker("restart", auth_registry.name)
    wait_until(answers(f"https://{auth_registry.host}/v2/"), "the auth registry did not restart")
    try:
        output = push(made, auth_registry.host, f"diag-stale-{SUFFIX}", env=auth_registry.env)
    finally:
        htpasswd(auth_registry.folder, "gordon")
        docker("restart", auth_registry.name)
        wait_until(
            answers(f"https://{auth_registry.host}/v2/"), "the auth registry did not restart"
        )
    assert "unauthorized: authentication required" in output
    diagnosed("registry-auth", "push-pull", output, "unauthorized: authentication required")


def test_htpasswd_from_the_registry_image_is_explained() -> None:
    output = run(
        "docker", "run", "--rm", "--entrypoint", "htpasswd", "registry:2", "-Bbn", "a", "b"
    )
    diagnosed("registry-auth", "htpasswd", output, 'exec: "htpasswd": executable file not found')
