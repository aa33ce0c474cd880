"""Load labs from disk: parse, fill variables, validate, and report every problem at once."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from dockerlab.model.build import build
from dockerlab.model.lab import Lab
from dockerlab.model.problems import ContentError
from dockerlab.model.variables import (
    apply_overrides,
    captured_names,
    declared_variables,
    resolve_nested,
    substitute,
)
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
    declared, var_problems = declared_variables(src, capabilities)
    var_problems += apply_overrides(src, declared, overrides or {})
    values = resolve_nested({name: var.value for name, var in declared.items()})
    captured, capture_problems = captured_names(src, declared)
    var_problems += capture_problems
    # filled in at run time, once the step that records them has passed
    values.update({name: f"{{{{ {name} }}}}" for name in captured})
    data, sub_problems = substitute(src, values)
    if var_problems and isinstance(data, dict):
        data = {**data, "variables": {}}  # already reported, once, by declared_variables
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
