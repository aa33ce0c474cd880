"""The doctor tells the truth about this machine; the stand-ins work as the course uses them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dockerlab.engine import Engine
from dockerlab.engine.doctor import ipvs_available, run_doctor
from dockerlab.engine.images import COURSE_IMAGES, hub_reachable, inspect_image


def test_doctor_prints_every_line(course_images: Engine) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "dockerlab", "doctor"], capture_output=True, text=True, check=False
    )
    text = out.stdout
    for name in (
        "engine:",
        "run a container:",
        "swarm:",
        "routing mesh (IPVS):",
        "port 5000:",
        "insecure registries:",
        "registry mirrors:",
        "certs.d trust:",
        "Docker Hub:",
    ):
        assert name in text, text
    for ref in COURSE_IMAGES:
        assert f"image {ref}:" in text
    assert "storage driver" in text
    assert "API 1." in text
    # the IPVS and Docker Hub lines agree with independent probes
    ipvs, _ = ipvs_available()
    assert ("✓ routing mesh" in text) == ipvs
    assert ("✓ Docker Hub" in text) == hub_reachable()[0]
    assert out.returncode == 0, text


def test_doctor_without_engine_says_why_and_fails() -> None:
    env = {**os.environ, "DOCKER_HOST": "unix:///nonexistent/docker.sock"}
    out = subprocess.run(
        [sys.executable, "-m", "dockerlab", "doctor", "--no-hub"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 1
    assert "✗ engine: no Docker engine answers at unix:///nonexistent/docker.sock" in out.stdout
    assert "Traceback" not in out.stderr


def test_capabilities_match_findings(engine: Engine) -> None:
    report = run_doctor(engine, check_hub=False)
    assert {"engine", "swarm"} <= report.capabilities
    assert ("routing-mesh" in report.capabilities) == ipvs_available()[0]


def _run(*args: str) -> str:
    return subprocess.run(
        ["docker", "run", "--rm", *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout


@pytest.mark.usefixtures("engine")
def test_standins_are_labelled_and_behave_like_the_images(course_images: Engine) -> None:
    for ref in COURSE_IMAGES:
        info = inspect_image(course_images, ref)
        assert info is not None, ref
        if not info.standin:
            pytest.skip("real images from Docker Hub are in use")
    assert "Hello from Docker!" in _run("hello-world")
    assert "stand-in" in _run("hello-world")
    line = _run("--entrypoint", "htpasswd", "httpd:2", "-Bbn", "moby", "gordon").strip()
    assert line.startswith("moby:$2y$")
    import bcrypt

    assert bcrypt.checkpw(b"gordon", line.split(":", 1)[1].encode())
    assert _run("busybox", "echo", "hi").strip() == "hi"
    help_text = subprocess.run(
        ["docker", "run", "--rm", "registry:2", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert "2.8" in help_text.stdout + help_text.stderr
