"""Where each course image came from: Docker Hub, an offline bundle, or a local stand-in.

The engine does not remember how an image arrived (a label cannot be added after the fact), so
`import_bundle` writes a small record, keyed by image ID, to the learner's data folder:
`image-sources.json`. Stand-ins carry the `org.dockerlab.stand-in` label; pulled images carry a
Docker Hub repo digest.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dockerlab.engine.client import Engine
from dockerlab.engine.images import ImageInfo, inspect_image
from dockerlab.engine.refs import DEFAULT_DOMAIN, split
from dockerlab.paths import data_dir

RECORD = "image-sources.json"


def _record_path() -> Path:
    return data_dir() / RECORD


def _read() -> dict[str, Any]:
    try:
        doc = json.loads(_record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def record_bundle(bundle_name: str, image_ids: Iterable[str]) -> None:
    """Remember that these image IDs were loaded from the bundle file `bundle_name` (the record
    is replaced atomically)."""
    doc = _read()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for image_id in image_ids:
        doc[image_id] = {"source": "bundle", "bundle": bundle_name, "loaded": when}
    path = _record_path()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def image_origin(engine: Engine, ref: str) -> str:
    """Where the local image `ref` came from (see `describe_source`), or "missing"."""
    info = inspect_image(engine, ref)
    return describe_source(info) if info else "missing"


def bundled_count(engine: Engine, refs: list[str]) -> int:
    """How many of these local images were loaded from an offline bundle."""
    record = _read()
    if not record:
        return 0
    infos = [inspect_image(engine, ref) for ref in refs]
    return sum(1 for info in infos if info and info.id in record)


def describe_source(info: ImageInfo) -> str:
    """One phrase: where this image came from, as well as can be told."""
    entry = _read().get(info.id)
    kind = "offline stand-in" if info.standin else "real image"
    if isinstance(entry, dict) and entry.get("source") == "bundle":
        return f"{kind}, loaded from the bundle {entry.get('bundle')} ({entry.get('loaded')})"
    if info.standin:
        return "offline stand-in, built here from Debian packages"
    if any(split(d)[0] == DEFAULT_DOMAIN for d in info.repo_digests):
        return "real image, pulled from Docker Hub"
    return "real image, built or loaded here (not from Docker Hub or a dockerlab bundle)"
