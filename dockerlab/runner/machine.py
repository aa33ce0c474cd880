"""The Docker engine as the app sees it, behind one door: the connection the app was given, what
this machine offers labs, the status line's summary, the event stream, the doctor, and preparing
the course images. The app and its screens reach the engine only through here.

A `Machine` is built on the engine it is given: the CLI gives the real one, tests a fake one
(with `capabilities` fixed, nothing here asks the real engine or the network).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from dockerlab.engine.client import Engine, EngineError, EngineUnavailable
from dockerlab.engine.events import (
    EngineDown,
    EngineEvent,
    EngineState,
    EngineUp,
    EventFollower,
    ImageCount,
)

if TYPE_CHECKING:  # the doctor loads the image modules: only when it runs
    from dockerlab.engine.doctor import DoctorReport as DoctorReport
    from dockerlab.engine.doctor import Finding as Finding

__all__ = [
    "Engine",
    "EngineDown",
    "EngineError",
    "EngineEvent",
    "EngineState",
    "EngineUnavailable",
    "EngineUp",
    "EventFollower",
    "ImageCount",
    "Machine",
]


class Machine:
    """`engine` and what this machine offers labs. `capabilities`: a fixed set (tests), else
    probed — and not kept while the engine is away, so a lab opened after it comes back sees it.
    Every method may be called from a worker thread; the slow ones ask the engine."""

    def __init__(self, engine: Engine, capabilities: Iterable[str] | None = None) -> None:
        self.engine = engine
        self._fixed = set(capabilities) if capabilities is not None else None
        self._caps: set[str] | None = None
        self._lock = threading.Lock()

    def quick_capabilities(self) -> set[str]:
        """What picks a lab's variable values (root, routing-mesh, docker-hub, docker-desktop):
        probed once per process, without running a container."""
        if self._fixed is not None:
            return set(self._fixed)
        from dockerlab.runner.catalog import machine_capabilities

        return machine_capabilities()

    def capabilities(self) -> set[str]:
        """The quick ones, plus `engine` and `swarm` while the engine answers."""
        if self._fixed is not None:
            return set(self._fixed)
        with self._lock:
            if self._caps is None:
                caps = self.quick_capabilities()
                if not self.engine.ping():
                    return caps
                self._caps = caps | {"engine", "swarm"}
            return set(self._caps)

    def summary(self) -> EngineState:
        """What the status line shows: the engine's version, swarm and images, or why it is away."""
        from dockerlab.engine.events import engine_summary

        try:
            return engine_summary(self.engine)
        except EngineUnavailable as exc:
            return EngineDown(str(exc), 1.0)

    def follower(self) -> EventFollower:
        """The engine's events, on a connection of their own to the same engine."""
        return EventFollower(Engine(timeout=5, base_url=self.engine.base_url))

    def doctor(self) -> DoctorReport:
        """Everything the labs rely on, probed (never raises)."""
        from dockerlab.engine.doctor import run_doctor

        return run_doctor(self.engine)

    def prepare(self, ref: str, *, hub: bool, progress: Callable[[str], None]) -> None:
        """Pull `ref` from Docker Hub (`hub`) or build its offline stand-in. Raises EngineError or
        EngineUnavailable with the reason."""
        from dockerlab.engine.images import prepare

        prepare(self.engine, [ref], hub=hub, progress=progress)
