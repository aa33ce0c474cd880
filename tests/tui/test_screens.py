"""Pilot tests of the screens that need no engine: home, theory, quiz, help, the command
palette, keymaps, the size guard, NO_COLOR and themes. A frozen fixture course is used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, MarkdownViewer, Static

from dockerlab.progress.store import ProgressStore
from dockerlab.tui.app import DockerLabApp
from dockerlab.tui.screens.help import HelpScreen
from dockerlab.tui.screens.home import HomeScreen
from dockerlab.tui.screens.lab import LabScreen
from dockerlab.tui.screens.quiz import ChoiceList, QuizScreen
from dockerlab.tui.screens.theory import TheoryScreen
from dockerlab.tui.screens.too_small import TooSmallScreen
from dockerlab.tui.widgets.course_list import CourseList
from tests.tui.conftest import make_app, offline_app, until

pytestmark = pytest.mark.usefixtures("fixture_course")


async def loaded(pilot, app: DockerLabApp) -> None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: app.course is not None and isinstance(app.screen, HomeScreen)
                and any(c.option_count for c in app.screen.query(CourseList)), what="the course")


def option_ids(app: DockerLabApp) -> list[str]:
    return [o.id or "" for o in app.screen.query_one(CourseList).options]


async def test_home_shows_sections_in_order_with_items_and_the_next_thing() -> None:
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        assert option_ids(app) == [
            "section:hub", "page:container-registries", "quiz:container-registries",
            "section:private-registry", "page:docker-registry", "lab:registry-basics",
            "lab:registry-gc",
        ]
        course = app.screen.query_one(CourseList)
        assert course.get_option("lab:registry-gc").disabled  # not written yet: shown, greyed
        banner = str(app.screen.query_one("#next-banner", Static).render())
        assert "Next: Read · Container registries" in banner
        assert course.highlighted_option is not None
        assert course.highlighted_option.id == "page:container-registries"


async def test_home_shows_lab_and_quiz_progress_in_words(tmp_path: Path) -> None:
    from dockerlab.progress.records import QuizAttemptRecord

    with ProgressStore() as store:
        store.record_step("registry-basics", "run-registry", content_hash="x", assisted=False)
        store.record_quiz(QuizAttemptRecord("container-registries", 3, 3, True))
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        course = app.screen.query_one(CourseList)
        lab = str(course.get_option("lab:registry-basics").prompt)
        quiz = str(course.get_option("quiz:container-registries").prompt)
        assert "◐ started: 1/7 steps" in lab
        assert "✓ passed: 3/3" in quiz
        # a section with work started goes on with that work, not its page
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.next is not None
        assert home.next.key == "lab:registry-basics"


async def test_enter_opens_the_highlighted_item_and_escape_comes_back() -> None:
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TheoryScreen), what="theory")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        # the page is read now, so the next thing is the section's quiz
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.next is not None
        assert home.next.key == "quiz:container-registries"
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, QuizScreen), what="the quiz")


async def test_theory_pages_have_a_table_of_contents_and_mark_pages_read() -> None:
    app = offline_app(open="page:container-registries")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TheoryScreen), what="theory")
        await pilot.pause(0.2)
        screen = app.screen
        title = str(screen.query_one("#theory-title", Static).render())
        assert "page 1 of 1: Container registries" in title
        viewer = screen.query_one(MarkdownViewer)
        assert viewer.show_table_of_contents
        toc = viewer.table_of_contents
        await until(pilot, lambda: bool(toc.table_of_contents), what="a table of contents")
        entries = toc.table_of_contents or []
        assert any("Container registries" in str(entry[1]) for entry in entries)
        await pilot.press("t")
        assert not viewer.show_table_of_contents
        assert "container-registries" in app.state.pages_read
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        page = str(app.screen.query_one(CourseList).get_option("page:container-registries")
                   .prompt)
        assert "≡ read" in page


async def test_quiz_one_question_at_a_time_with_feedback_score_and_retry_of_missed() -> None:
    app = offline_app(open="quiz:container-registries")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, QuizScreen)
                    and app.screen.quiz is not None, what="the quiz")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert screen.quiz is not None
        questions = screen.quiz.questions
        assert "question 1 of 3" in str(screen.query_one("#quiz-title", Static).render())

        # 1: a short answer, typed wrong
        assert questions[0].type == "short"
        await pilot.press(*"carrier pigeon", "enter")
        feedback = str(screen.query_one("#quiz-feedback", Static).render())
        assert "✗ Wrong." in feedback
        assert "Explanation:" in feedback
        await pilot.press("enter")
        # 2: choose the right option (file order: quiz_seed None)
        assert questions[1].type in ("single", "multiple")
        right = next(i for i, o in enumerate(screen.shown) if o.correct)
        choices = screen.query_one(ChoiceList)
        choices.highlighted = right
        await pilot.press("enter")
        assert "✓ Right." in str(screen.query_one("#quiz-feedback", Static).render())
        await pilot.press("enter")
        # 3: true/false, answered right
        assert questions[2].type == "true_false"
        screen.query_one(ChoiceList).highlighted = 0 if questions[2].answer else 1
        await pilot.press("enter", "enter")
        assert screen.finished
        assert screen.attempt is not None
        assert (screen.attempt.score, screen.attempt.total) == (2, 3)
        assert "score 2/3" in str(screen.query_one("#quiz-title", Static).render())
        # retry only the missed one, right this time
        await pilot.press("ctrl+r")
        assert [q.id for q in screen.asking] == [questions[0].id]
        await pilot.press(*questions[0].accept[0], "enter", "enter")
        assert screen.attempt.score == 3
        assert screen.attempt.passed
        await pilot.pause(0.3)
    with ProgressStore() as store:
        attempts = store.quiz_attempts("container-registries")
    assert [(a.score, a.passed) for a in attempts] == [(2, False), (3, True)]
    assert attempts[-1].answers[0][0] == questions[0].id


async def test_multiple_choice_marks_with_space_and_answers_with_enter() -> None:
    from dockerlab.model.quiz import Option, Question

    app = offline_app(open="quiz:container-registries")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, QuizScreen)
                    and app.screen.quiz is not None, what="the quiz")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        question = Question(id="pick", type="multiple", prompt="Pick a and c",
                            explanation="Because.", options=[
                                Option(id="a", text="A", correct=True), Option(id="b", text="B"),
                                Option(id="c", text="C", correct=True)])
        screen.start([question])
        await pilot.pause()
        await pilot.press("space", "down", "down", "space", "enter")
        assert screen.graded["pick"].correct
        assert screen.graded["pick"].chosen == ("a", "c")


async def test_help_lists_every_binding_with_its_key_and_id() -> None:
    from dockerlab.tui.app import all_binding_ids

    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        table = app.screen.query_one("#keys", Static).content
        from rich.console import Console

        console = Console(width=200, record=True)
        console.print(table)
        text = console.export_text()
        for binding_id in all_binding_ids():
            assert binding_id in text, binding_id
        assert "F2" in text or "f2" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_command_palette_offers_every_action_of_the_screen_and_the_course() -> None:
    from dockerlab.tui.commands import binding_commands, course_commands

    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        titles = {c.title for c in binding_commands(app, app.screen)}
        assert {"Do next", "Help", "Light/dark theme", "Check this machine"} <= titles
        course = {c.title for c in course_commands(app)}
        assert "Lab: Run a Private Docker Registry" in course
        assert "Quiz: Quiz 10: Quiz on Container Registries" in course
        # the palette itself, driven by keys only
        await pilot.press("ctrl+p")
        await pilot.press(*"Run a Private")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LabScreen), what="the lab")
        lab_titles = {c.title for c in binding_commands(app, app.screen)}
        assert {"Hint", "Solution", "Run the solution", "Check now", "Shell", "Take cmd",
                "Reset the lab", "Back"} <= lab_titles


async def test_keymap_file_remaps_keys_and_reports_unknown_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('"home.next" = "x"\n"home.nxt" = "y"\n')
    monkeypatch.setenv("DOCKERLAB_CONFIG_DIR", str(config))
    app = offline_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot, app)
        assert any("did you mean 'home.next'" in n.message for n in app._notifications)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, TheoryScreen), what="remapped key")


async def test_below_80x24_the_app_says_what_it_needs() -> None:
    app = offline_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TooSmallScreen), what="size guard")
        text = str(app.screen.query_one(Static).render())
        assert "at least 80×24" in text
        assert "60×20" in text
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: not isinstance(app.screen, TooSmallScreen), what="resize")


async def test_no_color_and_themes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        assert app.no_color
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before
        assert app.theme in ("textual-light", "textual-dark")
    assert DockerLabApp().state.theme == app.theme  # remembered for next time


async def test_status_line_says_why_the_engine_is_unreachable() -> None:
    from dockerlab.engine.events import EngineDown

    app = offline_app(engine_state=EngineDown("no Docker engine is running here", 2.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        from dockerlab.tui.widgets.status_line import StatusLine

        text = str(app.screen.query_one(StatusLine).render())
        assert "✗ Docker engine unreachable: no Docker engine is running here" in text
        assert "retrying in 2 s" in text


async def test_lab_screen_shows_steps_with_symbols_and_words() -> None:
    from dockerlab.tui.widgets.step_list import StepList

    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LabScreen)
                    and app.screen.session is not None, what="the lab")
        rows = app.screen.query_one(StepList).rows
        assert [r.mark for r in rows] == ["current"] + ["todo"] * 6
        text = str(app.screen.query_one(StepList).render_rows())
        assert "▶ now" in text
        assert "· to do" in text


async def test_take_a_command_from_the_instructions_and_walk_the_history() -> None:
    from dockerlab.tui.widgets.command_bar import CommandBar

    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LabScreen)
                    and app.screen.session is not None, what="the lab")
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
        await until(pilot, lambda: isinstance(app.screen, LabScreen)
                    and app.screen.session is not None, what="the lab")
        panel = app.screen.query_one(HintPanel)
        await pilot.press("f2")
        assert "Hint 1 of 3" in str(panel.render())
        assert "Hint 2" not in str(panel.render())
        await pilot.press("f2")
        assert "Hint 2 of 3" in str(panel.render())
        await pilot.press("f3")
        assert "$ docker container run -d -p 5000:5000" in str(panel.render())
        await pilot.pause(0.3)
    with ProgressStore() as store:
        assert store.hints_revealed("registry-basics", "run-registry") == 2
        assert store.last_place() == "lab:registry-basics/run-registry"


async def test_opening_a_shell_where_the_terminal_cannot_suspend_says_so() -> None:
    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LabScreen)
                    and app.screen.session is not None, what="the lab")
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
        await until(pilot, lambda: isinstance(app.screen, LabScreen)
                    and app.screen.session is not None, what="the lab")
        seen.clear()
        app.post_message(EngineActivity(EngineEvent("container", "start", "registry")))
        app.post_message(EngineStateChanged(FIXED_ENGINE))
        await pilot.pause(0.5)
        # once to the app, once handed to the lab screen
        assert sorted(seen) == ["EngineActivity"] * 2 + ["EngineStateChanged"] * 2


async def test_a_step_edited_since_it_was_done_is_marked_so() -> None:
    from dockerlab.tui.widgets.step_list import StepList

    with ProgressStore() as store:  # done, but against other content than the lab has now
        store.record_step("registry-basics", "run-registry", content_hash="old", assisted=False)
    app = offline_app(open="lab:registry-basics")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LabScreen)
                    and app.screen.session is not None and app.screen.step is not None,
                    what="the lab")
        rows = app.screen.query_one(StepList).rows
        assert [r.mark for r in rows[:2]] == ["changed", "current"]
        assert "~ edited" in str(app.screen.query_one(StepList).render_rows())


async def test_first_run_shows_findings_and_prepares_missing_images_with_a_bar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual.widgets import ProgressBar

    from dockerlab.engine import doctor, images
    from dockerlab.tui.screens.first_run import FirstRunScreen

    reports = iter([
        doctor.Report([doctor.Finding("engine", True, "Docker 20.10.24"),
                       doctor.Finding("image registry:2", False, "missing",
                                      "dockerlab images prepare"),
                       doctor.Finding("image busybox:latest", False, "missing")], {"engine"}),
        doctor.Report([doctor.Finding("engine", True, "Docker 20.10.24")], {"engine"}),
    ])
    monkeypatch.setattr(doctor, "run_doctor", lambda engine=None, **kw: next(reports))
    prepared: list[str] = []

    def fake_prepare(engine: object, refs: list[str], progress: Any = None,
                     hub: bool | None = None) -> list[str]:
        prepared.extend(refs)
        if progress:
            progress(f"{refs[0]}: built the offline stand-in")
        return []

    monkeypatch.setattr(images, "prepare", fake_prepare)
    app = offline_app(welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, FirstRunScreen)
                    and app.screen.report is not None, what="the doctor's findings")
        screen = app.screen
        verdict = str(screen.query_one("#welcome-next", Static).render())
        assert "2 course image(s) missing: registry:2, busybox:latest" in verdict
        assert "build labelled offline stand-ins" in verdict
        await pilot.press("p")
        bar = screen.query_one(ProgressBar)
        await until(pilot, lambda: bar.progress == 2 and bar.total == 2, what="the bar")
        assert prepared == ["registry:2", "busybox:latest"]
        await until(pilot, lambda: "Everything the labs need is here"
                    in str(screen.query_one("#welcome-next", Static).render()), what="re-check")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
    assert DockerLabApp().state.welcomed  # not shown again next time


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
        await until(pilot, lambda: isinstance(app.screen, LabScreen)
                    and app.screen.session is not None, what="the lab")
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
    app = make_app(open="lab:pack-lab", follow_engine=False, engine_state=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LabScreen)
                    and app.screen.session is not None, what="the lab")
        screen = app.screen
        assert isinstance(screen, LabScreen)

        def log() -> str:
            return "\n".join(screen.query_one("#output").lines)  # type: ignore[attr-defined]

        assert "not trusted" in log()
        assert "dockerlab trust" in log()
        bar = screen.query_one("#command", Input)
        bar.value = "touch ran-anyway"
        await pilot.press("enter")
        await until(pilot, lambda: screen.running is None and log().count("not trusted") >= 2,
                    what="the refusal")
        assert not (screen.session.workspace / "ran-anyway").exists()  # type: ignore[union-attr]
