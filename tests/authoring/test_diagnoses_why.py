"""Diagnoses an author can test: `example:` checked by lint, `check LAB STEP --why` shows which
diagnosis matches the output of what was run."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from dockerlab.authoring.lint import lint
from tests.authoring.conftest import GOOD_LAB, Cli, write_lab

DIAGNOSED = (
    GOOD_LAB
    + """\
        diagnoses:
          - pattern: "Conflict\\\\. The container name .* is already in use"
            example: >-
              docker: Error response from daemon: Conflict. The container name "/tiny-box"
              is already in use by container "4f1c".
            explanation: A container of that name exists; remove it with `docker rm -f`.
          - pattern: "Unable to find image 'busybx"
            example: "Unable to find image 'busybox:latest' locally"
            explanation: Check the image name's spelling.
"""
)


def test_lint_fails_a_diagnosis_whose_pattern_misses_its_example(tmp_path: Path) -> None:
    write_lab(tmp_path, DIAGNOSED.replace("tiny-box", "tinybox"))
    result = lint([tmp_path])
    messages = [(p.line, p.message) for p in result.errors]
    assert len(messages) == 1, messages
    line, message = messages[0]
    assert 'pattern "Unable to find image \'busybx" does not match its example' in message
    assert line == 31  # the second diagnosis's example


def test_warnings_are_shown_while_the_file_has_errors(tmp_path: Path) -> None:
    broken = GOOD_LAB.replace("minutes: 1", "minutes: soon").replace(
        """        hints:
          - Use `docker container run -d`.
""",
        "        hints:\n",
    )
    write_lab(tmp_path, broken)
    result = lint([tmp_path])
    assert any("minutes" in p.message for p in result.errors)
    assert any("has only one hint" in p.message for p in result.warnings)


@pytest.mark.engine
def test_check_why_names_the_matching_diagnosis(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, engine: object, unique: str
) -> None:
    pack = tmp_path / "pack"
    write_lab(pack, DIAGNOSED)
    output = tmp_path / "out.txt"
    output.write_text('docker: Conflict. The container name "/tiny-box" is already in use\n')
    box = ["--var", f"box=tiny-box-{unique}"]
    code, out, _ = cli(
        "--content", str(pack), "check", "tiny", "run-box", "--why", *box, "--output", str(output)
    )
    assert code == 1  # the container is not there: the check fails, and says so in detail
    assert f"✗ run-box: Run a box: container 'tiny-box-{unique}' does not exist" in out
    assert "Diagnosis (pattern 'Conflict\\\\. The container name" in out
    assert "remove it with `docker rm -f`" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("all fine\n"))
    code, out, _ = cli("--content", str(pack), "check", "tiny", "run-box", "--why", *box)
    assert "No diagnosis of step 'run-box' matches this output" in out


@pytest.mark.engine
def test_a_check_message_is_what_the_learner_reads_and_why_shows_the_raw_line(
    tmp_path: Path, cli: Cli, engine: object, unique: str
) -> None:
    pack = tmp_path / "pack"
    said = "Your container is not running yet: start it with docker container run -d."
    write_lab(
        pack,
        GOOD_LAB.replace(
            '          name: "{{ box }}"',
            f'          name: "{{{{ box }}}}"\n          message: "{said}"',
        ),
    )
    box = ["--var", f"box=tiny-box-{unique}"]
    code, out, _ = cli("--content", str(pack), "check", "tiny", "run-box", *box)
    assert code == 1
    assert f"✗ run-box: Run a box: {said}" in out
    assert "does not exist" not in out
    code, out, _ = cli(
        "--content", str(pack), "check", "tiny", "run-box", "--why", *box, "--output", "/dev/null"
    )
    assert f"observed: container 'tiny-box-{unique}' does not exist" in out


def test_why_with_nothing_piped_in_says_how_to_give_the_output(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "pack"
    write_lab(pack, DIAGNOSED)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    _, out, _ = cli("--content", str(pack), "check", "tiny", "run-box", "--why", "--var", "box=x")
    assert "to see which matches, give the output of what you ran" in out
    assert "No diagnosis" not in out
