"""`dockerlab progress ...` as a learner and an instructor use it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dockerlab.cli import main
from dockerlab.progress import Mode, ProgressStore, QuizAttempt, content_hash
from dockerlab.runner.catalog import Catalog, load_catalog


class Terminal(io.StringIO):
    """stdin as a terminal where the learner types the given text."""

    def isatty(self) -> bool:
        return True


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """The bundled labs, loaded without probing the machine (fast, same everywhere)."""
    cat = load_catalog(capabilities=set())
    assert cat.labs, "the bundled course has no labs"
    monkeypatch.setattr("dockerlab.cli.progress._catalog", lambda: cat)
    monkeypatch.setattr("sys.stdin", Pipe(""))
    return cat


@pytest.fixture
def lab(catalog: Catalog) -> tuple[str, list[str]]:
    """A bundled lab's id and step ids (whichever lab the course has first)."""
    loaded = next(iter(catalog.labs.values()))
    return loaded.lab.id, [s.id for s in loaded.lab.steps]


def _store() -> ProgressStore:
    return ProgressStore()


def test_show_with_nothing_recorded(catalog: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["progress", "show"]) == 0
    out = capsys.readouterr().out
    assert "Nothing recorded yet." in out
    assert "Last place: (none yet)" in out


def test_show_lists_steps_done_assisted_changed_quizzes_and_last_place(
    catalog: Catalog, lab: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    lab_id, steps = lab
    first = catalog.labs[lab_id].lab.steps[0]
    with _store() as store:
        store.set_learner("ada")
        store.record_step(lab_id, first.id, content_hash=content_hash(first), assisted=True)
        if len(steps) > 1:
            store.record_step(lab_id, steps[1], content_hash="an older version", assisted=False)
        store.record_step("gone-lab", "x", content_hash="h", assisted=False)
        store.record_quiz(QuizAttempt("secure", 3, 4, True))
        store.record_quiz(QuizAttempt("secure", 1, 4, False))
        store.set_last_place(f"lab:{lab_id}/{first.id}")

    assert main(["progress"]) == 0  # no action: show
    out = capsys.readouterr().out

    assert "Learner: ada" in out
    assert f"Last place: lab:{lab_id}/{first.id}" in out
    done = min(2, len(steps))
    assert f"{done}/{len(steps)} steps done" in out
    assert "1 with the solution shown" in out
    if len(steps) > 1:
        assert f"changed since you did them: {steps[1]}" in out
    assert first.id not in out.split("changed since you did them:")[-1].split("\n")[0]
    assert "gone-lab" in out
    assert "lab not found here" in out
    assert "best 75% (2 attempt(s), passed)" in out


def test_show_counts_the_steps_done_in_challenge_mode(
    lab: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    lab_id, steps = lab
    with _store() as store:
        store.record_step(lab_id, steps[0], content_hash="h", assisted=False, mode=Mode.CHALLENGE)
    assert main(["progress", "show"]) == 0
    assert "1 in challenge mode" in capsys.readouterr().out


def test_reset_without_a_terminal_needs_yes(
    catalog: Catalog, lab: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    lab_id, steps = lab
    with _store() as store:
        store.record_step(lab_id, steps[0], content_hash="h", assisted=False)
    assert main(["progress", "reset", lab_id]) == 2
    assert "--yes" in capsys.readouterr().err
    with _store() as store:
        assert steps[0] in store.completed_steps(lab_id)


def test_reset_on_a_terminal_asks_and_no_keeps_everything(
    catalog: Catalog,
    lab: tuple[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lab_id, steps = lab
    with _store() as store:
        store.record_step(lab_id, steps[0], content_hash="h", assisted=False)
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    assert main(["progress", "reset"]) == 1
    out = capsys.readouterr().out
    assert "Forget ALL your progress" in out
    assert "nothing was reset" in out
    with _store() as store:
        assert steps[0] in store.completed_steps(lab_id)


def test_reset_a_step_confirmed_removes_it_and_leaves_a_backup_that_brings_it_back(
    catalog: Catalog,
    lab: tuple[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lab_id, steps = lab
    with _store() as store:
        store.record_step(lab_id, steps[0], content_hash="h", assisted=False)
        store.record_attempt(lab_id, steps[0], "pass")
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    assert main(["progress", "reset", f"{lab_id}/{steps[0]}"]) == 0
    out = capsys.readouterr().out
    assert f"step '{steps[0]}' of lab '{lab_id}': 2 record(s) removed" in out
    with _store() as store:
        assert store.completed_steps(lab_id) == {}
    backup = out.split("a copy from before the reset is in ")[1].split("\n")[0]

    assert main(["progress", "import", backup]) == 0
    with _store() as store:
        assert steps[0] in store.completed_steps(lab_id)


def test_reset_of_nothing_says_so_and_leaves_no_backup(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["progress", "reset", "no-such-lab", "--yes"]) == 0
    assert "nothing to reset" in capsys.readouterr().out
    assert list((tmp_path / "dockerlab-home" / "backups").iterdir()) == []


def test_reset_with_a_malformed_target_is_refused(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["progress", "reset", "lab/step/extra", "--yes"]) == 2
    assert "is not LAB or LAB/STEP" in capsys.readouterr().err


def test_export_json_to_a_file_then_import_on_another_machine(
    catalog: Catalog,
    lab: tuple[str, list[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lab_id, steps = lab
    with _store() as store:
        store.record_step(lab_id, steps[0], content_hash="h", assisted=True)
        store.set_last_place(f"lab:{lab_id}/{steps[0]}")
    out_file = tmp_path / "ada.json"
    assert main(["progress", "export", "-o", str(out_file)]) == 0
    assert json.loads(out_file.read_text())["format"] == "dockerlab-progress"

    monkeypatch.setenv("DOCKERLAB_HOME", str(tmp_path / "new-machine"))
    assert main(["progress", "import", str(out_file)]) == 0
    assert "1 step(s) added" in capsys.readouterr().out
    with _store() as store:
        assert store.completed_steps(lab_id)[steps[0]].assisted is True
        assert store.last_place() == f"lab:{lab_id}/{steps[0]}"


def test_export_csv_is_a_gradebook_table_with_one_row_for_the_learner(
    catalog: Catalog, lab: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    lab_id, steps = lab
    with _store() as store:
        store.set_learner("ada")
        store.record_step(lab_id, steps[0], content_hash="h", assisted=False)
        store.record_quiz(QuizAttempt("secure", 1, 2, False))
    assert main(["progress", "export", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header, body = rows[0], rows[1:]
    assert header[0] == "learner"
    assert f"lab:{lab_id} %" in header
    assert "quiz:secure best %" in header
    assert len(body) == 1
    cells = dict(zip(header, body[0], strict=True))
    assert cells["learner"] == "ada"
    assert cells[f"lab:{lab_id} %"] == f"{round(100 / len(steps), 1):g}"
    assert cells["quiz:secure best %"] == "50"


def test_export_csv_from_several_learners_files(
    catalog: Catalog,
    lab: tuple[str, list[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lab_id, steps = lab
    files = []
    for name in ("ada", "bob", "cy"):
        monkeypatch.setenv("DOCKERLAB_HOME", str(tmp_path / name))
        with _store() as store:
            store.set_learner(name)
            store.record_step(lab_id, steps[0], content_hash="h", assisted=False)
        files += ["--from", str(tmp_path / f"{name}.json")]
        assert main(["progress", "export", "-o", str(tmp_path / f"{name}.json")]) == 0
    grades = tmp_path / "grades.csv"
    assert main(["progress", "export", "--format", "csv", *files, "-o", str(grades)]) == 0
    with open(grades, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["learner"] for r in rows] == ["ada", "bob", "cy"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not valid JSON: Expecting property name"),
        (b"\xff\xfe\x00binary", "is not a text file"),
        (b'{"hello": "world"}', "not a dockerlab progress export"),
        (
            b'{"format": "dockerlab-progress", "version": 1, "learner": "a", "hints": [{}]}',
            r"hints[0].lab_id: missing",
        ),
    ],
)
def test_import_of_a_broken_file_says_what_is_wrong_and_exits_2(
    catalog: Catalog,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    message: str,
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["progress", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert str(bad) in err


def test_import_of_a_missing_file_exits_2(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["progress", "import", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_damaged_database_is_a_message_not_a_traceback(
    catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "dockerlab-home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "progress.sqlite3").write_bytes(b"garbage" * 1000)
    assert main(["progress", "show"]) == 2
    err = capsys.readouterr().err
    assert "is damaged" in err
    assert (home / "progress.sqlite3").read_bytes() == b"garbage" * 1000


def test_learner_name_is_set_and_shown(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["progress", "learner", "Ada L."]) == 0
    assert main(["progress", "learner"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Ada L."
    assert main(["progress", "learner", "  "]) == 2


def test_a_broken_import_file_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "dockerlab-progress", "version": 1, "learner": 7}')
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from dockerlab.cli import main; sys.exit(main())",
            "progress",
            "import",
            str(bad),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "learner: expected a non-empty string" in proc.stderr
