"""Where dockerlab keeps things: the learner's data (progress, workspaces), the bundled course."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

APP = "dockerlab"
# the checkout this module runs from, when it runs from one (an editable install)
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The learner's data folder: $DOCKERLAB_HOME, else the platform's user data dir."""
    override = os.environ.get("DOCKERLAB_HOME")
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def workspaces_dir() -> Path:
    """Parent of every lab workspace: $DOCKERLAB_WORKSPACES, else <data dir>/workspaces."""
    override = os.environ.get("DOCKERLAB_WORKSPACES")
    path = Path(override).expanduser() if override else data_dir() / "workspaces"
    path.mkdir(parents=True, exist_ok=True)
    return path


def workspace_for(lab_id: str) -> Path:
    """The folder a lab's commands run in (the course's relative paths live here)."""
    return workspaces_dir() / lab_id


def _course_folder(name: str) -> Path:
    """A folder of the bundled course. A wheel carries it as package data (`dockerlab/course/`,
    packed by setup.py); an editable install reads the checkout's own `labs/` and `content/`."""
    packaged = files(APP).joinpath("course", name)
    if packaged.is_dir():
        return Path(str(packaged))
    return REPO_ROOT / name


def bundled_labs() -> Path:
    return _course_folder("labs")


def bundled_content() -> Path:
    return _course_folder("content")


def extra_content_dirs() -> list[Path]:
    """Folders added with $DOCKERLAB_CONTENT (os.pathsep-separated)."""
    raw = os.environ.get("DOCKERLAB_CONTENT", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
