"""Load labs from disk: parse, fill variables, validate, and report every problem at once."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from dockerlab.model.lab import Lab
from dockerlab.model.problems import ContentError, Problem
from dockerlab.model.validate import build
from dockerlab.model.variables import resolve_nested, substitute
from dockerlab.model.yamlsource import Source, read_yaml

LAB_FILE = "lab.yaml"


@dataclass(frozen=True)
class LoadedLab:
    """A lab plus where it came from (its folder holds any files it ships)."""

    lab: Lab
    path: Path

    @property
    def folder(self) -> Path:
        return self.path.parent


def _scalar(value: object) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _declared_variables(
    src: Source, capabilities: Collection[str]
) -> tuple[dict[str, str | int], list[Problem]]:
    """Each variable's value on this machine: its default, or its `when:` value for a capability
    the machine has (e.g. ingress publishing only where the routing mesh works)."""
    raw = src.data.get("variables", {}) if isinstance(src.data, dict) else {}
    if not isinstance(raw, dict):
        return {}, [src.problem(("variables",), "variables must be a mapping of name: default")]
    values: dict[str, str | int] = {}
    problems: list[Problem] = []
    for name, value in raw.items():
        if _scalar(value):
            values[str(name)] = value
            continue
        when = value.get("when") or {} if isinstance(value, dict) else None
        if isinstance(value, dict) and _scalar(value.get("default")) and isinstance(when, dict):
            chosen = value["default"]
            for capability, alternative in when.items():
                if capability in capabilities and _scalar(alternative):
                    chosen = alternative
                    break
            values[str(name)] = chosen
            continue
        problems.append(
            src.problem(
                ("variables", name),
                f"variable '{name}' needs a string or number, "
                "or {default: ..., when: {capability: ...}}",
            )
        )
    return values, problems


def load_lab(
    path: Path,
    overrides: Mapping[str, str | int] | None = None,
    capabilities: Collection[str] = (),
    source: Source | None = None,
) -> LoadedLab:
    """Load one lab file (or a folder holding lab.yaml); raises ContentError listing every problem.

    `capabilities` picks capability-dependent variable values; `overrides` (--var) win over both.
    `source` is the file already parsed (lint reads it once for several loads).
    """
    if path.is_dir():
        path = path / LAB_FILE
    src, problems = (source, []) if source is not None else read_yaml(path)
    if problems:
        raise ContentError(problems)
    values, var_problems = _declared_variables(src, capabilities)
    unknown = [k for k in (overrides or {}) if k not in values]
    for name in unknown:
        var_problems.append(
            Problem(str(path), 1, 1, f"--var {name}: this lab has no variable '{name}'")
        )
    values.update({k: v for k, v in (overrides or {}).items() if k in values})
    values = resolve_nested(values)
    data, sub_problems = substitute(src, values)
    filled = Source(file=src.file, data=data, value_at=src.value_at, key_at=src.key_at)
    lab = build(Lab, filled, var_problems + sub_problems)
    return LoadedLab(lab=lab, path=path)


def find_lab_files(paths: list[Path]) -> list[Path]:
    """Every lab.yaml in these files or folders (a folder is searched one and two levels deep)."""
    found: list[Path] = []
    for p in paths:
        if p.is_file():
            found.append(p)
        elif (p / LAB_FILE).is_file():
            found.append(p / LAB_FILE)
        elif p.is_dir():
            found.extend(sorted(p.glob(f"*/{LAB_FILE}")))
    return found
