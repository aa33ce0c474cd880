"""Pilot tests of the lab screen that need no engine: the steps, the command bar, hints and the
solution, the shell key, engine messages, a lab without an engine or from an untrusted folder.
A frozen fixture course is used."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from dockerlab.progress.store import ProgressStore
from dockerlab.tui.screens.home import HomeScreen
from dockerlab.tui.screens.lab import LabScreen
from tests.tui.conftest import OFFLINE_CAPABILITIES, OfflineEngine, make_app, offline_app, until

pytestmark = pytest.mark.usefixtures("fixture_course")


async def test_lab_screen_shows_steps_with_symbols_and_words() -> None:
    from dockerlab.tui.widgets.step_list import StepList

    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, LabScreen) and app.screen.session is not None,
            what="the lab",
        )
        rows = app.screen.query_one(StepList).rows
        assert [r.mark for r in rows] == ["current"] + ["todo"] * 6
        text = str(app.screen.query_one(StepList).render_rows())
        assert "▶ now" in text
        assert "· to do" in text


async def test_take_a_command_from_the_instructions_and_walk_the_history() -> None:
    from dockerlab.tui.widgets.command_bar import CommandBar

    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, LabScreen) and app.screen.session is not None,
            what="the lab",
        )
        bar = app.screen.query_one(CommandBar)
        await pilot.press("ctrl+y")
        assert bar.value == "docker container run -d -p 5000:5000 --name registry registry:2"
        await pilot.press("ctrl+y")
        assert bar.value == "docker container ls"
        await pilot.press("ctrl+y")
        assert bar.value.startswith("docker container run")
        bar.remember("echo one")
        bar.remember("echo two")
        bar.value = "draft"
        await pilot.press("up")
        assert bar.value == "echo two"
        await pilot.press("up", "up")
        assert bar.value == "echo one"
        await pilot.press("down")
        assert bar.value == "echo two"
        await pilot.press("down")
        assert bar.value == "draft"


async def test_hints_one_at_a_time_are_recorded_and_the_solution_is_shown() -> None:
    from dockerlab.tui.widgets.feedback import HintPanel

    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, LabScreen) and app.screen.session is not None,
            what="the lab",
        )
        panel = app.screen.query_one(HintPanel)
        await pilot.press("f2")
        assert "Hint 1 of 3" in str(panel.render())
        assert "Hint 2" not in str(panel.render())
        await pilot.press("f2")
        assert "Hint 2 of 3" in str(panel.render())
        await pilot.press("f3")
        assert "$ docker container run -d -p 5000:5000" in str(panel.render())

        def saved() -> tuple[int, str | None]:
            with ProgressStore() as store:
                return store.hints_revealed("registry-basics", "run-registry"), store.last_place()

        await until(
            pilot,
            lambda: saved() == (2, "lab:registry-basics/run-registry"),
            what="two hints and the place saved",
        )


async def test_opening_a_shell_where_the_terminal_cannot_suspend_says_so() -> None:
    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, LabScreen) and app.screen.session is not None,
            what="the lab",
        )
        await pilot.press("f6")
        await pilot.pause()
        assert any("cannot hand over to a shell" in n.message for n in app._notifications)


def test_input_is_not_shadowed_by_screen_keys() -> None:
    """Letters typed in the command bar must reach it: lab keys are F-keys or Ctrl combos."""
    for binding in LabScreen.BINDINGS:
        key = binding.key  # type: ignore[union-attr]
        assert key.startswith(("f", "ctrl+", "escape")), key


async def test_each_engine_event_reaches_a_lab_screen_once() -> None:
    """The app hands engine messages down to screens; none may come back up and loop."""
    from dockerlab.engine.events import EngineEvent
    from dockerlab.tui.messages import EngineActivity, EngineStateChanged
    from tests.tui.conftest import FIXED_ENGINE

    seen: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, EngineActivity | EngineStateChanged):
            seen.append(type(message).__name__)

    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, LabScreen) and app.screen.session is not None,
            what="the lab",
        )
        seen.clear()
        app.post_message(EngineActivity(EngineEvent("container", "start", "registry")))
        app.post_message(EngineStateChanged(FIXED_ENGINE))
        # once to the app, once handed to the lab screen; a message that looped would come
        # right after those four: let the app go idle once more before counting
        await until(pilot, lambda: len(seen) >= 4, what="both messages handed down")
        await pilot.pause()
        assert sorted(seen) == ["EngineActivity"] * 2 + ["EngineStateChanged"] * 2


async def test_a_step_edited_since_it_was_done_is_marked_so() -> None:
    from dockerlab.tui.widgets.step_list import StepList

    with ProgressStore() as store:  # done, but against other content than the lab has now
        store.record_step("registry-basics", "run-registry", content_hash="old", assisted=False)
    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, LabScreen)
                and app.screen.session is not None
                and app.screen.step is not None
            ),
            what="the lab",
        )
        rows = app.screen.query_one(StepList).rows
        assert [r.mark for r in rows[:2]] == ["changed", "current"]
        assert "~ edited" in str(app.screen.query_one(StepList).render_rows())


async def test_without_an_engine_the_app_says_why_and_stays_usable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dockerlab.tui.widgets.status_line import StatusLine

    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    app = make_app(open="lab:registry-basics")  # follows the (missing) engine for real
    async with app.run_test(size=(80, 24)) as pilot:

        def status() -> str:
            return " ".join(str(s.render()) for s in app.screen.query(StatusLine))

        await until(pilot, lambda: "unreachable" in status(), what="the status line")
        assert "retrying in" in status()
        await until(
            pilot,
            lambda: isinstance(app.screen, LabScreen) and app.screen.session is not None,
            what="the lab",
        )
        log = "\n".join(app.screen.query_one("#output").lines)  # type: ignore[attr-defined]
        assert "This lab needs what this machine lacks: engine" in log
        await pilot.press("f2")  # still answers keys
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")


async def test_a_lab_from_an_untrusted_folder_runs_nothing_and_says_how_to_trust_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.conftest import FIXTURES

    pack = tmp_path / "pack" / "labs" / "pack-lab"
    pack.mkdir(parents=True)
    text = (FIXTURES / "labs" / "registry-basics" / "lab.yaml").read_text()
    (pack / "lab.yaml").write_text(text.replace("id: registry-basics", "id: pack-lab"))
    monkeypatch.setenv("DOCKERLAB_CONTENT", str(tmp_path / "pack"))
    app = make_app(
        engine=OfflineEngine(),
        capabilities=set(OFFLINE_CAPABILITIES),
        open="lab:pack-lab",
        follow_engine=False,
        engine_state=None,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, LabScreen) and app.screen.session is not None,
            what="the lab",
        )
        screen = app.screen
        assert isinstance(screen, LabScreen)

        def log() -> str:
            return "\n".join(screen.query_one("#output").lines)  # type: ignore[attr-defined]

        assert "not trusted" in log()
        assert "dockerlab trust" in log()
        bar = screen.query_one("#command", Input)
        bar.value = "touch ran-anyway"
        await pilot.press("enter")
        await until(
            pilot,
            lambda: screen.running is None and log().count("not trusted") >= 2,
            what="the refusal",
        )
        assert not (screen.session.workspace / "ran-anyway").exists()  # type: ignore[union-attr]


async def test_the_watchers_verdicts_show_in_the_panel_and_a_completed_step_ticks_off() -> None:
    """What the runner's watcher tells (a `Checked` message) is all the screen shows: a verdict
    with its diagnoses, kept by a later verdict that diagnosed nothing, and a completion."""
    from dockerlab.checks.result import Result
    from dockerlab.model.lab import Diagnosis
    from dockerlab.runner.attempt import Attempt
    from dockerlab.tui.screens.lab import Checked
    from dockerlab.tui.widgets.feedback import CheckPanel
    from dockerlab.tui.widgets.step_list import StepList

    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, LabScreen) and app.screen.step is not None,
            what="the lab",
        )
        screen = app.screen
        assert isinstance(screen, LabScreen)
        step = screen.step
        assert step is not None
        panel = screen.query_one(CheckPanel)
        why = Diagnosis(pattern="bind", explanation="Port taken.")
        screen.post_message(Checked(Attempt(step, Result.fail("not there"), diagnoses=(why,))))
        await until(pilot, lambda: "Why: Port taken." in str(panel.render()), what="the verdict")
        assert "✗ not yet: not there" in str(panel.render())
        screen.post_message(Checked(Attempt(step, Result.fail("still not there"))))
        await until(pilot, lambda: "still not there" in str(panel.render()), what="the recheck")
        assert "Why: Port taken." in str(panel.render())  # nothing diagnosed: kept
        other = screen.session.lab.steps[1]  # type: ignore[union-attr]
        screen.post_message(Checked(Attempt(other, Result.ok("yes"), completed=True)))
        screen.post_message(Checked(Attempt(step, Result.ok("yes"), completed=True)))
        await until(pilot, lambda: step.id in screen.done, what="the tick")
        assert other.id not in screen.done  # not the current step: ignored
        assert [r.mark for r in screen.query_one(StepList).rows[:2]] == ["done", "current"]
        log = "\n".join(screen.query_one("#output").lines)  # type: ignore[attr-defined]
        assert f"✓ Step 1 done: {step.title}" in log
