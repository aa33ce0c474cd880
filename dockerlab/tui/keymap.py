"""Remappable keys: every binding has an id; `keymap.toml` in the user config folder maps ids to
keys, e.g.

    "lab.hint" = "ctrl+g"
    "lab.check" = "f5,ctrl+k"

Problems (an unknown id, a value that is not a key string) are collected with a did-you-mean and
shown when the app starts, instead of stopping it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from textual.binding import Binding, BindingType

KEYMAP_FILE = "keymap.toml"


def keymap_path() -> Path:
    from dockerlab.paths import config_dir

    return config_dir() / KEYMAP_FILE


@dataclass
class LoadedKeymap:
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def binding_ids(bindings: Iterable[BindingType]) -> list[str]:
    return [b.id for b in bindings if isinstance(b, Binding) and b.id]


def load_keymap(path: Path, known_ids: Iterable[str] | None) -> LoadedKeymap:
    """Read a keymap file; a missing file is an empty keymap, not a problem. With `known_ids`
    None the ids are taken as they are (checked later, when every screen is imported)."""
    out = LoadedKeymap()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return out
    except OSError as exc:
        out.problems.append(f"{path}: cannot read it: {exc.strerror or exc}")
        return out
    import difflib
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as exc:
        out.problems.append(f"{path}: {exc}")
        return out
    table = data.get("keys", data) if isinstance(data.get("keys"), dict) else data
    known = sorted(set(known_ids)) if known_ids is not None else None
    for binding_id, keys in table.items():
        if known is not None and binding_id not in known:
            close = difflib.get_close_matches(binding_id, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            out.problems.append(f"{path}: no key binding has the id '{binding_id}'{hint}")
            continue
        if not isinstance(keys, str) or not keys.strip():
            out.problems.append(
                f'{path}: \'{binding_id}\' needs keys as a string, like "ctrl+g" or "f5,ctrl+k"'
            )
            continue
        out.keys[binding_id] = keys.replace(" ", "")
    return out
