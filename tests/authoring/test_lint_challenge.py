"""Lint warns about a step whose instructions are nothing but commands: in challenge mode (the
commands hidden) the learner would read only the goal."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab import paths
from dockerlab.authoring.lint import format_problem, lint
from tests.authoring.conftest import GOOD_LAB, Cli, write_lab

ONLY_COMMANDS = """instructions: |
          ```
          docker container run -d --name {{ box }} busybox sleep 60
          ```"""


def test_instructions_that_are_only_commands_are_a_warning(tmp_path: Path, cli: Cli) -> None:
    lab = write_lab(tmp_path, GOOD_LAB.replace("instructions: Run it.", ONLY_COMMANDS))
    result = lint([lab])
    assert result.errors == []
    [warning] = result.warnings
    assert format_problem(warning) == (
        f"{lab}:15:5: warning: step 'run-box' has only commands in its instructions, so "
        "challenge mode shows nothing but its goal: say in words what to do and why"
    )
    assert cli("lint", "--strict", str(lab))[0] == 1


@pytest.mark.parametrize(
    "instructions",
    [
        "instructions: Run it.",
        ONLY_COMMANDS.replace("instructions: |", "instructions: |\n          Run a box:\n"),
        ONLY_COMMANDS.replace("```\n", "```yaml\n", 1),  # a file, not a command: it stays
    ],
    ids=["prose only", "prose and a command", "a labelled file"],
)
def test_instructions_with_words_are_fine(tmp_path: Path, instructions: str) -> None:
    lab = write_lab(tmp_path, GOOD_LAB.replace("instructions: Run it.", instructions))
    assert lint([lab]).problems == []


def test_no_bundled_step_is_only_commands() -> None:
    result = lint([paths.bundled_labs()])
    assert not [p for p in result.warnings if "only commands" in p.message]
