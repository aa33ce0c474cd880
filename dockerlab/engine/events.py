"""Follow the engine: its event stream, and whether it is there at all.

`EventFollower` is the one place in dockerlab that reads `docker events`. Iterate it in a thread:
it yields plain dataclasses — `EngineUp` when it (re)connects, `EngineEvent` for each container,
image, service, node or daemon event, and `EngineDown` (with the reason) while the engine is gone.
It never raises and never ends on its own: an engine that stops and comes back is followed again,
retried with a growing pause. `close()` (from any thread) ends the iteration promptly.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from dockerlab.engine.client import Engine, EngineUnavailable

# The event types a lab check can depend on; networks and volumes are noise for every check kind.
FOLLOWED_TYPES: tuple[str, ...] = ("container", "image", "service", "node", "daemon")

RETRY_FIRST = 0.5
RETRY_MAX = 5.0


@dataclass(frozen=True)
class EngineEvent:
    """One engine event: `type` (container, image, ...), `action` (start, tag, push, ...) and
    the name of what it happened to (a container's name, an image reference), when known."""

    type: str
    action: str
    name: str = ""
    actor_id: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    time_ns: int = 0
    received: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class ImageCount:
    """How the course's images are here: real (pulled), offline stand-ins, or missing."""

    real: int = 0
    standin: int = 0
    missing: int = 0
    bundled: int = 0  # of the present ones, loaded from an offline bundle (engine/sources.py)

    def describe(self) -> str:
        parts = []
        if self.real:
            parts.append(f"{self.real} real")
        if self.standin:
            parts.append(f"{self.standin} stand-in{'s' if self.standin != 1 else ''}")
        if self.missing:
            parts.append(f"{self.missing} missing")
        bundled = f" ({self.bundled} from a bundle)" if self.bundled else ""
        return (", ".join(parts) or "none") + bundled


@dataclass(frozen=True)
class EngineUp:
    """The engine answers: its version, its swarm state and the course images' state."""

    version: str
    api_version: str
    swarm: str
    images: ImageCount
    remote: str | None = None  # the engine's address when it is not on this machine


@dataclass(frozen=True)
class EngineDown:
    """The engine could not be asked; `reason` says why (with the fix), `retry_in` when next."""

    reason: str
    retry_in: float


EngineState = EngineUp | EngineDown


def engine_summary(engine: Engine) -> EngineUp:
    """Ask the engine what the status line shows. Raises EngineUnavailable when it is not there."""
    from dockerlab.engine.endpoint import engine_endpoint
    from dockerlab.engine.images import COURSE_IMAGES, course_image_status
    from dockerlab.engine.sources import bundled_count

    version = engine.version()
    info = engine.info()
    swarm_info = info.get("Swarm") or {}
    swarm = str(swarm_info.get("LocalNodeState") or "inactive")
    if swarm == "active" and swarm_info.get("ControlAvailable"):
        swarm = "active (manager)"
    statuses = course_image_status(engine, COURSE_IMAGES)
    images = ImageCount(
        real=sum(1 for s in statuses if s.present and not s.standin),
        standin=sum(1 for s in statuses if s.present and s.standin),
        missing=sum(1 for s in statuses if not s.present),
        bundled=bundled_count(engine, [s.ref for s in statuses if s.present]),
    )
    endpoint = engine_endpoint(engine.base_url)
    return EngineUp(
        version=str(version.get("Version", "?")),
        api_version=str(version.get("ApiVersion", "?")),
        swarm=swarm,
        images=images,
        remote=None if endpoint.local else endpoint.host,
    )


def to_event(raw: Mapping[str, Any]) -> EngineEvent | None:
    """The plain event for one decoded JSON event of the engine (None when it is not one)."""
    kind = raw.get("Type")
    action = raw.get("Action") or raw.get("status")
    if not kind or not action:
        return None
    actor = raw.get("Actor") or {}
    attributes = {str(k): str(v) for k, v in (actor.get("Attributes") or {}).items()}
    # "exec_start: sh -c ..." and "health_status: healthy" carry their detail after a colon
    action = str(action).split(":", 1)[0].strip()
    return EngineEvent(
        type=str(kind),
        action=action,
        name=attributes.get("name", ""),
        actor_id=str(actor.get("ID") or raw.get("id") or ""),
        attributes=attributes,
        time_ns=int(raw.get("timeNano") or 0),
    )


class EventFollower:
    """Iterate in a thread; see the module docstring. One follower, one iteration."""

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        retry_first: float = RETRY_FIRST,
        retry_max: float = RETRY_MAX,
        types: tuple[str, ...] = FOLLOWED_TYPES,
    ) -> None:
        # its own connection: the stream holds one open for as long as it is followed
        self.engine = engine or Engine(timeout=5)
        self.retry_first = retry_first
        self.retry_max = retry_max
        self.types = types
        self._closed = threading.Event()
        self._stream: Any = None
        self._lock = threading.Lock()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        """Stop following; a blocked read is woken by closing the stream under it."""
        self._closed.set()
        with self._lock:
            stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):  # it may be half-closed already
                stream.close()

    def __iter__(self) -> Iterator[EngineEvent | EngineUp | EngineDown]:
        pause = self.retry_first
        while not self.closed:
            try:
                stream = self._open()
                up = engine_summary(self.engine)
                if self.closed:
                    return
                yield up
                pause = self.retry_first
                yield from self._read(stream)
                if self.closed:
                    return
                raise EngineUnavailable("the Docker engine closed its event stream (stopped?)")
            except Exception as exc:  # noqa: BLE001 - this loop must outlive any engine trouble
                if self.closed:
                    return
                self.engine.reset()
                yield EngineDown(_reason(exc), pause)
                if self._closed.wait(pause):
                    return
                pause = min(pause * 2, self.retry_max)

    def _open(self) -> Any:
        """Open the stream before asking for the summary, so no event falls between the two."""
        stream = self.engine.call(
            lambda c: c.api.events(decode=True, filters={"type": list(self.types)})
        )
        with self._lock:
            if self.closed:
                stream.close()
                raise EngineUnavailable("closed")
            self._stream = stream
        return stream

    def _read(self, stream: Any) -> Iterator[EngineEvent]:
        with self.engine.translate():
            for raw in stream:
                if self.closed:
                    return
                event = to_event(raw)
                if event is not None:
                    yield event


def _reason(exc: BaseException) -> str:
    if isinstance(exc, EngineUnavailable):
        return str(exc)
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return f"lost the Docker engine's event stream: {text}"


__all__ = [
    "EngineDown",
    "EngineEvent",
    "EngineState",
    "EngineUp",
    "EventFollower",
    "ImageCount",
    "engine_summary",
    "to_event",
]
