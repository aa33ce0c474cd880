"""`registry_image` and `notification`: what a build pipeline leaves behind.

`registry_image` reads an image as a registry serves it (manifest, then config blob) and
compares its labels, the commit it was built from and the layers of the image it was built on.
`notification` reads the JSON-lines log of a webhook receiver for a registry event.
"""

from __future__ import annotations

import json
import platform
import re
from pathlib import Path
from typing import Any

from dockerlab.checks.context import CheckContext
from dockerlab.checks.http import NoAnswer, tls_verify
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.registry_api import (
    MANIFEST_TYPES,
    RegistryAPI,
    Unexpected,
    error_detail,
    short,
)
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import (
    CONTAINER_ACTIONS,
    POLL_UNWATCHED,
    EventRule,
    WatchPlan,
    workspace_files,
)
from dockerlab.model.pipeline_checks import NotificationCheck, RegistryImageCheck

REVISION = "org.opencontainers.image.revision"
INDEX_TYPES = (MANIFEST_TYPES[0], MANIFEST_TYPES[2])
MAX_LOG_BYTES = 20 * 1024 * 1024
_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm"}


class _Fail(Exception):
    def __init__(self, result: Result) -> None:
        super().__init__(result.message)
        self.result = result


# --- registry_image -------------------------------------------------------------------------


def check_registry_image(spec: RegistryImageCheck, ctx: CheckContext) -> Result:
    """PASS when repository:tag is in the registry and its labels, revision and base hold."""
    credentials = (spec.username, spec.password or "") if spec.username else None
    name = f"{spec.repository}:{spec.tag}"
    try:
        verify = tls_verify(ctx, spec.ca_file, spec.insecure)
        with RegistryAPI(spec.url, ctx, verify, credentials) as api:
            manifest = _image_manifest(api, spec.repository, spec.tag)
            digest = _config_digest(manifest)
            config = _get_json(api, f"/v2/{spec.repository}/blobs/{digest}")
            if config is None:
                return Result.fail(f"{name}'s config blob {short(digest)} is not in {spec.url}")
            labels = (config.get("config") or {}).get("Labels") or {}
            observed = [_assert_label(name, labels, k, v) for k, v in spec.labels.items()]
            if spec.revision_of is not None:
                observed.append(_assert_revision(name, labels, spec.revision_of, ctx))
            if spec.based_on is not None:
                observed.append(_assert_based_on(api, name, manifest, spec.based_on))
    except (NoAnswer, _Fail) as exc:
        return exc.result
    return Result.ok(f"{name} in {spec.url}: " + ("; ".join(observed) or "it is there"))


def _get_json(api: RegistryAPI, path: str, *, manifest: bool = False) -> dict[str, Any] | None:
    """The JSON at `path`; None for a 404 (no such manifest or blob)."""
    response = api.request("GET", path, accept=", ".join(MANIFEST_TYPES) if manifest else None)
    if response.status_code == 404:
        return None
    said = f"GET {response.url} answered {response.status_code}"
    detail = error_detail(response)
    if response.status_code >= 500:
        raise _Fail(Result.error(f"{said} ({detail})" if detail else said))
    if response.status_code != 200:
        raise _Fail(Result.fail(f"{said} ({detail})" if detail else said))
    try:
        body = response.json()
    except ValueError as exc:
        raise _Fail(Result.fail(f"{said} without JSON; is that a Docker registry?")) from exc
    return body if isinstance(body, dict) else {}


def _manifest(api: RegistryAPI, repository: str, reference: str) -> dict[str, Any] | None:
    return _get_json(api, f"/v2/{repository}/manifests/{reference}", manifest=True)


def _image_manifest(api: RegistryAPI, repository: str, tag: str) -> dict[str, Any]:
    """The image manifest repository:tag names; for an index, this machine's platform."""
    manifest = _manifest(api, repository, tag)
    if manifest is None:
        raise _Fail(Result.fail(f"{repository}:{tag} is not in {api.url}"))
    if manifest.get("mediaType") in INDEX_TYPES or "manifests" in manifest:
        entries = [m for m in manifest.get("manifests") or [] if isinstance(m, dict)]
        arch = _ARCH.get(platform.machine(), platform.machine())
        mine = [m for m in entries if (m.get("platform") or {}).get("architecture") == arch]
        chosen = (mine or entries or [{}])[0].get("digest")
        found = _manifest(api, repository, str(chosen)) if chosen else None
        if found is None:
            raise _Fail(Result.fail(f"{repository}:{tag} is an index without an image for {arch}"))
        manifest = found
    return manifest


def _config_digest(manifest: dict[str, Any]) -> str:
    digest = (manifest.get("config") or {}).get("digest")
    if not isinstance(digest, str):
        raise _Fail(Result.fail("the manifest names no config blob (an old schema 1 manifest?)"))
    return digest


def _layers(manifest: dict[str, Any]) -> list[str]:
    return [str(layer.get("digest")) for layer in manifest.get("layers") or []]


def _assert_label(name: str, labels: dict[str, Any], key: str, pattern: str) -> str:
    if key not in labels:
        shown = ", ".join(sorted(labels)) or "none"
        raise _Fail(Result.fail(f"{name} has no label '{key}' (its labels: {shown})"))
    if not re.fullmatch(pattern, str(labels[key])):
        raise _Fail(Result.fail(f"{name} has {key}='{labels[key]}', which is not '{pattern}'"))
    return f"{key}={labels[key]}"


def _assert_revision(name: str, labels: dict[str, Any], repo: str, ctx: CheckContext) -> str:
    head = git_head(ctx.path(repo))
    if head is None:
        raise _Fail(Result.fail(f"{repo} is not a git repository with a commit yet"))
    built = labels.get(REVISION)
    if built is None:
        raise _Fail(
            Result.fail(f"{name} has no {REVISION} label, so nothing says which commit it is")
        )
    if built != head:
        raise _Fail(
            Result.fail(
                f"{name} was built from commit {str(built)[:12]}, but {repo}'s HEAD is {head[:12]}"
            )
        )
    return f"built from {repo}'s HEAD {head[:12]}"


def _assert_based_on(api: RegistryAPI, name: str, manifest: dict[str, Any], base: str) -> str:
    repository, _, tag = base.partition(":")
    base_manifest = _image_manifest(api, repository, tag or "latest")
    base_layers, layers = _layers(base_manifest), _layers(manifest)
    if not base_layers or layers[: len(base_layers)] != base_layers:
        raise _Fail(
            Result.fail(
                f"{name} is not built on the {base} the registry has now: its bottom layers "
                f"({', '.join(short(d) for d in layers[: len(base_layers)]) or 'none'}) are not "
                f"{base}'s ({', '.join(short(d) for d in base_layers) or 'none'})"
            )
        )
    return f"built on {base} ({len(base_layers)} of its {len(layers)} layers)"


def git_head(path: Path) -> str | None:
    """The commit HEAD names in a git repository (a work tree or a bare one), read from its
    files (no git command runs), or None when there is none."""
    git_dir = path / ".git" if (path / ".git").is_dir() else path
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", head) else None
        ref = head.removeprefix("ref: ").strip()
        loose = git_dir / ref
        if loose.is_file():
            return loose.read_text(encoding="utf-8").strip() or None
        packed = git_dir / "packed-refs"
        lines = packed.read_text(encoding="utf-8").splitlines() if packed.is_file() else []
    except (OSError, UnicodeDecodeError):
        return None
    return next((ln.split()[0] for ln in lines if ln.endswith(" " + ref)), None)


# --- notification ---------------------------------------------------------------------------


def check_notification(spec: NotificationCheck, ctx: CheckContext) -> Result:
    """PASS when the receiver's log holds the event (with the registry's current digest)."""
    what = f"{spec.action} of {spec.repository}" + (f":{spec.tag}" if spec.tag else "")
    path = ctx.path(spec.log)
    try:
        with path.open("rb") as log:
            text = log.read(MAX_LOG_BYTES).decode("utf-8", errors="replace")
    except FileNotFoundError:
        return Result.fail(f"{spec.log} does not exist: the receiver has logged nothing yet")
    except OSError as exc:
        return Result.fail(f"{spec.log} cannot be read: {exc.strerror or exc}")
    events = list(_events(text))
    matching = [
        e
        for e in events
        if e.get("action") == spec.action
        and (e.get("target") or {}).get("repository") == spec.repository
        and (spec.tag is None or (e.get("target") or {}).get("tag") == spec.tag)
    ]
    if not matching:
        seen = sorted({_describe(e) for e in events})
        listing = ", ".join(seen[:5]) + (f" and {len(seen) - 5} more" if len(seen) > 5 else "")
        return Result.fail(
            f"{spec.log} holds {len(events)} events, none a {what}"
            + (f" (it has: {listing})" if seen else "")
        )
    if spec.digest_from is None:
        return Result.ok(f"{spec.log} holds {len(matching)} {what} events")
    digests = [str((e.get("target") or {}).get("digest")) for e in matching]
    try:
        with RegistryAPI(spec.digest_from, ctx, True) as api:
            current = api.manifest_digest(spec.repository, str(spec.tag))
    except (NoAnswer, Unexpected) as exc:
        return exc.result
    if current is None:
        return Result.fail(f"{spec.repository}:{spec.tag} is not in {spec.digest_from}")
    if current not in digests:
        return Result.fail(
            f"{spec.log} has {len(matching)} {what} events, of {', '.join(map(short, digests))}, "
            f"but {spec.repository}:{spec.tag} in {spec.digest_from} is {short(current)}"
        )
    return Result.ok(f"{spec.log} holds the {what} of {short(current)}, the registry's own")


def _events(text: str) -> list[dict[str, Any]]:
    """The events in a JSON-lines log: event objects, or envelopes `{"events": [...]}`."""
    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        items = record.get("events") if isinstance(record, dict) else None
        for item in items if isinstance(items, list) else [record]:
            if isinstance(item, dict) and "action" in item and isinstance(item.get("target"), dict):
                out.append(item)
    return out


def _describe(event: dict[str, Any]) -> str:
    target = event["target"]
    tag = f":{target['tag']}" if target.get("tag") else ""
    return f"{event.get('action')} of {target.get('repository')}{tag}"


def watch_registry_image(spec: RegistryImageCheck, ctx: CheckContext) -> WatchPlan:
    """Pushes and containers (the registry), the CA file, and a timer: a registry's content and
    a git repository's HEAD announce nothing."""
    return WatchPlan(
        rules=(
            EventRule("image", frozenset({"push"})),
            EventRule("container", CONTAINER_ACTIONS),
        ),
        files=workspace_files(ctx, spec.ca_file),
        poll_interval=POLL_UNWATCHED,
        reasons=(f"registry {spec.url}",),
    )


def watch_notification(spec: NotificationCheck, ctx: CheckContext) -> WatchPlan:
    """The receiver's log; with `digest_from`, also pushes and a timer (the registry's current
    manifest)."""
    log = WatchPlan(files=workspace_files(ctx, spec.log), reasons=(f"file {spec.log}",))
    if spec.digest_from is None:
        return log
    registry = WatchPlan(
        rules=(EventRule("image", frozenset({"push"})),),
        poll_interval=POLL_UNWATCHED,
        reasons=(f"registry {spec.digest_from}",),
    )
    return log.merge(registry)


REGISTRY_IMAGE = CheckKind(RegistryImageCheck, check_registry_image, watch_registry_image)
NOTIFICATION = CheckKind(NotificationCheck, check_notification, watch_notification)
