"""Following the engine (engine/events.py): plain events, and surviving an engine that goes away
and comes back. The engine is reached through a small Unix-socket proxy the test can cut."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockerlab.engine import Engine
from dockerlab.engine.events import EngineDown, EngineEvent, EngineUp, EventFollower, to_event

DOCKER_SOCK = "/var/run/docker.sock"


def test_to_event_reads_type_action_and_name() -> None:
    raw = {
        "Type": "container",
        "Action": "health_status: healthy",
        "Actor": {"ID": "abc", "Attributes": {"name": "registry", "image": "registry:2"}},
        "timeNano": 12,
    }
    event = to_event(raw)
    assert event == EngineEvent(
        type="container",
        action="health_status",
        name="registry",
        actor_id="abc",
        attributes={"name": "registry", "image": "registry:2"},
        time_ns=12,
        received=event.received if event else 0,
    )
    assert to_event({"status": "x"}) is None


class SocketProxy:
    """Forwards a Unix socket to the Docker socket until `stop()` cuts every connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.server: socket.socket | None = None
        self.conns: list[socket.socket] = []

    def start(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(self.path))
        server.listen(16)
        self.server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(DOCKER_SOCK)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self.conns.clear()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[SocketProxy]:
    if not os.path.exists(DOCKER_SOCK):
        pytest.skip("no Docker socket here")
    p = SocketProxy(Path(f"/tmp/dockerlab-test-{uuid.uuid4().hex[:8]}.sock"))
    yield p
    p.stop()


def _next(items: Iterator[object], kind: type, timeout: float = 20.0) -> object:
    deadline = time.monotonic() + timeout
    for item in items:
        if isinstance(item, kind):
            return item
        assert time.monotonic() < deadline, f"no {kind.__name__} within {timeout} s"
    raise AssertionError("the follower ended")


@pytest.mark.engine
def test_follower_yields_image_events_as_plain_dataclasses(engine: Engine, unique: str) -> None:
    follower = EventFollower(types=("image",))
    items = iter(follower)
    try:
        assert isinstance(_next(items, EngineUp), EngineUp)
        ref = f"dockerlab-test-events-{unique}:x"
        subprocess.run(["docker", "tag", "busybox:latest", ref], check=True)
        try:
            deadline = time.monotonic() + 20
            for item in items:
                if isinstance(item, EngineEvent) and item.action == "tag" and item.name == ref:
                    break
                assert time.monotonic() < deadline
        finally:
            subprocess.run(["docker", "rmi", ref], capture_output=True, check=False)
    finally:
        follower.close()


@pytest.mark.engine
def test_follower_survives_the_engine_going_away_and_coming_back(
    engine: Engine, proxy: SocketProxy
) -> None:
    follower = EventFollower(
        Engine(timeout=5, base_url=f"unix://{proxy.path}"), retry_first=0.05, retry_max=0.2
    )
    items = iter(follower)
    try:
        down = _next(items, EngineDown)  # nothing listens yet
        assert isinstance(down, EngineDown)
        assert down.reason
        proxy.start()
        up = _next(items, EngineUp)
        assert isinstance(up, EngineUp)
        assert up.version
        proxy.stop()  # the engine "stops"
        assert isinstance(_next(items, EngineDown), EngineDown)
        proxy.start()  # ... and comes back
        assert isinstance(_next(items, EngineUp), EngineUp)
    finally:
        follower.close()


def test_close_ends_a_follower_that_is_retrying(tmp_path: Path) -> None:
    follower = EventFollower(
        Engine(timeout=1, base_url=f"unix://{tmp_path}/none.sock"), retry_first=5.0
    )
    items = iter(follower)
    assert isinstance(next(items), EngineDown)
    threading.Timer(0.2, follower.close).start()
    started = time.monotonic()
    assert list(items) == []
    assert time.monotonic() - started < 3
