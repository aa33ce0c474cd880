"""`dockerlab gradebook`: a class's exports merged into one CSV and one self-contained HTML."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dockerlab.progress import Mode, ProgressStore, QuizAttempt
from dockerlab.progress.gradebook import build, learner_rows, step_rows, to_html
from dockerlab.progress.records import Snapshot, StepRow
from dockerlab.progress.sample import sample_export, sample_snapshot
from dockerlab.progress.snapshot import from_json

HOSTILE = "<script>alert('x')</script> & \"Bobby\" </td>"


def dockerlab(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockerlab", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=120,
    )


def _export(tmp_path: Path, name: str, work: list[tuple[str, bool, int, int]]) -> Path:
    """A real learner record (SQLite store) exported: (step, solution used, hints, fails)."""
    folder = tmp_path / f"store-{len(list(tmp_path.glob('store-*')))}"
    folder.mkdir()
    with ProgressStore(folder / "p.sqlite3") as store:
        store.set_learner(name)
        for step, assisted, hints, fails in work:
            for _ in range(fails):
                store.record_attempt("registry-basics", step, "fail")
            for index in range(hints):
                store.record_hint("registry-basics", step, index)
            store.record_attempt("registry-basics", step, "pass")
            store.record_step("registry-basics", step, content_hash="h", assisted=assisted)
        store.record_quiz(QuizAttempt("registry-basics", 3, 4, True))
        data = store.export_json()
    path = tmp_path / f"{name[:8].replace('/', '_')}-{folder.name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _tables(text: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    learners, _, steps = text.partition("\r\n\r\n")
    return (
        list(csv.DictReader(io.StringIO(learners, newline=""))),
        list(csv.DictReader(io.StringIO(steps, newline=""))),
    )


def test_a_room_merged_from_real_exports(tmp_path: Path) -> None:
    ada = _export(tmp_path, "ada", [("run-registry", False, 0, 0), ("tag", False, 0, 1)])
    bob = _export(tmp_path, "bob", [("run-registry", False, 2, 0), ("tag", True, 1, 3)])
    eve = _export(tmp_path, HOSTILE, [("run-registry", True, 0, 0)])
    out = dockerlab(tmp_path, "gradebook", str(ada), str(bob), str(eve))
    assert out.returncode == 0, out.stderr
    assert "3 exports, 3 learners" in out.stdout
    learners, steps = _tables((tmp_path / "gradebook.csv").read_bytes().decode("utf-8"))
    by_name = {row["learner"]: row for row in learners}
    assert by_name["ada"]["steps done"] == "2"
    assert by_name["ada"]["steps with hints"] == "0"
    assert by_name["bob"]["steps with hints"] == "1"  # the step solved with help counts there
    assert by_name["bob"]["steps with solution"] == "1"
    assert by_name[HOSTILE]["steps with solution"] == "1"
    assert by_name["ada"]["quiz:registry-basics best %"] == "75"
    # registry-basics has more steps than these two: nobody finished the lab
    assert {row["labs done"] for row in learners} == {"0"}
    run = next(r for r in steps if (r["lab"], r["step"]) == ("registry-basics", "run-registry"))
    assert (run["done"], run["first try"], run["with hints"], run["with solution"]) == (
        "3",
        "1",
        "1",
        "1",
    )
    tag = next(r for r in steps if (r["lab"], r["step"]) == ("registry-basics", "tag"))
    assert (tag["done"], tag["first try"], tag["with solution"]) == ("2", "0", "1")
    page = (tmp_path / "gradebook.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Bobby&quot;" in page
    assert "http" not in page.lower().replace("http-equiv", "")  # nothing fetched from outside


def test_a_finished_lab_counts_and_two_machines_make_one_learner() -> None:
    home = Snapshot("ada")
    laptop = Snapshot("ada")
    t = datetime(2026, 1, 1, tzinfo=UTC)
    home.steps.append(StepRow("lab", "a", "h", False, t, t))
    laptop.steps.append(StepRow("lab", "b", "h", False, t + timedelta(minutes=30), t))
    book = build([home, laptop], {"lab": ("a", "b")})
    rows = learner_rows(book)
    assert len(rows) == 2
    assert rows[1][:3] == ["ada", "1", "1"]
    minutes = rows[0].index("minutes in labs")
    assert rows[1][minutes] == "30"  # first to last moment in the lab


def test_steps_done_in_challenge_mode_per_learner_and_per_step(tmp_path: Path) -> None:
    exports = []
    for name, mode in (("ada", Mode.CHALLENGE), ("bob", Mode.GUIDED)):
        with ProgressStore(tmp_path / f"{name}.sqlite3") as store:
            store.set_learner(name)
            store.set_lab_mode("registry-basics", mode)
            for step in ("run-registry", "tag"):
                store.record_step(
                    "registry-basics", step, content_hash="h", assisted=False, mode=mode
                )
            path = tmp_path / f"{name}.json"
            path.write_text(json.dumps(store.export_json()), encoding="utf-8")
            exports.append(str(path))
    out = dockerlab(tmp_path, "gradebook", *exports)
    assert out.returncode == 0, out.stderr
    learners, steps = _tables((tmp_path / "gradebook.csv").read_bytes().decode("utf-8"))
    by_name = {row["learner"]: row["steps in challenge mode"] for row in learners}
    assert by_name == {"ada": "2", "bob": "0"}
    run = next(r for r in steps if (r["lab"], r["step"]) == ("registry-basics", "run-registry"))
    assert (run["done"], run["in challenge mode"]) == ("2", "1")
    page = (tmp_path / "gradebook.html").read_text(encoding="utf-8")
    assert "<th>steps in challenge mode</th>" in page
    assert "<th>in challenge mode</th>" in page


def test_steps_only_the_exports_know_are_kept() -> None:
    book = build([sample_snapshot(1)], {"registry-basics": ("run-registry",)})
    labs = {r[0] for r in step_rows(book)[1:]}
    assert {"registry-basics"} <= labs
    assert len(step_rows(book)) > 2


def test_sample_exports_are_valid_exports() -> None:
    for i in range(30):
        snap = from_json(sample_export(i))
        assert snap.learner == f"learner-{i:04d}"
    page = to_html(build([sample_snapshot(i) for i in range(30)]))
    assert page.count("<tr") > 30


def test_a_bad_file_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(sample_export(1)), encoding="utf-8")
    bad = tmp_path / "bad.json"
    data = sample_export(2)
    data["steps"][0]["assisted"] = "yes"
    bad.write_text(json.dumps(data), encoding="utf-8")
    out = dockerlab(tmp_path, "gradebook", str(good), str(bad))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "bad.json: steps[0].assisted: expected true or false" in out.stderr
    assert not (tmp_path / "gradebook.csv").exists()
    missing = dockerlab(tmp_path, "gradebook", str(tmp_path / "nope.json"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
