"""Where dockerlab keeps things: the learner's data (progress, workspaces), the bundled course."""

from __future__ import annotations

import os
from pathlib import Path

APP = "dockerlab"
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


def bundled_labs() -> Path:
    return REPO_ROOT / "labs"


def bundled_content() -> Path:
    return REPO_ROOT / "content"


def extra_content_dirs() -> list[Path]:
    """Folders added with $DOCKERLAB_CONTENT (os.pathsep-separated)."""
    raw = os.environ.get("DOCKERLAB_CONTENT", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
