"""content_hash: equal content, equal hash; any real change, a different one."""

from __future__ import annotations

import subprocess
import sys

from pydantic import BaseModel

from dockerlab.model.lab import Command
from dockerlab.progress import content_hash


class Note(BaseModel):
    title: str
    body: str = ""
    tags: dict[str, str] = {}


def test_the_same_content_gives_the_same_hash() -> None:
    a = Note(title="t", tags={"x": "1", "y": "2"})
    b = Note(title="t", tags={"y": "2", "x": "1"})
    assert content_hash(a) == content_hash(b)
    assert len(content_hash(a)) == 64


def test_changed_content_gives_a_different_hash() -> None:
    assert content_hash(Note(title="t")) != content_hash(Note(title="t", body="more"))
    assert content_hash(Note(title="t")) != content_hash(Note(title="T"))


def test_a_field_left_at_its_default_does_not_count() -> None:
    # a new optional field in a later dockerlab must not mark finished steps as changed
    assert content_hash(Command(run="docker ps")) == content_hash(
        Command(run="docker ps", timeout=300)
    )
    assert content_hash(Command(run="docker ps")) != content_hash(
        Command(run="docker ps", timeout=30)
    )


def test_the_progress_package_loads_without_third_party_modules() -> None:
    # architecture.md: progress/ may import the stdlib only (the app and CLI load it early)
    code = (
        "import sys, dockerlab.progress, dockerlab.progress.store; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pydantic', 'yaml', 'docker', 'textual', 'platformdirs'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "[]"


def test_near_misses_are_for_authors_and_do_not_count() -> None:
    from dockerlab.model.loader import load_lab
    from tests.conftest import REPO

    step = load_lab(REPO / "labs" / "registry-basics").lab.steps[0]
    assert step.near_misses
    bare = step.model_copy(update={"near_misses": []})
    assert content_hash(step) == content_hash(bare)
    assert content_hash(step) != content_hash(step.model_copy(update={"title": "Other"}))
