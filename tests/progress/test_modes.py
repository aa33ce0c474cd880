"""Challenge mode in the learner's record: the mode each step was done in (schema version 3),
the mode chosen for each lab, both surviving export and import, and old records read as guided.

`fixtures/progress-v2.sqlite3` was written by the dockerlab of schema version 2 (before modes):
the migration runs on a copy of it and must keep every record."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from dockerlab.progress import Mode, ProgressFileError, ProgressStore
from dockerlab.progress.schema import LATEST, MIGRATIONS, migrate, version_of

OLD_DB = Path(__file__).resolve().parent / "fixtures" / "progress-v2.sqlite3"


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_an_old_database_is_migrated_to_version_3_and_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    shutil.copyfile(OLD_DB, db)
    assert _rows(db, "PRAGMA user_version") == [(2,)]
    tables = ("step_completion", "step_attempts", "hints", "quiz_attempt", "quiz_answer", "setting")
    before = {t: _rows(db, f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}
    assert before["step_completion"]  # the fixture holds real work
    assert before["quiz_answer"]

    with ProgressStore(db) as store:
        done = store.completed_steps("registry-basics")
        assert store.learner() == "ada lovelace"
        assert store.last_place() == "lab:registry-basics/push"
        assert store.lab_mode("registry-basics") is Mode.GUIDED
        quiz = store.quiz_attempts("docker-hub")

    assert LATEST == 3
    assert _rows(db, "PRAGMA user_version") == [(3,)]
    after = {t: _rows(db, f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}
    # every old row is there, unchanged; completions gained one column: guided
    assert [r[:-1] for r in after["step_completion"]] == before["step_completion"]
    assert {r[-1] for r in after["step_completion"]} == {"guided"}
    for table in tables[1:]:
        assert after[table] == before[table]
    assert sorted(done) == ["run-registry", "tag"]
    assert all(r.mode is Mode.GUIDED for r in done.values())
    assert (done["tag"].assisted, done["run-registry"].assisted) == (True, False)
    assert done["run-registry"].attempts == 2
    assert [(q.score, q.seed, len(q.answers)) for q in quiz] == [(3.0, 42, 2)]
    assert OLD_DB.read_bytes() != db.read_bytes()  # the copy was migrated, not the fixture


def test_a_version_1_database_goes_through_both_migrations(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, MIGRATIONS[:1])
    conn.execute(
        "INSERT INTO step_completion VALUES ('lab', 'step', 'h', 1, "
        "'2026-01-01T00:00:00.000000+00:00', '2026-01-01T00:00:00.000000+00:00')"
    )
    conn.close()
    with ProgressStore(db) as store:
        record = store.completed_steps("lab")["step"]
    assert (record.assisted, record.mode) == (True, Mode.GUIDED)
    conn = sqlite3.connect(db)
    assert version_of(conn) == 3
    conn.close()


def test_the_database_refuses_a_mode_that_is_not_one(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    ProgressStore(db).close()
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO step_completion VALUES ('l', 's', 'h', 0, 't', 't', 'sort of')")
    conn.close()


def test_a_step_keeps_the_mode_it_was_first_done_in_until_its_content_changes(
    tmp_path: Path,
) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record_step("lab", "a", content_hash="v1", assisted=False, mode=Mode.CHALLENGE)
        store.record_step("lab", "b", content_hash="v1", assisted=False)
        # checked again later in the other mode: still the mode it was done in
        store.record_step("lab", "a", content_hash="v1", assisted=False, mode=Mode.GUIDED)
        store.record_step("lab", "b", content_hash="v1", assisted=False, mode=Mode.CHALLENGE)
        done = store.completed_steps("lab")
        assert (done["a"].mode, done["b"].mode) == (Mode.CHALLENGE, Mode.GUIDED)
        # a new version of the step, done in the other mode
        store.record_step("lab", "b", content_hash="v2", assisted=False, mode=Mode.CHALLENGE)
        assert store.completed_steps("lab")["b"].mode is Mode.CHALLENGE


def test_the_mode_chosen_for_a_lab_persists_and_outlives_a_reset(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    with ProgressStore(db) as store:
        assert store.lab_mode("basics") is Mode.GUIDED  # until the learner chooses
        store.set_lab_mode("basics", Mode.CHALLENGE)
        store.record_step("basics", "run", content_hash="h", assisted=False, mode=Mode.CHALLENGE)
    with ProgressStore(db) as store:
        assert store.lab_mode("basics") is Mode.CHALLENGE
        assert store.lab_mode("tls") is Mode.GUIDED  # per lab
        store.reset("basics")
        assert store.completed_steps("basics") == {}
        assert store.lab_mode("basics") is Mode.CHALLENGE  # a choice, not progress
        store.set_lab_mode("basics", Mode.GUIDED)
        assert store.lab_mode("basics") is Mode.GUIDED


def test_modes_survive_export_and_import(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "home.sqlite3") as home:
        home.set_lab_mode("basics", Mode.CHALLENGE)
        home.record_step("basics", "run", content_hash="h", assisted=False, mode=Mode.CHALLENGE)
        home.record_step("basics", "push", content_hash="h", assisted=True)
        data = json.loads(json.dumps(home.export_json()))
    assert {s["step_id"]: s["mode"] for s in data["steps"]} == {
        "run": "challenge",
        "push": "guided",
    }
    with ProgressStore(tmp_path / "laptop.sqlite3") as laptop:
        summary = laptop.import_json(data)
        assert "lab_mode:basics" in summary.settings_updated
        assert laptop.lab_mode("basics") is Mode.CHALLENGE
        done = laptop.completed_steps("basics")
        assert (done["run"].mode, done["push"].mode) == (Mode.CHALLENGE, Mode.GUIDED)
        assert laptop.import_json(data).changed is False  # the same file again: nothing new


def test_merging_the_same_step_done_in_both_modes_keeps_guided(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "home.sqlite3") as home:
        home.record_step("basics", "run", content_hash="h", assisted=False, mode=Mode.CHALLENGE)
        home.record_step("basics", "tag", content_hash="old", assisted=False)
        with ProgressStore(tmp_path / "laptop.sqlite3") as laptop:
            laptop.record_step("basics", "run", content_hash="h", assisted=False)
            laptop.record_step(
                "basics", "tag", content_hash="new", assisted=False, mode=Mode.CHALLENGE
            )
            home.import_json(laptop.export_json())
        done = home.completed_steps("basics")
        assert done["run"].mode is Mode.GUIDED  # one machine saw the commands
        # the newer version of the step comes with the mode it was done in
        assert (done["tag"].content_hash, done["tag"].mode) == ("new", Mode.CHALLENGE)


def test_an_export_from_before_modes_reads_as_guided(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "home.sqlite3") as home:
        home.record_step("basics", "run", content_hash="h", assisted=False, mode=Mode.CHALLENGE)
        data = home.export_json()
    del data["steps"][0]["mode"]  # as a file written before modes were kept
    with ProgressStore(tmp_path / "laptop.sqlite3") as laptop:
        laptop.import_json(data)
        assert laptop.completed_steps("basics")["run"].mode is Mode.GUIDED


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        ("step", "hard", 'steps[0].mode: expected "guided" or "challenge"'),
        ("step", None, 'steps[0].mode: expected "guided" or "challenge"'),
        ("setting", "hard", 'settings[0].value: expected "guided" or "challenge"'),
        ("setting", "", "settings[0].value: expected a non-empty string"),
    ],
)
def test_a_bad_mode_in_an_export_is_refused_with_its_place(
    tmp_path: Path, where: str, value: object, message: str
) -> None:
    with ProgressStore(tmp_path / "home.sqlite3") as home:
        home.set_lab_mode("basics", Mode.CHALLENGE)
        home.record_step("basics", "run", content_hash="h", assisted=False)
        data = home.export_json()
    if where == "step":
        data["steps"][0]["mode"] = value
    else:
        data["settings"] = [s for s in data["settings"] if s["key"].startswith("lab_mode:")]
        data["settings"][0]["value"] = value
    with ProgressStore(tmp_path / "laptop.sqlite3") as laptop:
        with pytest.raises(ProgressFileError, match=re.escape(message)):
            laptop.import_json(data)
        assert laptop.completed_steps("basics") == {}  # all or nothing
