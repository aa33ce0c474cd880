"""Which content folders may run commands: the trust store (`trust.json` in the data dir).

A lab's setup and solution commands are shell commands run on the learner's machine, so labs
from a folder added with `--content` never run them until the learner has read that folder and
trusted it (`dockerlab trust DIR`). Trust is pinned to a sha256 over the folder's files: when a
file changes, is added or removed, the folder is untrusted again until it is trusted anew.
The course bundled with dockerlab is always trusted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dockerlab import paths

if TYPE_CHECKING:
    from dockerlab.model.checks import Check

TRUST_FILE = "trust.json"
# Folders that are never content: version control, caches, virtual environments.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".venv",
        "node_modules",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)


class UntrustedContent(Exception):
    """A lab from a folder the learner has not trusted (or that changed since) tried to run a
    command."""

    def __init__(self, folder: Path, *, changed: bool = False, needs: str = "") -> None:
        self.folder = folder
        self.changed = changed
        self.needs = needs
        why = "have changed since you trusted them" if changed else "are not trusted yet"
        what = f"{needs}, and " if needs else ""
        super().__init__(
            f"{what}labs from {folder} {why}: read them, then run `dockerlab trust {folder}`"
        )


@dataclass(frozen=True)
class TrustEntry:
    """One trusted folder as the store remembers it, and how it stands now."""

    folder: Path
    sha256: str
    trusted_at: str
    status: str  # "trusted", "changed" or "missing"


def _store_path() -> Path:
    return paths.data_dir() / TRUST_FILE


def _read_store() -> dict[str, dict[str, str]]:
    try:
        raw = json.loads(_store_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    folders = raw.get("folders") if isinstance(raw, dict) else None
    if not isinstance(folders, dict):
        return {}
    return {k: v for k, v in folders.items() if isinstance(v, dict) and "sha256" in v}


def _write_store(folders: dict[str, dict[str, str]]) -> None:
    # write-then-rename: a crash leaves the old store or the new one, never half of one
    path = _store_path()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(
        json.dumps({"version": 1, "folders": folders}, indent=2, sort_keys=True), encoding="utf-8"
    )
    os.replace(tmp, path)


def _content_files(folder: Path) -> Iterator[Path]:
    # dockerlab's own data (this store, the workspaces) may live inside a trusted folder
    own = {paths.data_dir().resolve(), paths.workspaces_dir().resolve()}
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(
            d for d in dirs if d not in SKIPPED_DIRS and (Path(root) / d).resolve() not in own
        )
        for name in sorted(files):
            if not name.endswith((".pyc", ".swp")) and name != ".DS_Store":
                yield Path(root) / name


def content_digest(folder: Path) -> str:
    """sha256 over every content file in `folder`: relative path, then bytes (a symlink counts
    with its target's path, so re-pointing it changes the digest)."""
    folder = folder.resolve()
    digest = hashlib.sha256()
    for file in _content_files(folder):
        rel = file.relative_to(folder).as_posix()
        digest.update(f"{len(rel)}:{rel}\0".encode())
        if file.is_symlink():
            digest.update(b"link:" + os.readlink(file).encode())
        else:
            try:
                data = file.read_bytes()
            except OSError:
                data = b"<unreadable>"
            digest.update(f"{len(data)}:".encode() + data)
        digest.update(b"\0")
    return digest.hexdigest()


def _bundled_roots() -> list[Path]:
    return [paths.bundled_labs().resolve(), paths.bundled_content().resolve()]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def is_bundled(path: Path) -> bool:
    """Whether `path` is part of the course that ships with dockerlab."""
    path = path.resolve()
    return any(_within(path, root) for root in _bundled_roots())


def trust(folder: Path) -> TrustEntry:
    """Trust `folder` as it is now (pinned to its digest). Returns the stored entry."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")
    sha = content_digest(folder)
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    folders = _read_store()
    folders[str(folder)] = {"sha256": sha, "trusted_at": when}
    _write_store(folders)
    return TrustEntry(folder, sha, when, "trusted")


def revoke(folder: Path) -> bool:
    """Forget `folder`; False when it was not in the store."""
    key = str(folder.resolve())
    folders = _read_store()
    if key not in folders:
        return False
    del folders[key]
    _write_store(folders)
    return True


def trusted_folders() -> list[TrustEntry]:
    """Every folder in the store, with whether its content still matches."""
    out: list[TrustEntry] = []
    for key, entry in sorted(_read_store().items()):
        folder = Path(key)
        if not folder.is_dir():
            status = "missing"
        elif content_digest(folder) == entry["sha256"]:
            status = "trusted"
        else:
            status = "changed"
        out.append(TrustEntry(folder, entry["sha256"], entry.get("trusted_at", ""), status))
    return out


def _content_root(path: Path) -> Path:
    """The folder to trust for a lab at `path`: the --content folder holding it, else the folder
    above `labs/`, else the lab's own folder."""
    for extra in paths.extra_content_dirs():
        root = extra.resolve()
        if _within(path, root):
            return root
    folder = path if path.is_dir() else path.parent
    if folder.parent.name == "labs":
        return folder.parent.parent
    return folder


def check_trusted(path: Path, needs: str = "") -> None:
    """Raise UntrustedContent unless the lab at `path` (its lab.yaml or folder) may run commands:
    it is bundled, or a folder holding it is trusted with its current content. `needs` says what
    wanted to run ("setting the lab up runs its 2 setup commands"), for the refusal."""
    path = path.resolve()
    if is_bundled(path):
        return
    changed: Path | None = None
    for key, entry in _read_store().items():
        folder = Path(key)
        if _within(path, folder):
            if content_digest(folder) == entry["sha256"]:
                return
            changed = folder
    if changed is not None:
        raise UntrustedContent(changed, changed=True, needs=needs)
    raise UntrustedContent(_content_root(path), needs=needs)


def is_trusted(path: Path) -> bool:
    """Whether the lab (or folder) at `path` may run commands."""
    try:
        check_trusted(path)
    except UntrustedContent:
        return False
    return True


def runs_commands(check: Check) -> bool:
    """Whether a check (or one inside it) is a `command` check, which runs a shell command."""
    from dockerlab.model.checks import CommandCheck, leaves  # the models load only when needed

    return any(isinstance(leaf, CommandCheck) for leaf in leaves(check))


def refused_check(path: Path, check: Check, step_id: str = "") -> str | None:
    """Why a check may not run for the lab at `path`, or None. Checks read state and run for
    any lab, except `command` checks: they run shell commands, so only for trusted labs."""
    if not runs_commands(check):
        return None
    try:
        where = f"the check of step '{step_id}'" if step_id else "this check"
        check_trusted(path, f"{where} runs a shell command (a `command` check)")
    except UntrustedContent as exc:
        return str(exc)
    return None
