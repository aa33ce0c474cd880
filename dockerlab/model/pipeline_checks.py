"""Check kinds for build pipelines: an image as a registry serves it (its labels, the commit it
was built from, the image it was built on), and the registry events a webhook receiver logged.

`model/checks.py` puts them in the `Check` union next to the other kinds.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from dockerlab.model.base import CheckSpec


def _https_or_http(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"'{url}' needs a scheme: http://{url} or https://{url}")
    return url.rstrip("/")


class RegistryImageCheck(CheckSpec):
    """An image in a registry, read from its manifest and config blob over the Registry HTTP
    API V2: `labels` (name -> a regular expression the whole value matches), `revision_of` (its
    `org.opencontainers.image.revision` label names the HEAD commit of that git repository),
    `based_on` (another repository[:tag] of the same registry whose layers are this image's
    bottom layers: it was built FROM that image as the registry has it now)."""

    kind: Literal["registry_image"]
    url: str
    repository: str
    tag: str = "latest"
    ca_file: str | None = None
    insecure: bool = False
    username: str | None = None
    password: str | None = None
    labels: dict[str, str] = Field(
        {}, description="labels of the image config: name -> a regular expression the value matches"
    )
    revision_of: str | None = Field(
        None,
        description="a git repository (workspace-relative) whose HEAD commit the label "
        "org.opencontainers.image.revision must name",
    )
    based_on: str | None = Field(
        None,
        description="repository[:tag] in the same registry whose layers must be this image's "
        "bottom layers",
    )

    @field_validator("url")
    @classmethod
    def _scheme(cls, v: str) -> str:
        return _https_or_http(v)

    @field_validator("labels")
    @classmethod
    def _regexes(cls, v: dict[str, str]) -> dict[str, str]:
        for pattern in v.values():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"'{pattern}' is not a valid regular expression: {exc}") from exc
        return v


class NotificationCheck(CheckSpec):
    """A registry event that a webhook receiver wrote to its log (JSON lines: one event per
    line, or one `{"events": [...]}` envelope per line): the `action` on `repository` (and
    `tag`); `digest_from` a registry URL whose current manifest for repository:tag the event's
    digest must be."""

    kind: Literal["notification"]
    log: str = Field(description="the receiver's log, JSON lines (workspace-relative)")
    action: Literal["push", "pull", "delete", "mount"] = "push"
    repository: str
    tag: str | None = None
    digest_from: str | None = Field(
        None, description="a registry URL: the event's digest must be its manifest for the tag now"
    )

    @field_validator("digest_from")
    @classmethod
    def _scheme(cls, v: str | None) -> str | None:
        return None if v is None else _https_or_http(v)

    @model_validator(mode="after")
    def _digest_needs_tag(self) -> NotificationCheck:
        if self.digest_from and not self.tag:
            raise ValueError("digest_from needs a tag")
        return self
