"""A learner in the `docker` group, not root, with sudo for the few root steps: the doctor names
those steps, `registry-basics` and `registry-tls` validate end to end on the real engine (the
TLS lab's trust step writes /etc/docker/certs.d with sudo, its check reads it as the learner),
and everything dockerlab keeps for them stays theirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockerlab.engine import Engine
from tests.nonroot.conftest import Learner

pytestmark = [pytest.mark.engine, pytest.mark.slow]


def _owners(folder: Path) -> set[int]:
    owners = {folder.stat().st_uid}
    for root, dirs, files in os.walk(folder):
        owners |= {(Path(root) / n).lstat().st_uid for n in [*dirs, *files]}
    return owners


def test_the_learner_is_not_root_and_uses_the_engine(learner: Learner, engine: Engine) -> None:
    who = learner.run("id", "-u")
    assert who.stdout.strip() == str(learner.uid) != "0"
    docker = learner.run("docker", "version", "--format", "{{.Server.Version}}")
    assert docker.returncode == 0, docker.stderr
    root = learner.run("sudo", "-n", "id", "-u")
    assert root.stdout.strip() == "0", root.stderr


def test_doctor_names_the_steps_that_need_root(learner: Learner, engine: Engine) -> None:
    done = learner.run(str(learner.dockerlab), "doctor", "--no-hub")
    (line,) = [x for x in done.stdout.splitlines() if x.startswith(("i root:", "✗ root:"))]
    assert line.startswith(f"i root: you are {learner.name}, not root")
    assert "registry-tls: step 'trust'" in line
    assert "registry-auth: its setup" in line
    assert "run them with sudo" not in done.stdout


@pytest.mark.usefixtures("engine_lock")
def test_registry_basics_and_registry_tls_validate_as_the_learner(
    learner: Learner, course_images: Engine
) -> None:
    done = learner.run(str(learner.dockerlab), "validate", "registry-basics", "registry-tls")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "registry-basics: PASSED" in done.stdout
    assert "registry-tls: PASSED" in done.stdout
    # the trust step (sudo cp into /etc/docker/certs.d) passed its check, and reset removed it
    assert "trust                  FAIL     ok        PASS" in done.stdout
    assert not Path("/etc/docker/certs.d/127.0.0.1:5000").exists()

    # a check as the learner records progress; all of it is the learner's, nothing root's
    learner.run(str(learner.dockerlab), "check", "registry-basics")
    assert (learner.data / "progress.sqlite3").is_file()
    assert (learner.data / "workspaces" / "registry-tls").is_dir()
    assert _owners(learner.data) == {learner.uid}
