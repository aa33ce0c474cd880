"""The near-miss matrix's size: every step of every bundled lab lists at least two mistakes
learners make (each must FAIL, for the reason and with the diagnosis its `near_misses:` entry
names) and one other legitimate way to reach the goal (it must PASS). They run on the real
engine in test_validate_labs.py, as `dockerlab validate --near-misses` runs them."""

from __future__ import annotations

import pytest

from tests.labs.test_validate_labs import LAB_IDS, lab

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
