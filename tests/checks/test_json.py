"""`json`: a file or an HTTP body is valid JSON and a JMESPath query gives, equals or contains a
value (real files, a real registry's tag list). And `message:` on a failing check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dockerlab.checks import CheckContext, Result, Status, evaluate
from dockerlab.model.checks import JsonCheck
from tests.checks.conftest import Pushed, Registry

pytestmark = pytest.mark.engine


def run(ctx: CheckContext, **fields: Any) -> Result:
    spec = JsonCheck.model_validate({"kind": "json", **fields})
    return evaluate(spec, ctx)


def test_a_saved_tag_list(ctx: CheckContext, workspace: Path) -> None:
    tags = workspace / "tags.json"
    assert run(ctx, file="tags.json").status is Status.FAIL  # not written yet
    tags.write_text('{"name": "tools/busybox", "tags": ["v1", "latest"]}')
    assert run(ctx, file="tags.json").passed
    assert run(ctx, file="tags.json", query="name", equals="tools/busybox").passed
    assert run(ctx, file="tags.json", query="tags", contains="v1").passed
    assert run(ctx, file="tags.json", query="length(tags)", equals=2).passed
    wrong_name = run(ctx, file="tags.json", query="name", equals="busybox")
    assert wrong_name.status is Status.FAIL
    assert wrong_name.message == 'tags.json: `name` is "tools/busybox", expected "busybox"'
    missing = run(ctx, file="tags.json", query="tags", contains="v2")
    assert missing.message == ('tags.json: `tags` is ["v1", "latest"], expected it to contain "v2"')
    assert run(ctx, file="tags.json", query="digest").message == "tags.json: `digest` finds nothing"


@pytest.mark.parametrize(
    "text",
    [
        "name: tools/busybox\ntags: [v1]\n",  # YAML, not JSON
        '{"name": "tools/busybox", "tags": ["v1",]}',  # a trailing comma
        "",  # an empty file
        "{'tags': ['v1']}",  # Python's quotes
    ],
)
def test_what_is_not_json_fails(ctx: CheckContext, workspace: Path, text: str) -> None:
    (workspace / "tags.json").write_text(text)
    result = run(ctx, file="tags.json", query="tags", contains="v1")
    assert result.status is Status.FAIL
    assert result.message.startswith("tags.json is not valid JSON: ")


def test_a_number_is_not_its_text(ctx: CheckContext, workspace: Path) -> None:
    (workspace / "port.json").write_text(json.dumps({"port": "5000"}))
    assert run(ctx, file="port.json", query="port", equals=5000).status is Status.FAIL
    assert run(ctx, file="port.json", query="port", equals="5000").passed


def test_a_registry_tag_list_over_http(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed
) -> None:
    url = f"{plain_registry.url}/v2/{pushed.repo}/tags/list"
    assert run(ctx, url=url, query="name", equals=pushed.repo).passed
    assert run(ctx, url=url, query="tags", contains="v1").passed
    absent = run(ctx, url=f"{plain_registry.url}/v2/nothing-here/tags/list", query="tags")
    assert absent.status is Status.FAIL
    assert "answered 404, not 200" in absent.message


def test_a_message_replaces_the_raw_line_only_on_fail(ctx: CheckContext, workspace: Path) -> None:
    said = "tags.json does not hold the tag list: save the registry's answer to it"
    result = run(ctx, file="tags.json", query="tags", message=said)
    assert result.status is Status.FAIL
    assert result.message == said
    assert result.detail is not None
    assert result.detail.startswith("tags.json does not exist")
    (workspace / "tags.json").write_text('{"tags": ["v1"]}')
    passed = run(ctx, file="tags.json", query="tags", message=said)
    assert passed.passed
    assert passed.message == 'tags.json: `tags` is ["v1"]'


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"query": "tags"}, "give exactly one of file and url"),
        ({"file": "a.json", "url": "http://x/"}, "give exactly one of file and url"),
        ({"file": "a.json", "query": "tags[?"}, "is not a JMESPath expression"),
        ({"file": "a.json", "equals": 1}, "equals and contains need a query"),
        ({"url": "127.0.0.1:5000/v2/"}, "needs a scheme"),
    ],
)
def test_bad_specs_are_refused(fields: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error.replace("[", r"\[").replace("?", r"\?")):
        JsonCheck.model_validate({"kind": "json", **fields})
