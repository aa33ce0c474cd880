"""The dockerlab app: screens, app-wide keys, the command palette, and the two background jobs
that every screen relies on — following the engine and loading the course.

Cold start matters: this module imports Textual and the home screen only. The course (pydantic,
YAML), the progress record and the Docker SDK load in thread workers after the first frame.
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
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

from dockerlab.tui.messages import CourseLoaded, EngineActivity, EngineStateChanged
from dockerlab.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from dockerlab.engine.client import Engine
    from dockerlab.engine.events import EngineState, EventFollower
    from dockerlab.progress.store import ProgressStore
    from dockerlab.tui.course_map import CourseData
    from dockerlab.tui.state import AppState

MIN_WIDTH, MIN_HEIGHT = 80, 24
THEMES = ("textual-dark", "textual-light")


@dataclass
class AppOptions:
    """How the app starts. The CLI uses the defaults; tests and benchmarks change a few."""

    follow_engine: bool = True
    welcome: bool | None = None  # None: when this learner has not seen it yet
    engine_state: EngineState | None = None  # a fixed status line (snapshots)
    open: str | None = None  # an item to open once the course is loaded ("lab:registry-basics")
    overrides: dict[str, str | int] = field(default_factory=dict)  # lab variables
    check_steps: bool = True  # set labs up and check their steps (off for snapshots)
    quiz_seed: int | None = None  # a fixed option order; None: a new order for every attempt
    quiz_file_order: bool = False  # options as the quiz file lists them (snapshots)
    challenge: bool = False  # labs opened start in challenge mode (dockerlab --challenge)


class DockerLabApp(App[int]):
    """See the module docstring. Screens do the work; the app wires them together."""

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

    def __init__(self, options: AppOptions | None = None) -> None:
        super().__init__()
        from dockerlab import paths
        from dockerlab.tui.keymap import keymap_path, load_keymap
        from dockerlab.tui.state import AppState

        self.options = options or AppOptions()
        self.data_dir = paths.data_dir()
        self.state: AppState = AppState.load(self.data_dir)
        self.course: CourseData | None = None
        self.progress: ProgressStore | None = None
        self._engine: Engine | None = None
        self._follower: EventFollower | None = None
        self._caps: set[str] | None = None
        self._summary_timer: Timer | None = None
        self._caps_lock = threading.Lock()
        self.problems: list[str] = []
        # ids are checked once every screen is imported (after the first frame)
        self.keymap = load_keymap(keymap_path(), known_ids=None).keys
        theme = os.environ.get("DOCKERLAB_THEME") or self.state.theme or THEMES[0]
        theme = {"light": THEMES[1], "dark": THEMES[0]}.get(theme, theme)
        if theme != self.theme and theme in self.available_themes:
            self.theme = theme  # a new theme re-reads the CSS: only when it is not the default
        if self.options.engine_state is not None:
            self.set_reactive(DockerLabApp.engine_state, self.options.engine_state)

    # -- shared things -------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        """The connection checks and commands use (the event follower has its own)."""
        if self._engine is None:
            from dockerlab.engine.client import Engine

            self._engine = Engine(timeout=10)
        return self._engine

    def capabilities(self) -> set[str]:
        """What this machine offers labs (call from a worker: it may ask the engine). Not kept
        while the engine is away, so a lab opened after it comes back sees it."""
        with self._caps_lock:
            if self._caps is None:
                from dockerlab.engine.doctor import quick_capabilities

                caps = quick_capabilities()
                if not self.engine.ping():
                    return caps
                self._caps = caps | {"engine", "swarm"}
            return set(self._caps)

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
        from dockerlab.progress.records import ProgressError
        from dockerlab.progress.store import ProgressStore
        from dockerlab.tui.course_map import load_course_data
        from dockerlab.tui.keymap import keymap_path, load_keymap

        data = load_course_data()
        if self.progress is None:
            try:
                self.progress = ProgressStore()
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
        from dockerlab.engine.events import EngineEvent, EventFollower

        follower = EventFollower()
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
        from dockerlab.engine.client import EngineUnavailable
        from dockerlab.engine.events import EngineDown, engine_summary

        try:
            state: EngineState = engine_summary(self.engine)
        except EngineUnavailable as exc:
            state = EngineDown(str(exc), 1.0)
        self.post_message(EngineStateChanged(state))

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
            self.push_screen(HelpScreen())

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

        ours = list(binding_commands(self, screen))
        yield from ours
        yield from course_commands(self)
        titles = {c.title for c in ours}
        for command in super().get_system_commands(screen):
            if command.title not in titles and command.title != "Quit":
                yield command

    def run_palette_action(self, node: Any, action: str) -> None:
        self.call_later(partial(self.run_action, action, node))


def all_binding_ids() -> list[str]:
    """Every binding id of the app, its screens and widgets (what a keymap may remap)."""
    from dockerlab.tui.commands import binding_classes
    from dockerlab.tui.keymap import binding_ids

    ids: list[str] = []
    for cls in binding_classes():
        ids += binding_ids(cls.BINDINGS)
    return ids


def create_app(
    args: argparse.Namespace | None = None, options: AppOptions | None = None
) -> DockerLabApp:
    """The app as the CLI builds it (tests and benchmarks build it here too)."""
    if options is None and args is not None and getattr(args, "app_vars", None):
        from dockerlab.model.variables import parse_var_args

        options = AppOptions(overrides=parse_var_args(args.app_vars))
    if args is not None and getattr(args, "app_challenge", False):
        options = options or AppOptions()
        options.challenge = True
    return DockerLabApp(options)


def run_app(args: argparse.Namespace) -> int:
    app = create_app(args)
    result = app.run()
    return int(result or 0)
