"""Typed lab variables: `--var` values are parsed by their variable's declared type, problems
name the `--var`, unknown names get a did-you-mean, and `1.0` stays the text the author wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab.model.checks import RegistryCheck
from dockerlab.model.loader import load_lab
from dockerlab.model.problems import ContentError
from dockerlab.model.variables import parse_typed, parse_var_args

LAB = """\
format_version: 1
id: typed
title: Typed
section: private-registry
summary: Typed variables.
minutes: 5
variables:
{variables}
steps:
  - id: tag
    title: Tag it
    instructions: "docker tag busybox 127.0.0.1:{{{{ registry_port }}}}/busybox:{{{{ tag }}}}"
    solution: "docker tag busybox 127.0.0.1:{{{{ registry_port }}}}/busybox:{{{{ tag }}}}"
    hints: [one, two]
    check:
      kind: registry
      url: "http://127.0.0.1:{{{{ registry_port }}}}"
      repository: busybox
      tag: "{{{{ tag }}}}"
"""

TYPED = """\
  registry_port: {type: port, default: 5000}
  tag: {type: tag, default: latest, description: the tag to push}
"""


def write(tmp_path: Path, variables: str) -> Path:
    path = tmp_path / "lab.yaml"
    path.write_text(LAB.format(variables=variables))
    return path


def the_check(path: Path, **overrides: str | int) -> RegistryCheck:
    check = load_lab(path, overrides).lab.steps[0].check
    assert isinstance(check, RegistryCheck)
    return check


def test_a_number_given_to_a_tag_stays_text(tmp_path: Path) -> None:
    path = write(tmp_path, TYPED)
    assert the_check(path, tag="2").tag == "2"
    # an untyped variable with a text default is text too
    untyped = write(tmp_path, "  registry_port: 5000\n  tag: latest\n")
    assert the_check(untyped, tag="2").tag == "2"
    assert the_check(untyped, registry_port="5001").url == "http://127.0.0.1:5001"


def test_an_unquoted_version_is_the_text_the_author_wrote(tmp_path: Path) -> None:
    path = write(tmp_path, "  registry_port: 5000\n  tag: 1.10\n")
    assert the_check(path).tag == "1.10"
    flow = write(tmp_path, "  registry_port: 5000\n  tag: {type: tag, default: 1.0}\n")
    assert the_check(flow).tag == "1.0"


def test_a_bad_var_is_reported_as_a_var_at_its_declaration(tmp_path: Path) -> None:
    path = write(tmp_path, TYPED)
    with pytest.raises(ContentError) as err:
        load_lab(path, {"registry_port": "70000", "tag": "-bad"})
    found = [str(p) for p in err.value.problems]
    assert any(":8:" in p and "--var registry_port=70000" in p and "1-65535" in p for p in found)
    assert any(":9:" in p and "--var tag=-bad" in p and "not a Docker tag" in p for p in found)
    assert len(found) == 2  # no cascade of "unknown variable" problems


def test_an_unknown_var_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, TYPED)
    with pytest.raises(ContentError) as err:
        load_lab(path, {"registy_port": "5056"})
    (problem,) = err.value.problems
    assert "--var registy_port=5056: this lab has no variable 'registy_port'" in problem.message
    assert problem.suggestion == "registry_port"


def test_a_broken_declaration_does_not_cascade(tmp_path: Path) -> None:
    path = write(tmp_path, "  registry_port: {type: prot, default: 5000}\n  tag: [1, 2]\n")
    with pytest.raises(ContentError) as err:
        load_lab(path)
    messages = [p.message for p in err.value.problems]
    assert any("unknown variable type 'prot'" in m for m in messages)
    assert any("variable 'tag' needs a string or number" in m for m in messages)
    assert not any("unknown variable '{{" in m for m in messages)
    assert err.value.problems[0].suggestion == "port"


def test_a_default_that_does_not_fit_its_type(tmp_path: Path) -> None:
    path = write(tmp_path, "  registry_port: {type: port, default: http}\n  tag: latest\n")
    with pytest.raises(ContentError, match=r"variable 'registry_port' \(port\): 'http' is not"):
        load_lab(path)


@pytest.mark.parametrize(
    ("type_", "raw", "value"),
    [
        ("integer", "42", 42),
        ("port", "5001", 5001),
        ("tag", "v1.0-rc_1", "v1.0-rc_1"),
        ("host", "registry.example.com", "registry.example.com"),
        ("host", "172.17.0.1", "172.17.0.1"),
        ("path", "certs/ca.crt", "certs/ca.crt"),
        ("string", "x; y", "x; y"),
    ],
)
def test_typed_values(type_: str, raw: str, value: str | int) -> None:
    assert parse_typed(type_, raw) == value


@pytest.mark.parametrize(
    ("type_", "raw"),
    [
        ("integer", "4.2"),
        ("port", "0"),
        ("port", "5000/tcp"),
        ("tag", ".hidden"),
        ("tag", "a" * 129),
        ("tag", "v1:2"),
        ("host", "reg istry"),
        ("host", "-leading"),
        ("path", ""),
    ],
)
def test_values_that_do_not_fit(type_: str, raw: str) -> None:
    with pytest.raises(ValueError, match="."):
        parse_typed(type_, raw)


def test_var_arguments_are_kept_as_written() -> None:
    assert parse_var_args(["registry_port=5001", "tag=007", "x=a=b"]) == {
        "registry_port": "5001",
        "tag": "007",
        "x": "a=b",
    }
    with pytest.raises(ContentError, match="command line: --var needs NAME=VALUE, got 'oops'"):
        parse_var_args(["oops"])
