"""Engine faults, on a dockerd of our own: stopped mid-lab, paused (SIGSTOP), and back again.
`dockerlab check` says ERROR (exit 2) with the reason, never FAIL and never a traceback, and
answers again once the engine is back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.conftest import PrivateEngine

LAB = """\
format_version: 1
id: fault-lab
title: Fault lab
section: test
summary: A lab whose check needs the engine.
minutes: 1
cleanup:
  containers: [fault-box]
steps:
  - id: run-box
    title: Run a box
    instructions: Run it.
    solution: docker run -d --name fault-box busybox sleep 600
    hints: [one, two]
    check:
      kind: container
      name: fault-box
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    (tmp_path / "pack" / "labs" / "fault-lab").mkdir(parents=True)
    (tmp_path / "pack" / "labs" / "fault-lab" / "lab.yaml").write_text(LAB)
    trusted = subprocess.run(
        [sys.executable, "-m", "dockerlab", "trust", str(tmp_path / "pack")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert trusted.returncode == 0, trusted.stderr
    return tmp_path / "pack"


def dockerlab(engine: PrivateEngine, pack: Path, *args: str) -> tuple[int, str]:
    env = {**os.environ, "DOCKER_HOST": engine.host, "DOCKERLAB_CONTENT": ""}
    out = subprocess.run(
        [sys.executable, "-m", "dockerlab", "--plain", "--content", str(pack), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode, out.stdout + out.stderr


def test_a_stopped_engine_is_an_error_and_a_restarted_one_answers(
    private_engine: PrivateEngine, pack: Path
) -> None:
    code, said = dockerlab(private_engine, pack, "check", "fault-lab")
    assert (code, "container 'fault-box' does not exist" in said) == (1, True), said

    private_engine.stop()
    code, said = dockerlab(private_engine, pack, "check", "fault-lab")
    assert code == 2, said
    # the engine named by DOCKER_HOST is named (not "running here")
    assert (
        "! run-box: Run a box: could not ask the Docker engine: no Docker engine answers at "
        f"{private_engine.host}" in said
    ), said
    assert "✗" not in said  # ERROR, never FAIL: nothing was observed

    code, said = dockerlab(private_engine, pack, "show", "fault-lab")
    assert code == 0, said  # reading the lab needs no engine

    private_engine.start()
    code, said = dockerlab(private_engine, pack, "check", "fault-lab")
    assert code == 1, said


def test_a_paused_engine_times_out_with_a_clear_message(
    private_engine: PrivateEngine, pack: Path
) -> None:
    private_engine.pause()
    try:
        code, said = dockerlab(private_engine, pack, "check", "fault-lab")
    finally:
        private_engine.resume()
    assert code == 2, said
    assert "could not ask the Docker engine: the Docker engine did not answer in time" in said
    code, said = dockerlab(private_engine, pack, "check", "fault-lab")
    assert code == 1, said
