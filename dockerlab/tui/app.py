"""The dockerlab app: screens, app-wide keys, the command palette, and the two background jobs
that every screen relies on — following the engine and loading the course.

Cold start matters: this module imports Textual and the home screen only. The course (pydantic,
YAML), the progress record and the Docker SDK load in thread workers after the first frame.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from dockerlab.tui.host import AppOptions
from dockerlab.tui.messages import CourseLoaded, EngineActivity, EngineStateChanged
from dockerlab.tui.screens.home import HomeScreen
from dockerlab.tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH

if TYPE_CHECKING:
    from dockerlab.runner.learner import ProgressStore
    from dockerlab.runner.machine import Engine, EngineState, EventFollower, Machine
    from dockerlab.tui.course_map import CourseData
    from dockerlab.tui.host import AppHost
    from dockerlab.tui.state import AppState

__all__ = ["MIN_HEIGHT", "MIN_WIDTH", "AppOptions", "DockerLabApp", "create_app", "run_app"]

THEMES = ("textual-dark", "textual-light")


class DockerLabApp(App[int]):
    """See the module docstring. Screens do the work; the app wires them together. It works
    with the engine it is given (`engine`: the real one from the CLI, a fake one in tests)."""

    TITLE = "dockerlab"
    CSS_PATH = Path(__file__).with_name("dockerlab.tcss")  # absolute: subclasses elsewhere
    MODES: ClassVar[dict[str, Any]] = {"home": HomeScreen}
    DEFAULT_MODE = "home"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
        Binding("f1", "help", "Help", id="app.help"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="app.command_palette",
            priority=True,
            show=False,
        ),
        Binding("ctrl+t", "toggle_theme", "Light/dark theme", id="app.toggle_theme", show=False),
        Binding("f9", "doctor", "Check this machine", id="app.doctor", show=False),
    ]

    engine_state: reactive[EngineState | None] = reactive(None, always_update=True)

    def __init__(self, options: AppOptions | None = None, *, engine: Engine) -> None:
        super().__init__()
        from dockerlab import paths, settings
        from dockerlab.tui.keymap import keymap_path, load_keymap
        from dockerlab.tui.state import AppState

        self.options = options or AppOptions()
        self._engine = engine
        self._machine: Machine | None = None
        self._machine_lock = threading.Lock()
        self.data_dir = paths.data_dir()
        self.state: AppState = AppState.load(self.data_dir)
        self.course: CourseData | None = None
        self.progress: ProgressStore | None = None
        self._follower: EventFollower | None = None
        self._summary_timer: Timer | None = None
        self.problems: list[str] = []
        # ids are checked once every screen is imported (after the first frame)
        self.keymap = load_keymap(keymap_path(), known_ids=None).keys
        theme = settings.current().theme or self.state.theme or THEMES[0]
        theme = {"light": THEMES[1], "dark": THEMES[0]}.get(theme, theme)
        if theme != self.theme and theme in self.available_themes:
            self.theme = theme  # a new theme re-reads the CSS: only when it is not the default
        if self.options.engine_state is not None:
            self.set_reactive(DockerLabApp.engine_state, self.options.engine_state)

    # -- shared things -------------------------------------------------------------------------
    @property
    def machine(self) -> Machine:
        """The engine the app was given, and what this machine offers labs (built on first use,
        from any thread: not before the first frame)."""
        with self._machine_lock:
            if self._machine is None:
                from dockerlab.runner.machine import Machine

                self._machine = Machine(self._engine, self.options.capabilities)
            return self._machine

    @property
    def engine(self) -> Engine:
        """The connection checks and commands use (the event follower has its own)."""
        return self._engine

    def capabilities(self) -> set[str]:
        """What this machine offers labs (call from a worker: it may ask the engine)."""
        return self.machine.capabilities()

    def save_state(self) -> None:
        self.state.save(self.data_dir)

    # -- start -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.keymap:  # re-reading every binding costs a footer redraw: only when remapped
            self.set_keymap(self.keymap)
        self._guard_size(self.size.width, self.size.height)
        # after the first frame: nothing slow may stand between the learner and a screen
        self.call_after_refresh(self._start_background)

    def _start_background(self) -> None:
        self.load_course()
        if self.options.follow_engine:
            self.follow_engine()
        welcome = self.options.welcome
        if welcome is None:
            welcome = not self.state.welcomed
        if welcome:
            self.action_doctor()

    @work(thread=True, exclusive=True, exit_on_error=False, group="course", name="loading")
    def load_course(self) -> None:
        from dockerlab.runner.learner import ProgressError, open_record
        from dockerlab.tui.course_map import load_course_data
        from dockerlab.tui.keymap import keymap_path, load_keymap

        data = load_course_data(self.machine.quick_capabilities())
        if self.progress is None:
            try:
                self.progress = open_record()
            except ProgressError as exc:
                data.problems.append(str(exc))
        data.problems += load_keymap(keymap_path(), all_binding_ids()).problems
        self.post_message(CourseLoaded(data))

    @on(CourseLoaded)
    def _course_loaded(self, message: CourseLoaded) -> None:
        self.course = message.data
        for problem in message.data.problems[:5]:
            self.notify(
                problem,
                title="Problem in the course files",
                severity="warning",
                timeout=8,
                markup=False,
            )
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_course()
        if self.options.open:
            self.open_item(self.options.open)
            self.options.open = None

    # -- the engine ------------------------------------------------------------------------------
    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="engine-events",
        name="following the engine",
    )
    def follow_engine(self) -> None:
        from dockerlab.runner.machine import EngineEvent

        follower = self.machine.follower()
        self._follower = follower
        worker = get_current_worker()
        for item in follower:
            if worker.is_cancelled:
                break
            if isinstance(item, EngineEvent):
                self.post_message(EngineActivity(item))
            else:
                self.post_message(EngineStateChanged(item))
        follower.close()

    @on(EngineStateChanged)
    def _engine_state_changed(self, message: EngineStateChanged) -> None:
        self.engine_state = message.state
        self._tell_screens(lambda: EngineStateChanged(message.state))

    @on(EngineActivity)
    def _engine_activity(self, message: EngineActivity) -> None:
        self._tell_screens(lambda: EngineActivity(message.event))
        if message.event.type in ("image", "node", "daemon"):
            # the status line counts images and shows the swarm: refresh it, once per burst
            if self._summary_timer is not None:
                self._summary_timer.stop()
            self._summary_timer = self.set_timer(0.5, self.refresh_engine_summary)

    def _tell_screens(self, make: Any) -> None:
        for screen in self.screen_stack:
            if getattr(screen, "follows_engine", False):
                screen.post_message(make())

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="engine-summary",
        name="asking the engine",
    )
    def refresh_engine_summary(self) -> None:
        self.post_message(EngineStateChanged(self.machine.summary()))

    def on_unmount(self) -> None:
        if self._follower is not None:
            self._follower.close()

    # -- screens -------------------------------------------------------------------------------
    def open_item(self, key: str) -> None:
        """Open "lab:ID", "page:ID", "quiz:ID" or "section:ID" (the section's first page)."""
        kind, _, item_id = key.partition(":")
        if kind == "lab":
            from dockerlab.tui.screens.lab import LabScreen

            self.push_screen(LabScreen(item_id))
        elif kind in ("page", "section"):
            from dockerlab.tui.screens.theory import TheoryScreen

            self.push_screen(
                TheoryScreen(
                    page_id=item_id if kind == "page" else None,
                    section_id=item_id if kind == "section" else None,
                )
            )
        elif kind == "quiz":
            from dockerlab.tui.screens.quiz import QuizScreen

            self.push_screen(QuizScreen(item_id))

    def action_help(self) -> None:
        from dockerlab.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(binding_classes()))

    def action_doctor(self) -> None:
        from dockerlab.tui.screens.first_run import FirstRunScreen

        if not isinstance(self.screen, FirstRunScreen):
            self.push_screen(FirstRunScreen())

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]
        self.state.theme = self.theme
        self.save_state()

    # -- the size guard --------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._guard_size(event.size.width, event.size.height)

    def _guard_size(self, width: int, height: int) -> None:
        from dockerlab.tui.screens.too_small import TooSmallScreen

        small = width < MIN_WIDTH or height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif not small and showing:
            self.pop_screen()

    # -- the command palette: every action of the screen, and every item of the course --------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from dockerlab.tui.commands import binding_commands, course_commands

        ours = list(binding_commands(screen, self.run_palette_action))
        yield from ours
        yield from course_commands(self)
        titles = {c.title for c in ours}
        for command in super().get_system_commands(screen):
            if command.title not in titles and command.title != "Quit":
                yield command

    def run_palette_action(self, node: Any, action: str) -> None:
        self.call_later(partial(self.run_action, action, node))


def binding_classes() -> list[Any]:
    """Every class that declares bindings with ids, app first (the help screen lists them)."""
    from dockerlab.tui.screens.confirm import ConfirmScreen
    from dockerlab.tui.screens.first_run import FirstRunScreen
    from dockerlab.tui.screens.help import HelpScreen
    from dockerlab.tui.screens.lab import LabScreen
    from dockerlab.tui.screens.quiz import ChoiceList, QuizScreen
    from dockerlab.tui.screens.theory import TheoryScreen
    from dockerlab.tui.widgets.command_bar import CommandBar

    return [
        DockerLabApp,
        HomeScreen,
        FirstRunScreen,
        LabScreen,
        CommandBar,
        ConfirmScreen,
        TheoryScreen,
        QuizScreen,
        ChoiceList,
        HelpScreen,
    ]


def all_binding_ids() -> list[str]:
    """Every binding id of the app, its screens and widgets (what a keymap may remap)."""
    from dockerlab.tui.keymap import binding_ids

    return [i for cls in binding_classes() for i in binding_ids(cls.BINDINGS)]


if TYPE_CHECKING:

    def _fits(app: DockerLabApp) -> AppHost:
        return app  # mypy checks here that the app is what its screens are typed against


def create_app(
    args: argparse.Namespace | None = None,
    options: AppOptions | None = None,
    *,
    engine: Engine | None = None,
) -> DockerLabApp:
    """The app as the CLI builds it (tests and benchmarks build it here too): on the real engine
    from the environment unless `engine` is given."""
    if options is None and args is not None and getattr(args, "app_vars", None):
        from dockerlab.model.variables import parse_var_args

        options = AppOptions(overrides=parse_var_args(args.app_vars))
    if args is not None and getattr(args, "app_challenge", False):
        options = options or AppOptions()
        options.challenge = True
    if engine is None:
        from dockerlab.runner.machine import Engine

        engine = Engine(timeout=10)
    return DockerLabApp(options, engine=engine)


def run_app(args: argparse.Namespace | None = None, *, engine: Engine | None = None) -> int:
    app = create_app(args, engine=engine)
    result = app.run()
    return int(result or 0)
