"""Find labs: the bundled course plus any folders added with --content / $DOCKERLAB_CONTENT."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dockerlab import paths
from dockerlab.model.loader import LAB_FILE, LoadedLab, load_lab
from dockerlab.model.problems import ContentError, Problem, did_you_mean


@dataclass
class Catalog:
    """Every lab found, plus the problems of those that did not load."""

    labs: dict[str, LoadedLab] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, lab_id: str) -> LoadedLab:
        """The lab with this id; a KeyError's message suggests the closest id."""
        if lab_id in self.labs:
            return self.labs[lab_id]
        hint = did_you_mean(lab_id, self.labs)
        extra = f" (did you mean '{hint}'?)" if hint else ""
        known = ", ".join(sorted(self.labs)) or "none"
        raise KeyError(f"no lab '{lab_id}'{extra}; labs: {known}")


def lab_dirs() -> list[Path]:
    """Folders that hold lab folders: bundled labs/, then each content dir (or its labs/)."""
    dirs = [paths.bundled_labs()]
    for extra in paths.extra_content_dirs():
        dirs.append(extra / "labs" if (extra / "labs").is_dir() else extra)
    return dirs


def lab_files() -> list[Path]:
    files: list[Path] = []
    for d in lab_dirs():
        if (d / LAB_FILE).is_file():
            files.append(d / LAB_FILE)
        files.extend(sorted(d.glob(f"*/{LAB_FILE}")))
    return files


def machine_capabilities() -> set[str]:
    """What this machine offers, for capability-dependent lab variables (cheap, cached)."""
    from dockerlab.engine.doctor import quick_capabilities

    return quick_capabilities()


def load_catalog(
    overrides: dict[str, str | int] | None = None, capabilities: set[str] | None = None
) -> Catalog:
    """Load every lab; one broken lab is reported, not fatal for the others."""
    catalog = Catalog()
    caps = machine_capabilities() if capabilities is None else capabilities
    for file in lab_files():
        try:
            loaded = load_lab(file, applicable_overrides(file, overrides), caps)
        except ContentError as err:
            catalog.problems.extend(err.problems)
            continue
        if loaded.lab.id in catalog.labs:
            other = catalog.labs[loaded.lab.id].path
            catalog.problems.append(
                Problem(str(file), 1, 1, f"lab id '{loaded.lab.id}' is already used by {other}")
            )
            continue
        catalog.labs[loaded.lab.id] = loaded
    return catalog


def _declared_names(file: Path) -> set[str]:
    from dockerlab.model.yamlsource import read_yaml

    src, _ = read_yaml(file)
    declared = src.data.get("variables", {}) if isinstance(src.data, dict) else {}
    return {str(k) for k in declared} if isinstance(declared, dict) else set()


def applicable_overrides(
    file: Path, overrides: dict[str, str | int] | None
) -> dict[str, str | int]:
    """Only the overrides this lab declares (a --var for one lab must not break the others)."""
    if not overrides:
        return {}
    declared = _declared_names(file)
    return {k: v for k, v in overrides.items() if k in declared}


def undeclared_overrides(
    overrides: dict[str, str | int] | None, files: list[Path] | None = None
) -> list[Problem]:
    """A --var that no lab (of `files`, default every lab) declares: a typo, said with the
    closest declared name."""
    if not overrides:
        return []
    declared: set[str] = set()
    for file in lab_files() if files is None else files:
        declared |= _declared_names(file)
    problems = []
    for name, value in overrides.items():
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            problems.append(
                Problem(
                    "command line",
                    0,
                    0,
                    f"--var {name}={value}: no lab has a variable '{name}' (variables: {known})",
                    did_you_mean(name, declared),
                )
            )
    return problems


def looks_like_path(target: str) -> bool:
    """`./x`, `labs/x`, `x/lab.yaml`: a path. A bare word is a lab id first."""
    return (
        "/" in target
        or os.sep in target
        or target.startswith(".")
        or target.endswith((".yaml", ".yml"))
    )


def resolve(
    target: str,
    overrides: dict[str, str | int] | None = None,
    capabilities: set[str] | None = None,
) -> LoadedLab:
    """A lab by id, or by path to its folder or lab.yaml. An id wins over a folder of the same
    name in the current directory unless the argument looks like a path. Every --var must be one
    of the lab's variables. Raises KeyError or ContentError."""
    caps = machine_capabilities() if capabilities is None else capabilities
    path = Path(target)
    if looks_like_path(target):
        if not path.exists():
            raise KeyError(f"no lab folder or lab.yaml at '{target}'")
        return load_lab(path, overrides, caps)
    catalog = load_catalog(overrides, caps)
    if target in catalog.labs:
        loaded = catalog.labs[target]
        # reloaded with every override, so one the lab does not declare is reported
        return load_lab(loaded.path, overrides, caps) if overrides else loaded
    mine = [p for p in catalog.problems if Path(p.file).parent.name == target]
    if mine:
        raise ContentError(mine)
    if path.is_dir() and (path / LAB_FILE).is_file():
        return load_lab(path, overrides, caps)
    return catalog.get(target)
