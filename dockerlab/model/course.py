"""The course map (`content/course.yaml`): ordered sections of theory pages, labs and quizzes.

`load_course` reads the map and reports every problem in it at file:line:column, the same way
labs are loaded. `course_problems` then checks the map against the files on disk: every page,
lab and quiz it names must exist, and every one that exists must be reachable from a section.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PrivateAttr, field_validator, model_validator

from dockerlab.model.base import Strict
from dockerlab.model.build import build
from dockerlab.model.problems import ContentError, Problem
from dockerlab.model.yamlsource import PathKey, Source, read_text, read_yaml

FORMAT_VERSION = 1
COURSE_FILE = "course.yaml"
PAGE_SUFFIX = ".md"
QUIZ_SUFFIX = ".quiz.yaml"
LAB_FILE = "lab.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(
            f"'{value}' is not an id: use lowercase letters, digits and dashes (like 'docker-hub')"
        )
    return value


Id = Annotated[str, AfterValidator(_id)]


class Section(Strict):
    """One step of the course: what to read, what to do, and what to answer, in that order."""

    id: Id = Field(description="stable id other code (progress, the app) refers to")
    title: str
    summary: str = Field(description="one or two sentences shown in the course overview")
    pages: list[Id] = Field([], description="theory pages: content/<id>.md")
    labs: list[Id] = Field([], description="labs: labs/<id>/lab.yaml")
    quiz: Id | None = Field(None, description="the section's quiz: content/<id>.quiz.yaml")
    quizzes: list[Id] = Field([], description="instead of `quiz`, when a section has several")

    @model_validator(mode="after")
    def _one_quiz_key(self) -> Section:
        if self.quiz is not None and self.quizzes:
            raise ValueError("use either 'quiz' (one quiz) or 'quizzes' (a list), not both")
        return self

    @property
    def quiz_ids(self) -> list[str]:
        """The section's quizzes, whichever key listed them."""
        return [self.quiz] if self.quiz is not None else list(self.quizzes)


class Course(Strict):
    """The whole course map."""

    format_version: int = Field(description=f"always {FORMAT_VERSION} for this dockerlab")
    title: str
    sections: list[Section] = Field(min_length=1)

    # Where the map was read from, so later checks can point at the line that names a file.
    _source: Source | None = PrivateAttr(default=None)

    @field_validator("format_version")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value != FORMAT_VERSION:
            raise ValueError(
                f"this dockerlab reads course maps of format_version {FORMAT_VERSION}, not {value}"
            )
        return value

    @property
    def source(self) -> Source:
        """The parsed YAML the map came from (an empty stand-in for a map built in code)."""
        return self._source or Source(file=COURSE_FILE, data=None)

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def section_of_lab(self, lab_id: str) -> Section | None:
        return next((s for s in self.sections if lab_id in s.labs), None)

    def page_ids(self) -> list[str]:
        return [page for s in self.sections for page in s.pages]

    def lab_ids(self) -> list[str]:
        return [lab for s in self.sections for lab in s.labs]

    def quiz_ids(self) -> list[str]:
        return [quiz for s in self.sections for quiz in s.quiz_ids]


Kind = Literal["page", "lab", "quiz"]


@dataclass(frozen=True)
class Reference:
    """One id the map names, the kind of thing it names and where in the map it stands."""

    kind: Kind
    id: str
    section: str
    path: PathKey


def references(course: Course) -> list[Reference]:
    """Every page, lab and quiz id in the map, in course order."""
    refs: list[Reference] = []
    for i, section in enumerate(course.sections):
        base: PathKey = ("sections", i)
        refs += [
            Reference("page", p, section.id, (*base, "pages", j))
            for j, p in enumerate(section.pages)
        ]
        refs += [
            Reference("lab", lab, section.id, (*base, "labs", j))
            for j, lab in enumerate(section.labs)
        ]
        if section.quiz is not None:
            refs.append(Reference("quiz", section.quiz, section.id, (*base, "quiz")))
        refs += [
            Reference("quiz", q, section.id, (*base, "quizzes", j))
            for j, q in enumerate(section.quizzes)
        ]
    return refs


def _structure_problems(course: Course, src: Source) -> list[Problem]:
    """Problems pydantic cannot see: a section id used twice, an item listed twice."""
    problems: list[Problem] = []
    seen_sections: dict[str, int] = {}
    for i, section in enumerate(course.sections):
        if section.id in seen_sections:
            first = seen_sections[section.id]
            problems.append(
                src.problem(
                    ("sections", i, "id"),
                    f"section id '{section.id}' is already used by section {first + 1}; "
                    "section ids must be unique",
                )
            )
        else:
            seen_sections[section.id] = i
    seen: dict[tuple[str, str], str] = {}
    for ref in references(course):
        key = (ref.kind, ref.id)
        if key in seen:
            problems.append(
                src.problem(
                    ref.path,
                    f"{ref.kind} '{ref.id}' is already listed in section '{seen[key]}'; "
                    "list each item once",
                )
            )
        else:
            seen[key] = ref.section
    return problems


# The heading of labs and quizzes that no section of the course map lists (a --content pack)
UNLISTED_TITLE = "More labs and quizzes"


def load_course(path: Path) -> Course:
    """Load the course map (a file, or a folder holding course.yaml).

    Raises ContentError listing every problem, each at file:line:column.
    """
    if path.is_dir():
        path = path / COURSE_FILE
    src, problems = read_yaml(path)
    if problems:
        raise ContentError(problems)
    course = build(Course, src)
    structure = _structure_problems(course, src)
    if structure:
        raise ContentError(structure)
    course._source = src
    return course


def _is_id(name: str) -> bool:
    return bool(ID_PATTERN.match(name))


def existing_pages(content_dir: Path) -> dict[str, Path]:
    """Theory pages on disk: content/<id>.md (files like README.md are not pages)."""
    if not content_dir.is_dir():
        return {}
    return {p.stem: p for p in sorted(content_dir.glob(f"*{PAGE_SUFFIX}")) if _is_id(p.stem)}


def existing_quizzes(content_dir: Path) -> dict[str, Path]:
    """Quizzes on disk: content/<id>.quiz.yaml."""
    if not content_dir.is_dir():
        return {}
    found: dict[str, Path] = {}
    for p in sorted(content_dir.glob(f"*{QUIZ_SUFFIX}")):
        quiz_id = p.name.removesuffix(QUIZ_SUFFIX)
        if _is_id(quiz_id):
            found[quiz_id] = p
    return found


def existing_labs(labs_dir: Path) -> dict[str, Path]:
    """Labs on disk: labs/<id>/lab.yaml."""
    if not labs_dir.is_dir():
        return {}
    return {
        p.parent.name: p for p in sorted(labs_dir.glob(f"*/{LAB_FILE}")) if _is_id(p.parent.name)
    }


def _expected_file(kind: Kind, item_id: str, content_dir: Path, labs_dir: Path) -> Path:
    if kind == "page":
        return content_dir / f"{item_id}{PAGE_SUFFIX}"
    if kind == "quiz":
        return content_dir / f"{item_id}{QUIZ_SUFFIX}"
    return labs_dir / item_id / LAB_FILE


def _suggest(item_id: str, known: Iterable[str]) -> str | None:
    """The existing id the author probably meant.

    Ids share long prefixes ("registry-"), so the general did-you-mean cutoff would offer
    'registry-basics' for a lab that simply is not written yet; only near-typos count here.
    """
    matches = difflib.get_close_matches(item_id, list(known), n=1, cutoff=0.8)
    return matches[0] if matches else None


def _missing(ref: Reference, expected: Path, known: Iterable[str], src: Source) -> Problem:
    hint = _suggest(ref.id, known)
    return src.problem(ref.path, f"{ref.kind} '{ref.id}' has no file {expected}", hint)


def _lab_section_problem(lab_file: Path, section_id: str) -> Problem | None:
    """A lab names its section; it must be the section that lists it in the map."""
    src, problems = read_yaml(lab_file)
    if problems or not isinstance(src.data, dict):
        return None  # the lab loader reports broken lab files
    declared = src.data.get("section")
    if not isinstance(declared, str) or declared == section_id:
        return None
    return src.problem(
        ("section",),
        f"this lab says section '{declared}' but the course map lists it in section '{section_id}'",
        section_id,
    )


def _page_heading_problem(page_file: Path) -> Problem | None:
    text, problems = read_text(page_file)
    if text is None:
        return problems[0]
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if line.startswith("# "):
                return None
            return Problem(str(page_file), number, 1, "a page must start with a '# Title' line")
    return Problem(str(page_file), 1, 1, "the page is empty")


def course_problems(course: Course, content_dir: Path, labs_dir: Path) -> list[Problem]:
    """Every reference in the map that points nowhere, and every file no section reaches.

    Missing files are reported where the map names them, with the closest existing id as a
    suggestion; unreached files are reported at the file itself.
    """
    src = course.source
    on_disk: dict[Kind, dict[str, Path]] = {
        "page": existing_pages(content_dir),
        "lab": existing_labs(labs_dir),
        "quiz": existing_quizzes(content_dir),
    }
    problems: list[Problem] = []
    reached: dict[Kind, set[str]] = {"page": set(), "lab": set(), "quiz": set()}
    for ref in references(course):
        reached[ref.kind].add(ref.id)
        found = on_disk[ref.kind].get(ref.id)
        if found is None:
            expected = _expected_file(ref.kind, ref.id, content_dir, labs_dir)
            problems.append(_missing(ref, expected, on_disk[ref.kind], src))
        elif ref.kind == "lab":
            mismatch = _lab_section_problem(found, ref.section)
            if mismatch:
                problems.append(mismatch)
        elif ref.kind == "page":
            heading = _page_heading_problem(found)
            if heading:
                problems.append(heading)
    for kind, files in on_disk.items():
        for item_id, file in files.items():
            if item_id not in reached[kind]:
                problems.append(
                    Problem(
                        str(file),
                        1,
                        1,
                        f"{kind} '{item_id}' is not reachable: no section of {src.file} "
                        f"lists it under '{_key_for(kind)}'",
                    )
                )
    return problems


def _key_for(kind: Kind) -> str:
    return {"page": "pages", "lab": "labs", "quiz": "quiz"}[kind]
