"""Containers as the engine reports them: state, image, published ports, mounts, env, restart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dockerlab.engine.client import Engine, EngineError


@dataclass(frozen=True)
class PortBinding:
    """One host binding of a container port: `5000/tcp` on `127.0.0.1:5000`.

    `host_port` is 0 when the engine will pick one (a created container with `-p 5000`).
    `host_ip` is "0.0.0.0" or "::" for every address (an empty HostIp means that too).
    """

    container_port: int
    protocol: str
    host_ip: str
    host_port: int


@dataclass(frozen=True)
class MountInfo:
    """A mount: `type` "bind" (host `source`), "volume" (`name`), or another type (tmpfs...)."""

    type: str
    destination: str
    source: str
    name: str | None = None


@dataclass(frozen=True)
class ContainerInfo:
    """What the engine knows of one container."""

    id: str
    name: str
    status: str  # created, running, paused, restarting, removing, exited, dead
    exit_code: int
    image: str  # the reference it was created from, as given (Config.Image)
    image_id: str  # sha256:... of that image
    ports: tuple[PortBinding, ...] = ()
    mounts: tuple[MountInfo, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    restart: str = "no"
    restart_max: int = 0
    # what the container runs after its entrypoint: Args of `docker inspect` (the CMD, or the
    # words given after the image name)
    args: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()

    @property
    def running(self) -> bool:
        return self.status == "running"


def inspect_container(engine: Engine, name: str) -> ContainerInfo | None:
    """The container called `name`, or None when there is none.

    Only an exact name counts: the engine also resolves ID prefixes, which a lab never means.
    Other API errors raise EngineError; transport failures raise EngineUnavailable.
    """
    from docker.errors import APIError, NotFound

    def get(client: Any) -> dict[str, Any] | None:
        try:
            return dict(client.api.inspect_container(name))
        except NotFound:
            return None
        except APIError as exc:
            raise EngineError(str(exc.explanation or exc)) from exc

    attrs = engine.call(get)
    if attrs is None or str(attrs.get("Name", "")).lstrip("/") != name.lstrip("/"):
        return None
    return container_info(attrs)


def container_info(attrs: dict[str, Any]) -> ContainerInfo:
    """Turn `docker inspect` output into a ContainerInfo (pure; also used by tests)."""
    state = attrs.get("State") or {}
    config = attrs.get("Config") or {}
    host = attrs.get("HostConfig") or {}
    restart = host.get("RestartPolicy") or {}
    return ContainerInfo(
        id=str(attrs.get("Id", "")),
        name=str(attrs.get("Name", "")).lstrip("/"),
        status=str(state.get("Status", "")),
        exit_code=int(state.get("ExitCode") or 0),
        image=str(config.get("Image", "")),
        image_id=str(attrs.get("Image", "")),
        ports=_ports(attrs),
        mounts=tuple(_mount(m) for m in attrs.get("Mounts") or ()),
        env=_env(config.get("Env") or ()),
        restart=str(restart.get("Name") or "no"),
        restart_max=int(restart.get("MaximumRetryCount") or 0),
        args=tuple(str(a) for a in attrs.get("Args") or ()),
        networks=tuple(sorted(((attrs.get("NetworkSettings") or {}).get("Networks") or {}).keys())),
    )


def _ports(attrs: dict[str, Any]) -> tuple[PortBinding, ...]:
    # A running container reports the bindings it actually has (random host ports filled in);
    # a stopped or created one only has what it was configured with.
    live = (attrs.get("NetworkSettings") or {}).get("Ports") or {}
    configured = (attrs.get("HostConfig") or {}).get("PortBindings") or {}
    table = live if any(live.values()) else configured
    out = []
    for key, bindings in table.items():
        port, _, proto = str(key).partition("/")
        for b in bindings or ():
            out.append(
                PortBinding(
                    container_port=int(port),
                    protocol=proto or "tcp",
                    host_ip=b.get("HostIp") or "0.0.0.0",
                    host_port=int(b.get("HostPort") or 0),
                )
            )
    return tuple(sorted(out, key=lambda b: (b.container_port, b.protocol, b.host_ip)))


def _mount(m: dict[str, Any]) -> MountInfo:
    return MountInfo(
        type=str(m.get("Type", "")),
        destination=str(m.get("Destination", "")),
        source=str(m.get("Source", "")),
        name=m.get("Name"),
    )


def _env(entries: Any) -> dict[str, str]:
    out = {}
    for entry in entries:
        key, _, value = str(entry).partition("=")
        out[key] = value
    return out


def container_logs(engine: Engine, name: str, limit: int = 4_000_000) -> str | None:
    """The container's log (stdout and stderr), its last `limit` characters; None when there is
    no such container."""
    from docker.errors import NotFound

    def get(client: Any) -> str | None:
        try:
            raw = client.api.logs(name, stdout=True, stderr=True, tail=20000)
        except NotFound:
            return None
        return bytes(raw).decode("utf-8", "replace")[-limit:]

    return engine.call(get)


def read_container_file(
    engine: Engine, name: str, path: str, limit: int = 1_000_000
) -> bytes | None:
    """The bytes of a regular file inside the container (as `docker cp` sees it, bind mounts
    included), or None when the container or the file does not exist or is not a small file."""
    import io
    import tarfile

    from docker.errors import NotFound

    def get(client: Any) -> bytes | None:
        try:
            stream, stat = client.api.get_archive(name, path)
        except NotFound:
            return None
        if int(stat.get("size", 0)) > limit:
            return None
        data = b"".join(stream)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            member = next((m for m in tar.getmembers() if m.isfile()), None)
            extracted = tar.extractfile(member) if member else None
            return extracted.read() if extracted else None

    return engine.call(get)


__all__ = [
    "ContainerInfo",
    "MountInfo",
    "PortBinding",
    "container_info",
    "container_logs",
    "inspect_container",
    "read_container_file",
]
