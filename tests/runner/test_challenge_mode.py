"""Challenge mode from a plain terminal: `dockerlab show --challenge` prints a step without its
commands and keeps the choice for the lab, `show --hint` climbs the hint ladder (the last rung
has the command), and a step the CLI checks is recorded in the lab's mode.

The lab is a small one of files only (a `file` check), so no engine is needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab import paths
from dockerlab.cli import main
from dockerlab.model.challenge import HIDDEN_NOTE, command_blocks
from dockerlab.model.loader import load_lab
from dockerlab.progress import Mode, ProgressStore
from dockerlab.runner.session import LabSession

LAB = """\
format_version: 1
id: file-lab
title: A file lab
section: private-registry
summary: Write a file.
minutes: 2
cleanup:
  paths: [hello.txt]
steps:
  - id: write
    title: Write a file
    goal: "`hello.txt` says hello."
    instructions: |
      A file is where a registry keeps its settings. Write one that says hello:

      ```
      echo hello > hello.txt
      ```

      The check reads the file.
    solution:
      - echo hello > hello.txt
    hints:
      - "`echo` prints its words; `>` sends them to a file."
      - "`echo hello > hello.txt`"
    check:
      kind: file
      path: hello.txt
      contains: hello
  - id: again
    title: Check it again
    instructions: |
      Look at it:

      ```
      cat hello.txt
      ```
    solution:
      - cat hello.txt
    check:
      kind: file
      path: hello.txt
"""


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    folder = tmp_path / "labs" / "file-lab"
    folder.mkdir(parents=True)
    (folder / "lab.yaml").write_text(LAB, encoding="utf-8")
    return folder


def _store() -> ProgressStore:
    return ProgressStore()


def test_show_challenge_prints_no_command_block_and_keeps_the_choice(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "--challenge", str(lab)]) == 0
    out = capsys.readouterr().out
    assert "echo hello > hello.txt" not in out
    assert "```" not in out
    assert command_blocks(out) == []
    assert HIDDEN_NOTE in out
    assert "Goal: `hello.txt` says hello." in out
    assert "A file is where a registry keeps its settings." in out  # explanations stay
    assert "dockerlab show --hint file-lab write" in out
    with _store() as store:
        assert store.lab_mode("file-lab") is Mode.CHALLENGE

    # the choice is kept: a plain `show` is in challenge mode too, for this lab only
    assert main(["show", str(lab), "again"]) == 0
    out = capsys.readouterr().out
    assert "cat hello.txt" not in out
    assert HIDDEN_NOTE in out

    assert main(["show", "--guided", str(lab)]) == 0
    out = capsys.readouterr().out
    assert "echo hello > hello.txt" in out
    assert HIDDEN_NOTE not in out
    with _store() as store:
        assert store.lab_mode("file-lab") is Mode.GUIDED


def test_the_hint_ladder_gives_the_command_in_challenge_mode(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "--challenge", "--hint", str(lab)]) == 0
    first = capsys.readouterr().out
    assert "Hint 1 of 2: `echo` prints its words" in first
    assert "Hint 2" not in first
    assert main(["show", "--hint", str(lab)]) == 0
    second = capsys.readouterr().out
    assert "Hint 2 of 2: `echo hello > hello.txt`" in second  # the command comes back
    assert "That was the last hint. The solution, run for you: dockerlab solve file-lab write" in (
        second
    )
    with _store() as store:
        assert store.hints_revealed("file-lab", "write") == 2  # as F2 in the app records them
    assert main(["show", "--hint", str(lab), "again"]) == 0
    assert "This step has no hints." in capsys.readouterr().out


def test_a_step_checked_from_the_cli_is_recorded_in_the_labs_mode(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "--challenge", str(lab)]) == 0
    workspace = paths.workspace_for("file-lab")
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / "hello.txt").write_text("hello\n", encoding="utf-8")
    assert main(["check", str(lab), "write"]) == 0
    main(["show", "--guided", str(lab)])
    assert main(["check", str(lab), "again"]) == 0
    with _store() as store:
        done = store.completed_steps("file-lab")
    assert (done["write"].mode, done["again"].mode) == (Mode.CHALLENGE, Mode.GUIDED)


def test_the_app_flag_before_a_command_says_where_it_belongs(
    lab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--challenge", "show", str(lab)]) == 2
    assert "dockerlab show --challenge LAB" in capsys.readouterr().err


def test_a_session_shows_and_records_in_its_mode(lab: Path, tmp_path: Path) -> None:
    loaded = load_lab(lab)
    write, again = loaded.lab.step("write"), loaded.lab.step("again")
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "hello.txt").write_text("hello\n", encoding="utf-8")
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        session = LabSession(loaded, workspace=tmp_path / "ws", progress=store)
        assert session.mode is Mode.GUIDED
        assert "echo hello > hello.txt" in session.instructions(write)
        session.choose_mode(Mode.CHALLENGE)
        assert "echo hello > hello.txt" not in session.instructions(write)
        assert write.hints[-1] == "`echo hello > hello.txt`"  # hints are never touched
        assert session.filled(write).solution[0].run == "echo hello > hello.txt"
        # its commands were shown before the switch: done now, it is a guided step
        assert session.attempt(write).completed
        assert store.completed_steps("file-lab")["write"].mode is Mode.GUIDED
        # a new session of the same learner opens the lab in the mode chosen; a step whose
        # commands it never showed is recorded as a challenge met
        fresh = LabSession(loaded, workspace=tmp_path / "ws", progress=store)
        assert fresh.mode is Mode.CHALLENGE
        assert "cat hello.txt" not in fresh.instructions(again)
        assert fresh.attempt(again).completed
        assert store.completed_steps("file-lab")["again"].mode is Mode.CHALLENGE
    no_record = LabSession(loaded, workspace=tmp_path / "ws")
    assert no_record.mode is Mode.GUIDED


def test_a_step_whose_solution_was_shown_or_run_counts_as_guided(lab: Path, tmp_path: Path) -> None:
    """In challenge mode the solution (F3; run with F4 or `dockerlab solve` it is done with help
    too) shows the commands: a step done after that is not a challenge met."""
    loaded = load_lab(lab)
    write, again = loaded.lab.step("write"), loaded.lab.step("again")
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        session = LabSession(loaded, workspace=tmp_path / "ws", progress=store)
        session.choose_mode(Mode.CHALLENGE)
        session.instructions(write)
        session.commands_shown(write)  # F3
        assert session.mode_of(write) is Mode.GUIDED
        (tmp_path / "ws").mkdir()
        (tmp_path / "ws" / "hello.txt").write_text("hello\n", encoding="utf-8")
        assert session.attempt(write).completed
        session.instructions(again)
        assert session.mode_of(again) is Mode.CHALLENGE  # only the step whose commands showed
        assert session.attempt(again).completed
        modes = {k: r.mode for k, r in store.completed_steps("file-lab").items()}
    assert modes == {"write": Mode.GUIDED, "again": Mode.CHALLENGE}
