"""`json`: a JSON document (a workspace file, or an HTTP GET's body) is valid, and a JMESPath
query into it gives, equals or contains a value."""

from __future__ import annotations

import json
from typing import Any

import jmespath

from dockerlab.checks.context import CheckContext
from dockerlab.checks.http import NoAnswer, fetch, tls_verify
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import (
    CONTAINER_ACTIONS,
    IMAGE_ACTIONS,
    POLL_UNWATCHED,
    EventRule,
    WatchPlan,
    workspace_files,
)
from dockerlab.model.checks import JsonCheck

MAX_BYTES = 10 * 1024 * 1024  # a larger document is not what a lab step writes


def _shown(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _document(spec: JsonCheck, ctx: CheckContext) -> tuple[str, str] | Result:
    """(where it came from, its text), or the FAIL/ERROR that says why there is none."""
    if spec.file is not None:
        path = ctx.path(spec.file)
        if not path.is_file():
            return Result.fail(f"{spec.file} does not exist ({path})")
        if path.stat().st_size > MAX_BYTES:
            return Result.fail(f"{spec.file} is larger than {MAX_BYTES // 2**20} MiB")
        return spec.file, path.read_text(encoding="utf-8", errors="replace")
    assert spec.url is not None
    try:
        verify = tls_verify(ctx, spec.ca_file, spec.insecure)
        answer = fetch("GET", spec.url, ctx, verify=verify)
    except NoAnswer as exc:
        return exc.result
    if answer.status_code != 200:
        return Result.fail(f"GET {spec.url} answered {answer.status_code}, not 200")
    return f"the body of {spec.url}", answer.text[:MAX_BYTES]


def _contains(value: Any, wanted: Any) -> bool:
    if isinstance(value, list):
        return wanted in value
    if isinstance(value, dict):
        return isinstance(wanted, str) and wanted in value
    if isinstance(value, str):
        return isinstance(wanted, str) and wanted in value
    return False


def check_json(spec: JsonCheck, ctx: CheckContext) -> Result:
    found = _document(spec, ctx)
    if isinstance(found, Result):
        return found
    where, text = found
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return Result.fail(f"{where} is not valid JSON: {exc}")
    if spec.query is None:
        return Result.ok(f"{where} is valid JSON")
    value = jmespath.search(spec.query, doc)
    said = f"{where}: `{spec.query}` is {_shown(value)}"
    if "equals" in spec.model_fields_set:
        if value == spec.equals:
            return Result.ok(said)
        return Result.fail(f"{said}, expected {_shown(spec.equals)}")
    if "contains" in spec.model_fields_set:
        if _contains(value, spec.contains):
            return Result.ok(f"{said}, which contains {_shown(spec.contains)}")
        return Result.fail(f"{said}, expected it to contain {_shown(spec.contains)}")
    if value is None:
        return Result.fail(f"{where}: `{spec.query}` finds nothing")
    return Result.ok(said)


def watch_json(spec: JsonCheck, ctx: CheckContext) -> WatchPlan:
    """The file; or, for a URL, container and image events (a registry's catalog) and a timer."""
    if spec.file is not None:
        return WatchPlan(files=workspace_files(ctx, spec.file), reasons=(f"file {spec.file}",))
    return WatchPlan(
        rules=(EventRule("container", CONTAINER_ACTIONS), EventRule("image", IMAGE_ACTIONS)),
        files=workspace_files(ctx, spec.ca_file),
        poll_interval=POLL_UNWATCHED,
        reasons=(f"{spec.url}",),
    )


JSON = CheckKind(JsonCheck, check_json, watch_json)
