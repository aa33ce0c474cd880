"""Every setting dockerlab reads from its environment (`DOCKERLAB_*`), and the command-line
options that add to them, in one place. docs/architecture.md ("Settings") lists them.

Nothing else reads a `DOCKERLAB_*` variable, and nothing writes one: the CLI builds the settings
of a run once (`Settings.from_env().with_content(args.content)`) and makes them current for that
run with `use(...)`; everything below asks `current()`. Without a `use`, `current()` reads the
environment afresh (tests set variables per test). Child processes (lab commands, which may run
`dockerlab` again) get the current settings back as variables: `current().environ()`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

HOME = "DOCKERLAB_HOME"
WORKSPACES = "DOCKERLAB_WORKSPACES"
CONTENT = "DOCKERLAB_CONTENT"
CONFIG_DIR = "DOCKERLAB_CONFIG_DIR"
THEME = "DOCKERLAB_THEME"
VARIABLES = (HOME, WORKSPACES, CONTENT, CONFIG_DIR, THEME)


@dataclass(frozen=True)
class Settings:
    """One run's settings; None means "the platform's default" (see dockerlab/paths.py)."""

    home: Path | None = None  # the learner's data: progress, workspaces, image sources
    workspaces: Path | None = None  # parent of every lab workspace (default: <home>/workspaces)
    content: tuple[Path, ...] = ()  # extra folders of labs, quizzes and pages
    config_dir: Path | None = None  # where keymap.toml lives
    theme: str | None = None  # "dark", "light" or a Textual theme name

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives (`os.environ` unless `env` is given)."""
        env = os.environ if env is None else env
        raw_content = env.get(CONTENT, "")
        return cls(
            home=_path(env.get(HOME)),
            workspaces=_path(env.get(WORKSPACES)),
            content=tuple(Path(p).expanduser() for p in raw_content.split(os.pathsep) if p.strip()),
            config_dir=_path(env.get(CONFIG_DIR)),
            theme=env.get(THEME) or None,
        )

    def with_content(self, folders: Iterable[str | Path]) -> Settings:
        """`--content DIR` (repeatable): these folders after those of $DOCKERLAB_CONTENT."""
        added = tuple(Path(f).expanduser().resolve() for f in folders)
        return replace(self, content=self.content + added) if added else self

    def with_home(self, home: Path) -> Settings:
        """Learner data in `home`, workspaces included (one `dockerlab serve` browser session)."""
        return replace(self, home=home, workspaces=None)

    def environ(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment for a child process: `base` (`os.environ` unless given) with its
        `DOCKERLAB_*` variables replaced by these settings."""
        values = {
            HOME: self.home,
            WORKSPACES: self.workspaces,
            CONTENT: os.pathsep.join(map(str, self.content)) or None,
            CONFIG_DIR: self.config_dir,
            THEME: self.theme,
        }
        env = {k: v for k, v in (os.environ if base is None else base).items() if k not in values}
        env.update({name: str(value) for name, value in values.items() if value is not None})
        return env


def _path(raw: str | None) -> Path | None:
    return Path(raw).expanduser() if raw else None


_lock = threading.Lock()
_chosen: Settings | None = None


def current() -> Settings:
    """The settings in use: those `use` made current, else what the environment says now."""
    chosen = _chosen
    return chosen if chosen is not None else Settings.from_env()


@contextmanager
def use(settings: Settings) -> Iterator[Settings]:
    """Make `settings` current (for every thread) until the block ends; the CLI does this once
    around a command, `dockerlab serve` around a browser session."""
    global _chosen
    with _lock:
        before, _chosen = _chosen, settings
    try:
        yield settings
    finally:
        with _lock:
            _chosen = before
