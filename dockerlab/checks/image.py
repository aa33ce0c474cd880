"""`image`: a local image by reference — present or absent, and the same image as another."""

from __future__ import annotations

import re

from dockerlab.checks.context import CheckContext
from dockerlab.checks.http import NoAnswer, tls_verify
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.registry import same_image
from dockerlab.checks.registry_api import USER_AGENT, RegistryAPI, Unexpected
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import (
    IMAGE_ACTIONS,
    POLL_UNWATCHED,
    EventRule,
    WatchPlan,
    workspace_files,
)
from dockerlab.engine.containers import container_logs
from dockerlab.engine.images import ImageInfo, inspect_image
from dockerlab.engine.refs import split
from dockerlab.model.checks import ImageCheck, PulledFromSpec


def check_image(spec: ImageCheck, ctx: CheckContext) -> Result:
    """PASS when `spec.ref` is (or is not) in the local image cache, and, with `same_as`,
    when both references name the same image ID."""
    who = f"image '{spec.ref}'"
    info = inspect_image(ctx.engine, spec.ref)
    if not spec.present:
        if info is None:
            return Result.ok(f"{who} is not in the local image cache, as expected")
        return Result.fail(f"{who} is still in the local image cache (expected it removed)")
    if info is None:
        return Result.fail(f"{who} is not in the local image cache")
    if spec.pulled_from is not None:
        return _pulled(spec, spec.pulled_from, info, ctx)
    if spec.same_as is None:
        return Result.ok(f"{who} is in the local image cache ({short_id(info)})")
    other = inspect_image(ctx.engine, spec.same_as)
    if other is None:
        return Result.fail(
            f"{who} is in the local image cache but '{spec.same_as}' is not, so they cannot be "
            "the same image"
        )
    if other.id != info.id:
        return Result.fail(
            f"{who} is {short_id(info)} but '{spec.same_as}' is {short_id(other)}, "
            "not the same image"
        )
    return Result.ok(f"{who} and '{spec.same_as}' are the same image ({short_id(info)})")


def _pulled(spec: ImageCheck, source: PulledFromSpec, info: ImageInfo, ctx: CheckContext) -> Result:
    """The registry holds the same image under the reference's repository and tag, and the
    evidence the check asks for is there (a `docker load` and `docker tag` leave none; a push
    only PUTs the manifest)."""
    who = f"image '{spec.ref}'"
    _, repo, tag_or_none, _ = split(spec.ref)
    tag = tag_or_none or "latest"
    try:
        verify = tls_verify(ctx, source.ca_file, source.insecure)
        with RegistryAPI(source.url, ctx, verify) as api:
            remote = api.identities(repo, tag)
            top = api.manifest_digest(repo, tag) if remote else None
    except (NoAnswer, Unexpected) as exc:
        return exc.result
    if not remote:
        return Result.fail(f"{who} is here, but {source.url} has no {repo}:{tag} to pull it from")
    if not same_image(info, remote):
        return Result.fail(
            f"{who} is here ({short_id(info)}), but it is another image than {repo}:{tag} in "
            f"{source.url}"
        )
    held = {top, *(one.manifest for one in remote)}
    if source.repo_digest and not _digest_from(info, source.url, repo, held):
        return Result.fail(
            f"{who} is the same image as {repo}:{tag} in {source.url}, but it has no digest "
            "from that registry: it was not pulled from there (a `docker load` or `docker tag` "
            "does not count)"
        )
    if source.container is not None:
        log = container_logs(ctx.engine, source.container)
        if log is None:
            return Result.fail(
                f"container '{source.container}' does not exist, so nothing was pulled from it"
            )
        if not pulled_in_log(log, repo):
            return Result.fail(
                f"{who} is the same image as {repo}:{tag} in {source.url}, but the registry's "
                "log shows no pull of it: pull it from the registry (a `docker load` or "
                "`docker tag` does not count)"
            )
    return Result.ok(f"{who} ({short_id(info)}) was pulled from {source.url}")


LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]"})


def _digest_from(info: ImageInfo, url: str, repo: str, held: set[str | None]) -> bool:
    """Whether a RepoDigest names `repo` on the registry at `url` (any loopback name for a
    loopback registry) with a digest the registry holds."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    name, _, port = host.rpartition(":")
    for entry in info.repo_digests:
        ref, _, digest = entry.partition("@")
        domain, path, _, _ = split(ref)
        d_name, _, d_port = domain.rpartition(":")
        same_host = domain == host or (d_port == port and {d_name, name} <= LOOPBACK)
        if same_host and path == repo and digest in held:
            return True
    return False


def pulled_in_log(log: str, repo: str) -> bool:
    """Whether the registry's access log shows a GET or HEAD of one of `repo`'s manifests
    answered 200, by a client other than dockerlab's checks."""
    pattern = re.compile(
        r'"(?:GET|HEAD) /v2/' + re.escape(repo) + r'/manifests/[^ "]+ HTTP/[0-9.]+" 200 '
        r'[^"]*"[^"]*" "(?!' + re.escape(USER_AGENT) + r")"
    )
    return pattern.search(log) is not None


def short_id(info: ImageInfo) -> str:
    """The 12-character ID `docker images` shows."""
    return info.id.removeprefix("sha256:")[:12]


def watch_image(spec: ImageCheck, ctx: CheckContext) -> WatchPlan:
    """Image events; with `pulled_from`, the registry too, on a timer: its log (a pull) and its
    content announce nothing of their own."""
    if spec.pulled_from is not None:
        return WatchPlan(
            rules=(EventRule("image", IMAGE_ACTIONS),),
            files=workspace_files(ctx, spec.pulled_from.ca_file),
            poll_interval=POLL_UNWATCHED,
            reasons=("images", f"registry {spec.pulled_from.url}"),
        )
    return WatchPlan(rules=(EventRule("image", IMAGE_ACTIONS),), reasons=("images",))


IMAGE = CheckKind(ImageCheck, check_image, watch_image)
