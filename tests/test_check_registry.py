"""A new check kind means one model and one evaluator: neither may be forgotten."""

from __future__ import annotations

from dockerlab import checks
from dockerlab.model.checks import CHECK_MODELS


def test_every_check_model_has_an_evaluator() -> None:
    checks._load_families()
    missing = [m.__name__ for m in CHECK_MODELS if m not in checks._EVALUATORS]
    assert missing == []


def test_evaluate_never_raises_on_a_broken_evaluator(monkeypatch: object) -> None:
    from pathlib import Path

    from dockerlab.checks import CheckContext, evaluate
    from dockerlab.checks.result import Status
    from dockerlab.engine import Engine
    from dockerlab.model.checks import CommandCheck

    def boom(spec: object, ctx: object) -> object:
        raise RuntimeError("bug")

    checks._load_families()
    original = checks._EVALUATORS[CommandCheck]
    checks._EVALUATORS[CommandCheck] = boom  # type: ignore[assignment]
    try:
        ctx = CheckContext(engine=Engine(), workspace=Path("."))
        result = evaluate(CommandCheck(kind="command", run="true"), ctx)
    finally:
        checks._EVALUATORS[CommandCheck] = original
    assert result.status is Status.ERROR
    assert "bug" in result.message
