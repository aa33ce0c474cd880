"""The gradebook CSV: one row per learner, a learner column, the steps done in challenge mode,
a column per lab and per quiz."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dockerlab.progress import (
    GradeColumn,
    Mode,
    ProgressStore,
    QuizAttempt,
    Snapshot,
    gradebook_csv,
)


def _learner(
    tmp_path: Path,
    name: str,
    steps: list[str],
    quiz_scores: list[int],
    challenge: tuple[str, ...] = (),
) -> Snapshot:
    with ProgressStore(tmp_path / f"{name}.sqlite3") as store:
        store.set_learner(name)
        for step in steps:
            mode = Mode.CHALLENGE if step in challenge else Mode.GUIDED
            store.record_step("basics", step, content_hash="h", assisted=False, mode=mode)
        for score in quiz_scores:
            store.record_quiz(QuizAttempt("secure", score, 4, score >= 3))
        return store.snapshot()


def _table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_learner_with_a_column_per_lab_and_quiz(tmp_path: Path) -> None:
    ada = _learner(tmp_path, "ada", ["run", "push"], [2, 3])
    bob = _learner(tmp_path, "bob, jr.", ["run"], [])
    columns = [
        GradeColumn("lab", "basics", ("run", "push", "pull", "tag")),
        GradeColumn("quiz", "secure"),
    ]

    rows = _table(gradebook_csv([ada, bob], columns))

    assert [r["learner"] for r in rows] == ["ada", "bob, jr."]
    assert list(rows[0]) == [
        "learner",
        "steps in challenge mode",
        "lab:basics %",
        "quiz:secure best %",
    ]
    assert rows[0]["lab:basics %"] == "50"
    assert rows[0]["quiz:secure best %"] == "75"
    assert rows[1]["lab:basics %"] == "25"
    assert rows[1]["quiz:secure best %"] == ""  # never taken: no grade, not zero


def test_two_exports_of_one_learner_make_one_row(tmp_path: Path) -> None:
    home = _learner(tmp_path, "ada", ["run"], [1])
    (tmp_path / "laptop").mkdir()
    laptop = _learner(tmp_path / "laptop", "ada", ["push"], [4])
    columns = [GradeColumn("lab", "basics", ("run", "push"))]
    rows = _table(gradebook_csv([home, laptop], columns))
    assert len(rows) == 1
    assert rows[0]["lab:basics %"] == "100"
    assert rows[0]["quiz:secure best %"] == "100"


def test_without_a_catalogue_columns_come_from_the_data(tmp_path: Path) -> None:
    ada = _learner(tmp_path, "ada", ["run", "push"], [3])
    rows = _table(gradebook_csv([ada]))
    assert rows == [
        {
            "learner": "ada",
            "steps in challenge mode": "0",
            "lab:basics steps done": "2",
            "quiz:secure best %": "75",
        }
    ]


def test_known_columns_keep_their_order_and_unknown_work_is_not_hidden(tmp_path: Path) -> None:
    ada = _learner(tmp_path, "ada", ["run"], [])
    columns = [GradeColumn("quiz", "zz-first"), GradeColumn("lab", "tls", ("certs",))]
    header = next(csv.reader(io.StringIO(gradebook_csv([ada], columns))))
    assert header == [
        "learner",
        "steps in challenge mode",
        "quiz:zz-first best %",
        "lab:tls %",
        "lab:basics steps done",
    ]


def test_partial_percentages_are_rounded_to_one_decimal(tmp_path: Path) -> None:
    ada = _learner(tmp_path, "ada", ["run"], [])
    columns = [GradeColumn("lab", "basics", ("run", "push", "pull"))]
    assert _table(gradebook_csv([ada], columns))[0]["lab:basics %"] == "33.3"


def test_steps_done_in_challenge_mode_are_counted(tmp_path: Path) -> None:
    ada = _learner(tmp_path, "ada", ["run", "push", "pull"], [], challenge=("run", "pull"))
    bob = _learner(tmp_path, "bob", ["run"], [])
    rows = _table(gradebook_csv([ada, bob]))
    assert [r["steps in challenge mode"] for r in rows] == ["2", "0"]


def test_a_step_counts_as_challenge_only_when_every_export_says_so(tmp_path: Path) -> None:
    home = _learner(tmp_path, "ada", ["run", "push"], [], challenge=("run", "push"))
    (tmp_path / "laptop").mkdir()
    laptop = _learner(tmp_path / "laptop", "ada", ["push"], [])  # push done guided there
    rows = _table(gradebook_csv([home, laptop]))
    assert rows[0]["steps in challenge mode"] == "1"
