"""What a step's `check:` may say. One model per check kind, chosen by its `kind` key.

Each model is the instructor's description of a state; `dockerlab/checks` evaluates it against
the engine, the registry and the files.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import Field, field_validator, model_validator

from dockerlab.model.base import Strict


class PortSpec(Strict):
    """A published port: `container` (e.g. 5000 or "5000/tcp") on `host` (and `host_ip`)."""

    container: int | str
    host: int | None = None
    host_ip: str | None = Field(None, description="e.g. 0.0.0.0 or 127.0.0.1; any when unset")


class MountSpec(Strict):
    """A mount: a bind `source` (relative paths are inside the lab workspace) or a volume name."""

    target: str
    source: str | None = None
    type: Literal["bind", "volume"] | None = None


class ContainerCheck(Strict):
    """A container, by name: its state, image, ports, mounts, environment and restart policy."""

    kind: Literal["container"]
    name: str
    state: Literal["running", "exited", "absent", "present"] = "running"
    image: str | None = None
    ports: list[PortSpec] = []
    mounts: list[MountSpec] = []
    env: dict[str, str] = {}
    restart: Literal["no", "always", "unless-stopped", "on-failure"] | None = None


class ImageCheck(Strict):
    """A local image by reference: present or absent, optionally the same image as another."""

    kind: Literal["image"]
    ref: str
    present: bool = True
    same_as: str | None = None


class RegistryCheck(Strict):
    """A registry spoken to over the Registry HTTP API V2.

    Every assertion given must hold: `auth_required` (401 with a Basic realm and no
    credentials), `repository` in the catalog, `tag` in that repository, `digest_of` (the
    manifest digest equals that local image's repo digest), `manifest` (a digest that must or
    must not be there). `present: false` reverses only the most specific of them: the manifest
    if given, else the tag, else the repository ("the tag is gone" passes also when the whole
    repository is gone). `digest_of` compares the registry's manifest for `tag` (or the tag in
    the local reference, or `latest`) with the local image's repo digest: name the pushed
    reference (`127.0.0.1:5000/hello-world`), not the Docker Hub one.
    """

    kind: Literal["registry"]
    url: str
    ca_file: str | None = None
    insecure: bool = False
    username: str | None = None
    password: str | None = None
    auth_required: bool | None = None
    repository: str | None = None
    tag: str | None = None
    manifest: str | None = None
    digest_of: str | None = None
    present: bool = True

    @field_validator("url")
    @classmethod
    def _scheme(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"'{v}' needs a scheme: http://{v} or https://{v}")
        return v.rstrip("/")

    @model_validator(mode="after")
    def _tag_needs_repo(self) -> RegistryCheck:
        if (self.tag or self.manifest or self.digest_of) and not self.repository:
            raise ValueError("tag, manifest and digest_of need a repository")
        return self


class CertificateSpec(Strict):
    """A PEM certificate's subject, subjectAltNames, remaining validity and matching key."""

    subject_cn: str | None = None
    san: list[str] = Field(default_factory=list, description='e.g. ["IP:127.0.0.1"]')
    min_days_valid: int | None = None
    key: str | None = Field(None, description="path of the private key it must match")


class HtpasswdSpec(Strict):
    """An htpasswd line for `user` whose bcrypt hash verifies `password`."""

    user: str
    password: str


class FileCheck(Strict):
    """A path in the lab workspace (or absolute): existence, type, content, mode, certificate."""

    kind: Literal["file"]
    path: str
    exists: bool = True
    type: Literal["file", "directory"] | None = None
    contains: str | None = Field(None, description="a regular expression the content matches")
    same_as: str | None = Field(None, description="another file whose bytes must be equal")
    mode: str | None = Field(None, description='octal permission bits, e.g. "0600"')
    certificate: CertificateSpec | None = None
    htpasswd: HtpasswdSpec | None = None

    @field_validator("contains")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        return _compiles(v)

    @field_validator("mode")
    @classmethod
    def _octal(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"0?[0-7]{3,4}", v):
            raise ValueError(f"mode '{v}' is not octal bits like \"0644\"")
        return v


class HttpCheck(Strict):
    """An HTTP(S) request: status, body pattern, TLS trust."""

    kind: Literal["http"]
    url: str
    method: str = "GET"
    status: int | None = 200
    body: str | None = Field(None, description="a regular expression the body matches")
    headers: dict[str, str] = Field(
        {},
        description="response headers that must be present: name (any case) -> a regular "
        "expression the whole value matches",
    )
    ca_file: str | None = None
    insecure: bool = False

    @field_validator("body")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        return _compiles(v)


class SwarmCheck(Strict):
    """This engine's swarm: active or not, and whether this node is a manager."""

    kind: Literal["swarm"]
    active: bool = True
    manager: bool | None = None


class ServicePortSpec(Strict):
    """A service's published port; `published` unset means any (host mode may pick one)."""

    target: int
    published: int | None = None
    mode: Literal["ingress", "host"] | None = None


class ServiceCheck(Strict):
    """A swarm service: present/absent, running replicas (converged), image, published ports."""

    kind: Literal["service"]
    name: str
    present: bool = True
    replicas: int | None = None
    image: str | None = None
    ports: list[ServicePortSpec] = []


class LoginCheck(Strict):
    """The Docker client configuration holds credentials for `registry` (credsStore aware)."""

    kind: Literal["login"]
    registry: str
    present: bool = True


class CertsDSpec(Strict):
    """A `certs.d/<host:port>/ca.crt` trust file, optionally equal to a workspace file."""

    host: str
    matches: str | None = None
    folder: str | None = Field(
        None,
        description="the certs.d folder the engine reads (default /etc/docker/certs.d; "
        "Docker Desktop: ~/.docker/certs.d, from a capability-dependent variable)",
    )


class DaemonCheck(Strict):
    """The engine's registry settings: insecure registries, mirrors, certs.d trust."""

    kind: Literal["daemon"]
    insecure_registry: str | None = None
    mirror: str | None = None
    certs_d: CertsDSpec | None = None


class CommandCheck(Strict):
    """The escape hatch: a shell command run in the workspace, its exit code and output."""

    kind: Literal["command"]
    run: str
    exit_code: int = 0
    output: str | None = Field(None, description="a regular expression stdout+stderr matches")
    timeout: float = 30

    @field_validator("output")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        return _compiles(v)


class AllCheck(Strict):
    """Every check given must pass."""

    kind: Literal["all"]
    checks: list[Check] = Field(min_length=1)


class AnyCheck(Strict):
    """At least one of the checks given must pass."""

    kind: Literal["any"]
    checks: list[Check] = Field(min_length=1)


class NotCheck(Strict):
    """The check given must fail (an ERROR stays an ERROR)."""

    kind: Literal["not"]
    check: Check


def _compiles(pattern: str | None) -> str | None:
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"'{pattern}' is not a valid regular expression: {exc}") from exc
    return pattern


Check = Annotated[
    ContainerCheck
    | ImageCheck
    | RegistryCheck
    | FileCheck
    | HttpCheck
    | SwarmCheck
    | ServiceCheck
    | LoginCheck
    | DaemonCheck
    | CommandCheck
    | AllCheck
    | AnyCheck
    | NotCheck,
    Field(discriminator="kind"),
]

# every kind name, in the order above (derived, so a new model cannot be forgotten here)
CHECK_MODELS: tuple[type[Strict], ...] = get_args(get_args(Check)[0])
CHECK_KINDS: tuple[str, ...] = tuple(
    str(get_args(m.model_fields["kind"].annotation)[0]) for m in CHECK_MODELS
)

AllCheck.model_rebuild()
AnyCheck.model_rebuild()
NotCheck.model_rebuild()
