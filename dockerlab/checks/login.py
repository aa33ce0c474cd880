"""`login`: the Docker client configuration holds credentials for a registry.

Looked up as the docker CLI does: a `credHelpers` entry for the registry first, then
`credsStore`, then the `auths` entries of config.json. A credential helper is asked with
`docker-credential-<name> get` and the server address on stdin.
"""

from __future__ import annotations

import base64
import binascii
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dockerlab.checks.context import CheckContext
from dockerlab.checks.http import NoAnswer, fetch, tls_verify
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.registry_api import USER_AGENT
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import (
    CONTAINER_ACTIONS,
    POLL_UNWATCHED,
    EventRule,
    WatchPlan,
    workspace_files,
)
from dockerlab.model.checks import LoginCheck

HUB_KEY = "https://index.docker.io/v1/"  # the key the docker CLI files Docker Hub credentials under
HUB_ALIASES = frozenset(
    {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
)
NOT_FOUND = "credentials not found"  # what every credential helper prints when it has none


class HelperProblem(Exception):
    """A credential helper is missing or failed: whether we are logged in cannot be told."""


@dataclass(frozen=True)
class Found:
    """Where credentials were found (`where`) and for whom (`user`, when it can be told)."""

    where: str
    user: str | None = None
    # the password (or token) stored with the user name, when it can be told
    secret: str | None = field(default=None, repr=False)


def registry_key(registry: str) -> str:
    """The host[:port] a registry is filed under, whatever form it is written in.

    `https://127.0.0.1:5000/v2/` -> `127.0.0.1:5000`; every Docker Hub alias -> `docker.io`.
    """
    name = registry.strip()
    for scheme in ("http://", "https://"):
        if name.lower().startswith(scheme):
            name = name[len(scheme) :]
    host = name.split("/", 1)[0].lower()
    return "docker.io" if host in HUB_ALIASES else host


def check_login(spec: LoginCheck, ctx: CheckContext) -> Result:
    """PASS when credentials for `spec.registry` are (or, with present: false, are not) stored."""
    config_file = ctx.docker_config_dir / "config.json"
    wanted = spec.registry
    try:
        found, why_not = find_credentials(wanted, config_file, ctx.timeout)
    except HelperProblem as exc:
        return Result.error(str(exc))
    if found is None:
        if spec.present:
            return Result.fail(f"not logged in to {wanted}: {why_not}")
        return Result.ok(f"not logged in to {wanted}, as expected")
    who = f" as {found.user}" if found.user else ""
    if spec.present:
        if spec.url is not None:
            return _authenticates(spec, spec.url, ctx, found)
        return Result.ok(f"logged in to {wanted}{who} (credentials in {found.where})")
    return Result.fail(
        f"still logged in to {wanted}{who} (credentials in {found.where}; expected logged out)"
    )


def _authenticates(spec: LoginCheck, url: str, ctx: CheckContext, found: Found) -> Result:
    """The stored credential, sent to the registry now, gets `GET /v2/` answered 200."""
    where = f"credentials in {found.where}"
    if not found.user or found.secret is None:
        return Result.fail(
            f"the {where} for {spec.registry} hold no user name and password the registry's "
            "Basic authentication can use: log in again with docker login"
        )
    try:
        verify = tls_verify(ctx, spec.ca_file, spec.insecure)
        response = fetch(
            "GET",
            url.rstrip("/") + "/v2/",
            ctx,
            verify=verify,
            auth=(found.user, found.secret),
            headers={"User-Agent": USER_AGENT},
        )
    except NoAnswer as no:
        return no.result
    if response.status_code == 401:
        return Result.fail(
            f"logged in to {spec.registry} as {found.user}, but {url} refuses the stored "
            f"password (401): it no longer matches; log in again"
        )
    if response.status_code != 200:
        return Result.fail(f"{url}/v2/ answered {response.status_code} to the stored credentials")
    return Result.ok(
        f"logged in to {spec.registry} as {found.user} ({where}), and {url} accepts them"
    )


def shown_path(path: Path) -> str:
    """The path as a learner knows it: `~/.docker/config.json` under the home directory."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def find_credentials(registry: str, config_file: Path, timeout: float) -> tuple[Found | None, str]:
    """The credentials stored for `registry`, or None and why there are none.

    Raises HelperProblem when a credential helper is configured but missing or failing, or the
    configuration file cannot be read.
    """
    shown = shown_path(config_file)
    if not config_file.is_file():
        return None, f"{shown} does not exist"
    try:
        config = json.loads(config_file.read_text())
    except PermissionError as exc:
        raise HelperProblem(f"cannot read {shown}: permission denied") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HelperProblem(f"{shown} is not valid JSON ({exc}): fix it or move it away") from exc
    if not isinstance(config, dict):
        raise HelperProblem(f"{shown} is not a JSON object: fix it or move it away")

    key = registry_key(registry)
    auths = {k: v for k, v in (config.get("auths") or {}).items() if isinstance(v, dict)}
    stored_as = [k for k in auths if registry_key(k) == key]
    helpers = config.get("credHelpers") or {}
    helper = next((str(v) for k, v in helpers.items() if registry_key(k) == key), None)
    setting = "credHelpers" if helper else "credsStore"
    helper = helper or config.get("credsStore") or None
    if helper:
        # the CLI asks the helper under the key it logged in with; try those, then the usual form
        addresses = [*stored_as, HUB_KEY if key == "docker.io" else key]
        for address in dict.fromkeys(addresses):
            answer = ask_helper(str(helper), address, timeout, shown, setting)
            if answer is not None:
                user, secret = answer
                return Found(f"the '{helper}' credential helper", user or None, secret), ""
        return None, (
            f"the '{helper}' credential helper ({setting} in {shown}) has no credentials for it"
        )
    for k in stored_as:
        found = _from_auth_entry(auths[k], shown)
        if found is not None:
            return found, ""
    others = sorted({registry_key(k) for k, v in auths.items() if _from_auth_entry(v, shown)})
    held = f" (it has credentials for {', '.join(others)})" if others else ""
    return None, f"{shown} holds no credentials for it{held}"


def _from_auth_entry(entry: dict[str, Any], shown: str) -> Found | None:
    if entry.get("identitytoken"):
        return Found(shown, entry.get("username") or None)
    if entry.get("auth"):
        try:
            decoded = base64.b64decode(str(entry["auth"]), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        user, sep, secret = decoded.partition(":")
        return Found(shown, user or None, secret if sep else None)
    if entry.get("username") and entry.get("password"):
        return Found(shown, str(entry["username"]), str(entry["password"]))
    return None


def ask_helper(
    helper: str, address: str, timeout: float, shown: str, setting: str
) -> tuple[str, str] | None:
    """The user name ("" when it has a secret but no user name) and secret
    `docker-credential-<helper>` holds for `address`, or None when it has no credentials.
    Raises HelperProblem when it fails."""
    program = f"docker-credential-{helper}"
    path = shutil.which(program)
    if path is None:
        raise HelperProblem(
            f"{shown} says to keep credentials in the '{helper}' credential helper ({setting}), "
            f"but {program} is not installed: install it, or remove that {setting} setting"
        )
    try:
        proc = subprocess.run(
            [path, "get"],
            input=address,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise HelperProblem(f"{program} get did not answer within {timeout:g} seconds") from exc
    except OSError as exc:
        raise HelperProblem(f"{program} could not be run: {exc.strerror or exc}") from exc
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        if NOT_FOUND in output.lower():
            return None
        raise HelperProblem(
            f"{program} get failed (exit {proc.returncode}): {output or 'no output'}"
        )
    try:
        answer = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise HelperProblem(
            f"{program} get answered something that is not JSON: {output[:80]}"
        ) from exc
    if not isinstance(answer, dict) or not answer.get("Secret"):
        return None
    return str(answer.get("Username") or ""), str(answer["Secret"])


def watch_login(spec: LoginCheck, ctx: CheckContext) -> WatchPlan:
    """The client's config.json; with `url`, whether the registry still accepts the stored
    password: its container's events, on a timer."""
    config = ctx.docker_config_dir / "config.json"
    if spec.url is not None:
        return WatchPlan(
            rules=(EventRule("container", CONTAINER_ACTIONS),),
            files=(config, *workspace_files(ctx, spec.ca_file)),
            poll_interval=POLL_UNWATCHED,
            reasons=(f"logins in {config}", f"registry {spec.url}"),
        )
    return WatchPlan(files=(config,), reasons=(f"logins in {config}",))


LOGIN = CheckKind(LoginCheck, check_login, watch_login)
