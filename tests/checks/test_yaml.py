"""`file` checks with `yaml:` and the YAML matching `registry_config` shares: the file read as
the registry's YAML 1.1 parser reads it, never as text (pure: no engine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab.checks import CheckContext, Status
from dockerlab.checks.yamlmatch import YamlProblem, mismatch, parse_yaml, same_scalar
from dockerlab.engine import Engine
from tests.checks.helpers_engine import check

BASE = "version: 0.1\nhttp:\n  addr: :5000\n"
HOOK = "http://webhook-receiver/cgi-bin/hook"
WANT = {"notifications": {"endpoints": [{"url": HOOK}]}}


@pytest.fixture
def ctx(workspace: Path) -> CheckContext:
    return CheckContext(engine=Engine(), workspace=workspace)


def configured(ctx: CheckContext, text: str) -> Status:
    (ctx.workspace / "config.yml").write_text(BASE + text)
    return check(ctx, kind="file", path="config.yml", yaml=WANT).status


def test_the_endpoint_in_block_or_flow_style_passes(ctx: CheckContext) -> None:
    block = f"notifications:\n  endpoints:\n    - name: receiver\n      url: {HOOK}\n"
    assert configured(ctx, block) is Status.PASS
    flow = f'notifications:\n  endpoints: [{{name: r, url: "{HOOK}/", timeout: 2s}}]\n'
    assert configured(ctx, flow) is Status.PASS


def test_a_tab_in_the_indentation_fails_with_where(ctx: CheckContext) -> None:
    (ctx.workspace / "config.yml").write_text(
        BASE + f"notifications:\n\tendpoints:\n\t\t- url: {HOOK}\n"
    )
    result = check(ctx, kind="file", path="config.yml", yaml=WANT)
    assert result.status is Status.FAIL
    assert result.message.startswith("config.yml is not valid YAML at line 5, column 1")


def test_the_url_only_in_a_comment_fails(ctx: CheckContext) -> None:
    text = f"notifications:\n  endpoints:\n    - name: receiver\n      # url: {HOOK}\n"
    assert configured(ctx, text) is Status.FAIL


def test_disabled_true_is_seen_as_yaml_reads_it() -> None:
    doc = parse_yaml(f"endpoints:\n  - url: {HOOK}\n    disabled: True\n", "x")
    assert mismatch({"endpoints": [{"url": HOOK, "disabled": True}]}, doc) is None
    assert mismatch({"endpoints": [{"url": HOOK, "disabled": False}]}, doc) is not None


def test_scalars_compare_booleans_as_booleans_and_urls_without_a_trailing_slash() -> None:
    assert same_scalar(True, parse_yaml("True", "x"))
    assert same_scalar(True, parse_yaml("yes", "x"))
    assert not same_scalar(True, "true-ish")
    assert same_scalar("http://upstream:5000", "http://upstream:5000/")
    assert not same_scalar("http://upstream:5000", "http://upstream:5001")
    assert same_scalar(0.1, "0.1")


def test_mismatch_says_where() -> None:
    assert mismatch({"a": {"b": 1}}, {"a": {}}) == "a.b is not set"
    assert mismatch({"a": [1]}, {"a": [2]}) == "no item of a matches 1"
    assert mismatch({"A": 1}, {"a": 1}) is None


def test_broken_yaml_is_a_located_problem() -> None:
    with pytest.raises(YamlProblem, match="line 2"):
        parse_yaml("a: 1\n b: [\n", "config.yml")
