"""A lab run against an engine reached through a non-default DOCKER_HOST (a second dockerd of
our own, which starts with no images: the offline bundle brings them), and the checks a remote
engine's machine holds reported as unavailable, never as failed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockerlab.checks import CheckContext, Status, evaluate
from dockerlab.checks.remote import unavailable
from dockerlab.engine import Engine
from dockerlab.engine.images import COURSE_IMAGES, inspect_image, prepare
from dockerlab.model.checks import (
    Check,
    ContainerCheck,
    DaemonCheck,
    FileCheck,
    HttpCheck,
    RegistryCheck,
)
from tests.classroom.conftest import SecondEngine
from tests.conftest import free_port


def dockerlab(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerlab", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def bundle(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    prepare(engine)
    path = tmp_path_factory.mktemp("bundle") / "course.tar"
    out = dockerlab("images", "export", str(path))
    assert out.returncode == 0, out.stderr
    return path


def _events(engine: Engine, since: float, until: float) -> list[str]:
    stream = engine.call(
        lambda c: c.api.events(since=int(since), until=int(until) + 1, decode=True)
    )
    return [str(e.get("Actor", {}).get("Attributes", {}).get("name", "")) for e in stream]


def test_a_lab_validates_against_a_second_engine_through_docker_host(
    engine: Engine, second_engine: SecondEngine, bundle: Path
) -> None:
    env = {"DOCKER_HOST": second_engine.host}
    for ref in COURSE_IMAGES:
        assert inspect_image(second_engine.engine, ref) is None  # a new engine has nothing
    loaded = dockerlab("images", "import", str(bundle), env=env)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    for ref in COURSE_IMAGES:
        assert inspect_image(second_engine.engine, ref) is not None, ref

    doctor = dockerlab("doctor", "--no-hub", env=env).stdout
    assert f"i Docker endpoint: {second_engine.host} (local; from DOCKER_HOST)" in doctor
    assert "remote engine" not in doctor  # a unix socket on this machine is local

    port = free_port()
    start = time.time()
    run = dockerlab("validate", "labs/registry-basics", "--var", f"registry_port={port}", env=env)
    end = time.time()
    assert run.returncode == 0, run.stdout + run.stderr
    pushed = f"127.0.0.1:{port}/"
    assert any(n.startswith(pushed) for n in _events(second_engine.engine, start, end))
    assert not any(pushed in n for n in _events(engine, start, end)), "the main engine was used"


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        (RegistryCheck(kind="registry", url="http://127.0.0.1:5000"), "127.0.0.1:5000 is an"),
        (HttpCheck(kind="http", url="http://localhost:8080/"), "localhost:8080/ is an"),
        (
            DaemonCheck.model_validate({"kind": "daemon", "certs_d": {"host": "r:5443"}}),
            "certs.d is a folder",
        ),
        (
            ContainerCheck.model_validate(
                {"kind": "container", "name": "r", "mounts": [{"target": "/v", "source": "d"}]}
            ),
            "bind mount source d",
        ),
        (FileCheck(kind="file", path="/etc/docker/certs.d/r:5443/ca.crt"), "/etc/docker"),
    ],
)
def test_a_remote_engine_makes_host_checks_unavailable_not_failed(
    spec: Check, why: str, tmp_path: Path
) -> None:
    remote = Engine(base_url="tcp://192.0.2.1:2375", timeout=1)
    result = evaluate(spec, CheckContext(remote, tmp_path))
    assert result.status is Status.ERROR
    assert why in result.message
    assert "the engine is remote (tcp://192.0.2.1:2375)" in result.message


def test_checks_of_things_reached_through_the_api_are_not_blocked(tmp_path: Path) -> None:
    (tmp_path / "here.txt").write_text("x")
    remote = Engine(base_url="tcp://192.0.2.1:2375", timeout=1)
    result = evaluate(FileCheck(kind="file", path="here.txt"), CheckContext(remote, tmp_path))
    assert result.status is Status.PASS  # a workspace file is on this machine
    named = RegistryCheck(kind="registry", url="http://registry.example:5000")
    assert unavailable(named, CheckContext(remote, tmp_path)) is None  # reachable, perhaps


def _without_docker_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DOCKER_HOST", "DOCKER_CONTEXT")}


def _docker_cli_host(env: dict[str, str], *flags: str) -> str:
    out = subprocess.run(
        ["docker", *flags, "context", "inspect", "--format", "{{.Endpoints.docker.Host}}"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return out.stdout.strip()


def test_the_engine_is_chosen_as_the_docker_cli_chooses_it(tmp_path: Path) -> None:
    from dockerlab.engine.endpoint import resolve

    if shutil.which("docker") is None:
        pytest.skip("no docker CLI to compare with")
    env = {**_without_docker_env(), "DOCKER_CONFIG": str(tmp_path / "cfg")}
    for name, host in (("lab-a", "tcp://10.9.8.7:2376"), ("lab-b", "unix:///tmp/b.sock")):
        subprocess.run(
            ["docker", "context", "create", name, "--docker", f"host={host}"],
            env=env,
            check=True,
            capture_output=True,
        )
    cases: list[tuple[dict[str, str], tuple[str, ...]]] = [
        ({}, ()),
        ({}, ("--context", "lab-a")),
        ({"DOCKER_CONTEXT": "lab-b"}, ()),
        ({"DOCKER_HOST": "tcp://10.1.1.1:2375"}, ()),
        ({"DOCKER_HOST": "tcp://10.1.1.1:2375"}, ("--context", "lab-b")),
        ({"DOCKER_HOST": "tcp://10.1.1.1:2375", "DOCKER_CONTEXT": "lab-a"}, ()),
    ]
    subprocess.run(["docker", "context", "use", "lab-a"], env=env, check=True, capture_output=True)
    cases.append(({}, ()))  # now the config's currentContext
    for extra, flags in cases:
        case_env = {**env, **extra}
        flag = flags[1] if flags else None
        assert resolve(flag, case_env).host == _docker_cli_host(case_env, *flags), (extra, flags)


def test_a_lab_runs_on_the_docker_cli_current_context(
    second_engine: SecondEngine, bundle: Path, tmp_path: Path
) -> None:
    """No DOCKER_HOST: `docker context use` chose the engine; the engine client and the lab's
    `docker` commands both follow it."""
    env = {**_without_docker_env(), "DOCKER_CONFIG": str(tmp_path / "cfg")}
    for args in (
        ["context", "create", "classroom", "--docker", f"host={second_engine.host}"],
        ["context", "use", "classroom"],
    ):
        subprocess.run(["docker", *args], env=env, check=True, capture_output=True)
    loaded = subprocess.run(
        [sys.executable, "-m", "dockerlab", "images", "import", str(bundle)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    port = free_port()
    start = time.time()
    run = subprocess.run(
        [sys.executable, "-m", "dockerlab", "validate", "labs/registry-basics"]
        + ["--var", f"registry_port={port}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert any(
        n.startswith(f"127.0.0.1:{port}/")
        for n in _events(second_engine.engine, start, time.time())
    )
    wrong = subprocess.run(
        [sys.executable, "-m", "dockerlab", "--context", "nope", "doctor"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert wrong.returncode == 2
    assert "no Docker context named 'nope' (from --context)" in wrong.stderr
