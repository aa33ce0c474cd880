"""A learner moving machines: export here, import there, and nothing newer is ever dropped."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dockerlab.progress import Mode, ProgressFileError, ProgressStore, QuizAttempt


@pytest.fixture
def home(tmp_path: Path) -> Iterator[ProgressStore]:
    with ProgressStore(tmp_path / "home.sqlite3") as s:
        yield s


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[ProgressStore]:
    with ProgressStore(tmp_path / "laptop.sqlite3") as s:
        yield s


def _fill(store: ProgressStore) -> None:
    store.record_attempt("basics", "run", "fail")
    store.record_attempt("basics", "run", "pass")
    store.record_step("basics", "run", content_hash="h-run", assisted=False)
    store.record_step("basics", "push", content_hash="h-push", assisted=True)
    store.record_hint("basics", "push", 1)
    store.record_quiz(QuizAttempt("secure", 2, 4, False, [("q1", "TLS", True)]))
    store.set_last_place("lab:basics/push")
    store.set_learner("ada")


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data.pop("exported_at")
    return data


def test_export_then_import_on_a_new_machine_gives_the_same_record(
    home: ProgressStore, laptop: ProgressStore
) -> None:
    _fill(home)
    exported = json.loads(json.dumps(home.export_json()))  # survives a trip through a file
    summary = laptop.import_json(exported)
    assert summary.steps_added == 2
    assert summary.quiz_attempts_added == 1
    assert sorted(summary.settings_updated) == ["last_place", "learner"]
    assert _comparable(laptop.export_json()) == _comparable(home.export_json())
    assert laptop.completed_steps("basics")["run"].attempts == 2
    assert laptop.hints_revealed("basics", "push") == 2
    assert laptop.last_place() == "lab:basics/push"
    assert laptop.learner() == "ada"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    home: ProgressStore, laptop: ProgressStore
) -> None:
    _fill(home)
    data = home.export_json()
    laptop.import_json(data)
    again = laptop.import_json(data)
    assert not again.changed
    assert "nothing new" in str(again)
    assert laptop.attempts("basics", "run").total == 2  # not doubled
    assert len(laptop.quiz_attempts()) == 1


def test_import_keeps_newer_local_work_and_adds_the_rest(
    home: ProgressStore, laptop: ProgressStore
) -> None:
    _fill(home)
    old_export = home.export_json()
    # meanwhile, on the laptop: the push step redone on new content, more checks, a new place
    laptop.record_step("basics", "push", content_hash="h-push-v2", assisted=False)
    for _ in range(5):
        laptop.record_attempt("basics", "run", "fail")
    laptop.record_hint("basics", "push", 0)
    laptop.set_last_place("quiz:secure")

    laptop.import_json(old_export)

    push = laptop.completed_steps("basics")["push"]
    home_push = home.completed_steps("basics")["push"]
    assert push.content_hash == "h-push-v2"  # the laptop's is the newer completion
    assert push.completed_at == home_push.completed_at  # but it was first done at home
    assert push.assisted is True  # assisted at home stays assisted
    assert laptop.attempts("basics", "run").fails == 5
    assert laptop.attempts("basics", "run").passes == 1
    assert laptop.hints_revealed("basics", "push") == 2
    assert laptop.last_place() == "quiz:secure"
    assert "run" in laptop.completed_steps("basics")


def test_a_newer_imported_completion_brings_its_content_hash(
    home: ProgressStore, laptop: ProgressStore
) -> None:
    laptop.record_step("basics", "push", content_hash="old", assisted=False)
    home.record_step("basics", "push", content_hash="new", assisted=False)
    laptop.import_json(home.export_json())
    assert laptop.completed_steps("basics")["push"].content_hash == "new"


def _valid() -> dict[str, Any]:
    return {
        "format": "dockerlab-progress",
        "version": 1,
        "learner": "ada",
        "steps": [
            {
                "lab_id": "basics",
                "step_id": "run",
                "content_hash": "h",
                "assisted": False,
                "completed_at": "2026-01-01T10:00:00+00:00",
                "updated_at": "2026-01-01T10:00:00+00:00",
            }
        ],
    }


def _broken(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = _valid()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "expected an object"),
        ({"steps": []}, "not a dockerlab progress export"),
        (_broken(("version",), 99), "newer dockerlab"),
        (_broken(("version",), "1"), "version: expected a whole number"),
        (_broken(("learner",), ""), "learner: expected a non-empty string"),
        (_broken(("steps",), {}), "steps: expected a list, found an object"),
        (_broken(("steps", 0, "assisted"), "no"), r"steps\[0\]\.assisted: expected true or false"),
        (_broken(("steps", 0, "completed_at"), "yesterday"), r"steps\[0\]\.completed_at"),
        (_broken(("steps", 0, "updated_at"), "2026-01-01T10:00:00"), "updated_at"),
        (_broken(("steps", 0), "run"), r"steps\[0\]: expected an object, found a string"),
    ],
)
def test_a_broken_file_is_refused_with_where_it_is_broken(
    home: ProgressStore, data: Any, message: str
) -> None:
    with pytest.raises(ProgressFileError, match=message):
        home.import_json(data)


def test_a_missing_field_is_named(home: ProgressStore) -> None:
    data = _valid()
    del data["steps"][0]["content_hash"]
    with pytest.raises(ProgressFileError, match=r"steps\[0\]\.content_hash: missing"):
        home.import_json(data)


def test_a_file_broken_near_the_end_imports_nothing(home: ProgressStore) -> None:
    data = _valid()
    data["quiz_attempts"] = [
        {"quiz_id": "q", "score": 1, "total": 1, "passed": True, "at": "not a time"}
    ]
    with pytest.raises(ProgressFileError, match=r"quiz_attempts\[0\]\.at"):
        home.import_json(data)
    assert home.completed_steps("basics") == {}


def test_missing_sections_count_as_empty(home: ProgressStore) -> None:
    data = _valid()
    summary = home.import_json(data)
    assert summary.steps_added == 1
    assert home.quiz_attempts() == []


def _with_quiz_score(score: Any) -> dict[str, Any]:
    data = _valid()
    data["quiz_attempts"] = [
        {
            "quiz_id": "q",
            "score": score,
            "total": 4.0,
            "passed": False,
            "at": "2026-01-01T10:00:00+00:00",
        }
    ]
    return data


def test_a_file_from_before_whole_quiz_scores_imports_them_as_whole(home: ProgressStore) -> None:
    """Earlier exports wrote quiz scores as 2.0 of 4.0; one attempt type counts questions."""
    home.import_json(_with_quiz_score(2.0))
    (attempt,) = home.quiz_attempts("q")
    assert (attempt.score, attempt.total) == (2, 4)
    assert isinstance(attempt.score, int)


def test_a_fractional_quiz_score_is_refused_where_it_is(home: ProgressStore) -> None:
    with pytest.raises(ProgressFileError, match=r"quiz_attempts\[0\]\.score: expected a whole"):
        home.import_json(_with_quiz_score(2.5))


def test_exports_say_version_2_and_version_1_files_still_import(home: ProgressStore) -> None:
    """Version 2 added each step's mode and the mode chosen per lab: a dockerlab that reads only
    version 1 says "written by a newer dockerlab" instead of refusing a setting it never saw."""
    home.record_step("basics", "run", content_hash="h", assisted=False, mode=Mode.CHALLENGE)
    home.set_lab_mode("basics", Mode.CHALLENGE)
    exported = home.export_json()
    assert exported["version"] == 2
    assert exported["steps"][0]["mode"] == "challenge"
    older = _valid()  # version 1: no mode anywhere
    home.import_json(older)
    # version 1 has no mode: guided; for the same content the merge keeps the guided one
    assert home.completed_steps("basics")["run"].mode is Mode.GUIDED
