"""Offline image bundles: every course image in one file, for rooms without internet.

A bundle is the tar that `docker save` writes for all the course images, with one more member,
`dockerlab-bundle.json`: the references, their image IDs, the repo digests they had where the
bundle was made, and the SHA-256 of every other member. `docker load -i` still reads it (it
ignores the extra member). Import verifies every member against the manifest and the image IDs
(the digest of each image's config) before it loads anything, then checks what the engine holds.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from dockerlab.engine.client import Engine, EngineError
from dockerlab.engine.images import COURSE_IMAGES, ImageInfo, check_stream, inspect_image
from dockerlab.engine.refs import familiar
from dockerlab.engine.sources import record_bundle

MANIFEST = "dockerlab-bundle.json"
FORMAT = 1
CHUNK = 1 << 20
MANIFEST_LIMIT = 16 << 20  # a real one is a few KB

# (bytes done, bytes in all): called as the work goes, at most once per chunk
ByteProgress = Callable[[int, int], None]


class BundleError(Exception):
    """The bundle cannot be used: unreadable, truncated, or not what its manifest says."""


@dataclass(frozen=True)
class BundledImage:
    ref: str
    id: str
    standin: bool
    repo_digests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bundle:
    path: Path
    images: tuple[BundledImage, ...]
    members: dict[str, str]  # tar member name -> sha256 hex of its content
    created: str = ""


# ---------------------------------------------------------------- export


def export_bundle(
    engine: Engine,
    path: Path,
    refs: Iterable[str] = COURSE_IMAGES,
    progress: ByteProgress | None = None,
) -> Bundle:
    """Write every image of `refs` into one bundle at `path` (via a `.part` file, then renamed)."""
    infos: list[tuple[str, ImageInfo]] = []
    missing = []
    for ref in refs:
        info = inspect_image(engine, ref)
        if info is None:
            missing.append(ref)
        else:
            infos.append((ref, info))
    if missing:
        raise EngineError(
            f"not here to export: {', '.join(missing)} (run `dockerlab images prepare` first)"
        )
    expected = sum(_image_size(engine, ref) for ref, _ in infos)
    part = path.with_name(path.name + ".part")
    try:
        _save(engine, [familiar(ref) for ref, _ in infos], part, expected, progress)
        members = _hash_members(part)
        images = tuple(
            BundledImage(ref, info.id, info.standin, info.repo_digests) for ref, info in infos
        )
        bundle = Bundle(path, images, members, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        _check_consistent(part, bundle)
        _append_manifest(part, bundle)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return bundle


def _image_size(engine: Engine, ref: str) -> int:
    return int(engine.call(lambda c: c.api.inspect_image(familiar(ref))).get("Size") or 0)


def _save(
    engine: Engine, names: list[str], part: Path, expected: int, progress: ByteProgress | None
) -> None:
    """One `docker save` of all `names` (GET /images/get?names=...), streamed to `part`."""
    from docker.errors import APIError

    def stream(client: Any) -> Iterator[bytes]:
        api = client.api
        res = api._get(api._url("/images/get"), params={"names": names}, stream=True)
        api._raise_for_status(res)
        return iter(res.iter_content(CHUNK))

    done = 0
    try:
        chunks = engine.call(stream)
        with engine.translate(), part.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, max(expected, done))
    except APIError as exc:
        raise EngineError(f"docker save failed: {exc.explanation or exc}") from exc
    if progress:
        progress(done, done)


def _hash_members(path: Path) -> dict[str, str]:
    members: dict[str, str] = {}
    with tarfile.open(path, "r:") as tar:
        for member in tar:
            if member.isfile():
                members[member.name] = _sha256(tar, member)
    return members


def _sha256(tar: tarfile.TarFile, member: tarfile.TarInfo, on_chunk: Any = None) -> str:
    digest = hashlib.sha256()
    fh = tar.extractfile(member)
    assert fh is not None  # regular files always have content
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
        if on_chunk:
            on_chunk(len(chunk))
    return digest.hexdigest()


def _append_manifest(path: Path, bundle: Bundle) -> None:
    data = json.dumps(
        {
            "format": FORMAT,
            "created": bundle.created,
            "images": [asdict(image) for image in bundle.images],
            "members": bundle.members,
        },
        indent=2,
        sort_keys=True,
    ).encode()
    info = tarfile.TarInfo(MANIFEST)
    info.size = len(data)
    info.mtime = int(time.time())
    with tarfile.open(path, "a:") as tar:
        tar.addfile(info, io.BytesIO(data))


# ---------------------------------------------------------------- read and verify


def read_bundle(path: Path) -> Bundle:
    """The bundle's manifest, checked for shape. Raises BundleError saying what is wrong."""
    try:
        with tarfile.open(path, "r:") as tar:
            try:
                member = tar.getmember(MANIFEST)
            except KeyError:
                raise BundleError(
                    f"{path}: no {MANIFEST} in it: not a dockerlab bundle, or cut short "
                    "(the manifest is the last thing written)"
                ) from None
            if member.size > MANIFEST_LIMIT:
                raise BundleError(f"{path}: {MANIFEST} is {member.size} bytes: not a manifest")
            fh = tar.extractfile(member)
            raw = fh.read() if fh else b""
    except FileNotFoundError:
        raise BundleError(f"{path}: no such file") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BundleError(f"{path}: cut short, or not a tar file ({exc})") from None
    try:
        doc = json.loads(raw)
        if doc.get("format") != FORMAT:
            raise BundleError(f"{path}: {MANIFEST} has format {doc.get('format')!r}, not {FORMAT}")
        images = tuple(
            BundledImage(
                str(i["ref"]), str(i["id"]), bool(i["standin"]), tuple(i.get("repo_digests", ()))
            )
            for i in doc["images"]
        )
        members = {str(k): str(v) for k, v in doc["members"].items()}
    except BundleError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BundleError(
            f"{path}: {MANIFEST} is malformed ({exc.__class__.__name__}: {exc})"
        ) from None
    return Bundle(path, images, members, str(doc.get("created", "")))


def verify_bundle(path: Path, progress: ByteProgress | None = None) -> Bundle:
    """Read the manifest, then hash every member against it. Raises BundleError."""
    bundle = read_bundle(path)
    total = path.stat().st_size
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, total), total)

    seen: set[str] = set()
    try:
        with tarfile.open(path, "r:") as tar:
            for member in tar:
                if not member.isfile() or member.name == MANIFEST:
                    continue
                want = bundle.members.get(member.name)
                if want is None:
                    raise BundleError(f"{path}: {member.name} is not in the manifest")
                got = _sha256(tar, member, step)
                if got != want:
                    raise BundleError(
                        f"{path}: {member.name} has sha256:{got[:12]}…, the manifest says "
                        f"sha256:{want[:12]}… (the bundle is corrupted)"
                    )
                seen.add(member.name)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BundleError(f"{path}: cut short or damaged ({exc})") from None
    lost = sorted(set(bundle.members) - seen)
    if lost:
        raise BundleError(f"{path}: missing from the bundle: {', '.join(lost)}")
    _check_consistent(path, bundle)
    if progress:
        progress(total, total)
    return bundle


def _check_consistent(path: Path, bundle: Bundle) -> None:
    """Each image's ID is the digest of a config in the tar, and docker's manifest.json tags it."""
    try:
        with tarfile.open(path, "r:") as tar:
            fh = tar.extractfile("manifest.json")
            saved = json.loads(fh.read() if fh else b"[]")
    except (KeyError, ValueError, tarfile.TarError, OSError) as exc:
        raise BundleError(
            f"{path}: docker's manifest.json is missing or unreadable ({exc})"
        ) from None
    tags: dict[str, set[str]] = {}
    for entry in saved if isinstance(saved, list) else []:
        config = str(entry.get("Config", ""))
        tags["sha256:" + config.removesuffix(".json").rpartition("/")[2]] = set(
            entry.get("RepoTags") or ()
        )
    for image in bundle.images:
        config = image.id.removeprefix("sha256:") + ".json"
        digest = bundle.members.get(config) or bundle.members.get(f"blobs/sha256/{config[:-5]}")
        if digest is None or image.id not in tags:
            raise BundleError(
                f"{path}: the manifest says {image.ref} is {image.id[:19]}…, "
                "but no image in the bundle has that ID"
            )
        if "sha256:" + digest != image.id:
            raise BundleError(f"{path}: the config of {image.ref} does not hash to {image.id}")
        if familiar(image.ref) not in tags[image.id]:
            raise BundleError(
                f"{path}: the manifest says {image.id[:19]}… is {image.ref}, "
                f"but the saved image is tagged {', '.join(sorted(tags[image.id])) or 'nothing'}"
            )


# ---------------------------------------------------------------- import


def import_bundle(
    engine: Engine,
    path: Path,
    progress: ByteProgress | None = None,
    verified: Bundle | None = None,
) -> Bundle:
    """Verify (unless `verified` is what `verify_bundle` returned), `docker load`, then check
    the engine holds each reference at the bundled ID."""
    from docker.errors import APIError

    bundle = verified or verify_bundle(path)
    total = path.stat().st_size

    def body(fh: IO[bytes]) -> Iterator[bytes]:
        done = 0
        while chunk := fh.read(CHUNK):
            done += len(chunk)
            if progress:
                progress(done, total)
            yield chunk

    with path.open("rb") as fh:
        try:
            stream = engine.call(lambda c: c.api.load_image(body(fh), quiet=True))
            with engine.translate():
                check_stream(stream or ())
        except APIError as exc:
            raise EngineError(f"docker load failed: {exc.explanation or exc}") from exc
    for image in bundle.images:
        info = inspect_image(engine, image.ref)
        if info is None or info.id != image.id:
            got = info.id[:19] + "…" if info else "nothing"
            raise BundleError(f"after loading, {image.ref} is {got}, not {image.id[:19]}…")
    record_bundle(bundle.path.name, (image.id for image in bundle.images))
    return bundle


__all__ = [
    "Bundle",
    "BundleError",
    "BundledImage",
    "export_bundle",
    "import_bundle",
    "read_bundle",
    "verify_bundle",
]
