"""Challenge mode in the app: `dockerlab --challenge` opens labs without the commands in their
instructions, F7 (and the command palette) switches the open lab between guided and challenge
and keeps the choice, the hints and the solution still give the commands, and a step done is
recorded in the mode it was done in (against the real engine, last test)."""

from __future__ import annotations

import argparse
import subprocess
from collections.abc import Iterator
from functools import partial
from operator import contains
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownFence

from dockerlab.engine import Engine
from dockerlab.engine.images import prepare
from dockerlab.model.challenge import HIDDEN_NOTE
from dockerlab.progress import Mode
from dockerlab.progress.store import ProgressStore
from dockerlab.tui.app import DockerLabApp, create_app
from dockerlab.tui.screens.lab import LabScreen
from dockerlab.tui.text import commands_in
from dockerlab.tui.widgets.command_bar import CommandBar
from dockerlab.tui.widgets.feedback import HintPanel
from tests.conftest import free_port
from tests.tui.conftest import OfflineEngine, make_app, offline_app, until

LAB = "registry-basics"
FIRST_COMMAND = "docker container run -d -p 5000:5000 --name registry registry:2"


async def lab_open(pilot: Pilot[Any], app: DockerLabApp, timeout: float = 15) -> LabScreen:
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, LabScreen)
            and app.screen.session is not None
            and app.screen.step is not None
        ),
        timeout=timeout,
        what="the lab",
    )
    screen = app.screen
    assert isinstance(screen, LabScreen)
    return screen


def instructions(screen: LabScreen) -> str:
    return str(screen.query_one("#instructions", Markdown).source)


def code_blocks_shown(screen: LabScreen) -> int:
    """The code blocks the instructions' Markdown widget draws."""
    return len(screen.query_one("#instructions", Markdown).query(MarkdownFence))


def mode_of(screen: LabScreen) -> Mode:
    assert screen.session is not None
    return screen.session.mode


def stored_mode() -> Mode:
    with ProgressStore() as store:
        return store.lab_mode(LAB)


def test_the_cli_flag_reaches_the_app() -> None:
    on = argparse.Namespace(app_vars=[], app_challenge=True)
    off = argparse.Namespace(app_vars=[], app_challenge=False)
    assert create_app(on, engine=OfflineEngine()).options.challenge is True
    assert create_app(off, engine=OfflineEngine()).options.challenge is False


@pytest.mark.usefixtures("fixture_course")
async def test_a_challenge_step_shows_no_command_block_but_hints_and_solution_have_it() -> None:
    app = offline_app(open=f"lab:{LAB}", challenge=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await lab_open(pilot, app)
        assert stored_mode() is Mode.CHALLENGE  # kept for the lab as it opened
        await pilot.pause()
        text = instructions(screen)
        assert FIRST_COMMAND not in text
        assert commands_in(text) == []
        assert code_blocks_shown(screen) == 0
        assert HIDDEN_NOTE in text
        assert "**Goal:**" in text  # the goal and explanations stay
        assert "Docker Registry is itself just an image." in text
        assert "Challenge mode" in text

        # Ctrl+Y takes no command from the instructions
        bar = screen.query_one(CommandBar)
        await pilot.press("ctrl+y")
        assert bar.value == ""
        assert any("Challenge mode: no command to take" in n.message for n in app._notifications)

        # the hint ladder and the solution still give the commands
        panel = screen.query_one(HintPanel)
        for _ in range(3):
            await pilot.press("f2")
        assert FIRST_COMMAND in str(panel.render())  # the last hint is the command
        await pilot.press("f3")
        assert f"$ {FIRST_COMMAND}" in str(panel.render())


@pytest.mark.usefixtures("fixture_course")
async def test_f7_switches_the_open_lab_and_the_choice_is_kept() -> None:
    app = offline_app(open=f"lab:{LAB}")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lab_open(pilot, app)
        assert screen.session is not None
        await pilot.pause()
        assert mode_of(screen) is Mode.GUIDED
        assert FIRST_COMMAND in instructions(screen)
        assert code_blocks_shown(screen) == 1

        await pilot.press("f7")
        await pilot.pause()
        assert mode_of(screen) is Mode.CHALLENGE
        assert FIRST_COMMAND not in instructions(screen)
        assert code_blocks_shown(screen) == 0
        await until(pilot, lambda: stored_mode() is Mode.CHALLENGE, what="the choice saved")

        await pilot.press("f7")
        await pilot.pause()
        assert FIRST_COMMAND in instructions(screen)
        await until(pilot, lambda: stored_mode() is Mode.GUIDED, what="the choice saved")
        await pilot.press("ctrl+y")
        assert screen.query_one(CommandBar).value == FIRST_COMMAND  # guided: commands to take


@pytest.mark.usefixtures("fixture_course")
async def test_the_cli_flag_sets_a_lab_once_per_run_and_f7_stands_after_that() -> None:
    """`dockerlab --challenge` opens each lab in challenge mode the first time; a learner who
    switches it back with F7 finds it as they left it when they open it again in that run."""
    app = offline_app(open=f"lab:{LAB}", challenge=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lab_open(pilot, app)
        assert mode_of(screen) is Mode.CHALLENGE
        await pilot.press("f7")
        await until(pilot, lambda: stored_mode() is Mode.GUIDED, what="the choice saved")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, LabScreen), what="back home")
        app.open_item(f"lab:{LAB}")
        again = await lab_open(pilot, app)
        assert again is not screen
        assert mode_of(again) is Mode.GUIDED
        await pilot.pause()
        assert FIRST_COMMAND in instructions(again)
    assert stored_mode() is Mode.GUIDED


@pytest.mark.usefixtures("fixture_course")
async def test_a_lab_opens_in_the_mode_chosen_for_it_before() -> None:
    with ProgressStore() as store:
        store.set_lab_mode(LAB, Mode.CHALLENGE)
    app = offline_app(open=f"lab:{LAB}")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lab_open(pilot, app)
        await pilot.pause()
        assert FIRST_COMMAND not in instructions(screen)
        assert code_blocks_shown(screen) == 0


@pytest.mark.usefixtures("fixture_course")
async def test_the_toggle_is_in_the_command_palette() -> None:
    from dockerlab.tui.commands import binding_commands

    app = offline_app(open=f"lab:{LAB}")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lab_open(pilot, app)
        titles = {c.title: c for c in binding_commands(screen, app.run_palette_action)}
        assert "Challenge mode on/off" in titles
        assert "lab.toggle_challenge" in titles["Challenge mode on/off"].help
        titles["Challenge mode on/off"].callback()
        await until(
            pilot,
            lambda: screen.session is not None and screen.session.mode is Mode.CHALLENGE,
            what="the palette's command to run",
        )
        await pilot.pause()
        assert code_blocks_shown(screen) == 0


# -- against the real engine: the mode a step is done in is recorded ------------------------------


@pytest.fixture
def lab_port(engine: Engine, engine_lock: None) -> Iterator[int]:
    """A free port for the lab; afterwards the lab's declared resources are removed. The lab's
    container is named `registry`: the engine lock is held, and a stranger's is left alone."""
    names = subprocess.run(
        ["docker", "ps", "-a", "--format", "{{.Names}}"], capture_output=True, text=True, check=True
    ).stdout.split()
    if "registry" in names:
        pytest.skip("a container named 'registry' that this test did not create exists")
    chosen = free_port()
    yield chosen
    from dockerlab.runner.catalog import resolve
    from dockerlab.runner.session import LabSession

    LabSession(resolve(LAB, {"registry_port": chosen}), engine=engine).cleanup()
    prepare(engine, ["hello-world:latest"], hub=False)


@pytest.mark.engine
async def test_steps_done_in_the_app_are_recorded_in_the_mode_they_were_shown_in(
    lab_port: int,
) -> None:
    app = make_app(open=f"lab:{LAB}", overrides={"registry_port": lab_port}, challenge=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lab_open(pilot, app, timeout=120)
        assert screen.session is not None
        steps = screen.session.lab.steps
        for step, mode in zip(steps[:2], (Mode.CHALLENGE, Mode.GUIDED), strict=True):
            if screen.session.mode is not mode:
                await pilot.press("f7")
            bar = screen.query_one(CommandBar)
            for command in commands_in(step.instructions):  # what the learner worked out
                bar.value = command
                await pilot.press("enter")
                await until(pilot, lambda: screen.running is None, timeout=120, what=command)
            await until(
                pilot,
                partial(contains, screen.done, step.id),
                timeout=30,
                what=f"step '{step.id}' to tick off",
            )
    with ProgressStore() as store:
        done = store.completed_steps(LAB)
    assert done[steps[0].id].mode is Mode.CHALLENGE
    assert done[steps[1].id].mode is Mode.GUIDED
    assert not any(r.assisted for r in done.values())
