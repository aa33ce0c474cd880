"""Checks that look at the engine's machine, and cannot be made when the engine is remote.

With a remote engine (DOCKER_HOST=tcp://… or ssh://…, or such a context) a registry published on
127.0.0.1:5000 listens on the engine's machine, a bind mount's source is a path there, and
certs.d is there too. Probing them from here would give false verdicts (a refused connection is
not "the registry is not running"), so these checks are ERROR with the reason, never FAIL.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from dockerlab.checks.context import CheckContext
from dockerlab.checks.result import Result, Status
from dockerlab.engine.endpoint import engine_endpoint

LOOPBACK = ("127.", "localhost", "::1", "0.0.0.0")


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host.startswith(LOOPBACK)


def _what(spec: Any) -> str | None:
    """What in `spec` lives on the engine's machine, or None when it can be checked from here."""
    kind = getattr(spec, "kind", None)
    if kind in ("registry", "http") and _loopback(spec.url):
        return f"{spec.url} is an address on the engine's machine"
    if kind == "daemon" and spec.certs_d is not None:
        return "certs.d is a folder on the engine's machine"
    if kind == "container":
        binds = [m.source for m in spec.mounts if m.source and m.type != "volume"]
        if binds:
            return f"the bind mount source {binds[0]} is a path on the engine's machine"
    if kind == "file" and spec.path.startswith("/etc/docker"):
        return f"{spec.path} is a path on the engine's machine"
    return None


def unavailable(spec: Any, ctx: CheckContext) -> Result | None:
    """ERROR when the engine is remote and `spec` looks at its machine; None otherwise."""
    what = _what(spec)
    if what is None:
        return None
    endpoint = engine_endpoint(ctx.engine.base_url)
    if endpoint.local:
        return None
    return Result(
        Status.ERROR,
        f"cannot be checked from here: {what}, and the engine is remote ({endpoint.host}); "
        "run dockerlab on the engine's machine to check this step",
    )
