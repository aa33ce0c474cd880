"""Choosing the Docker engine at start-up: `--context NAME`, DOCKER_HOST, DOCKER_CONTEXT or the
docker CLI's current context (see dockerlab/engine/endpoint.py)."""

from __future__ import annotations

import sys


def choose_engine(context: str | None) -> bool:
    """Export the engine to use for this process and its `docker` children. False (after saying
    why) when `--context` names a context that cannot be used; a broken context chosen by the
    environment or config is reported and the default is kept, so commands without an engine
    still work."""
    from dockerlab.engine.endpoint import EndpointError, use

    try:
        use(context)
    except EndpointError as exc:
        print(f"dockerlab: {exc}", file=sys.stderr)
        return context is None
    return True
