"""A stable fingerprint of content (a lab step), to tell when it changed after completion."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # progress/ imports only the stdlib at run time (architecture.md)
    from pydantic import BaseModel


# fields of a step that only authors and `validate` read: changing them changes nothing learned
AUTHOR_ONLY = ("near_misses",)


def canonical_json(obj: BaseModel) -> str:
    """The model as JSON with sorted keys and no whitespace: equal content gives equal text.

    Fields left at their defaults are omitted, so a new optional field added to the model in a
    later dockerlab does not make every step the learner finished look "changed"; so are the
    fields that say nothing to the learner (`near_misses`: the author's test cases).
    """
    data = obj.model_dump(mode="json", exclude_defaults=True)
    for name in AUTHOR_ONLY:
        data.pop(name, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(obj: BaseModel) -> str:
    """sha256 (hex) of the model's canonical JSON; same content, same hash, on any machine."""
    return hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()
