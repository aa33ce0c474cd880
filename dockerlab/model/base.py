"""The base every content model shares: unknown keys are errors, values are immutable."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """A YAML mapping whose keys are all known: a misspelled key is an error, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CheckSpec(Strict):
    """What every check kind may carry: `message`, the sentence a learner reads when the check
    fails, instead of the observed-vs-expected line (which stays available: `check --why`)."""

    message: str | None = Field(
        None,
        description="shown to the learner when the check fails, instead of the observed-vs-"
        "expected line (that line is kept for `dockerlab check LAB STEP --why`)",
    )
