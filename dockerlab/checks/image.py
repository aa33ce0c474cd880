"""`image`: a local image by reference — present or absent, and the same image as another."""

from __future__ import annotations

from dockerlab.checks import CheckContext, evaluator
from dockerlab.checks.result import Result
from dockerlab.engine.images import ImageInfo, inspect_image
from dockerlab.model.checks import ImageCheck


@evaluator(ImageCheck)
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


def short_id(info: ImageInfo) -> str:
    """The 12-character ID `docker images` shows."""
    return info.id.removeprefix("sha256:")[:12]
