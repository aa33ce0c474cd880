"""The one place that holds a docker SDK client. Everything else asks an `Engine`."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import docker

T = TypeVar("T")

# every resource dockerlab itself creates carries these labels, so it can be told apart
LABEL_OWNER = "org.dockerlab.owner"
LABEL_LAB = "org.dockerlab.lab"
LABEL_STANDIN = "org.dockerlab.stand-in"


class EngineUnavailable(Exception):
    """The engine could not be asked (not running, no permission, timed out). Checks: ERROR."""


class EngineError(Exception):
    """The engine answered with an error for an operation (e.g. a push the registry refused)."""


class Engine:
    """A connection to the Docker engine from the environment (DOCKER_HOST, or the default socket).

    Connecting is lazy and retried: an engine that comes back later is picked up by the next call.
    """

    def __init__(self, timeout: float = 10.0, base_url: str | None = None) -> None:
        self.timeout = timeout
        self.base_url = base_url
        self._client: docker.DockerClient | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> docker.DockerClient:
        """The SDK client; raises EngineUnavailable with the reason when there is no engine."""
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> docker.DockerClient:
        import docker
        from docker.errors import DockerException

        try:
            if self.base_url:
                client = docker.DockerClient(base_url=self.base_url, timeout=int(self.timeout))
            else:
                client = docker.from_env(timeout=int(self.timeout))
            client.ping()
        except DockerException as exc:
            raise EngineUnavailable(_why(exc, self.base_url)) from exc
        return client

    def reset(self) -> None:
        """Forget the connection (the next call reconnects)."""
        with self._lock:
            if self._client is not None:
                # closing a dead connection may fail; we drop it either way
                with contextlib.suppress(Exception):
                    self._client.close()
            self._client = None

    def call(self, fn: Callable[[docker.DockerClient], T]) -> T:
        """Run `fn(client)`; connection trouble becomes EngineUnavailable (reconnect next time)."""
        with self.translate():
            return fn(self.client)

    @contextmanager
    def translate(self) -> Iterator[None]:
        """Map SDK/transport failures onto EngineUnavailable; other API errors pass through."""
        import requests
        from docker.errors import APIError, DockerException

        try:
            yield
        except EngineUnavailable:
            raise
        except APIError:
            raise
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            self.reset()
            raise EngineUnavailable(_why(exc, self.base_url)) from exc
        except DockerException as exc:
            self.reset()
            raise EngineUnavailable(_why(exc, self.base_url)) from exc

    def ping(self) -> bool:
        """True when the engine answers."""
        try:
            return bool(self.call(lambda c: c.ping()))
        except EngineUnavailable:
            return False

    def version(self) -> dict[str, Any]:
        return dict(self.call(lambda c: c.version()))

    def info(self) -> dict[str, Any]:
        return dict(self.call(lambda c: c.info()))


def _why(exc: BaseException, base_url: str | None = None) -> str:
    text = str(exc)
    if "Permission denied" in text or "PermissionError" in text:
        return (
            "permission denied on the Docker socket: add yourself to the 'docker' group "
            "(sudo usermod -aG docker $USER, then log in again) or run as root"
        )
    if "FileNotFoundError" in text or "No such file" in text or "Connection refused" in text:
        from dockerlab.engine.endpoint import DEFAULT_HOST, engine_endpoint

        endpoint = engine_endpoint(base_url)
        if endpoint.host != DEFAULT_HOST:  # DOCKER_HOST or a context chose another engine
            return f"no Docker engine answers at {endpoint.host} (from {endpoint.source})"
        return "no Docker engine is running here (start it: sudo systemctl start docker)"
    if "timed out" in text.lower() or "timeout" in text.lower():
        return "the Docker engine did not answer in time"
    return text.splitlines()[0] if text else exc.__class__.__name__
