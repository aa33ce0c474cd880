"""Captured values: what a step records from the engine when its check passes (a digest, an
image ID, a port), kept in the lab's state, and filled into later steps as `{{ name }}`."""

from __future__ import annotations

import json
from typing import Any

from dockerlab.checks import CheckContext
from dockerlab.checks.http import NoAnswer, fetch, tls_verify
from dockerlab.checks.registry_api import RegistryAPI, Unexpected
from dockerlab.engine.containers import inspect_container
from dockerlab.engine.images import inspect_image
from dockerlab.model.lab import Capture, Step
from dockerlab.model.variables import PLACEHOLDER


class CaptureMissing(Exception):
    """The value is not there to record; the message says what was looked for."""


def read(spec: Capture, ctx: CheckContext) -> str:
    """The value `spec` names, now. Raises CaptureMissing."""
    if spec.image_id is not None or spec.repo_digest is not None:
        ref = spec.image_id or spec.repo_digest or ""
        image = inspect_image(ctx.engine, ref)
        if image is None:
            raise CaptureMissing(f"there is no local image {ref}")
        if spec.image_id is not None:
            return image.id
        digest = image.repo_digest_for(ref)
        if digest is None:
            raise CaptureMissing(f"{ref} has no digest in its repository yet (push or pull it)")
        return digest
    if spec.manifest is not None:
        return _manifest(spec, ctx)
    if spec.host_port is not None:
        return _host_port(spec, ctx)
    return _json(spec, ctx)


def _manifest(spec: Capture, ctx: CheckContext) -> str:
    m = spec.manifest
    assert m is not None
    auth = (m.username, m.password or "") if m.username else None
    try:
        verify = tls_verify(ctx, m.ca_file, m.insecure)
        with RegistryAPI(m.url.rstrip("/"), ctx, verify, auth) as api:
            digest = api.manifest_digest(m.repository, m.tag)
    except (NoAnswer, Unexpected) as exc:
        raise CaptureMissing(exc.result.message) from exc
    if digest is None:
        raise CaptureMissing(f"{m.url} has no manifest {m.repository}:{m.tag}")
    return digest


def _host_port(spec: Capture, ctx: CheckContext) -> str:
    p = spec.host_port
    assert p is not None
    info = inspect_container(ctx.engine, p.container)
    if info is None:
        raise CaptureMissing(f"there is no container '{p.container}'")
    number = int(str(p.port).split("/")[0])
    for binding in info.ports:
        if binding.container_port == number and binding.host_port:
            return str(binding.host_port)
    raise CaptureMissing(f"container '{p.container}' publishes no host port for {p.port}")


def _json(spec: Capture, ctx: CheckContext) -> str:
    import jmespath

    j = spec.json_value
    assert j is not None
    if j.file is not None:
        try:
            text = ctx.path(j.file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CaptureMissing(f"cannot read {j.file}: {exc.strerror}") from exc
    else:
        try:
            text = fetch("GET", j.url or "", ctx, verify=True).text
        except NoAnswer as exc:
            raise CaptureMissing(exc.result.message) from exc
    try:
        value: Any = jmespath.search(j.query, json.loads(text))
    except ValueError as exc:
        raise CaptureMissing(f"{j.file or j.url} is not valid JSON: {exc}") from exc
    if value is None:
        raise CaptureMissing(f"`{j.query}` finds nothing in {j.file or j.url}")
    return value if isinstance(value, str) else json.dumps(value)


def record(step: Step, ctx: CheckContext) -> dict[str, str]:
    """Every value `step` captures, now. Raises CaptureMissing naming the first one missing."""
    values: dict[str, str] = {}
    for name, spec in step.capture.items():
        try:
            values[name] = read(spec, ctx)
        except CaptureMissing as exc:
            raise CaptureMissing(f"'{name}': {exc}") from exc
    return values


def fill(step: Step, captured: dict[str, str]) -> Step:
    """`step` with the captured values it uses filled in (others stay `{{ name }}`)."""
    data = step.model_dump(by_alias=True, exclude_unset=True)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str) and "{{" in node:
            return PLACEHOLDER.sub(lambda m: captured.get(m.group(1), m.group(0)), node)
        return node

    filled = walk(data)
    return step if filled == data else Step.model_validate(filled)


def waiting_for(step: Step, names: dict[str, str]) -> list[str]:
    """The capture names (name -> the step that records it) `step` uses but has no value for."""
    text = step.model_dump_json()
    return [n for n in names if f"{{{{ {n} }}}}" in text]
