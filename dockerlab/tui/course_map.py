"""The course as the app shows it: sections of pages, labs and quizzes, each with the learner's
progress, and which one to do next. Loading is slow-ish (pydantic, YAML): the app does it in a
worker after the first frame. Turning it into views is pure and quick.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from dockerlab.model.loader import LoadedLab
    from dockerlab.model.quiz import LoadedQuiz
    from dockerlab.runner.learner import ProgressStore

Kind = Literal["page", "lab", "quiz"]
# the state of one item, always shown with its word (never colour alone)
State = Literal["done", "started", "todo", "failed", "missing", "read"]

SYMBOLS: dict[str, str] = {
    "done": "✓",
    "started": "◐",
    "todo": "○",
    "failed": "✗",
    "missing": "-",
    "read": "≡",
}
KIND_WORDS: dict[str, str] = {"page": "Read", "lab": "Lab", "quiz": "Quiz"}


@dataclass(frozen=True)
class SectionInfo:
    """A section of the course map, as plain data (the model's Section, or one made up for
    labs the map does not list)."""

    id: str
    title: str
    summary: str
    pages: tuple[str, ...] = ()
    labs: tuple[str, ...] = ()
    quizzes: tuple[str, ...] = ()


@dataclass
class CourseData:
    """Everything the course map points at, loaded once."""

    title: str
    sections: list[SectionInfo]
    labs: dict[str, LoadedLab] = field(default_factory=dict)
    quizzes: dict[str, LoadedQuiz] = field(default_factory=dict)
    pages: dict[str, Path] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def section(self, section_id: str) -> SectionInfo | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def section_of(self, kind: Kind, item_id: str) -> SectionInfo | None:
        for s in self.sections:
            if item_id in {"page": s.pages, "lab": s.labs, "quiz": s.quizzes}[kind]:
                return s
        return None

    def page_title(self, page_id: str) -> str:
        path = self.pages.get(page_id)
        if path is not None:
            try:
                with path.open(encoding="utf-8") as fh:
                    for line in fh:
                        if line.startswith("# "):
                            return line[2:].strip()
                        if line.strip():
                            break
            except OSError:
                pass
        return page_id.replace("-", " ").capitalize()


@dataclass(frozen=True)
class Item:
    """One thing to read, do or answer, with the learner's progress on it."""

    kind: Kind
    id: str
    title: str
    section_id: str
    state: State
    detail: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def available(self) -> bool:
        return self.state != "missing"


@dataclass(frozen=True)
class SectionView:
    info: SectionInfo
    items: tuple[Item, ...]


def load_course_data(capabilities: set[str] | None = None) -> CourseData:
    """Load the course map, labs, quizzes and pages; problems are collected, never raised.
    `capabilities` pick the labs' variable values (None: probe this machine)."""
    from dockerlab import paths
    from dockerlab.model.course import existing_pages, load_course
    from dockerlab.model.problems import ContentError
    from dockerlab.runner.catalog import load_catalog

    problems: list[str] = []
    catalog = load_catalog(capabilities=capabilities)
    problems += [str(p) for p in catalog.problems]
    quizzes: dict[str, LoadedQuiz] = {}
    try:
        from dockerlab.model.quiz import find_quizzes

        found = find_quizzes()
        quizzes = dict(found.quizzes)
        problems += [str(p) for p in found.problems]
    except ImportError:  # an older dockerlab without quizzes
        pass
    pages: dict[str, Path] = {}
    for folder in [paths.bundled_content(), *paths.extra_content_dirs()]:
        pages.update(existing_pages(folder))

    sections: list[SectionInfo] = []
    title = "dockerlab"
    try:
        course = load_course(paths.bundled_content())
        title = course.title
        sections = [
            SectionInfo(s.id, s.title, s.summary, tuple(s.pages), tuple(s.labs), tuple(s.quiz_ids))
            for s in course.sections
        ]
    except ContentError as err:
        problems += [str(p) for p in err.problems]
    except OSError as exc:
        problems.append(f"cannot read the course map: {exc}")
    data = CourseData(title, sections, dict(catalog.labs), quizzes, pages, problems)
    _add_unlisted(data)
    return data


def _add_unlisted(data: CourseData) -> None:
    """Labs and quizzes no section lists (a --content pack, or no course map) still show up."""
    from dockerlab.model.course import UNLISTED_TITLE

    listed_labs = {lab for s in data.sections for lab in s.labs}
    listed_quizzes = {q for s in data.sections for q in s.quizzes}
    labs = tuple(i for i in data.labs if i not in listed_labs)
    quizzes = tuple(i for i in data.quizzes if i not in listed_quizzes)
    if labs or quizzes:
        data.sections.append(
            SectionInfo(
                "more",
                UNLISTED_TITLE,
                "Found outside the course map (e.g. --content).",
                labs=labs,
                quizzes=quizzes,
            )
        )


def lab_item(
    data: CourseData, section: SectionInfo, lab_id: str, progress: ProgressStore | None
) -> Item:
    loaded = data.labs.get(lab_id)
    if loaded is None:
        return Item("lab", lab_id, lab_id, section.id, "missing", "not available yet")
    from dockerlab.runner.learner import read_lab_progress

    lab = loaded.lab
    summary = read_lab_progress(progress, lab_id, lab)
    total, count = len(lab.steps), summary.count
    if summary.state == "done":
        helped = summary.assisted
        detail = f"done: {total}/{total} steps" + (f", {helped} with help" if helped else "")
    elif summary.state == "started":
        detail = f"started: {count}/{total} steps"
    else:
        detail = f"to do: {total} steps"
    return Item("lab", lab_id, lab.title, section.id, summary.state, detail)


def quiz_item(
    data: CourseData, section: SectionInfo, quiz_id: str, progress: ProgressStore | None
) -> Item:
    loaded = data.quizzes.get(quiz_id)
    if loaded is None:
        return Item("quiz", quiz_id, quiz_id, section.id, "missing", "not available yet")
    quiz = loaded.quiz
    attempts = progress.quiz_attempts(quiz_id) if progress is not None else []
    count = len(quiz.questions)
    if not attempts:
        return Item("quiz", quiz_id, quiz.title, section.id, "todo", f"to do: {count} questions")
    best = max(attempts, key=lambda a: (a.passed, a.score))
    score = f"{best.score:g}/{best.total:g}"
    if best.passed:
        return Item("quiz", quiz_id, quiz.title, section.id, "done", f"passed: {score}")
    return Item("quiz", quiz_id, quiz.title, section.id, "failed", f"not passed: best {score}")


def page_item(data: CourseData, section: SectionInfo, page_id: str, read: set[str]) -> Item:
    if page_id not in data.pages:
        return Item(
            "page", page_id, data.page_title(page_id), section.id, "missing", "not written yet"
        )
    state: State = "read" if page_id in read else "todo"
    return Item(
        "page",
        page_id,
        data.page_title(page_id),
        section.id,
        state,
        "read" if state == "read" else "to read",
    )


def course_view(
    data: CourseData, progress: ProgressStore | None, read: set[str] | None = None
) -> list[SectionView]:
    """Every section with its items in course order: pages, then labs, then quizzes."""
    read = read or set()
    views = []
    for s in data.sections:
        items = [page_item(data, s, p, read) for p in s.pages]
        items += [lab_item(data, s, lab, progress) for lab in s.labs]
        items += [quiz_item(data, s, q, progress) for q in s.quizzes]
        views.append(SectionView(s, tuple(items)))
    return views


def next_item(views: list[SectionView], last_place: str | None = None) -> Item | None:
    """What to do next: the lab the learner was in if it is unfinished, else the first lab or
    quiz not done yet — or the first page of its section when nothing there is started."""
    items = [i for v in views for i in v.items]
    if last_place and last_place.startswith("lab:"):
        lab_id = last_place[4:].split("/", 1)[0]
        for item in items:
            if item.kind == "lab" and item.id == lab_id and item.state == "started":
                return item
    for view in views:
        work = [i for i in view.items if i.kind != "page" and i.available]
        pending = [i for i in work if i.state != "done"]
        if not pending:
            continue
        touched = any(i.state in ("started", "done", "failed") for i in work)
        unread = [i for i in view.items if i.kind == "page" and i.state == "todo"]
        if not touched and unread:
            return unread[0]
        return pending[0]
    return None
