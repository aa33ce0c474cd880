"""What a lab session remembers about the engine it started on (in the workspace)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE_DIR = ".dockerlab"


@dataclass
class LabState:
    """`swarm_was_active`: the swarm existed before this lab started, so cleanup never leaves it.
    `captured`: the values steps recorded (`capture:`), for later steps' `{{ name }}`."""

    swarm_was_active: bool | None = None
    setup_done: bool = False
    captured: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, workspace: Path) -> LabState:
        path = workspace / STATE_DIR / "state.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            captured = data.get("captured")
            captured = captured if isinstance(captured, dict) else {}
            return cls(
                swarm_was_active=data.get("swarm_was_active"),
                setup_done=bool(data.get("setup_done", False)),
                captured={
                    str(k): str(v)
                    for k, v in (captured if isinstance(captured, dict) else {}).items()
                },
            )
        except (OSError, ValueError):
            return cls()

    def save(self, workspace: Path) -> None:
        """Written atomically: a crash leaves either the old or the new state, never half."""
        folder = workspace / STATE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix="state.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(self), fh)
        os.replace(tmp, folder / "state.json")

    @staticmethod
    def clear(workspace: Path) -> None:
        (workspace / STATE_DIR / "state.json").unlink(missing_ok=True)
