"""`registry_config`: a registry container's configuration as the registry itself reads it.

The registry reads one YAML file (the path its command names, by default
`/etc/docker/registry/config.yml`), then lets `REGISTRY_<SECTION>_<KEY>` environment variables
override single options (`REGISTRY_STORAGE_DELETE_ENABLED` is `storage: delete: enabled:`), each
value read as YAML. This check reads the same file from the container (bind-mounted or baked in)
and the same variables, so `-e` and a mounted config.yml count alike.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import yaml

from dockerlab.checks.context import CheckContext
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import (
    CONTAINER_ACTIONS,
    POLL_UNWATCHED,
    EventRule,
    WatchPlan,
    workspace_files,
)
from dockerlab.checks.yamlmatch import YamlProblem, mismatch, parse_yaml, same_scalar
from dockerlab.engine.containers import ContainerInfo, inspect_container, read_container_file
from dockerlab.model.checks import RegistryConfigCheck

DEFAULT_CONFIG = "/etc/docker/registry/config.yml"
DEFAULT_ROOT = "/var/lib/registry"
_MISSING = object()


class _Fail(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_registry_config(spec: RegistryConfigCheck, ctx: CheckContext) -> Result:
    """PASS when the container runs and its effective configuration has every option asked
    for, stores its data in `storage`, and reads a file equal to `config_file`."""
    who = f"container '{spec.container}'"
    info = inspect_container(ctx.engine, spec.container)
    if info is None:
        return Result.fail(f"{who} does not exist")
    if not info.running:
        return Result.fail(f"{who} is {info.status}, not running: it serves no configuration")
    path = config_path(info)
    raw = read_container_file(ctx.engine, spec.container, path)
    if raw is None:
        return Result.fail(f"{who} has no configuration file at {path}")
    try:
        document = parse_yaml(raw.decode("utf-8", "replace"), f"{path} in {who}")
        observed = [
            *_assert_options(spec, info, document, path),
            *_assert_storage(spec, info, document, ctx),
            *_assert_file(spec, raw, path, ctx),
        ]
    except YamlProblem as exc:
        return Result.fail(str(exc))
    except _Fail as failed:
        return Result.fail(f"{who}: {failed.message}")
    return Result.ok(f"{who} reads {path}" + "".join(f", {o}" for o in observed))


def config_path(info: ContainerInfo) -> str:
    """The file the registry reads: the `.yml`/`.yaml` its command names, else
    REGISTRY_CONFIGURATION_PATH, else the image's default."""
    named = [a for a in info.args if a.endswith((".yml", ".yaml"))]
    if named:
        return named[-1]
    return info.env.get("REGISTRY_CONFIGURATION_PATH") or DEFAULT_CONFIG


def option(document: Any, env: dict[str, str], dotted: str) -> Any:
    """An option's effective value: its REGISTRY_* variable (read as YAML) if set, else the
    file's (keys case-insensitive); `_MISSING` when neither sets it."""
    name = "REGISTRY_" + dotted.upper().replace(".", "_")
    if name in env:
        try:
            return yaml.safe_load(env[name])
        except yaml.YAMLError:
            return env[name]
    node = document
    for key in dotted.split("."):
        if not isinstance(node, dict):
            return _MISSING
        found = next((k for k in node if str(k).lower() == key.lower()), _MISSING)
        if found is _MISSING:
            return _MISSING
        node = node[found]
    return node


def _assert_options(
    spec: RegistryConfigCheck, info: ContainerInfo, document: Any, path: str
) -> list[str]:
    observed = []
    for dotted, expected in spec.options.items():
        actual = option(document, info.env, dotted)
        if actual is _MISSING:
            raise _Fail(
                f"{dotted} is set neither in {path} nor by "
                f"REGISTRY_{dotted.upper().replace('.', '_')} (expected {expected!r})"
            )
        if isinstance(expected, dict | list):
            problem = mismatch(expected, actual, dotted)
            if problem:
                raise _Fail(problem)
        elif not same_scalar(expected, actual):
            raise _Fail(f"{dotted} is {actual!r}, not {expected!r}")
        observed.append(f"{dotted}: {expected}")
    return observed


def _assert_storage(
    spec: RegistryConfigCheck, info: ContainerInfo, document: Any, ctx: CheckContext
) -> list[str]:
    if spec.storage is None:
        return []
    root = option(document, info.env, "storage.filesystem.rootdirectory")
    root = DEFAULT_ROOT if root is _MISSING or not root else str(root)
    target = PurePosixPath(root)
    covering = [
        m
        for m in info.mounts
        if target == PurePosixPath(m.destination) or PurePosixPath(m.destination) in target.parents
    ]
    if not covering:
        raise _Fail(
            f"stores its data in {root} inside the container, not in a bind mount of {spec.storage}"
        )
    mount = max(covering, key=lambda m: len(m.destination))
    if mount.type != "bind":
        what = f"volume '{mount.name}'" if mount.type == "volume" else f"a {mount.type} mount"
        raise _Fail(f"stores its data ({root}) in {what}, not in {spec.storage}")
    rest = target.relative_to(PurePosixPath(mount.destination))
    host = (ctx.path(mount.source) / rest).resolve(strict=False)
    wanted = ctx.path(spec.storage).resolve(strict=False)
    if host != wanted:
        raise _Fail(f"stores its data ({root}) in {host}, not in {wanted}")
    return [f"storing its data in {spec.storage}"]


def _assert_file(spec: RegistryConfigCheck, raw: bytes, path: str, ctx: CheckContext) -> list[str]:
    if spec.config_file is None:
        return []
    mine = ctx.path(spec.config_file)
    if not mine.is_file():
        raise _Fail(f"{spec.config_file} does not exist in the workspace")
    if mine.read_bytes() != raw:
        raise _Fail(f"the {path} it reads differs from {spec.config_file}")
    return [f"the same as {spec.config_file}"]


def watch_registry_config(spec: RegistryConfigCheck, ctx: CheckContext) -> WatchPlan:
    """The container's events, its config file in the workspace, and a timer: a bind-mounted
    config file can change under a running container."""
    return WatchPlan(
        rules=(EventRule("container", CONTAINER_ACTIONS, frozenset({spec.container})),),
        files=workspace_files(ctx, spec.config_file),
        poll_interval=POLL_UNWATCHED,
        reasons=(f"the configuration of container '{spec.container}'",),
    )


REGISTRY_CONFIG = CheckKind(RegistryConfigCheck, check_registry_config, watch_registry_config)
