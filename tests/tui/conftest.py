"""Helpers for the app's tests: build the app through the CLI's factory; `until` (from
tests/waiting.py) lets the app run until a condition holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab.engine.events import EngineUp, ImageCount
from dockerlab.tui.app import AppOptions, DockerLabApp, create_app
from tests.waiting import until as until  # the app tests import it from here

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# what the status line shows in tests that must not depend on the engine
FIXED_ENGINE = EngineUp(
    version="20.10.24", api_version="1.41", swarm="inactive", images=ImageCount(standin=5)
)


def make_app(**options: object) -> DockerLabApp:
    """The app as `dockerlab` builds it; tests skip the welcome screen unless they ask for it."""
    options.setdefault("welcome", False)
    return create_app(None, AppOptions(**options))  # type: ignore[arg-type]


def offline_app(**options: object) -> DockerLabApp:
    """No engine at all: a fixed status line, no event following, no checks."""
    options.setdefault("follow_engine", False)
    options.setdefault("engine_state", FIXED_ENGINE)
    options.setdefault("check_steps", False)
    options.setdefault("quiz_file_order", True)
    return make_app(**options)


@pytest.fixture
def fixture_course(monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frozen little course (tests/tui/fixtures): snapshots must not change when the real
    course grows."""
    from dockerlab import paths

    monkeypatch.setattr(paths, "bundled_content", lambda: FIXTURES / "content")
    monkeypatch.setattr(paths, "bundled_labs", lambda: FIXTURES / "labs")
    monkeypatch.delenv("DOCKERLAB_CONTENT", raising=False)
    return FIXTURES
