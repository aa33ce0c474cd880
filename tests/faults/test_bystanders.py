"""Bystanders: containers (running and stopped), images, volumes and networks that were there
before the course stay exactly as they were through every lab's validate, solve and reset.

The bystanders carry a unique suffix, and some are named like a lab's own things
(`registry-…`, `127.0.0.1:5000/…`) so that a cleanup matching by prefix would be caught."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockerlab.engine import Engine
from dockerlab.model.loader import find_lab_files
from dockerlab.paths import bundled_labs

SUFFIX = uuid.uuid4().hex[:8]
LAB_FILES = find_lab_files([bundled_labs()])


def docker(*args: str, check: bool = True) -> str:
    out = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=120)
    if check and out.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout.strip()


CONTAINERS = {
    f"bystander-running-{SUFFIX}": ["-d", "busybox", "sleep", "3600"],
    f"registry-{SUFFIX}": ["-d", "busybox", "sleep", "3600"],
    f"bystander-exited-{SUFFIX}": ["busybox", "true"],
}
IMAGES = [f"bystander-{SUFFIX}:1", f"127.0.0.1:5000/bystander-{SUFFIX}:1"]
VOLUMES = [f"bystander-{SUFFIX}", f"registry-data-{SUFFIX}"]
NETWORKS = [f"bystander-{SUFFIX}"]


def snapshot() -> dict[str, str]:
    """What each bystander is now: its id and state; missing ones say so."""
    seen: dict[str, str] = {}
    for name in CONTAINERS:
        seen[f"container {name}"] = (
            docker(
                "container", "inspect", "--format", "{{.Id}} {{.State.Status}}", name, check=False
            )
            or "missing"
        )
    for ref in IMAGES:
        seen[f"image {ref}"] = (
            docker("image", "inspect", "--format", "{{.Id}}", ref, check=False) or "missing"
        )
    for name in VOLUMES:
        seen[f"volume {name}"] = (
            docker("volume", "inspect", "--format", "{{.Name}}", name, check=False) or "missing"
        )
    for name in NETWORKS:
        seen[f"network {name}"] = (
            docker("network", "inspect", "--format", "{{.Id}}", name, check=False) or "missing"
        )
    return seen


@pytest.fixture(scope="module")
def bystanders() -> Iterator[dict[str, str]]:
    if not Engine().ping():
        pytest.skip("no Docker engine answers")
    try:
        for name, args in CONTAINERS.items():
            docker("run", "--name", name, *args)
        for ref in IMAGES:
            docker("tag", "busybox:latest", ref)
        for name in VOLUMES:
            docker("volume", "create", name)
        for name in NETWORKS:
            docker("network", "create", name)
        before = snapshot()
        assert "missing" not in before.values(), before
        assert before[f"container bystander-exited-{SUFFIX}"].endswith(" exited")
        yield before
    finally:
        docker("rm", "-f", *CONTAINERS, check=False)
        docker("image", "rm", *IMAGES, check=False)
        docker("volume", "rm", *VOLUMES, check=False)
        docker("network", "rm", *NETWORKS, check=False)


def dockerlab(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCKERLAB_CONTENT": ""}
    return subprocess.run(
        [sys.executable, "-m", "dockerlab", "--plain", *args],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
@pytest.mark.engine
@pytest.mark.usefixtures("engine_lock")
@pytest.mark.timeout(1200, func_only=True)
@pytest.mark.parametrize("path", LAB_FILES, ids=[p.parent.name for p in LAB_FILES])
def test_bystanders_survive_validate_solve_and_reset(
    engine: Engine, bystanders: dict[str, str], path: Path, tmp_path: Path
) -> None:
    lab_id = path.parent.name
    workspace = ["--workspace", str(tmp_path / lab_id)]
    steps = [
        dockerlab("validate", str(path.parent), *workspace),
        dockerlab("solve", lab_id, *workspace),
        dockerlab("reset", lab_id, "--yes", *workspace),
    ]
    said = "\n".join(
        f"$ {' '.join(s.args[3:])} -> {s.returncode}\n{s.stdout}{s.stderr}" for s in steps
    )
    assert all("Traceback" not in s.stderr for s in steps), said
    assert snapshot() == bystanders, said


SWARM_SERVICE = f"bystander-svc-{SUFFIX}"


def swarm_state() -> str:
    return docker("info", "--format", "{{.Swarm.LocalNodeState}}")


@pytest.fixture
def active_swarm(engine_lock: None) -> Iterator[str]:
    """A swarm that was there before the course, with a service of its own (made and left by
    this test, under the engine lock, only when the engine had no swarm)."""
    if swarm_state() != "inactive":
        pytest.skip("the engine is already in a swarm that is not this test's")
    docker("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:2377")
    try:
        service = docker(
            "service", "create", "--detach", "--name", SWARM_SERVICE, "busybox", "sleep", "3600"
        )
        yield service
    finally:
        docker("service", "rm", SWARM_SERVICE, check=False)
        docker("swarm", "leave", "--force", check=False)


@pytest.mark.slow
@pytest.mark.engine
@pytest.mark.timeout(1800, func_only=True)
def test_an_active_swarm_and_its_service_survive_every_lab(
    engine: Engine, active_swarm: str, tmp_path: Path
) -> None:
    """validate and reset of every lab, with a swarm the learner already had: the swarm stays,
    and so does its service (the swarm lab cannot validate here: its first step is done)."""
    said = []
    for path in LAB_FILES:
        workspace = ["--workspace", str(tmp_path / path.parent.name)]
        for run in (
            dockerlab("validate", str(path.parent), *workspace),
            dockerlab("reset", path.parent.name, "--yes", *workspace),
        ):
            said.append(f"$ {' '.join(run.args[3:])} -> {run.returncode}\n{run.stderr[-2000:]}")
            assert "Traceback" not in run.stderr, said[-1]
        assert swarm_state() == "active", "\n".join(said)
        service = docker("service", "inspect", "--format", "{{.ID}}", SWARM_SERVICE, check=False)
        assert service == active_swarm, "\n".join(said)
