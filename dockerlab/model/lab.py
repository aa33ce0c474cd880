"""A lab: steps a learner does against a real engine, each with a check of the engine's state."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from dockerlab.model.base import Strict
from dockerlab.model.checks import Check
from dockerlab.model.patterns import compile_error

SLUG = r"^[a-z0-9][a-z0-9-]*$"


class Capability(StrEnum):
    """What a lab needs from the machine; the doctor finds out which are there."""

    ENGINE = "engine"
    SWARM = "swarm"
    ROOT = "root"
    ROUTING_MESH = "routing-mesh"
    DOCKER_HUB = "docker-hub"
    DOCKER_DESKTOP = "docker-desktop"


class Command(Strict):
    """A shell command run in the lab workspace (bash). A plain string is the same as `run:`.

    `requires` skips the command, with a note, when the machine lacks a capability (e.g. a
    `docker pull` from Docker Hub offline, where the stand-in image is already there); `unless`
    skips it where the machine has one. Commands see $DOCKERLAB_WORKSPACE, $DOCKERLAB_LAB and
    $DOCKERLAB_LAB_DIR (the lab's own folder, for files it ships).
    """

    run: str
    requires: list[Capability] = []
    unless: list[Capability] = Field(
        [], description="skip the command where the machine has any of these capabilities"
    )
    timeout: float = 300
    note: str | None = Field(None, description="shown when the command is skipped")


def _commands(value: Any) -> Any:
    if isinstance(value, str):
        return [{"run": value}]
    if isinstance(value, list):
        return [{"run": v} if isinstance(v, str) else v for v in value]
    return value


class Diagnosis(Strict):
    """A known mistake: when the learner's last output matches `pattern`, show `explanation`.
    `example` is the real error text the mistake produces; lint checks that `pattern` matches it."""

    pattern: str
    explanation: str
    example: str | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        error = compile_error(v)
        if error:
            raise ValueError(f"'{v}' is not a valid regular expression: {error}")
        return v


class NearMiss(Strict):
    """Another way to do (or not quite do) a step, that `validate --near-misses` tries before
    the step's solution: `run` the commands (all of them, also after one fails: a mistake may
    well fail), expect the step's check to `fail` (a realistic mistake; with `message`, for the
    right reason) or to `pass` (another legitimate way to reach the goal), then `undo` to get back
    to where the step started."""

    name: str
    run: list[Command] = Field(min_length=1)
    expect: Literal["fail", "pass"]
    message: str | None = Field(
        None, description="a regular expression the check's message must match"
    )
    diagnosis: str | None = Field(
        None,
        description="a piece of the pattern of the diagnosis the output of `run` must get",
    )
    undo: list[Command] = []

    @field_validator("run", "undo", mode="before")
    @classmethod
    def _command_list(cls, value: Any) -> Any:
        return _commands(value)

    @field_validator("message")
    @classmethod
    def _compiles(cls, v: str | None) -> str | None:
        error = compile_error(v) if v is not None else None
        if error:
            raise ValueError(f"'{v}' is not a valid regular expression: {error}")
        return v


VariableType = Literal["string", "integer", "port", "tag", "host", "path"]


class Variable(Strict):
    """A declared variable: its `type` (how `--var` values are parsed and checked; by default
    `integer` for a whole-number default, else `string`), its `default`, and `when`: a map from a
    capability to the value used where the machine has it (first match wins)."""

    type: VariableType | None = None
    default: str | int | float
    when: dict[Capability, str | int | float] = {}
    description: str | None = None


class ManifestSource(Strict):
    """A registry's manifest for a tag (any of the four manifest media types)."""

    url: str
    repository: str
    tag: str = "latest"
    ca_file: str | None = None
    insecure: bool = False
    username: str | None = None
    password: str | None = None


class PortSource(Strict):
    """The host port a container publishes for one of its ports."""

    container: str
    port: int | str = Field(description="the container's port, e.g. 5000 or 5000/tcp")


class JsonSource(Strict):
    """A value from a JSON file (workspace-relative) or an HTTP GET's body, by JMESPath."""

    file: str | None = None
    url: str | None = None
    query: str


class Capture(Strict):
    """A value a step records when its check passes; later steps use it as `{{ name }}`.
    Exactly one source: `image_id` (a local image's ID), `repo_digest` (the digest a local image
    has in its reference's repository, after a push or pull), `manifest` (the digest a registry
    serves for a tag), `host_port` (a published port), `json` (a value in a JSON document)."""

    image_id: str | None = None
    repo_digest: str | None = None
    manifest: ManifestSource | None = None
    host_port: PortSource | None = None
    json_value: JsonSource | None = Field(None, alias="json")

    @model_validator(mode="after")
    def _one_source(self) -> Capture:
        given = [
            k
            for k in ("image_id", "repo_digest", "manifest", "host_port", "json_value")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "a capture needs exactly one of image_id, repo_digest, manifest, host_port, json"
            )
        return self


class Step(Strict):
    """One thing the learner does, and the check that proves it is done."""

    id: str = Field(pattern=SLUG)
    title: str
    goal: str | None = Field(None, description="one line: what is true when the step is done")
    instructions: str
    solution: list[Command] = Field(min_length=1)
    hints: list[str] = []
    check: Check
    diagnoses: list[Diagnosis] = []
    capture: dict[str, Capture] = Field(
        {},
        description="values recorded when the check passes, for later steps as {{ name }} "
        "(kept in the lab's state; reset forgets them)",
    )
    passes_before_solution: str | None = Field(
        None,
        description="why this step's check may already pass before its solution (validate "
        "then does not demand a FAIL first)",
    )
    timeout: float = Field(60, description="seconds validate waits for the check to pass")
    near_misses: list[NearMiss] = Field(
        [],
        description="mistakes that must fail and other ways that must pass, tried by "
        "`dockerlab validate --near-misses` before the solution",
    )

    @field_validator("solution", mode="before")
    @classmethod
    def _solution_list(cls, value: Any) -> Any:
        return _commands(value)


class Process(Strict):
    """A helper process the lab starts (a webhook receiver): the pidfile it writes, and text its
    command line contains, so cleanup never signals a PID that now runs another program."""

    pidfile: str = Field(description="workspace-relative path of the file holding its PID")
    command: str = Field(description="text the process's command line must contain")


class Cleanup(Strict):
    """Everything the lab owns; `reset` and `validate` remove these and nothing else."""

    containers: list[str] = []
    services: list[str] = []
    images: list[str] = []
    image_labels: list[str] = Field(
        [],
        description="KEY=VALUE: every image carrying this label (images a lab builds, also "
        "those a rebuild left without a name)",
        json_schema_extra={"items": {"pattern": "^[^=]+=.*$"}},
    )
    volumes: list[str] = []
    networks: list[str] = []
    paths: list[str] = Field([], description="workspace-relative paths")
    host_paths: list[str] = Field([], description="absolute paths outside the workspace")
    logins: list[str] = Field([], description="registries to `docker logout` from")
    processes: list[Process] = Field([], description="helper processes to stop, by pidfile")
    swarm: Literal["keep", "leave-if-created"] = "keep"

    def described(self) -> list[str]:
        """What a reset removes, in the words the learner is asked with (CLI and app alike)."""
        return [
            *self.containers,
            *self.services,
            *self.images,
            *(f"images labelled {label}" for label in self.image_labels),
            *self.volumes,
            *self.networks,
            *self.paths,
            *self.host_paths,
            *(f"login {registry}" for registry in self.logins),
            *(f"the process '{p.command}'" for p in self.processes),
        ]

    @field_validator("image_labels")
    @classmethod
    def _key_value(cls, v: list[str]) -> list[str]:
        for label in v:
            if not label.partition("=")[0] or "=" not in label:
                raise ValueError(f"'{label}' is not KEY=VALUE, e.g. org.dockerlab.lab=my-lab")
        return v


class Lab(Strict):
    """A lab file (`labs/<slug>/lab.yaml`)."""

    format_version: Literal[1] = 1
    id: str = Field(pattern=SLUG)
    title: str
    section: str
    summary: str
    minutes: int = Field(gt=0)
    requires: list[Capability] = [Capability.ENGINE]
    images: list[str] = []
    variables: dict[str, str | int | float | Variable] = {}
    setup: list[Command] = []
    cleanup: Cleanup = Cleanup()
    steps: list[Step] = Field(min_length=1)

    @field_validator("setup", mode="before")
    @classmethod
    def _setup_list(cls, value: Any) -> Any:
        return _commands(value)

    @model_validator(mode="after")
    def _unique_steps(self) -> Lab:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"two steps have the id '{step.id}'; step ids must be unique")
            seen.add(step.id)
        return self

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)
