"""The exported progress file: a Snapshot to JSON-ready data and back, checking every field.

`from_json` never lets a broken file through half-read: it either returns a complete Snapshot or
raises ProgressFileError naming the first bad place, e.g. `steps[2].completed_at: ...`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dockerlab.progress.records import (
    LAB_MODE_SETTING,
    AttemptCount,
    AttemptRow,
    HintRow,
    Mode,
    ProgressFileError,
    QuizAnswer,
    QuizAttempt,
    SettingRow,
    Snapshot,
    StepRow,
    utcnow,
)

FORMAT = "dockerlab-progress"
VERSION = 2  # 2: steps carry their mode, settings the mode chosen per lab (1 reads as guided)
SETTINGS = ("learner", "last_place")
STATUSES = ("pass", "fail", "error")


def iso(moment: datetime) -> str:
    """One text form for every stored time (UTC, microseconds), so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone; dockerlab stores aware times only")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    """Inverse of `iso`; raises ValueError on text that is not an aware ISO 8601 date-time."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"'{text}' has no time zone")
    return moment.astimezone(UTC)


def to_json(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as plain JSON data (dicts, lists, strings, numbers, booleans)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(utcnow()),
        "learner": snapshot.learner,
        "settings": [
            {"key": s.key, "value": s.value, "updated_at": iso(s.updated_at)}
            for s in snapshot.settings
        ],
        "steps": [
            {
                "lab_id": s.lab_id,
                "step_id": s.step_id,
                "content_hash": s.content_hash,
                "assisted": s.assisted,
                "completed_at": iso(s.completed_at),
                "updated_at": iso(s.updated_at),
                "mode": s.mode.value,
            }
            for s in snapshot.steps
        ],
        "attempts": [
            {
                "lab_id": a.lab_id,
                "step_id": a.step_id,
                "passes": a.count.passes,
                "fails": a.count.fails,
                "errors": a.count.errors,
                "last_status": a.count.last_status,
                "last_at": iso(a.count.last_at) if a.count.last_at else None,
            }
            for a in snapshot.attempts
        ],
        "hints": [
            {
                "lab_id": h.lab_id,
                "step_id": h.step_id,
                "revealed": h.revealed,
                "updated_at": iso(h.updated_at),
            }
            for h in snapshot.hints
        ],
        "quiz_attempts": [
            {
                "quiz_id": q.quiz_id,
                "score": q.score,
                "total": q.total,
                "passed": q.passed,
                "at": iso(q.at),
                "seed": q.seed,
                "answers": [
                    {"question_id": qid, "answer_text": text, "correct": ok}
                    for qid, text, ok in q.answers
                ],
            }
            for q in snapshot.quiz_attempts
        ],
    }


class _Item:
    """One JSON object being read, with its place in the file for error messages."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ProgressFileError(f"{where}: expected an object, found {_kind(data)}")
        self.data: dict[str, Any] = data
        self.where = where

    def _get(self, key: str, optional: bool) -> Any:
        if key not in self.data:
            if optional:
                return None
            raise ProgressFileError(f"{self._at(key)}: missing")
        return self.data[key]

    def _at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def text(self, key: str) -> str:
        value = self._get(key, False)
        if not isinstance(value, str) or not value:
            raise ProgressFileError(f"{self._at(key)}: expected a non-empty string")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if not isinstance(value, bool):
            raise ProgressFileError(f"{self._at(key)}: expected true or false")
        return value

    def count(self, key: str) -> int:
        value = self._get(key, False)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # files written before quiz scores were whole numbers say 3.0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ProgressFileError(f"{self._at(key)}: expected a whole number >= 0")
        return value

    def time(self, key: str, optional: bool = False) -> datetime | None:
        value = self._get(key, optional)
        if value is None and optional:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return parse_iso(value)
        except ValueError:
            raise ProgressFileError(
                f"{self._at(key)}: expected a date-time like 2026-01-31T12:00:00+00:00, "
                f"found {value!r}"
            ) from None

    def when(self, key: str) -> datetime:
        moment = self.time(key)
        assert moment is not None  # time() without optional raises instead of returning None
        return moment

    def items(self, key: str) -> list[_Item]:
        value = self._get(key, True)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ProgressFileError(f"{self._at(key)}: expected a list, found {_kind(value)}")
        return [_Item(v, f"{self._at(key)}[{i}]") for i, v in enumerate(value)]


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    return "nothing (null)" if value is None else names.get(type(value), "a number")


def _attempt_row(item: _Item) -> AttemptRow:
    status = item.data.get("last_status")
    if status is not None and status not in STATUSES:
        raise ProgressFileError(f"{item.where}.last_status: expected one of {', '.join(STATUSES)}")
    count = AttemptCount(
        passes=item.count("passes"),
        fails=item.count("fails"),
        errors=item.count("errors"),
        last_status=status,
        last_at=item.time("last_at", optional=True),
    )
    return AttemptRow(item.text("lab_id"), item.text("step_id"), count)


def _quiz_attempt(item: _Item) -> QuizAttempt:
    answers = tuple(
        QuizAnswer(a.text("question_id"), _answer_text(a), a.flag("correct"))
        for a in item.items("answers")
    )
    return QuizAttempt(
        quiz_id=item.text("quiz_id"),
        score=item.count("score"),
        total=item.count("total"),
        passed=item.flag("passed"),
        answers=answers,
        at=item.when("at"),
        seed=_seed(item),
    )


def _seed(item: _Item) -> int | None:
    """The attempt's option-order seed; files written before seeds were recorded have none."""
    value = item.data.get("seed")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 63:
        raise ProgressFileError(f"{item._at('seed')}: expected a whole number >= 0, or null")
    return value


def _mode(item: _Item, key: str) -> Mode:
    """A mode; a step in a file written before modes were recorded has none: guided."""
    value = item.text(key) if key == "value" else item.data.get(key, Mode.GUIDED.value)
    if value not in tuple(Mode):
        modes = " or ".join(f'"{m.value}"' for m in Mode)
        raise ProgressFileError(f"{item._at(key)}: expected {modes}")
    return Mode(value)


def _answer_text(item: _Item) -> str:
    value = item.data.get("answer_text")
    if not isinstance(value, str):  # an empty answer is a real answer, unlike an empty id
        raise ProgressFileError(f"{item.where}.answer_text: expected a string")
    return value


def _setting(item: _Item) -> SettingRow:
    key = item.text("key")
    if key.startswith(LAB_MODE_SETTING) and len(key) > len(LAB_MODE_SETTING):
        return SettingRow(key, _mode(item, "value").value, item.when("updated_at"))
    if key not in SETTINGS:
        raise ProgressFileError(f"{item.where}.key: unknown setting '{key}'")
    return SettingRow(key, item.text("value"), item.when("updated_at"))


def from_json(data: Any) -> Snapshot:
    """Check an exported file's data and turn it into a Snapshot; raises ProgressFileError."""
    top = _Item(data, "")
    if data.get("format") != FORMAT:
        raise ProgressFileError(
            f'this is not a dockerlab progress export (expected "format": "{FORMAT}")'
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProgressFileError("version: expected a whole number >= 1")
    if version > VERSION:
        raise ProgressFileError(
            f"version: the file is version {version}, written by a newer dockerlab; this one "
            f"reads up to version {VERSION}"
        )
    return Snapshot(
        learner=top.text("learner"),
        settings=[_setting(s) for s in top.items("settings")],
        steps=[
            StepRow(
                lab_id=s.text("lab_id"),
                step_id=s.text("step_id"),
                content_hash=s.text("content_hash"),
                assisted=s.flag("assisted"),
                completed_at=s.when("completed_at"),
                updated_at=s.when("updated_at"),
                mode=_mode(s, "mode"),
            )
            for s in top.items("steps")
        ],
        attempts=[_attempt_row(a) for a in top.items("attempts")],
        hints=[
            HintRow(h.text("lab_id"), h.text("step_id"), h.count("revealed"), h.when("updated_at"))
            for h in top.items("hints")
        ],
        quiz_attempts=[_quiz_attempt(q) for q in top.items("quiz_attempts")],
    )
