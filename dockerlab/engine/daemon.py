"""The engine's registry settings, as `docker info` reports them (RegistryConfig)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dockerlab.engine.client import Engine


@dataclass(frozen=True)
class IndexConfig:
    """One registry the daemon has settings for: `secure` False when listed as insecure."""

    name: str
    secure: bool
    mirrors: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistrySettings:
    """The daemon's `insecure-registries` (CIDRs and named registries) and `registry-mirrors`."""

    insecure_cidrs: tuple[str, ...] = ()
    index_configs: dict[str, IndexConfig] = field(default_factory=dict)
    mirrors: tuple[str, ...] = ()


def registry_settings(engine: Engine) -> RegistrySettings:
    """The registry settings of the engine (one `docker info` call)."""
    return settings_from_info(engine.info())


def settings_from_info(info: dict[str, Any]) -> RegistrySettings:
    """Turn `docker info` output into RegistrySettings (pure)."""
    config = info.get("RegistryConfig") or {}
    indexes = {}
    for key, entry in (config.get("IndexConfigs") or {}).items():
        entry = entry or {}
        indexes[str(key)] = IndexConfig(
            name=str(entry.get("Name") or key),
            secure=bool(entry.get("Secure", True)),
            mirrors=tuple(str(m) for m in entry.get("Mirrors") or ()),
        )
    return RegistrySettings(
        insecure_cidrs=tuple(str(c) for c in config.get("InsecureRegistryCIDRs") or ()),
        index_configs=indexes,
        mirrors=tuple(str(m) for m in config.get("Mirrors") or ()),
    )


__all__ = ["IndexConfig", "RegistrySettings", "registry_settings", "settings_from_info"]
