"""lint refuses Docker names outside Docker's grammar and warns about nested quantifiers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab.authoring.lint import lint
from dockerlab.authoring.lint_safety import name_error, reference_error
from tests.authoring.conftest import GOOD_LAB, Cli, write_lab


@pytest.mark.parametrize(
    "name", ["registry", "tiny-box", "a1", "my_app.v2", "/registry", "0day", "Registry"]
)
def test_container_names_docker_accepts(name: str) -> None:
    assert name_error("container", name) is None


@pytest.mark.parametrize(
    "name", ["x; touch /tmp/f", "a", "-registry", "_x", ".x", "my app", "x$(id)", "ré", ""]
)
def test_container_names_docker_refuses_with_its_own_message(name: str) -> None:
    assert name_error("container", name) == (
        f"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
    )


@pytest.mark.parametrize(
    "ref",
    [
        "registry:2",
        "hello-world",
        "127.0.0.1:5000/hello-world",
        "localhost:5000/team/app:v1.0",
        "my-registry.example:443/a__b/c.d:latest",
        "busybox@sha256:" + "a" * 64,
        "[::1]:5000/x:y",
        "Example.COM/lib/app",
    ],
)
def test_references_docker_accepts(ref: str) -> None:
    assert reference_error(ref) is None


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("Registry:2", "invalid reference format: repository name must be lowercase"),
        ("x; touch /tmp/f", "invalid reference format"),
        ("registry:", "invalid reference format"),
        ("registry:-2", "invalid reference format"),
        ("a//b", "invalid reference format"),
        ("a-/b", "invalid reference format"),
        ("registry:" + "t" * 129, "invalid reference format"),
        ("busybox@sha256:abc", "invalid reference format"),
        ("http://127.0.0.1:5000/x", "invalid reference format"),
    ],
)
def test_references_docker_refuses(ref: str, message: str) -> None:
    assert reference_error(ref) == message


def test_a_hostile_reference_is_answered_at_once() -> None:
    assert reference_error("a-" * 5000 + "!") == "invalid reference format"
    assert reference_error(("a" * 30 + ".") * 30 + "!") == "invalid reference format"


BAD_NAMES = GOOD_LAB.replace(
    'containers: ["{{ box }}"]',
    'containers: ["{{ box }}", "x; touch /tmp/f"]\n      volumes: ["data vol"]\n'
    '      networks: ["net|x"]\n      images: ["Localhost:5000/Box"]',
)


def test_lint_reports_each_bad_name_where_it_stands(tmp_path: Path) -> None:
    lab = write_lab(tmp_path, BAD_NAMES)
    messages = {(p.line, p.message) for p in lint([tmp_path]).errors}
    assert messages == {
        (
            11,
            "container 'x; touch /tmp/f': Invalid container name (x; touch /tmp/f), "
            "only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
        ),
        (
            12,
            "volume 'data vol': \"data vol\" includes invalid characters for a local volume "
            'name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed',
        ),
        (
            13,
            "network 'net|x': network name 'net|x' is not a valid Docker name; only "
            "[a-zA-Z0-9][a-zA-Z0-9_.-]+ is",
        ),
        (
            14,
            "image 'Localhost:5000/Box': invalid reference format: repository name must be "
            "lowercase",
        ),
    }, lab.read_text()


def test_a_bad_container_name_in_a_check_is_an_error(tmp_path: Path, cli: Cli) -> None:
    write_lab(tmp_path, GOOD_LAB.replace('name: "{{ box }}"', 'name: "x; touch /tmp/f"'))
    code, out, _ = cli("lint", str(tmp_path))
    assert code == 1
    assert "Invalid container name (x; touch /tmp/f)" in out


NESTED_DIAGNOSIS = GOOD_LAB.replace(
    "        check:\n",
    '        diagnoses:\n          - pattern: "^(a+)+$"\n            explanation: A near miss.\n'
    "        check:\n",
)


def test_a_nested_quantifier_in_a_diagnosis_is_a_warning(tmp_path: Path) -> None:
    write_lab(tmp_path, NESTED_DIAGNOSIS)
    result = lint([tmp_path])
    assert result.errors == []
    (warned,) = result.warnings
    assert warned.message.startswith("pattern '^(a+)+$' repeats a group that itself repeats")
    assert (warned.line, warned.column) == (22, 18)


QUIZ = """\
format_version: 1
id: hostile
title: Hostile
section: test
questions:
  - id: aaa
    type: short
    prompt: Type a few a's.
    accept: [aaaa]
    regex: "^(a+)+$"
    explanation: Some a's.
  - id: ip
    type: short
    prompt: An address?
    accept: [127.0.0.1]
    regex: "(\\\\d{1,3}\\\\.){3}\\\\d{1,3}"
    explanation: Loopback.
"""


def test_a_nested_quantifier_in_an_answer_pattern_is_a_warning(tmp_path: Path) -> None:
    quiz = tmp_path / "hostile.quiz.yaml"
    quiz.write_text(QUIZ)
    result = lint([quiz])
    assert result.errors == []
    assert [(p.line, p.message.split(";")[0]) for p in result.warnings] == [
        (
            10,
            "pattern '^(a+)+$' repeats a group that itself repeats "
            "(a nested quantifier, as in (a+)+)",
        )
    ]
