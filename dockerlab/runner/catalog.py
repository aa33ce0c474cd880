"""Find labs: the bundled course plus any folders added with --content / $DOCKERLAB_CONTENT."""

from __future__ import annotations

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


def applicable_overrides(
    file: Path, overrides: dict[str, str | int] | None
) -> dict[str, str | int]:
    """Only the overrides this lab declares (a --var for one lab must not break the others)."""
    if not overrides:
        return {}
    from dockerlab.model.yamlsource import read_yaml

    src, _ = read_yaml(file)
    declared = src.data.get("variables", {}) if isinstance(src.data, dict) else {}
    if not isinstance(declared, dict):
        return {}
    return {k: v for k, v in overrides.items() if k in declared}


def resolve(
    target: str,
    overrides: dict[str, str | int] | None = None,
    capabilities: set[str] | None = None,
) -> LoadedLab:
    """A lab by id, or by path to its folder or lab.yaml. Raises KeyError or ContentError."""
    path = Path(target)
    caps = machine_capabilities() if capabilities is None else capabilities
    if path.exists():
        return load_lab(path, overrides, caps)
    catalog = load_catalog(overrides, caps)
    if target not in catalog.labs:
        mine = [p for p in catalog.problems if Path(p.file).parent.name == target]
        if mine:
            raise ContentError(mine)
    return catalog.get(target)
