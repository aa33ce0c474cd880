"""The near-miss matrix: every bundled lab's steps tried against the real engine with the
mistakes learners make (each must FAIL, for the reason and with the diagnosis its `near_misses:`
entry names) and other legitimate ways to reach the goal (each must PASS), as
`dockerlab validate --near-misses` does. The fast tests hold every step to at least two
mistakes and one other way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockerlab.engine import Engine
from dockerlab.model.loader import load_lab
from dockerlab.runner.session import LabSession
from dockerlab.runner.validate import validate
from tests.labs.test_validate_labs import LAB_FILES, LAB_IDS, lab, summary

MIN_FAIL, MIN_PASS = 2, 1


@pytest.mark.parametrize("slug", LAB_IDS)
def test_every_step_has_two_mistakes_and_another_way(slug: str) -> None:
    for step in lab(slug).steps:
        fails = [m for m in step.near_misses if m.expect == "fail"]
        passes = [m for m in step.near_misses if m.expect == "pass"]
        assert len(fails) >= MIN_FAIL, f"{slug}/{step.id}: {len(fails)} mistakes, want {MIN_FAIL}"
        assert len(passes) >= MIN_PASS, f"{slug}/{step.id}: {len(passes)} other ways"


@pytest.mark.parametrize("slug", LAB_IDS)
def test_near_miss_diagnoses_name_a_diagnosis_of_their_step(slug: str) -> None:
    for step in lab(slug).steps:
        patterns = [d.pattern for d in step.diagnoses]
        for miss in step.near_misses:
            if miss.diagnosis is not None:
                assert any(miss.diagnosis in p for p in patterns), (
                    f"{slug}/{step.id}: '{miss.name}' names a diagnosis the step does not have"
                )


@pytest.mark.slow
@pytest.mark.engine
@pytest.mark.usefixtures("engine_lock")
@pytest.mark.timeout(900, func_only=True)
@pytest.mark.parametrize("path", LAB_FILES, ids=LAB_IDS)
def test_near_misses_on_the_real_engine(engine: Engine, tmp_path: Path, path: Path) -> None:
    from dockerlab.engine.doctor import quick_capabilities

    if shutil.which("skopeo") is None:
        pytest.fail(
            "the near-miss matrix pushes and pulls with skopeo: install it (apt-get install skopeo)"
        )
    loaded = load_lab(path, capabilities=quick_capabilities())
    session = LabSession(loaded, engine, workspace=tmp_path / loaded.lab.id)
    missing = session.missing_requirements()
    if missing:
        pytest.skip(f"this machine lacks {', '.join(missing)}")
    report = validate(session, near_misses=True)
    lines = [summary(report)]
    for step in report.steps:
        for miss in step.near_misses:
            verdict = miss.result.status.value if miss.result else "-"
            lines.append(
                f"    {step.step_id} / {miss.name} (must {miss.expect}): {verdict} "
                f"in {miss.seconds:.1f}s; "
                f"{miss.problem or (miss.result.message if miss.result else '')}"
            )
    print("\n".join(lines))
    assert report.ok, "\n".join(lines)
    assert [s.step_id for s in report.steps] == [s.id for s in loaded.lab.steps]
    for step in report.steps:
        assert len(step.near_misses) == len(loaded.lab.step(step.step_id).near_misses)
