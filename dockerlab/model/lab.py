"""A lab: steps a learner does against a real engine, each with a check of the engine's state."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from dockerlab.model.base import Strict
from dockerlab.model.checks import Check

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
    """A known mistake: when the learner's last output matches `pattern`, show `explanation`."""

    pattern: str
    explanation: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"'{v}' is not a valid regular expression: {exc}") from exc
        return v


class Variable(Strict):
    """A variable whose value depends on the machine: `when` maps a capability to the value used
    where the machine has it (first match wins); `default` otherwise."""

    default: str | int
    when: dict[Capability, str | int] = {}


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
    passes_before_solution: str | None = Field(
        None,
        description="why this step's check may already pass before its solution (validate "
        "then does not demand a FAIL first)",
    )
    timeout: float = Field(60, description="seconds validate waits for the check to pass")

    @field_validator("solution", mode="before")
    @classmethod
    def _solution_list(cls, value: Any) -> Any:
        return _commands(value)


class Cleanup(Strict):
    """Everything the lab owns; `reset` and `validate` remove these and nothing else."""

    containers: list[str] = []
    services: list[str] = []
    images: list[str] = []
    volumes: list[str] = []
    networks: list[str] = []
    paths: list[str] = Field([], description="workspace-relative paths")
    host_paths: list[str] = Field([], description="absolute paths outside the workspace")
    logins: list[str] = Field([], description="registries to `docker logout` from")
    swarm: Literal["keep", "leave-if-created"] = "keep"


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
    variables: dict[str, str | int | Variable] = {}
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
