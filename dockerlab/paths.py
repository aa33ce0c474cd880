"""Where dockerlab keeps things: the learner's data (progress, workspaces), the bundled course.
The folders a run was given (environment, --content) come from dockerlab/settings.py."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from dockerlab.settings import current

APP = "dockerlab"
# the checkout this module runs from, when it runs from one (an editable install)
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The learner's data folder: $DOCKERLAB_HOME, else the platform's user data dir."""
    path = current().home
    if path is None:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """The learner's settings folder (keymap.toml): $DOCKERLAB_CONFIG_DIR, else the platform's
    user config folder for dockerlab."""
    path = current().config_dir
    if path is None:
        from platformdirs import user_config_dir

        path = Path(user_config_dir(APP, appauthor=False))
    return path


def workspaces_dir() -> Path:
    """Parent of every lab workspace: $DOCKERLAB_WORKSPACES, else <data dir>/workspaces."""
    path = current().workspaces or data_dir() / "workspaces"
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
    """Folders added with $DOCKERLAB_CONTENT (os.pathsep-separated) and `--content`."""
    return list(current().content)
