"""The app with a dockerd that goes away and comes back (a dockerd of the test's own, never the
shared one): the status line says the engine is unreachable, the learner's progress stays, and
the app finds the engine again by itself."""

from __future__ import annotations

import pytest

from dockerlab.engine.events import EngineDown, EngineUp
from dockerlab.progress.store import ProgressStore
from tests.faults.conftest import PrivateEngine
from tests.tui.conftest import make_app, until


def status(app: object) -> str:
    from dockerlab.tui.widgets.status_line import StatusLine

    return str(app.screen.query_one(StatusLine).render())  # type: ignore[attr-defined]


async def test_the_app_shows_the_engine_lost_keeps_progress_and_finds_it_again(
    private_engine: PrivateEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", private_engine.host)
    store = ProgressStore()
    store.record_step("registry-basics", "run-registry", content_hash="x", assisted=False)
    app = make_app(check_steps=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.engine_state, EngineUp), 30, "the engine")
        assert status(app).startswith("✓ Docker")

        private_engine.stop()
        await until(pilot, lambda: isinstance(app.engine_state, EngineDown), 30, "the loss")
        await until(pilot, lambda: "Docker engine unreachable" in status(app), 5, "the status")
        assert "run-registry" in ProgressStore().completed_steps("registry-basics")

        private_engine.start()
        await until(pilot, lambda: isinstance(app.engine_state, EngineUp), 60, "the engine back")
        await until(pilot, lambda: status(app).startswith("✓ Docker"), 5, "the status back")
    assert "run-registry" in ProgressStore().completed_steps("registry-basics")
