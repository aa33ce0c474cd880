"""Helpers for the app's tests: build the app through the CLI's factory on an engine given
explicitly (the real one, or `OfflineEngine`); `until` (from tests/waiting.py) lets the app run
until a condition holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dockerlab.engine.client import Engine, EngineUnavailable
from dockerlab.engine.events import EngineUp, ImageCount
from dockerlab.tui.app import AppOptions, DockerLabApp, create_app
from tests.waiting import until as until  # the app tests import it from here

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# what the status line shows in tests that must not depend on the engine
FIXED_ENGINE = EngineUp(
    version="20.10.24", api_version="1.41", swarm="inactive", images=ImageCount(standin=5)
)


# what an engine that answers offers (the `engine` capability labs require), without asking one
OFFLINE_CAPABILITIES = frozenset({"engine", "swarm"})


class OfflineEngine(Engine):
    """An engine that is never asked: every call fails as if it had gone away, and the test
    counts the calls. With `capabilities=OFFLINE_CAPABILITIES` the app believes one is there."""

    def __init__(self) -> None:
        super().__init__(base_url="unix:///nonexistent/offline-test.sock")
        self.asked = 0

    def call(self, fn: Callable[[Any], Any]) -> Any:
        self.asked += 1
        raise EngineUnavailable("an offline test: no engine is asked")


def make_app(*, engine: Engine | None = None, **options: object) -> DockerLabApp:
    """The app as `dockerlab` builds it, on `engine` (None: the real one DOCKER_HOST names — a
    test that wants it sets DOCKER_HOST or takes the `engine` fixture); the welcome screen only
    when asked for."""
    options.setdefault("welcome", False)
    engine = engine if engine is not None else Engine(timeout=10)
    return create_app(None, AppOptions(**options), engine=engine)  # type: ignore[arg-type]


def offline_app(**options: object) -> DockerLabApp:
    """No engine at all: a fixed status line and capabilities, no event following, no checks."""
    options.setdefault("follow_engine", False)
    options.setdefault("engine_state", FIXED_ENGINE)
    options.setdefault("check_steps", False)
    options.setdefault("quiz_file_order", True)
    options.setdefault("capabilities", set(OFFLINE_CAPABILITIES))
    return make_app(engine=OfflineEngine(), **options)


@pytest.fixture
def fixture_course(monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frozen little course (tests/tui/fixtures): snapshots must not change when the real
    course grows."""
    from dockerlab import paths

    monkeypatch.setattr(paths, "bundled_content", lambda: FIXTURES / "content")
    monkeypatch.setattr(paths, "bundled_labs", lambda: FIXTURES / "labs")
    monkeypatch.delenv("DOCKERLAB_CONTENT", raising=False)
    return FIXTURES
