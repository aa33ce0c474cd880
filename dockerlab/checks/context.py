"""What every check is evaluated with: the engine, the lab workspace, the client config."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dockerlab.engine.client import Engine


def _docker_config_dir() -> Path:
    return Path(os.environ.get("DOCKER_CONFIG", str(Path.home() / ".docker")))


@dataclass
class CheckContext:
    """Everything a check may look at. Relative paths in checks resolve against `workspace`."""

    engine: Engine
    workspace: Path
    docker_config_dir: Path = field(default_factory=_docker_config_dir)
    certs_d: Path = Path("/etc/docker/certs.d")
    timeout: float = 10.0

    def path(self, p: str) -> Path:
        """A check's path: absolute as given, relative to the workspace otherwise."""
        path = Path(p).expanduser()
        return path if path.is_absolute() else self.workspace / path
