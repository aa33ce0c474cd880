"""`dockerlab lint`: every problem in labs, quizzes and the course map, at file:line:column.

The loaders already report what makes a file unusable (misspelled keys and check kinds with a
did-you-mean, unknown `{{ variables }}`, wrong values); lint runs them and adds what only an
instructor cares about: duplicate ids (with their place), steps with fewer than two hints,
images used but not declared in `images:`, resources created but not declared in `cleanup:`,
lab ids used twice across folders, and course-map entries that point nowhere.

Errors make a file unusable or wrong; warnings make a lab worse for learners or for offline
machines. `dockerlab lint` exits non-zero on errors (and on warnings with --strict).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dockerlab.authoring.lint_labs import lint_lab
from dockerlab.authoring.lint_quizzes import labs_dir_for, lint_course, lint_quiz
from dockerlab.authoring.lint_report import ERROR, WARNING, as_mapping, format_problem, warning
from dockerlab.model.loader import LAB_FILE
from dockerlab.model.problems import ContentError, Problem, did_you_mean
from dockerlab.model.yamlsource import Source

__all__ = [
    "ERROR",
    "WARNING",
    "ContentFiles",
    "LintResult",
    "default_paths",
    "find_content",
    "format_problem",
    "labs_dir_for",
    "lint",
    "lint_course",
    "lint_lab",
    "lint_quiz",
]

QUIZ_SUFFIX = ".quiz.yaml"
COURSE_FILE = "course.yaml"
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "build", "dist"})


@dataclass
class ContentFiles:
    """The content files found under the paths lint was given."""

    labs: list[Path] = field(default_factory=list)
    quizzes: list[Path] = field(default_factory=list)
    courses: list[Path] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labs) + len(self.quizzes) + len(self.courses)


@dataclass
class LintResult:
    """Every problem found, sorted by file and place."""

    problems: list[Problem]
    files: ContentFiles

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != WARNING]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


# -- finding files ---------------------------------------------------------------------------


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(files):
            yield Path(root) / name


def find_content(paths: Iterable[Path]) -> ContentFiles:
    """Labs (`lab.yaml`), quizzes (`*.quiz.yaml`) and course maps (`course.yaml`) in these files
    and folders. A file named explicitly that is neither a quiz nor a course map is a lab."""
    found = ContentFiles()
    seen: set[Path] = set()

    def add(file: Path, explicit: bool) -> None:
        resolved = file.resolve()
        if resolved in seen:
            return
        if file.name.endswith(QUIZ_SUFFIX):
            found.quizzes.append(file)
        elif file.name == COURSE_FILE:
            found.courses.append(file)
        elif file.name == LAB_FILE or (explicit and file.suffix in (".yaml", ".yml")):
            found.labs.append(file)
        else:
            return
        seen.add(resolved)

    for path in paths:
        if path.is_dir():
            for file in _walk(path):
                add(file, explicit=False)
        else:
            add(path, explicit=True)
    return found


# -- everything ------------------------------------------------------------------------------


def _cross_file(kind: str, ids: list[tuple[str, Path, Source]], severity: str) -> list[Problem]:
    """An id two files share: labs collide (error); a later quiz replaces an earlier one
    (warning: packs may override a bundled quiz on purpose)."""
    problems: list[Problem] = []
    first: dict[str, Path] = {}
    for item_id, path, src in ids:
        if item_id not in first:
            first[item_id] = path
            continue
        if kind == "lab":
            message = (
                f"lab id '{item_id}' is already used by {first[item_id]}; lab ids must be unique"
            )
        else:
            message = (
                f"quiz id '{item_id}' is also used by {first[item_id]}; the quiz from the "
                "later --content folder replaces it"
            )
        p = src.problem(("id",), message)
        problems.append(Problem(p.file, p.line, p.column, p.message, severity=severity))
    return problems


def _section_problems(labs: list[tuple[str, Path, Source]], courses: list[Path]) -> list[Problem]:
    """A lab whose `section:` no course map defines (the bundled one, or one being linted)."""
    from dockerlab import paths
    from dockerlab.model.course import UNLISTED_TITLE, load_course

    known: list[str] = []
    for file in [paths.bundled_content() / "course.yaml", *courses]:
        try:
            known += [s.id for s in load_course(file).sections]
        except (ContentError, OSError):
            continue  # the course map's own problems are reported by lint_course
    problems: list[Problem] = []
    for _, _, src in labs:
        section = as_mapping(src.data).get("section")
        if isinstance(section, str) and section not in known:
            problems.append(
                warning(
                    src,
                    ("section",),
                    f"section '{section}' is not a section of any course map "
                    f"(sections: {', '.join(known) or 'none'}); `dockerlab list` and the app "
                    f"show this lab under '{UNLISTED_TITLE}'",
                    did_you_mean(section, known),
                )
            )
    return problems


def default_paths() -> list[Path]:
    """What the app loads: the bundled course, then every --content / $DOCKERLAB_CONTENT folder."""
    from dockerlab import paths

    return [paths.bundled_labs(), paths.bundled_content(), *paths.extra_content_dirs()]


def lint(paths: Sequence[Path] | None = None) -> LintResult:
    """Lint every lab, quiz and course map in `paths` (files or folders; default: all content)."""
    files = find_content(paths if paths else default_paths())
    problems: list[Problem] = []
    lab_ids: list[tuple[str, Path, Source]] = []
    quiz_ids: list[tuple[str, Path, Source]] = []
    for file in files.labs:
        lab_id, src, found = lint_lab(file)
        problems += found
        if lab_id and src:
            lab_ids.append((lab_id, file, src))
    for file in files.quizzes:
        quiz_id, src, found = lint_quiz(file)
        problems += found
        if quiz_id and src:
            quiz_ids.append((quiz_id, file, src))
    for file in files.courses:
        problems += lint_course(file)
    problems += _section_problems(lab_ids, files.courses)
    problems += _cross_file("lab", lab_ids, ERROR)
    problems += _cross_file("quiz", quiz_ids, WARNING)
    unique = list(dict.fromkeys(problems))
    unique.sort(key=lambda p: (p.file, p.line, p.column, p.message))
    return LintResult(unique, files)
