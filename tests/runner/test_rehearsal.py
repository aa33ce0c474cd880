"""`validate`, `check`, `solve` and `reset` on the first lab, against the real engine."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockerlab.checks.result import Status
from dockerlab.engine import Engine
from dockerlab.model.loader import load_lab
from dockerlab.progress.store import ProgressStore
from dockerlab.runner.rehearsal import rehearse
from dockerlab.runner.session import LabSession
from dockerlab.runner.trust import trust
from tests.conftest import REPO, free_port

pytestmark = pytest.mark.usefixtures("engine_lock")
BASICS = REPO / "labs" / "registry-basics"


def dockerlab(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerlab", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def docker(*args: str) -> str:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def bystanders(engine: Engine, unique: str) -> Iterator[tuple[str, str, str]]:
    """An unrelated container, image and volume that no lab declared."""
    container, image, volume = (
        f"bystander-{unique}",
        f"bystander-{unique}:keep",
        f"bystander-{unique}",
    )
    docker("tag", "busybox:latest", image)
    docker("volume", "create", volume)
    docker(
        "run", "-d", "--name", container, "-v", f"{volume}:/data", "busybox:latest", "sleep", "600"
    )
    yield container, image, volume
    subprocess.run(["docker", "rm", "-f", "-v", container], capture_output=True, check=False)
    subprocess.run(["docker", "rmi", image], capture_output=True, check=False)
    subprocess.run(["docker", "volume", "rm", volume], capture_output=True, check=False)


def test_validate_shows_each_step_failing_before_and_passing_after(
    engine: Engine, tmp_path: Path, bystanders: tuple[str, str, str]
) -> None:
    port = free_port()
    session = LabSession(
        load_lab(BASICS, {"registry_port": port}),
        engine,
        workspace=tmp_path / "ws",
        capabilities={"engine"},
    )
    report = rehearse(session)
    assert report.ok, report
    assert [s.step_id for s in report.steps] == [s.id for s in session.lab.steps]
    for step in report.steps:
        assert step.before is not None, step
        assert step.before.status is Status.FAIL, step
        assert step.after is not None, step
        assert step.after.status is Status.PASS, step
    assert report.leftovers == []
    # nothing it did not declare was touched
    container, image, volume = bystanders
    assert docker("inspect", "-f", "{{.State.Running}}", container).strip() == "true"
    docker("image", "inspect", image)
    docker("volume", "inspect", volume)


def test_cli_validate_prints_the_table_and_reset_spares_bystanders(
    engine: Engine, bystanders: tuple[str, str, str]
) -> None:
    port = str(free_port())
    out = dockerlab("validate", str(BASICS), "--var", f"registry_port={port}")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "run-registry           FAIL     ok        PASS" in out.stdout
    assert "registry-basics: PASSED" in out.stdout
    assert "nothing the lab declared remains" in out.stdout
    # solve everything, then reset: the lab's things go, the bystanders stay
    assert dockerlab("solve", "registry-basics", "--var", f"registry_port={port}").returncode == 0
    reset = dockerlab("reset", "registry-basics", "--yes", "--var", f"registry_port={port}")
    assert reset.returncode == 0, reset.stderr
    assert "removed container registry" in reset.stdout
    container, image, volume = bystanders
    docker("container", "inspect", container)
    docker("image", "inspect", image)
    docker("volume", "inspect", volume)


def test_check_on_a_clean_engine_names_what_is_missing_then_solve_makes_it_pass(
    engine: Engine,
) -> None:
    port = str(free_port())
    var = ["--var", f"registry_port={port}"]
    first = dockerlab("check", "registry-basics", *var)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "✗ run-registry" in first.stdout
    assert "container 'registry' does not exist (expected it running)" in first.stdout
    try:
        solved = dockerlab("solve", "registry-basics", *var)
        assert solved.returncode == 0, solved.stdout + solved.stderr
        again = dockerlab("check", "registry-basics", *var)
        assert again.returncode == 0, again.stdout
        assert "All 7 steps of 'registry-basics' are done." in again.stdout
        one = dockerlab("check", "registry-basics", "run-registry", *var)
        assert one.returncode == 0
        assert f"publishing 5000 on 0.0.0.0:{port}" in one.stdout
        records = ProgressStore().completed_steps("registry-basics")
        assert set(records) == {s.id for s in load_lab(BASICS).lab.steps}
        assert all(r.assisted for r in records.values())
    finally:
        dockerlab("reset", "registry-basics", "--yes", *var)


def test_unreachable_engine_is_an_error_not_a_failure() -> None:
    out = dockerlab(
        "check",
        "registry-basics",
        "run-registry",
        env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"},
    )
    assert out.returncode == 2, out.stdout + out.stderr
    assert "! run-registry" in out.stdout
    assert "could not ask the Docker engine" in out.stdout


def _lab(tmp_path: Path, check: str, solution: str, extra: str = "") -> Path:
    (tmp_path / "lab").mkdir()
    path = tmp_path / "lab" / "lab.yaml"
    path.write_text(
        f"""\
id: tiny
title: Tiny
section: test
summary: s
minutes: 1
steps:
  - id: only
    title: Only
    instructions: x
    solution: {solution}
{extra}    check:
{check}
""",
        encoding="utf-8",
    )
    trust(path.parent)  # a lab outside the bundled course runs commands only once trusted
    return path


def test_validate_rejects_a_check_that_passes_before_the_solution(
    engine: Engine, tmp_path: Path
) -> None:
    path = _lab(tmp_path, "      kind: image\n      ref: busybox:latest", "echo nothing")
    session = LabSession(load_lab(path), engine, workspace=tmp_path / "ws", capabilities={"engine"})
    report = rehearse(session)
    assert not report.ok
    assert "already passes before the solution" in (report.steps[0].problem or "")


def test_validate_accepts_a_waived_step_and_reports_a_failing_solution(
    engine: Engine, tmp_path: Path
) -> None:
    waived = "    passes_before_solution: busybox is prepared by dockerlab itself\n"
    path = _lab(tmp_path, "      kind: image\n      ref: busybox:latest", "echo ok", waived)
    session = LabSession(load_lab(path), engine, workspace=tmp_path / "ws", capabilities={"engine"})
    assert rehearse(session).ok
    (tmp_path / "lab" / "lab.yaml").unlink()
    (tmp_path / "lab").rmdir()
    path = _lab(tmp_path, "      kind: file\n      path: made", "'echo oops >&2; exit 3'")
    session = LabSession(
        load_lab(path), engine, workspace=tmp_path / "ws2", capabilities={"engine"}
    )
    report = rehearse(session)
    problem = report.steps[0].problem or ""
    assert "the solution failed" in problem
    assert "exit 3" in problem
    assert "oops" in problem


@pytest.mark.parametrize("command", ["show", "check", "solve"])
def test_unknown_step_names_the_steps_with_a_suggestion(command: str) -> None:
    out = dockerlab(command, "registry-basics", "pusj")
    assert out.returncode == 2
    assert "has no step 'pusj' (did you mean 'push'?)" in out.stderr
    assert "Traceback" not in out.stderr
