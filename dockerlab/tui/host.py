"""What the screens need from the app, as a Protocol: screens are typed against `AppHost` (their
`lab_app`) and never import the app, so the app can import every screen without a circle.
`DockerLabApp` is the one implementation (tui/app.py checks that it fits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.worker import Worker

    from dockerlab.runner.learner import ProgressStore
    from dockerlab.runner.machine import Engine, EngineState, Machine
    from dockerlab.tui.course_map import CourseData
    from dockerlab.tui.state import AppState


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
    capabilities: set[str] | None = None  # fixed (tests with a fake engine); None: probe
    challenge: bool = False  # labs opened start in challenge mode (dockerlab --challenge)
    challenged: set[str] = field(default_factory=set)  # labs --challenge was applied to, this run


class AppHost(Protocol):
    """The app as its screens see it: the loaded course, the learner's record and app state,
    the engine (through the runner's `Machine`), and opening things."""

    options: AppOptions
    course: CourseData | None  # None until loaded (after the first frame)
    progress: ProgressStore | None  # None until loaded, or when the record cannot be opened
    state: AppState  # what the app remembers between runs (theme, pages read, welcomed)
    keymap: dict[str, str]  # binding id → keys, as remapped by keymap.toml

    @property
    def machine(self) -> Machine:
        """The engine and what this machine offers: the app's one door to the engine."""
        ...

    @property
    def engine(self) -> Engine:
        """The connection checks and commands use (`machine.engine`)."""
        ...

    def capabilities(self) -> set[str]:
        """What this machine offers labs (call from a worker: it may ask the engine)."""
        ...

    def save_state(self) -> None: ...

    def open_item(self, key: str) -> None:
        """Open "lab:ID", "page:ID", "quiz:ID" or "section:ID"."""
        ...

    def load_course(self) -> Worker[None]:
        """Load (again) the course and the learner's record, in a worker."""
        ...
