"""Author patterns run with a time bound, and lint's test for nested quantifiers."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from dockerlab.model.loader import load_lab
from dockerlab.model.patterns import compile_error, matches, nested_quantifier
from dockerlab.model.problems import ContentError
from dockerlab.runner.session import LabSession

NEAR_MISS = "a" * 30 + "b" * 30 + "!"
SLOW = r"^(a|aa)+(b|bb)+$"  # `regex` cannot see through this one: it needs the timeout


def test_a_pattern_that_runs_out_of_time_is_no_match_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        assert not matches(SLOW, NEAR_MISS)
    assert f"pattern '{SLOW}' ran out of time and counts as no match" in caplog.text
    assert matches(SLOW, "aab")


@pytest.mark.parametrize(
    ("pattern", "text", "options", "expected"),
    [
        (r"denied", "x\nrequested access to the resource is denied\n", {}, True),
        (r"^denied$", "x\ndenied\ny", {"multiline": True}, True),
        (r"^denied$", "x\ndenied\ny", {}, False),
        (r"tag", "TAG", {"whole": True, "ignore_case": True}, True),
        (r"tag", "retag", {"whole": True}, False),
        (r"(", "(", {}, False),  # a broken pattern matches nothing (the loader refuses it)
    ],
)
def test_matches_like_re(pattern: str, text: str, options: dict[str, bool], expected: bool) -> None:
    assert matches(pattern, text, **options) is expected


def test_compile_error_names_the_problem() -> None:
    assert compile_error(r"(a") is not None
    assert compile_error(r"\d{1,3}") is None


@pytest.mark.parametrize(
    ("pattern", "nested"),
    [
        (r"^(a+)+$", True),
        (r"(\w+\s?)*$", True),
        (r"(?:x*)*", True),
        (r"((a+))+", True),
        (r"(?=(a+)+)b", True),
        (r"(a{1,3})+", True),
        (r"(\d{1,3}\.){3}\d{1,3}", False),  # bounded outside: fine
        (r"(a{2})+", False),  # fixed inside: fine
        (r"(docker )?(image )?tag", False),
        (r"[A-Za-z0-9_.-]+[.]crt", False),
        (r"\p{L}+", False),  # only `regex` reads it: nothing to say
    ],
)
def test_nested_quantifier(pattern: str, nested: bool) -> None:
    assert nested_quantifier(pattern) is nested


LAB = """\
format_version: 1
id: diag
title: Diag
section: test
summary: Diagnoses.
minutes: 1
steps:
  - id: one
    title: One
    instructions: Run it.
    solution: "true"
    hints: [a, b]
    check: {kind: command, run: "true"}
    diagnoses:
      - pattern: "{slow}"
        explanation: Slow.
      - pattern: "!$"
        explanation: Ends with a bang.
"""


def test_a_slow_diagnosis_does_not_hang_the_others(tmp_path: Path) -> None:
    lab = tmp_path / "lab.yaml"
    lab.write_text(LAB.replace("{slow}", SLOW.replace("\\", "\\\\")))
    loaded = load_lab(lab)
    session = LabSession(loaded, workspace=tmp_path / "ws")
    step = loaded.lab.steps[0]
    assert [d.explanation for d in session.diagnose(step, NEAR_MISS)] == ["Ends with a bang."]


def test_a_diagnosis_pattern_that_does_not_compile_is_a_located_problem(tmp_path: Path) -> None:
    lab = tmp_path / "lab.yaml"
    lab.write_text(LAB.replace("{slow}", "(unclosed"))
    with pytest.raises(ContentError) as err:
        load_lab(lab)
    (problem,) = [p for p in err.value.problems if "regular expression" in p.message]
    assert problem.line == 15
    assert problem.message.startswith("steps.0.diagnoses.0.pattern: '(unclosed' is not a valid")
