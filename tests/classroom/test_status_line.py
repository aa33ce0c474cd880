"""The app's status line says where the images came from and when the engine is remote."""

from __future__ import annotations

from dockerlab.engine.events import EngineUp, ImageCount
from dockerlab.tui.widgets.status_line import describe


def test_bundled_images_and_a_remote_engine_are_said() -> None:
    state = EngineUp(
        "20.10.24", "1.41", "inactive", ImageCount(standin=5, bundled=5), "tcp://10.0.0.5:2376"
    )
    line = describe(state).plain
    assert "images: 5 stand-ins (5 from a bundle)" in line
    assert "remote engine tcp://10.0.0.5:2376: its 127.0.0.1 ports" in line


def test_a_local_engine_says_nothing_of_remoteness() -> None:
    line = describe(EngineUp("20.10.24", "1.41", "inactive", ImageCount(real=5))).plain
    assert "remote" not in line
    assert "bundle" not in line
