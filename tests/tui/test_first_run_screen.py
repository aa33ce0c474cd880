"""Pilot tests of the first-run screen (the machine check). No engine: the doctor and the image
preparation are stand-ins. A frozen fixture course is used."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from dockerlab.tui.app import DockerLabApp
from dockerlab.tui.screens.home import HomeScreen
from tests.tui.conftest import OfflineEngine, offline_app, until

pytestmark = pytest.mark.usefixtures("fixture_course")


async def test_first_run_shows_findings_and_prepares_missing_images_with_a_bar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual.widgets import ProgressBar

    from dockerlab.engine import doctor, images
    from dockerlab.tui.screens.first_run import FirstRunScreen

    reports = iter(
        [
            doctor.DoctorReport(
                [
                    doctor.Finding("engine", True, "Docker 20.10.24"),
                    doctor.Finding(
                        "image registry:2", False, "missing", "dockerlab images prepare"
                    ),
                    doctor.Finding("image busybox:latest", False, "missing"),
                ],
                {"engine"},
            ),
            doctor.DoctorReport([doctor.Finding("engine", True, "Docker 20.10.24")], {"engine"}),
        ]
    )
    monkeypatch.setattr(doctor, "run_doctor", lambda engine=None, **kw: next(reports))
    prepared: list[str] = []

    def fake_prepare(
        engine: object, refs: list[str], progress: Any = None, hub: bool | None = None
    ) -> list[str]:
        prepared.extend(refs)
        if progress:
            progress(f"{refs[0]}: built the offline stand-in")
        return []

    monkeypatch.setattr(images, "prepare", fake_prepare)
    app = offline_app(welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, FirstRunScreen) and app.screen.report is not None,
            what="the doctor's findings",
        )
        screen = app.screen
        verdict = str(screen.query_one("#welcome-next", Static).render())
        assert "2 course image(s) missing: registry:2, busybox:latest" in verdict
        assert "build labelled offline stand-ins" in verdict
        await pilot.press("p")
        bar = screen.query_one(ProgressBar)
        await until(pilot, lambda: bar.progress == 2 and bar.total == 2, what="the bar")
        assert prepared == ["registry:2", "busybox:latest"]
        await until(
            pilot,
            lambda: (
                "Everything the labs need is here"
                in str(screen.query_one("#welcome-next", Static).render())
            ),
            what="re-check",
        )
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
    assert DockerLabApp(engine=OfflineEngine()).state.welcomed  # not shown again next time
