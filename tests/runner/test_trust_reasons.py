"""Each refusal for an untrusted pack says what wanted to run, so the author knows why `check
LAB STEP` works while `check LAB` does not."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import GOOD_LAB, Cli, write_lab

TRAILER = "are not trusted yet: read them, then run `dockerlab trust"


def test_each_refusal_names_what_would_run(tmp_path: Path, cli: Cli) -> None:
    pack = tmp_path / "pack"
    lab = write_lab(pack, GOOD_LAB)
    # reading the lab needs no trust
    assert cli("--content", str(pack), "show", "tiny")[0] == 0
    cases = {
        ("check", "tiny"): "setting the lab up may pull or build the images it declares, and",
        ("solve", "tiny"): "setting the lab up may pull or build the images it declares, and",
        ("reset", "tiny", "--yes"): "reset removes what the lab's `cleanup:` names, and",
        ("validate", str(lab.parent)): "validate runs the lab's setup, every solution and its",
    }
    for args, reason in cases.items():
        code, _, err = cli("--content", str(pack), *args)
        assert code == 2, args
        assert reason in err, (args, err)
        assert TRAILER in err, (args, err)


def test_setup_commands_are_counted(tmp_path: Path, cli: Cli) -> None:
    pack = tmp_path / "pack"
    text = GOOD_LAB.replace(
        "    cleanup:", "    setup:\n      - echo one\n      - echo two\n    cleanup:"
    )
    write_lab(pack, text)
    code, _, err = cli("--content", str(pack), "check", "tiny")
    assert code == 2
    assert "setting the lab up runs its 2 `setup:` commands, and labs from" in err
