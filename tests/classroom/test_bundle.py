"""Offline image bundles against the real engine: export → remove → import → a lab validates;
damaged, cut-short and lying bundles are refused with a message and exit 2, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from dockerlab.engine import Engine
from dockerlab.engine.bundle import MANIFEST, read_bundle, verify_bundle
from dockerlab.engine.events import engine_summary
from dockerlab.engine.images import COURSE_IMAGES, inspect_image, prepare
from tests.conftest import free_port


def dockerlab(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerlab", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="module")
def bundle(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One bundle of the course images, exported once for the module."""
    prepare(engine)
    path = tmp_path_factory.mktemp("bundle") / "course.tar"
    out = dockerlab("images", "export", str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    return path


def test_export_writes_every_course_image_with_its_id(engine: Engine, bundle: Path) -> None:
    read = verify_bundle(bundle)
    assert [i.ref for i in read.images] == list(COURSE_IMAGES)
    for image in read.images:
        info = inspect_image(engine, image.ref)
        assert info is not None
        assert image.id == info.id
    # docker's own reader still takes it: the manifest is one extra member
    with tarfile.open(bundle) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert names[-1] == MANIFEST


def _remove(engine: Engine, ref: str) -> None:
    from docker.errors import APIError, ImageNotFound

    try:
        engine.call(lambda c: c.api.remove_image(ref))
    except ImageNotFound:  # a lab (registry-basics) removes hello-world on purpose
        pass
    except APIError:  # in use by a container: untag it, the reference is gone all the same
        engine.call(lambda c: c.api.remove_image(ref, force=True))


def test_export_remove_import_then_a_lab_validates(
    engine: Engine, engine_lock: None, bundle: Path
) -> None:
    ids = {image.ref: image.id for image in read_bundle(bundle).images}
    try:
        for ref in COURSE_IMAGES:
            _remove(engine, ref)
            assert inspect_image(engine, ref) is None
        out = dockerlab("images", "import", str(bundle))
        assert out.returncode == 0, out.stdout + out.stderr
        for ref in COURSE_IMAGES:
            info = inspect_image(engine, ref)
            assert info is not None, ref
            assert info.id == ids[ref], ref
            assert f"loaded {ref}  {ids[ref][:19]}" in out.stdout
        assert "loading: 100%" in out.stdout
        assert "verifying: 100%" in out.stdout
        summary = engine_summary(engine)  # what the app's status line shows
        assert summary.images.bundled == len(COURSE_IMAGES)
        assert "(5 from a bundle)" in summary.images.describe()
        doctor = dockerlab("doctor", "--no-hub").stdout
        assert "✓ image registry:2: offline stand-in, loaded from the bundle course.tar" in doctor
        port = str(free_port())
        run = dockerlab("validate", "labs/registry-basics", "--var", f"registry_port={port}")
        assert run.returncode == 0, run.stdout + run.stderr
    finally:
        prepare(engine)  # whatever happened, leave the course images for the neighbours


def _rewrite(src: Path, dst: Path, change: dict[str, object]) -> None:
    """Copy a bundle with its manifest changed (`change` merged into the JSON)."""
    with tarfile.open(src) as tin, tarfile.open(dst, "w") as tout:
        for member in tin:
            fh = tin.extractfile(member) if member.isfile() else None
            if member.name == MANIFEST:
                assert fh is not None
                doc = json.loads(fh.read())
                doc.update(change)
                data = json.dumps(doc).encode()
                member.size = len(data)
                tout.addfile(member, io.BytesIO(data))
            else:
                tout.addfile(member, fh)


def _refused(path: Path, *words: str) -> str:
    out = dockerlab("images", "import", str(path))
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    for word in words:
        assert word in out.stderr, out.stderr
    return out.stderr


def test_a_truncated_bundle_is_refused(bundle: Path, tmp_path: Path) -> None:
    data = bundle.read_bytes()
    with tarfile.open(bundle) as tar:
        in_manifest = tar.getmember(MANIFEST).offset_data + 10
    # (cutting only the zero blocks after the last member loses nothing: that one loads)
    for cut in (len(data) // 2, in_manifest, 100):
        short = tmp_path / f"short-{cut}.tar"
        short.write_bytes(data[:cut])
        _refused(short, str(short))


def test_a_flipped_byte_is_found_before_anything_loads(bundle: Path, tmp_path: Path) -> None:
    with tarfile.open(bundle) as tar:
        layer = next(m for m in tar if m.name.endswith("layer.tar"))
        offset = layer.offset_data + layer.size // 2
    data = bytearray(bundle.read_bytes())
    data[offset] ^= 0xFF
    bad = tmp_path / "flipped.tar"
    bad.write_bytes(bytes(data))
    _refused(bad, layer.name, "corrupted")


def test_a_manifest_that_does_not_match_the_images_is_refused(bundle: Path, tmp_path: Path) -> None:
    images = [dict(i) for i in json.loads(_manifest_bytes(bundle))["images"]]
    wrong_id = [dict(images[0], id="sha256:" + "0" * 64), *images[1:]]
    lying = tmp_path / "wrong-id.tar"
    _rewrite(bundle, lying, {"images": wrong_id})
    _refused(lying, "registry:2", "no image in the bundle has that ID")

    swapped = [dict(images[0], id=images[2]["id"]), *images[1:]]
    other = tmp_path / "swapped.tar"
    _rewrite(bundle, other, {"images": swapped})
    _refused(other, "registry:2", "busybox:latest")

    members = dict(json.loads(_manifest_bytes(bundle))["members"])
    members["manifest.json"] = "f" * 64
    third = tmp_path / "member.tar"
    _rewrite(bundle, third, {"members": members})
    _refused(third, "manifest.json", "corrupted")


def _manifest_bytes(path: Path) -> bytes:
    with tarfile.open(path) as tar:
        fh = tar.extractfile(MANIFEST)
        assert fh is not None
        return fh.read()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ("cut short, or not a tar file",)),
        (b"not a tar at all\n" * 100, ("cut short, or not a tar file",)),
    ],
)
def test_not_a_bundle(tmp_path: Path, content: bytes, words: tuple[str, ...]) -> None:
    path = tmp_path / "x.tar"
    path.write_bytes(content)
    _refused(path, *words)


def test_a_plain_tar_without_a_manifest_is_not_a_bundle(tmp_path: Path) -> None:
    path = tmp_path / "plain.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("hello.txt")
        tar.addfile(info, io.BytesIO(b""))
    _refused(path, "no dockerlab-bundle.json in it")
    _refused(tmp_path / "absent.tar", "no such file")


def test_an_oversized_manifest_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size = 17 << 20
        tar.addfile(info, io.BytesIO(b" " * info.size))
    _refused(path, "not a manifest")
