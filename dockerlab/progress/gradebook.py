"""The room's gradebook: many learners' exports merged into one summary, as CSV and as HTML.

Per learner: labs done (and how many without the reference solution), steps done with hints, with
the solution, in challenge mode (no commands in the instructions), the best score of each quiz,
and the time spent in the labs. Per step: how many learners did it, how many at the first try (no
failed check, no hint, no solution), how many with hints, with the solution, in challenge mode —
where the room struggles.

Time spent is an estimate: the record keeps moments (checks, hints, completions), not a session
clock, so a lab's time is the span from its first recorded moment to its last.
Every text from the exports (learner names, ids) is escaped in the HTML: they are hostile input.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from dockerlab.progress.records import Mode, Snapshot


@dataclass
class _StepState:
    done: bool = False
    assisted: bool = False
    hints: int = 0
    fails: int = 0
    challenge: bool = False  # done in challenge mode (in every export that has it done)


@dataclass
class LearnerSummary:
    """One learner's results, merged from every export carrying their name."""

    name: str
    steps: dict[tuple[str, str], _StepState] = field(default_factory=dict)
    best: dict[str, float] = field(default_factory=dict)  # quiz id -> best percent
    moments: dict[str, list[datetime]] = field(default_factory=dict)  # lab id -> moments

    def add(self, snap: Snapshot) -> None:
        for s in snap.steps:
            state = self._step(s.lab_id, s.step_id)
            in_challenge = s.mode is Mode.CHALLENGE
            state.challenge = in_challenge and (state.challenge or not state.done)
            state.done = True
            state.assisted = state.assisted or s.assisted
            self._moment(s.lab_id, s.completed_at)
        for a in snap.attempts:
            state = self._step(a.lab_id, a.step_id)
            state.fails = max(state.fails, a.count.fails)
            if a.count.last_at:
                self._moment(a.lab_id, a.count.last_at)
        for h in snap.hints:
            state = self._step(h.lab_id, h.step_id)
            state.hints = max(state.hints, h.revealed)
            self._moment(h.lab_id, h.updated_at)
        for q in snap.quiz_attempts:
            self.best[q.quiz_id] = max(self.best.get(q.quiz_id, 0.0), q.percent)

    def _step(self, lab_id: str, step_id: str) -> _StepState:
        return self.steps.setdefault((lab_id, step_id), _StepState())

    def _moment(self, lab_id: str, moment: datetime) -> None:
        self.moments.setdefault(lab_id, []).append(moment)

    def labs_done(self, labs: Mapping[str, Sequence[str]]) -> tuple[int, int]:
        """(labs with every step done, those of them done without the reference solution)."""
        done = alone = 0
        for lab_id, step_ids in labs.items():
            states = [self.steps.get((lab_id, s)) for s in step_ids]
            if step_ids and all(st and st.done for st in states):
                done += 1
                alone += not any(st and st.assisted for st in states)
        return done, alone

    def minutes(self) -> float:
        spans = (max(m) - min(m) for m in self.moments.values() if m)
        return sum(span.total_seconds() for span in spans) / 60


@dataclass(frozen=True)
class StepSummary:
    lab_id: str
    step_id: str
    done: int
    first_try: int
    with_hints: int
    with_solution: int
    in_challenge: int


@dataclass
class Gradebook:
    learners: list[LearnerSummary]
    labs: dict[str, tuple[str, ...]]  # lab id -> its step ids, in order
    quizzes: list[str]

    def steps(self) -> list[StepSummary]:
        out = []
        for lab_id, step_ids in self.labs.items():
            for step_id in step_ids:
                states = [
                    st
                    for ln in self.learners
                    if (st := ln.steps.get((lab_id, step_id))) and st.done
                ]
                out.append(
                    StepSummary(
                        lab_id,
                        step_id,
                        done=len(states),
                        first_try=sum(1 for s in states if not (s.assisted or s.hints or s.fails)),
                        with_hints=sum(1 for s in states if s.hints and not s.assisted),
                        with_solution=sum(1 for s in states if s.assisted),
                        in_challenge=sum(1 for s in states if s.challenge),
                    )
                )
        return out


def build(
    snapshots: Iterable[Snapshot], labs: Mapping[str, Sequence[str]] | None = None
) -> Gradebook:
    """Merge the exports: one learner per name; `labs` (id -> step ids) from the catalogue, and
    any lab or step only the exports know, after them."""
    by_name: dict[str, LearnerSummary] = {}
    for snap in snapshots:
        by_name.setdefault(snap.learner, LearnerSummary(snap.learner)).add(snap)
    known = {lab_id: list(steps) for lab_id, steps in (labs or {}).items()}
    seen: dict[str, list[str]] = {}
    for learner in by_name.values():
        for lab_id, step_id in learner.steps:
            seen.setdefault(lab_id, [])
            if step_id not in seen[lab_id]:
                seen[lab_id].append(step_id)
    for lab_id in sorted(seen):
        steps = known.setdefault(lab_id, [])
        steps += sorted(s for s in seen[lab_id] if s not in steps)
    quizzes = sorted({q for ln in by_name.values() for q in ln.best})
    return Gradebook(list(by_name.values()), {k: tuple(v) for k, v in known.items()}, quizzes)


LEARNER_HEADERS = (
    "learner",
    "labs done",
    "labs done without solution",
    "steps done",
    "steps with hints",
    "steps with solution",
    "steps in challenge mode",
    "minutes in labs",
)


def learner_rows(book: Gradebook) -> list[list[str]]:
    rows = [[*LEARNER_HEADERS, *(f"quiz:{q} best %" for q in book.quizzes)]]
    for ln in book.learners:
        done, alone = ln.labs_done(book.labs)
        states = [s for s in ln.steps.values() if s.done]
        rows.append(
            [
                ln.name,
                str(done),
                str(alone),
                str(len(states)),
                str(sum(1 for s in states if s.hints and not s.assisted)),
                str(sum(1 for s in states if s.assisted)),
                str(sum(1 for s in states if s.challenge)),
                f"{ln.minutes():.0f}",
                *(f"{round(ln.best[q], 1):g}" if q in ln.best else "" for q in book.quizzes),
            ]
        )
    return rows


STEP_HEADERS = (
    "lab",
    "step",
    "done",
    "first try",
    "with hints",
    "with solution",
    "in challenge mode",
)


def step_rows(book: Gradebook) -> list[list[str]]:
    rows = [list(STEP_HEADERS)]
    for s in book.steps():
        counts = (s.done, s.first_try, s.with_hints, s.with_solution, s.in_challenge)
        rows.append([s.lab_id, s.step_id, *map(str, counts)])
    return rows


def to_csv(book: Gradebook) -> str:
    """One CSV: the learners' table, a blank line, then the steps' table."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(learner_rows(book))
    writer.writerow([])
    writer.writerows(step_rows(book))
    return out.getvalue()


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
tr.struggle td { background: #fde8e8; }
"""


def _table(rows: list[list[str]], text_cols: int, struggle: list[bool] | None = None) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = []
    for i, row in enumerate(rows[1:]):
        cells = "".join(
            f'<td class="text">{html.escape(c)}</td>'
            if j < text_cols
            else f"<td>{html.escape(c)}</td>"
            for j, c in enumerate(row)
        )
        cls = ' class="struggle"' if struggle and struggle[i] else ""
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def to_html(book: Gradebook, title: str = "dockerlab gradebook") -> str:
    """A self-contained page (no scripts, no outside resources). Steps that fewer than half of
    those who did them managed at the first try are highlighted."""
    steps = book.steps()
    struggle = [s.done > 0 and s.first_try * 2 < s.done for s in steps]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{len(book.learners)} learners, {len(book.labs)} labs, {len(book.quizzes)} quizzes. "
        "Minutes in labs: from each lab's first recorded moment to its last (an estimate).</p>"
        "<h2>Learners</h2>"
        + _table(learner_rows(book), 1)
        + "<h2>Steps</h2><p>Highlighted: fewer than half managed it at the first try.</p>"
        + _table(step_rows(book), 2, struggle)
        + "</body></html>\n"
    )
