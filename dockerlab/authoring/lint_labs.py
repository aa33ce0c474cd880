"""Linting one lab: what the loader says (also under each `when:` capability), plus steps with
fewer than two hints, images used but not declared in `images:`, resources created but not declared
in `cleanup:`, and a lab id that differs from its folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dockerlab.authoring.dockercmd import DockerEffects, docker_effects, is_local
from dockerlab.authoring.lint_report import (
    PLACELESS,
    as_mapping,
    duplicate_ids,
    warning,
    without_echoes,
)
from dockerlab.authoring.lint_safety import control_problems, lab_pattern_problems, name_problems
from dockerlab.authoring.lint_steps import step_problems
from dockerlab.engine.refs import normalize, repository
from dockerlab.model.checks import Check, CommandCheck, ContainerCheck, ServiceCheck, walk
from dockerlab.model.lab import Lab
from dockerlab.model.loader import LAB_FILE, load_lab
from dockerlab.model.problems import ContentError, Problem
from dockerlab.model.yamlsource import PathKey, Source, read_yaml


def _when_capabilities(src: Source) -> list[str]:
    caps: list[str] = []
    for value in as_mapping(as_mapping(src.data).get("variables")).values():
        for cap in as_mapping(as_mapping(value).get("when")):
            if str(cap) not in caps:
                caps.append(str(cap))
    return caps


def _load_problems(path: Path, src: Source) -> tuple[Lab | None, list[Problem]]:
    """What the loader says about the lab with default variable values, plus what it says
    only where a capability picks another value (`when:`)."""
    lab: Lab | None = None
    problems: list[Problem] = []
    try:
        lab = load_lab(path, source=src).lab
    except ContentError as err:
        problems.extend(err.problems)
    seen = {str(p) for p in problems}
    for cap in _when_capabilities(src):
        try:
            load_lab(path, capabilities={cap}, source=src)
        except ContentError as err:
            for p in err.problems:
                if str(p) not in seen:
                    seen.add(str(p))
                    problems.append(
                        Problem(
                            p.file,
                            p.line,
                            p.column,
                            f"{p.message} (where the machine has {cap})",
                            p.suggestion,
                            p.severity,
                        )
                    )
    return lab, problems


@dataclass
class _Use:
    """One command or check field of a lab, where it stands, and what it does with Docker."""

    path: PathKey
    effects: DockerEffects


def _check_uses(check: Check, path: PathKey) -> Iterator[_Use]:
    for where, leaf in walk(check, path):
        if isinstance(leaf, CommandCheck):
            yield _Use((*where, "run"), docker_effects(leaf.run))
        elif isinstance(leaf, ContainerCheck | ServiceCheck) and leaf.image:
            yield _Use((*where, "image"), DockerEffects(uses_images=[leaf.image]))


def _uses(lab: Lab) -> Iterator[_Use]:
    for i, cmd in enumerate(lab.setup):
        yield _Use(("setup", i, "run"), docker_effects(cmd.run))
    for j, step in enumerate(lab.steps):
        for k, cmd in enumerate(step.solution):
            yield _Use(("steps", j, "solution", k, "run"), docker_effects(cmd.run))
        yield from _check_uses(step.check, ("steps", j, "check"))


def _image_problems(lab: Lab, uses: list[_Use], src: Source) -> list[Problem]:
    declared = {normalize(i) for i in lab.images}
    made = {normalize(i) for i in lab.cleanup.images}
    for use in uses:
        made.update(normalize(i) for i in use.effects.makes_images)
    problems: list[Problem] = []
    reported: set[str] = set()
    for use in uses:
        for image in use.effects.uses_images:
            full = normalize(image)
            if is_local(image) or full in declared or full in made or full in reported:
                continue
            reported.add(full)
            same_repo = [i for i in lab.images if repository(i) == repository(image)]
            problems.append(
                warning(
                    src,
                    use.path,
                    f"image '{image}' is used here but not declared in `images:`; declared images "
                    "are prepared before setup (offline too, as stand-ins)",
                    same_repo[0] if same_repo else None,
                )
            )
    return problems


def _cleanup_problems(lab: Lab, uses: list[_Use], src: Source) -> list[Problem]:
    c = lab.cleanup
    declared_images = {normalize(i) for i in c.images}
    kinds: list[tuple[str, str, set[str]]] = [
        ("containers", "container", set(c.containers)),
        ("services", "service", set(c.services)),
        ("networks", "network", set(c.networks)),
        ("volumes", "volume", set(c.volumes)),
    ]
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    for use in uses:
        if use.path[-1] != "run" or "check" in use.path:
            continue  # a check reads state; only setup and solution commands create things
        for key, what, declared in kinds:
            for name in getattr(use.effects, key):
                if name in declared or (what, name) in reported:
                    continue
                reported.add((what, name))
                problems.append(
                    warning(
                        src,
                        use.path,
                        f"{what} '{name}' is created here but not declared in cleanup.{key}; "
                        "reset and validate remove only what `cleanup:` declares",
                    )
                )
        for image in use.effects.makes_images:
            if normalize(image) in declared_images or ("image", image) in reported:
                continue
            reported.add(("image", image))
            problems.append(
                warning(
                    src,
                    use.path,
                    f"image '{image}' is made here but not declared in cleanup.images; "
                    "reset and validate remove only what `cleanup:` declares",
                )
            )
        for image in use.effects.unnamed_containers:
            problems.append(
                warning(
                    src,
                    use.path,
                    f"`docker run {image}` without --name or --rm leaves a container nothing "
                    "removes; name it and declare it in cleanup.containers, or add --rm",
                )
            )
    return problems


def _folder_problem(path: Path, src: Source) -> list[Problem]:
    lab_id = as_mapping(src.data).get("id")
    if path.name != LAB_FILE or not isinstance(lab_id, str) or lab_id == path.parent.name:
        return []
    return [
        src.problem(
            ("id",),
            f"lab id '{lab_id}' differs from its folder '{path.parent.name}'; the course map and "
            f"the catalog find labs as labs/<id>/{LAB_FILE}",
            path.parent.name,
        )
    ]


def lint_lab(path: Path) -> tuple[str | None, Source | None, list[Problem]]:
    """(lab id, parsed source, problems) for one lab file."""
    src, syntax = read_yaml(path)
    if syntax:
        return None, None, syntax
    lab, problems = _load_problems(path, src)
    problems = without_echoes(problems)
    duplicates = duplicate_ids(src, "steps", "step")
    if duplicates:
        problems = [p for p in problems if not p.message.split(": ", 1)[-1].startswith(PLACELESS)]
    problems += duplicates + _folder_problem(path, src) + step_problems(src)
    problems += control_problems(src)
    if lab is not None:
        uses = list(_uses(lab))
        problems += _image_problems(lab, uses, src)
        problems += _cleanup_problems(lab, uses, src)
        problems += name_problems(lab, src) + lab_pattern_problems(lab, src)
    lab_id = as_mapping(src.data).get("id")
    return (lab_id if isinstance(lab_id, str) else None), src, problems
