"""Helpers for the instructor-tooling tests. The `cli` fixture, `write_lab` and `GOOD_LAB` live
in tests/conftest.py (the runner's trust tests use them too); they are re-exported here."""

from __future__ import annotations

import pytest

from tests.conftest import GOOD_LAB as GOOD_LAB
from tests.conftest import Cli as Cli
from tests.conftest import write_lab as write_lab


@pytest.fixture(autouse=True)
def _no_content_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--content` writes $DOCKERLAB_CONTENT into this process's environment: undo it after."""
    monkeypatch.setenv("DOCKERLAB_CONTENT", "")
