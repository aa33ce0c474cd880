"""The lab screen against the real engine: the whole registry-basics lab typed into the command
bar, a step done from "another terminal" ticking off by itself, a failing check with its
diagnosis, the solution run for the learner (assisted), and a reset.

Each test runs the lab on a free port; the container name `registry` is fixed by the lab, so
the tests hold `engine_lock`. Everything they create is removed through the lab's own cleanup
(which removes only what the lab declares), and the course's hello-world image, which the lab
has the learner delete, is put back.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from functools import partial
from operator import contains
from typing import Any

import pytest
from textual.pilot import Pilot

from dockerlab.engine import Engine
from dockerlab.engine.images import prepare
from dockerlab.progress.store import ProgressStore
from dockerlab.tui.app import DockerLabApp
from dockerlab.tui.screens.lab import LabScreen
from dockerlab.tui.text import commands_in
from dockerlab.tui.widgets.command_bar import CommandBar
from dockerlab.tui.widgets.feedback import CheckPanel
from dockerlab.tui.widgets.step_list import StepList
from tests.conftest import free_port
from tests.tui.conftest import make_app, until

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("engine_lock")]

LAB = "registry-basics"


@pytest.fixture
def port(engine: Engine) -> Iterator[int]:
    """A free port for this lab run; afterwards the lab's declared resources are removed."""
    chosen = free_port()
    yield chosen
    from dockerlab.runner.catalog import resolve
    from dockerlab.runner.session import LabSession

    session = LabSession(resolve(LAB, {"registry_port": chosen}), engine=engine)
    session.cleanup()
    prepare(engine, ["hello-world:latest"], hub=False)


@pytest.fixture(autouse=True)
def _no_stranger_registry(engine: Engine, engine_lock: None) -> None:
    """The lab's container is named `registry`: hold the engine lock (another checkout's lab
    tests use that name too), then make sure no stranger holds the name."""
    names = subprocess.run(
        ["docker", "ps", "-a", "--format", "{{.Names}}"], capture_output=True, text=True, check=True
    ).stdout.split()
    if "registry" in names:
        pytest.skip("a container named 'registry' that this test did not create exists")


def lab_app(port: int) -> DockerLabApp:
    return make_app(open=f"lab:{LAB}", overrides={"registry_port": port})


async def lab_ready(pilot: Pilot[Any], app: DockerLabApp) -> LabScreen:
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, LabScreen)
            and app.screen.session is not None
            and app.screen.step is not None
        ),
        timeout=120,
        what="the lab to open",
    )
    screen = app.screen
    assert isinstance(screen, LabScreen)
    return screen


async def type_command(
    pilot: Pilot[Any], screen: LabScreen, command: str, keys: bool = False
) -> None:
    """Type a command into the bar and press Enter; wait until it has run."""
    bar = screen.query_one(CommandBar)
    bar.focus()
    if keys:
        await pilot.press(*command)
    else:
        bar.value = command
    await pilot.press("enter")
    await until(pilot, lambda: screen.running is None, timeout=120, what=f"`{command}` to run")


async def test_whole_lab_completed_through_the_command_bar(port: int) -> None:
    app = lab_app(port)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lab_ready(pilot, app)
        assert screen.session is not None
        steps = screen.session.lab.steps
        for number, step in enumerate(steps):
            assert screen.step is not None
            assert screen.step.id == step.id
            for command in commands_in(step.instructions):
                await type_command(pilot, screen, command, keys=number == 0)
            await until(
                pilot,
                partial(contains, screen.done, step.id),
                timeout=30,
                what=f"step '{step.id}' to tick off",
            )
            assert screen.done[step.id] is False  # done by the learner, not assisted
        await until(pilot, lambda: screen.step is None, what="the lab to complete")
        rows = screen.query_one(StepList).rows
        assert [r.mark for r in rows] == ["done"] * len(steps)
        assert "Lab complete" in str(screen.query_one("#instructions").source)  # type: ignore[attr-defined]
        history = screen.query_one(CommandBar).history
        assert history[0].startswith("docker container run -d -p")
    with ProgressStore() as store:
        done = store.completed_steps(LAB)
    assert set(done) == {s.id for s in steps}
    assert not any(r.assisted for r in done.values())


async def test_a_step_done_in_another_terminal_ticks_off_by_itself(port: int) -> None:
    app = lab_app(port)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lab_ready(pilot, app)
        assert screen.step is not None
        assert screen.step.id == "run-registry"
        # "another terminal": the engine is changed behind the app's back
        subprocess.run(
            [
                "docker",
                "container",
                "run",
                "-d",
                "-p",
                f"{port}:5000",
                "--name",
                "registry",
                "registry:2",
            ],
            check=True,
            capture_output=True,
        )
        await until(
            pilot,
            lambda: "run-registry" in screen.done,
            timeout=15,
            what="the step to tick off by itself",
        )
        assert screen.query_one(StepList).rows[0].mark == "done"
        assert screen.step is not None
        assert screen.step.id == "tag"
        # and again: an image tagged from outside
        subprocess.run(
            ["docker", "tag", "hello-world", f"127.0.0.1:{port}/hello-world"], check=True
        )
        await until(pilot, lambda: "tag" in screen.done, timeout=15, what="the tag step")


async def test_a_failing_command_shows_observed_vs_expected_and_its_diagnosis(port: int) -> None:
    app = lab_app(port)
    # bound, not listening: Docker cannot publish the port, and nothing answers on it
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", port))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await lab_ready(pilot, app)
            await type_command(
                pilot, screen, f"docker container run -d -p {port}:5000 --name registry registry:2"
            )
            panel = screen.query_one(CheckPanel)
            await until(
                pilot, lambda: "Why:" in str(panel.render()), timeout=30, what="the diagnosis"
            )
            text = str(panel.render())
            assert "✗ not yet:" in text
            assert "container 'registry'" in text
            assert f"Something else already publishes port {port}" in text
            assert "run-registry" not in screen.done
    finally:
        blocker.close()


async def test_running_the_solution_marks_the_step_done_with_help(port: int) -> None:
    app = lab_app(port)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lab_ready(pilot, app)
        await pilot.press("f4")
        await until(
            pilot, lambda: "run-registry" in screen.done, timeout=60, what="the solved step"
        )
        assert screen.done["run-registry"] is True
        assert screen.query_one(StepList).rows[0].mark == "helped"
    with ProgressStore() as store:
        assert store.completed_steps(LAB)["run-registry"].assisted


async def test_reset_after_confirmation_removes_what_the_lab_made_and_starts_over(
    port: int,
) -> None:
    app = lab_app(port)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lab_ready(pilot, app)
        await pilot.press("f4")
        await until(pilot, lambda: "run-registry" in screen.done, timeout=60, what="step 1")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await until(
            pilot,
            lambda: (
                not screen.done and screen.step is not None and screen.step.id == "run-registry"
            ),
            timeout=60,
            what="the reset",
        )
    names = subprocess.run(
        ["docker", "ps", "-a", "--format", "{{.Names}}"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "registry" not in names
