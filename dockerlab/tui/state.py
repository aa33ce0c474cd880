"""What the app remembers between runs that is not the learner's record: whether the welcome
screen was seen, which theory pages were opened. A small JSON file in the data folder."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

FILE = "app-state.json"


@dataclass
class AppState:
    welcomed: bool = False
    pages_read: set[str] = field(default_factory=set)
    theme: str | None = None

    @classmethod
    def load(cls, folder: Path) -> AppState:
        try:
            data = json.loads((folder / FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        theme = data.get("theme")
        return cls(
            welcomed=bool(data.get("welcomed", False)),
            pages_read={str(p) for p in data.get("pages_read", []) if isinstance(p, str)},
            theme=theme if isinstance(theme, str) else None,
        )

    def save(self, folder: Path) -> None:
        """Written atomically; a failure to write is not worth stopping the app for."""
        data = {
            "welcomed": self.welcomed,
            "pages_read": sorted(self.pages_read),
            "theme": self.theme,
        }
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix="app-state.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
            os.replace(tmp, folder / FILE)
        except OSError:
            pass
