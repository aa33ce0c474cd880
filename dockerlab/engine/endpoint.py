"""Which Docker engine to talk to, decided as the docker CLI decides it, so the engine client and
the `docker` commands a lab runs go to the same engine.

The docker CLI's order: `--context NAME`; else DOCKER_HOST (the "default" context); else
DOCKER_CONTEXT; else `currentContext` in $DOCKER_CONFIG/config.json (~/.docker); else the
default socket. A context's endpoint is in
$DOCKER_CONFIG/contexts/meta/<sha256(name)>/meta.json (`Endpoints.docker.Host`), its TLS files
in contexts/tls/<sha256(name)>/docker/. `apply()` exports the chosen endpoint as DOCKER_HOST
(and DOCKER_CERT_PATH / DOCKER_TLS_VERIFY) so every child `docker` process agrees.

An engine is local when it is a unix socket on this machine; anything else (tcp://, ssh://) is
remote: its 127.0.0.1 ports, bind-mount paths and certs.d are on another machine.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "unix:///var/run/docker.sock"
DEFAULT_CONTEXT = "default"


class EndpointError(Exception):
    """The chosen Docker context cannot be used; the message says why and where."""


@dataclass(frozen=True)
class Endpoint:
    host: str
    context: str = DEFAULT_CONTEXT
    source: str = "the default socket"  # what chose it, for doctor
    tls_dir: Path | None = None
    skip_tls_verify: bool = False

    @property
    def local(self) -> bool:
        """A unix socket that exists on this machine."""
        return self.host.startswith("unix://") and Path(self.host[len("unix://") :]).exists()

    def describe(self) -> str:
        where = "local" if self.local else "remote"
        name = f"context {self.context!r}, " if self.context != DEFAULT_CONTEXT else ""
        return f"{self.host} ({where}; {name}from {self.source})"


def config_dir(env: MutableMapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("DOCKER_CONFIG") or Path.home() / ".docker")


def _context_name(flag: str | None, env: MutableMapping[str, str], cfg: Path) -> tuple[str, str]:
    if flag:
        return flag, "--context"
    if "DOCKER_HOST" in env:
        return DEFAULT_CONTEXT, "DOCKER_HOST"
    if env.get("DOCKER_CONTEXT"):
        return env["DOCKER_CONTEXT"], "DOCKER_CONTEXT"
    try:
        current = json.loads((cfg / "config.json").read_text(encoding="utf-8")).get(
            "currentContext"
        )
    except (OSError, ValueError, AttributeError):
        current = None
    if isinstance(current, str) and current:
        return current, f"currentContext in {cfg / 'config.json'}"
    return DEFAULT_CONTEXT, "the default socket"


def resolve(flag: str | None = None, env: MutableMapping[str, str] | None = None) -> Endpoint:
    """The engine the docker CLI would use here, with `--context flag` if given."""
    env = os.environ if env is None else env
    cfg = config_dir(env)
    name, source = _context_name(flag, env, cfg)
    if name == DEFAULT_CONTEXT:
        host = env.get("DOCKER_HOST") or DEFAULT_HOST
        return Endpoint(host, DEFAULT_CONTEXT, "DOCKER_HOST" if env.get("DOCKER_HOST") else source)
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta_path = cfg / "contexts" / "meta" / digest / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        docker = meta["Endpoints"]["docker"]
        host = str(docker["Host"])
    except FileNotFoundError:
        raise EndpointError(
            f"no Docker context named {name!r} (from {source}); `docker context ls` lists them"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EndpointError(
            f"Docker context {name!r}: {meta_path} has no readable Endpoints.docker.Host ({exc})"
        ) from None
    tls = cfg / "contexts" / "tls" / digest / "docker"
    return Endpoint(
        host,
        name,
        source,
        tls if tls.is_dir() else None,
        bool(docker.get("SkipTLSVerify", False)),
    )


def apply(endpoint: Endpoint, env: MutableMapping[str, str] | None = None) -> None:
    """Export `endpoint` so the engine client and every child `docker` command use it."""
    env = os.environ if env is None else env
    if endpoint.context == DEFAULT_CONTEXT:
        return  # DOCKER_HOST (or nothing: the default socket) already says it
    env["DOCKER_HOST"] = endpoint.host
    env.pop("DOCKER_CONTEXT", None)
    if endpoint.tls_dir:
        env["DOCKER_CERT_PATH"] = str(endpoint.tls_dir)
        if endpoint.skip_tls_verify:
            env.pop("DOCKER_TLS_VERIFY", None)
        else:
            env["DOCKER_TLS_VERIFY"] = "1"


def use(flag: str | None = None) -> Endpoint:
    """Resolve and apply, once at start-up (the CLI and the app)."""
    endpoint = resolve(flag)
    apply(endpoint)
    return endpoint


def engine_endpoint(base_url: str | None = None) -> Endpoint:
    """The endpoint an Engine talks to: its own base_url, else the environment's."""
    if base_url:
        return Endpoint(base_url, DEFAULT_CONTEXT, "the engine's base URL")
    try:
        return resolve()
    except EndpointError:
        return Endpoint(os.environ.get("DOCKER_HOST") or DEFAULT_HOST)


REMOTE_LIMITS = (
    "registry and HTTP probes of 127.0.0.1/localhost addresses, bind-mount sources, certs.d "
    "and files under /etc/docker are on the engine's machine: those checks say ERROR "
    "(cannot be checked from here), never FAIL; the port 5000, root and certs.d lines here "
    "describe this machine, not the engine's"
)


def endpoint_lines(base_url: str | None = None) -> list[tuple[str, bool | None, str, str | None]]:
    """Doctor's lines about the endpoint: (name, ok, detail, fix)."""
    endpoint = engine_endpoint(base_url)
    lines: list[tuple[str, bool | None, str, str | None]] = [
        ("Docker endpoint", None, endpoint.describe(), None)
    ]
    if not endpoint.local:
        lines.append(
            (
                "remote engine",
                False,
                REMOTE_LIMITS,
                "run dockerlab on the engine's machine to check every step",
            )
        )
    return lines
