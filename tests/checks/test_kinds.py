"""The registry of check kinds (dockerlab/checks/kinds.py): every model has an evaluator and a
watch plan chosen for it, and evaluation never raises. Pure logic: no engine is contacted."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from dockerlab.checks import KINDS, CheckContext, evaluate, plan_for
from dockerlab.checks.combinators import all_of, any_of, negation
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.result import Result, Status
from dockerlab.checks.watchplan import POLL_UNWATCHED, POLL_WATCHED, WatchPlan
from dockerlab.engine import Engine
from dockerlab.engine.events import EngineEvent
from dockerlab.model import checks as m
from dockerlab.model.base import CheckSpec
from dockerlab.model.pipeline_checks import NotificationCheck, RegistryImageCheck

# one small, valid check of every kind (a new kind fails test_every_kind_has_an_example)
EXAMPLES: dict[str, dict[str, Any]] = {
    "container": {"name": "registry"},
    "image": {"ref": "busybox"},
    "registry": {"url": "http://127.0.0.1:5000"},
    "registry_config": {"container": "registry"},
    "file": {"path": "a.txt"},
    "http": {"url": "http://127.0.0.1:5000/v2/"},
    "swarm": {},
    "service": {"name": "web"},
    "login": {"registry": "127.0.0.1:5000"},
    "daemon": {"insecure_registry": "10.0.0.5:5000"},
    "command": {"run": "true"},
    "json": {"file": "doc.json"},
    "registry_image": {"url": "http://127.0.0.1:5000", "repository": "app"},
    "notification": {"log": "events.log", "repository": "app"},
    "all": {"checks": [{"kind": "file", "path": "a.txt"}]},
    "any": {"checks": [{"kind": "file", "path": "a.txt"}]},
    "not": {"check": {"kind": "file", "path": "a.txt"}},
}
CHECK = TypeAdapter(m.Check)


def example(kind: str) -> m.Check:
    return CHECK.validate_python({"kind": kind, **EXAMPLES[kind]})


def ctx(tmp_path: Path) -> CheckContext:
    return CheckContext(
        engine=Engine(base_url="unix:///nonexistent/docker.sock"),
        workspace=tmp_path / "ws",
        docker_config_dir=tmp_path / "docker",
        certs_d=tmp_path / "certs.d",
    )


def test_every_check_model_has_exactly_one_registry_entry() -> None:
    assert set(KINDS) == set(m.CHECK_MODELS)
    for model, kind in KINDS.items():
        assert isinstance(kind, CheckKind)
        assert kind.model is model
        assert callable(kind.evaluate)
        assert callable(kind.watch)
    assert [k.name for k in KINDS.values()] == list(m.CHECK_KINDS)


def test_every_kind_has_an_example() -> None:
    assert set(EXAMPLES) == set(m.CHECK_KINDS)


@pytest.mark.parametrize("kind", m.CHECK_KINDS)
def test_every_kind_has_a_watch_plan_that_says_what_it_watches(kind: str, tmp_path: Path) -> None:
    """No kind falls through to a default: each plan names what it follows (or its timer)."""
    plan = plan_for(example(kind), ctx(tmp_path))
    assert isinstance(plan, WatchPlan)
    assert plan.reasons, kind
    assert plan.rules or plan.files or plan.poll_interval == POLL_UNWATCHED, kind


def test_only_the_command_check_is_left_to_a_timer(tmp_path: Path) -> None:
    timed = [
        kind
        for kind in m.CHECK_KINDS
        if (plan := plan_for(example(kind), ctx(tmp_path))) and not (plan.rules or plan.files)
    ]
    assert timed == ["command"]
    assert "on a timer" in plan_for(example("command"), ctx(tmp_path)).describe()


def test_a_notification_check_watches_the_receivers_log(tmp_path: Path) -> None:
    plan = plan_for(example("notification"), ctx(tmp_path))
    assert plan.files == (tmp_path / "ws" / "events.log",)
    assert plan.poll_interval == POLL_WATCHED
    with_digest = NotificationCheck(
        kind="notification",
        log="events.log",
        repository="app",
        tag="v1",
        digest_from="http://127.0.0.1:5000",
    )
    plan = plan_for(with_digest, ctx(tmp_path))
    assert plan.files == (tmp_path / "ws" / "events.log",)
    assert plan.relevant(EngineEvent(type="image", action="push", name="x", attributes={}))
    assert plan.poll_interval == POLL_UNWATCHED


def test_a_registry_image_check_follows_pushes_and_polls(tmp_path: Path) -> None:
    spec = RegistryImageCheck(
        kind="registry_image", url="https://127.0.0.1:5443", repository="app", ca_file="ca.crt"
    )
    plan = plan_for(spec, ctx(tmp_path))
    assert plan.relevant(EngineEvent(type="image", action="push", name="x", attributes={}))
    assert plan.files == (tmp_path / "ws" / "ca.crt",)
    assert plan.poll_interval == POLL_UNWATCHED


def test_a_daemon_check_watches_the_trust_file_it_reads(tmp_path: Path) -> None:
    """The host is written like a URL: the plan names the file the evaluator opens."""
    spec = m.DaemonCheck(kind="daemon", certs_d=m.CertsDSpec(host="https://127.0.0.1:5443/"))
    plan = plan_for(spec, ctx(tmp_path))
    assert plan.files == (tmp_path / "certs.d" / "127.0.0.1:5443" / "ca.crt",)


def test_an_unregistered_model_is_an_error_not_a_default(tmp_path: Path) -> None:
    class Stray(CheckSpec):
        kind: str = "stray"

    with pytest.raises(LookupError, match="Stray"):
        plan_for(Stray(), ctx(tmp_path))  # type: ignore[arg-type]
    result = evaluate(Stray(), ctx(tmp_path))  # type: ignore[arg-type]
    assert result.status is Status.ERROR
    assert "stray" in result.message


def test_evaluate_never_raises_on_a_broken_evaluator(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def boom(spec: object, ctx: object) -> Result:
        raise RuntimeError("bug")

    model: type[CheckSpec] = m.CommandCheck
    monkeypatch.setitem(KINDS, model, replace(KINDS[model], evaluate=boom))
    result = evaluate(m.CommandCheck(kind="command", run="true"), ctx(tmp_path))
    assert result.status is Status.ERROR
    assert "bug" in result.message


def test_combinators_evaluate_through_the_registry(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "here").write_text("x")
    here = m.FileCheck(kind="file", path="here")
    gone = m.FileCheck(kind="file", path="gone")
    assert evaluate(m.AllCheck(kind="all", checks=[here, gone]), ctx(tmp_path)).status is (
        Status.FAIL
    )
    assert evaluate(m.AnyCheck(kind="any", checks=[gone, here]), ctx(tmp_path)).passed
    assert evaluate(m.NotCheck(kind="not", check=gone), ctx(tmp_path)).passed
    message = m.AllCheck(kind="all", checks=[gone], message="make the file first")
    failed = evaluate(message, ctx(tmp_path))
    assert failed.message == "make the file first"
    assert failed.detail is not None
    assert "gone" in failed.detail


PASS, FAIL, ERROR = Result.ok("p"), Result.fail("f"), Result.error("e")


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([PASS, PASS], Status.PASS),
        ([PASS, FAIL], Status.FAIL),
        ([FAIL, ERROR], Status.ERROR),
    ],
)
def test_all_of_lets_error_win_over_fail(results: list[Result], expected: Status) -> None:
    combined = all_of(results)
    assert combined.status is expected
    assert combined.children == tuple(results)


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([FAIL, PASS], Status.PASS),
        ([FAIL, FAIL], Status.FAIL),
        ([FAIL, ERROR], Status.ERROR),
        ([ERROR, PASS], Status.PASS),
    ],
)
def test_any_of_passes_on_one_pass(results: list[Result], expected: Status) -> None:
    assert any_of(results).status is expected


def test_negation_keeps_an_error_an_error() -> None:
    assert negation([PASS]).status is Status.FAIL
    assert negation([FAIL]).status is Status.PASS
    assert negation([ERROR]) is ERROR
