"""`image` checks against the real local image cache, tagged and untagged with the docker CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dockerlab.checks import CheckContext, Status
from dockerlab.engine import Engine
from tests.checks.helpers_engine import check, context, docker

pytestmark = pytest.mark.engine


@pytest.fixture
def ctx(engine: Engine, workspace: Path) -> CheckContext:
    return context(engine, workspace)


@pytest.fixture
def retagged(engine: Engine, unique: str) -> Iterator[str]:
    """An image re-tagged for a private registry, as the course does (untagged afterwards).

    busybox, not hello-world: the registry-basics lab's own tests remove hello-world.
    """
    ref = f"127.0.0.1:5000/dltest-{unique}/busybox"
    docker("tag", "busybox", ref)
    try:
        yield ref
    finally:
        docker("rmi", ref, check=False)  # only untags: busybox itself stays


def _short_id(ref: str) -> str:
    return docker("image", "inspect", "-f", "{{.Id}}", ref).stdout.strip()[7:19]


def test_present_image_passes_under_any_spelling_of_its_reference(ctx: CheckContext) -> None:
    for ref in ("busybox", "busybox:latest", "docker.io/library/busybox:latest"):
        result = check(ctx, kind="image", ref=ref)
        assert result.status is Status.PASS, result.message
        assert result.message == f"image '{ref}' is in the local image cache ({_short_id(ref)})"


def test_retagged_image_is_the_same_image_as_its_source(ctx: CheckContext, retagged: str) -> None:
    result = check(ctx, kind="image", ref=retagged, same_as="docker.io/library/busybox")
    assert result.status is Status.PASS, result.message
    assert result.message == (
        f"image '{retagged}' and 'docker.io/library/busybox' are the same image "
        f"({_short_id('busybox')})"
    )


def test_different_images_are_not_the_same(ctx: CheckContext, retagged: str) -> None:
    result = check(ctx, kind="image", ref=retagged, same_as="nginx")
    assert result.status is Status.FAIL
    assert result.message == (
        f"image '{retagged}' is {_short_id('busybox')} but 'nginx' is "
        f"{_short_id('nginx')}, not the same image"
    )


def test_same_as_a_missing_image_fails(ctx: CheckContext, retagged: str, unique: str) -> None:
    missing = f"dltest-missing-{unique}:1"
    result = check(ctx, kind="image", ref=retagged, same_as=missing)
    assert result.status is Status.FAIL
    assert result.message == (
        f"image '{retagged}' is in the local image cache but '{missing}' is not, so they cannot "
        "be the same image"
    )


def test_removed_image_fails_present_and_passes_absent(ctx: CheckContext, retagged: str) -> None:
    still = check(ctx, kind="image", ref=retagged, present=False)
    assert still.status is Status.FAIL
    assert still.message == (
        f"image '{retagged}' is still in the local image cache (expected it removed)"
    )
    docker("rmi", retagged)
    gone = check(ctx, kind="image", ref=retagged)
    assert gone.status is Status.FAIL
    assert gone.message == f"image '{retagged}' is not in the local image cache"
    absent = check(ctx, kind="image", ref=retagged, present=False)
    assert absent.status is Status.PASS, absent.message


def test_unreachable_engine_is_an_error(workspace: Path) -> None:
    dead = Engine(timeout=2, base_url="unix:///nonexistent/dltest.sock")
    result = check(context(dead, workspace), kind="image", ref="busybox")
    assert result.status is Status.ERROR
    assert result.message.startswith("could not ask the Docker engine")
