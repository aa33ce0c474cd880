"""Local images: inspect, compare, pull/push (with stream errors detected), and `images prepare`."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dockerlab.engine.client import LABEL_STANDIN, Engine, EngineError
from dockerlab.engine.refs import familiar, normalize, repository
from dockerlab.engine.standins import StandIn, build_context, missing_host_files, standin_for

COURSE_IMAGES: tuple[str, ...] = (
    "registry:2",
    "hello-world:latest",
    "busybox:latest",
    "nginx:latest",
    "httpd:2",
)
HUB_HOST = "registry-1.docker.io"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImageInfo:
    """What the engine knows of a local image."""

    id: str
    tags: tuple[str, ...]
    repo_digests: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    # the uncompressed layer digests (RootFS.Layers, a config's rootfs.diff_ids): what the image
    # holds, whatever format (Docker v2, OCI) or compression a registry stores it in
    layers: tuple[str, ...] = ()

    @property
    def standin(self) -> bool:
        return self.labels.get(LABEL_STANDIN) == "true"

    def repo_digest_for(self, ref: str) -> str | None:
        """The `sha256:...` digest this image has in `ref`'s repository, if it was pushed/pulled."""
        repo = repository(ref)
        for entry in self.repo_digests:
            name, _, digest = entry.partition("@")
            if repository(name) == repo:
                return digest
        return None


def _info(attrs: dict[str, Any]) -> ImageInfo:
    config = attrs.get("Config") or {}
    return ImageInfo(
        id=str(attrs.get("Id", "")),
        tags=tuple(attrs.get("RepoTags") or ()),
        repo_digests=tuple(attrs.get("RepoDigests") or ()),
        labels=dict(config.get("Labels") or {}),
        layers=tuple((attrs.get("RootFS") or {}).get("Layers") or ()),
    )


def inspect_image(engine: Engine, ref: str) -> ImageInfo | None:
    """The image `ref` names locally, or None when there is no such image."""
    from docker.errors import ImageNotFound, NotFound

    def get(client: Any) -> ImageInfo | None:
        try:
            return _info(client.api.inspect_image(familiar(ref)))
        except (ImageNotFound, NotFound):
            return None

    return engine.call(get)


def check_stream(chunks: Iterable[dict[str, Any]], progress: Progress | None = None) -> None:
    """Raise EngineError for an error reported inside a push/pull stream (the SDK does not)."""
    for chunk in chunks:
        if "error" in chunk or "errorDetail" in chunk:
            detail = chunk.get("errorDetail") or {}
            raise EngineError(str(chunk.get("error") or detail.get("message") or chunk))
        if progress and chunk.get("status") and not chunk.get("progressDetail"):
            progress(f"{chunk.get('id', '')} {chunk['status']}".strip())


def pull(engine: Engine, ref: str, progress: Progress | None = None) -> None:
    """Pull `ref`; errors the engine reports mid-stream raise EngineError."""
    from docker.errors import APIError

    repo, _, tag = (
        familiar(ref).rpartition(":")
        if ":" in familiar(ref).rsplit("/", 1)[-1]
        else (familiar(ref), "", "latest")
    )
    try:
        stream = engine.call(lambda c: c.api.pull(repo, tag=tag, stream=True, decode=True))
        with engine.translate():
            check_stream(stream, progress)
    except APIError as exc:
        raise EngineError(str(exc.explanation or exc)) from exc


def push(engine: Engine, ref: str, progress: Progress | None = None) -> None:
    """Push `ref`; errors inside the stream (e.g. `no basic auth credentials`) raise EngineError."""
    from docker.errors import APIError

    name = familiar(ref)
    repo, _, tag = name.rpartition(":")
    try:
        stream = engine.call(lambda c: c.api.push(repo, tag=tag, stream=True, decode=True))
        with engine.translate():
            check_stream(stream, progress)
    except APIError as exc:
        raise EngineError(str(exc.explanation or exc)) from exc


def hub_reachable(timeout: float = 3.0) -> tuple[bool, str]:
    """Whether Docker Hub answers. Name resolution is tried first, so an offline machine sends
    nothing beyond its own resolver."""
    try:
        infos = socket.getaddrinfo(HUB_HOST, 443, type=socket.SOCK_STREAM)
    except OSError as exc:
        return False, f"cannot resolve {HUB_HOST} ({exc.strerror or exc})"
    import requests

    try:
        response = requests.get(f"https://{HUB_HOST}/v2/", timeout=timeout)
    except requests.RequestException as exc:
        return False, f"{HUB_HOST} ({infos[0][4][0]}) did not answer: {exc.__class__.__name__}"
    return response.status_code in (200, 401), f"{HUB_HOST} answered HTTP {response.status_code}"


@dataclass(frozen=True)
class ImageStatus:
    ref: str
    present: bool
    standin: bool


def course_image_status(engine: Engine, refs: Iterable[str] = COURSE_IMAGES) -> list[ImageStatus]:
    """For each course image: is it here, and is it the real image or a stand-in?"""
    out = []
    for ref in refs:
        info = inspect_image(engine, ref)
        out.append(ImageStatus(ref, info is not None, bool(info and info.standin)))
    return out


def build_standin(engine: Engine, standin: StandIn, progress: Progress | None = None) -> None:
    """Build a stand-in image from host files and tag it with every reference it stands in for."""
    from docker.errors import APIError, BuildError

    missing = missing_host_files(standin)
    if missing:
        packages = " ".join(standin.debian_packages)
        raise EngineError(
            f"cannot build the stand-in for {standin.refs[0]}: {', '.join(missing)} missing "
            f"(install it: apt-get install -y {packages})"
        )
    ctx = build_context(standin)
    labels = {
        LABEL_STANDIN: "true",
        "org.opencontainers.image.description": (
            f"dockerlab offline stand-in: {standin.description}"
        ),
    }
    try:
        image = engine.call(
            lambda c: c.images.build(
                path=str(ctx), tag=familiar(standin.refs[0]), labels=labels, rm=True
            )
        )[0]
        for ref in standin.refs[1:]:
            repo, _, tag = familiar(ref).rpartition(":")
            with engine.translate():
                image.tag(repo, tag)
    except (BuildError, APIError) as exc:
        raise EngineError(f"building the stand-in for {standin.refs[0]} failed: {exc}") from exc
    finally:
        shutil.rmtree(ctx, ignore_errors=True)
    if progress:
        progress(f"{standin.refs[0]}: built the stand-in ({standin.description})")


def prepare(
    engine: Engine,
    refs: Iterable[str] = COURSE_IMAGES,
    progress: Progress | None = None,
    hub: bool | None = None,
) -> list[str]:
    """Make every image available: pull from Docker Hub when it answers, else build stand-ins.

    Returns one line per image saying what was done. Raises EngineError on the first failure.
    """
    if hub is None:
        hub = hub_reachable()[0]
    done: list[str] = []
    for ref in refs:
        info = inspect_image(engine, ref)
        if info is not None:
            done.append(f"{ref}: already here ({'stand-in' if info.standin else 'real image'})")
            if progress:
                progress(done[-1])
            continue
        if hub:
            pull(engine, ref, progress)
            done.append(f"{ref}: pulled from Docker Hub")
        else:
            standin = standin_for(ref)
            if standin is None:
                raise EngineError(
                    f"{ref}: Docker Hub cannot be reached and there is no stand-in for it"
                )
            build_standin(engine, standin, progress)
            done.append(f"{ref}: built the offline stand-in")
        if progress:
            progress(done[-1])
    return done


__all__ = [
    "COURSE_IMAGES",
    "ImageInfo",
    "ImageStatus",
    "course_image_status",
    "hub_reachable",
    "inspect_image",
    "normalize",
    "prepare",
    "pull",
    "push",
]
