"""What a step's `check:` may say. One model per check kind, chosen by its `kind` key.

Each model is the instructor's description of a state; `dockerlab/checks` evaluates it against
the engine, the registry and the files. `all`, `any` and `not` hold other checks: `walk`,
`children` and `leaves` (at the end) are the one way through such a tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal, NamedTuple, get_args

from pydantic import Field, JsonValue, field_validator, model_validator

from dockerlab.model.base import CheckSpec, Strict
from dockerlab.model.pipeline_checks import NotificationCheck, RegistryImageCheck
from dockerlab.model.yamlsource import PathKey


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


class ContainerCheck(CheckSpec):
    """A container, by name: its state, image, ports, mounts, environment and restart policy."""

    kind: Literal["container"]
    name: str
    state: Literal["running", "exited", "absent", "present"] = "running"
    image: str | None = None
    ports: list[PortSpec] = []
    mounts: list[MountSpec] = []
    env: dict[str, str] = {}
    restart: Literal["no", "always", "unless-stopped", "on-failure"] | None = None


class PulledFromSpec(Strict):
    """Where a local image must have been pulled from: the registry at `url` holds the same
    image under the reference's repository and tag, and the evidence asked for is there:
    `repo_digest` (a RepoDigest of the local image names that repository on this registry,
    `localhost` and `127.0.0.1` alike, with a digest it holds: what `docker pull` records and
    `docker load` does not) and/or `container` (that registry container's log shows a client
    other than dockerlab fetching the manifest: docker, skopeo...)."""

    url: str
    container: str | None = None
    repo_digest: bool = True
    ca_file: str | None = None
    insecure: bool = False

    @model_validator(mode="after")
    def _some_evidence(self) -> PulledFromSpec:
        if self.container is None and not self.repo_digest:
            raise ValueError("pulled_from needs some evidence: repo_digest, container or both")
        return self


class ImageCheck(CheckSpec):
    """A local image by reference: present or absent, optionally the same image as another,
    optionally pulled from a registry."""

    kind: Literal["image"]
    ref: str
    present: bool = True
    same_as: str | None = None
    pulled_from: PulledFromSpec | None = None


class RegistryCheck(CheckSpec):
    """A registry spoken to over the Registry HTTP API V2: what it does, not how it was set up.

    Every assertion given must hold. Behaviour: `certificate` (the registry presents exactly
    this certificate over TLS), `auth_required` (401 with a Basic challenge without
    credentials; with `username`/`password` also: those get in, a wrong password gets 401),
    `deletes_enabled` (a DELETE of an unknown manifest gets 404 or 202, not 405 UNSUPPORTED).
    Content: `repository` in the catalog, `tag` in that repository, `manifest` (a digest that
    must or must not be there), `digest_of` (the tag holds the same image as that local one),
    `differs_from` (the tag holds another image than that other tag), `complete` (every
    manifest and blob the tag references is served). `present: false` reverses only the most
    specific of repository / tag / manifest ("the tag is gone" passes also when the whole
    repository is gone). Images are compared by content: a manifest digest among the local
    image's RepoDigests (any repository), or the same image config or the same layers, so a
    push by skopeo, as OCI, or under `localhost:5000` counts. Every manifest request accepts
    the four manifest types (Docker v2 manifest and list, OCI manifest and index).
    """

    kind: Literal["registry"]
    url: str
    ca_file: str | None = None
    insecure: bool = False
    certificate: str | None = Field(
        None, description="a PEM file: the certificate the registry must present over TLS"
    )
    username: str | None = None
    password: str | None = None
    auth_required: bool | None = None
    deletes_enabled: bool | None = None
    repository: str | None = None
    tag: str | None = None
    manifest: str | None = None
    digest_of: str | None = None
    differs_from: str | None = Field(
        None, description="another tag of the repository that must hold a different image"
    )
    complete: bool = Field(
        False, description="every manifest and blob the tag references is served"
    )
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
        if (self.differs_from or self.complete) and not self.tag:
            raise ValueError("differs_from and complete need a tag")
        if self.certificate and not self.url.startswith("https://"):
            raise ValueError("certificate needs an https:// url")
        return self


class RegistryConfigCheck(CheckSpec):
    """A registry container's configuration as the registry reads it: its config file (the one
    its command names, default /etc/docker/registry/config.yml, bind-mounted or not) with the
    `REGISTRY_*` environment variables on top. Set up with `-e` or with a mounted config.yml
    alike.
    """

    kind: Literal["registry_config"]
    container: str
    options: dict[str, Any] = Field(
        {},
        description='dotted option paths and their values, e.g. {"proxy.remoteurl": '
        '"http://upstream:5000"}; strings compared without a trailing /, booleans as YAML reads '
        "them (True, true, yes)",
    )
    storage: str | None = Field(
        None,
        description="the host folder (relative: in the workspace) the registry's filesystem "
        "storage (storage.filesystem.rootdirectory) is bind-mounted from",
    )
    config_file: str | None = Field(
        None, description="a workspace file the registry's config file must be the same as"
    )


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


class FileCheck(CheckSpec):
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
    yaml: Any = Field(
        None,
        description="the file is YAML (as a YAML 1.1 parser such as the registry's reads it: "
        "tabs refused, comments ignored) containing this: mappings by their keys, list items "
        "each matching some item, scalars equal",
    )

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


class HttpCheck(CheckSpec):
    """An HTTP(S) request: status, body pattern, TLS trust."""

    kind: Literal["http"]
    url: str
    method: Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] = "GET"
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

    @field_validator("method", mode="before")
    @classmethod
    def _upper(cls, v: object) -> object:
        return v.upper() if isinstance(v, str) else v


class SwarmCheck(CheckSpec):
    """This engine's swarm: active or not, and whether this node is a manager."""

    kind: Literal["swarm"]
    active: bool = True
    manager: bool | None = None


class ServicePortSpec(Strict):
    """A service's published port; `published` unset means any (host mode may pick one)."""

    target: int
    published: int | None = None
    mode: Literal["ingress", "host"] | None = None


class ServiceCheck(CheckSpec):
    """A swarm service: present/absent, running replicas (converged), image, published ports."""

    kind: Literal["service"]
    name: str
    present: bool = True
    replicas: int | None = None
    image: str | None = None
    ports: list[ServicePortSpec] = []


class LoginCheck(CheckSpec):
    """The Docker client configuration holds credentials for `registry` (credsStore aware)."""

    kind: Literal["login"]
    registry: str
    present: bool = True
    url: str | None = Field(
        None,
        description="the registry's URL: the stored credential must also authenticate there now",
    )
    ca_file: str | None = None
    insecure: bool = False


class CertsDSpec(Strict):
    """A `certs.d/<host:port>/ca.crt` trust file, optionally equal to a workspace file."""

    host: str
    matches: str | None = None
    folder: str | None = Field(
        None,
        description="the certs.d folder the engine reads (default /etc/docker/certs.d; "
        "Docker Desktop: ~/.docker/certs.d, from a capability-dependent variable)",
    )


class DaemonCheck(CheckSpec):
    """The engine's registry settings: insecure registries, mirrors, certs.d trust."""

    kind: Literal["daemon"]
    insecure_registry: str | None = None
    mirror: str | None = None
    certs_d: CertsDSpec | None = None


class CommandCheck(CheckSpec):
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


class JsonCheck(CheckSpec):
    """A JSON document, from a file (workspace-relative) or an HTTP GET's body: it must be valid
    JSON, and the JMESPath `query` into it must give a value (`exists`), equal `equals`, or
    contain `contains` (an item of a list, a key of an object, a part of a string)."""

    kind: Literal["json"]
    file: str | None = None
    url: str | None = None
    ca_file: str | None = None
    insecure: bool = False
    query: str | None = Field(
        None, description="a JMESPath expression (https://jmespath.org), e.g. tags or name"
    )
    equals: JsonValue = Field(None, description="the value the query must give")
    contains: JsonValue = Field(None, description="what the query's value must contain")

    @field_validator("query")
    @classmethod
    def _jmespath(cls, v: str | None) -> str | None:
        if v is not None:
            import jmespath
            from jmespath.exceptions import JMESPathError

            try:
                jmespath.compile(v)
            except JMESPathError as exc:
                raise ValueError(f"'{v}' is not a JMESPath expression: {exc}") from exc
        return v

    @model_validator(mode="after")
    def _one_source(self) -> JsonCheck:
        if (self.file is None) == (self.url is None):
            raise ValueError("give exactly one of file and url")
        if self.url is not None and not self.url.startswith(("http://", "https://")):
            raise ValueError(f"'{self.url}' needs a scheme: http://{self.url}")
        if self.query is None and self.model_fields_set & {"equals", "contains"}:
            raise ValueError("equals and contains need a query")
        return self


class AllCheck(CheckSpec):
    """Every check given must pass."""

    kind: Literal["all"]
    checks: list[Check] = Field(min_length=1)


class AnyCheck(CheckSpec):
    """At least one of the checks given must pass."""

    kind: Literal["any"]
    checks: list[Check] = Field(min_length=1)


class NotCheck(CheckSpec):
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
    | RegistryConfigCheck
    | FileCheck
    | HttpCheck
    | SwarmCheck
    | ServiceCheck
    | LoginCheck
    | DaemonCheck
    | CommandCheck
    | JsonCheck
    | RegistryImageCheck
    | NotificationCheck
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


# the kinds that hold other checks instead of looking at state
COMBINATORS = (AllCheck, AnyCheck, NotCheck)


class CheckAt(NamedTuple):
    """A check in a tree, and where: its path of keys below the root (`("checks", 1, "check")`)."""

    path: PathKey
    check: Check


def inside(check: Check) -> list[CheckAt]:
    """The checks directly inside an `all`, `any` or `not`, with their keys; [] for a leaf."""
    if isinstance(check, AllCheck | AnyCheck):
        return [CheckAt(("checks", i), c) for i, c in enumerate(check.checks)]
    if isinstance(check, NotCheck):
        return [CheckAt(("check",), check.check)]
    return []


def children(check: Check) -> list[Check]:
    """The checks directly inside an `all`, `any` or `not`; [] for a leaf."""
    return [sub.check for sub in inside(check)]


def walk(check: Check, path: PathKey = ()) -> Iterator[CheckAt]:
    """Every check of the tree, `check` first, then depth first in file order, each with its
    path (below `path`: pass the check's own place in the file to get paths in the file)."""
    yield CheckAt(path, check)
    for sub in inside(check):
        yield from walk(sub.check, (*path, *sub.path))


def leaves(check: Check) -> Iterator[Check]:
    """The checks of the tree that look at state: every one but `all`, `any` and `not`."""
    return (at.check for at in walk(check) if not isinstance(at.check, COMBINATORS))
