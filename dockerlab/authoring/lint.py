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
from typing import Any

from dockerlab.authoring.dockercmd import DockerEffects, docker_effects, is_local
from dockerlab.engine.refs import normalize, repository
from dockerlab.model.checks import (
    AllCheck,
    AnyCheck,
    CommandCheck,
    ContainerCheck,
    NotCheck,
    ServiceCheck,
)
from dockerlab.model.lab import Lab
from dockerlab.model.loader import LAB_FILE, load_lab
from dockerlab.model.problems import ContentError, Problem
from dockerlab.model.yamlsource import PathKey, Source, read_yaml

QUIZ_SUFFIX = ".quiz.yaml"
COURSE_FILE = "course.yaml"
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "build", "dist"})
WARNING, ERROR = "warning", "error"
# What the model validators say without a place; lint reports these itself, with one.
PLACELESS = ("two steps have the id", "two questions have the id")


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


def format_problem(problem: Problem, style: str = "text") -> str:
    """`file:line:column: message (did you mean 'x'?)`, warnings marked `warning:`; or a
    GitHub Actions annotation with style="github"."""
    if style == "github":
        level = "warning" if problem.severity == WARNING else "error"
        message = problem.message
        if problem.suggestion:
            message += f" (did you mean '{problem.suggestion}'?)"
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (f"::{level} file={problem.file},line={problem.line},col={problem.column}"
                f"::{message}")
    text = str(problem)
    if problem.severity == WARNING:
        head = f"{problem.file}:{problem.line}:{problem.column}: "
        text = head + "warning: " + text[len(head):]
    return text


def _warning(src: Source, path: PathKey, message: str, suggestion: str | None = None,
             *, key: bool = False) -> Problem:
    p = src.problem(path, message, suggestion, key=key)
    return Problem(p.file, p.line, p.column, p.message, p.suggestion, severity=WARNING)


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


# -- labs --------------------------------------------------------------------------------------

def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _duplicate_ids(src: Source, items_key: str, what: str) -> list[Problem]:
    """An id used twice in a list (steps, questions), reported at the second one."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, item in enumerate(_list(_mapping(src.data).get(items_key))):
        item_id = _mapping(item).get("id")
        if not isinstance(item_id, str):
            continue
        if item_id in first:
            line, _ = src.position((items_key, first[item_id], "id"))
            problems.append(src.problem(
                (items_key, index, "id"),
                f"{what} id '{item_id}' is already used at line {line}; {what} ids must be unique",
            ))
        else:
            first[item_id] = index
    return problems


def _when_capabilities(src: Source) -> list[str]:
    caps: list[str] = []
    for value in _mapping(_mapping(src.data).get("variables")).values():
        for cap in _mapping(_mapping(value).get("when")):
            if str(cap) not in caps:
                caps.append(str(cap))
    return caps


def _load_problems(path: Path, src: Source) -> tuple[Lab | None, list[Problem]]:
    """What the loader says about the lab with default variable values, plus what it says
    only where a capability picks another value (`when:`)."""
    lab: Lab | None = None
    problems: list[Problem] = []
    try:
        lab = load_lab(path).lab
    except ContentError as err:
        problems.extend(err.problems)
    seen = {str(p) for p in problems}
    for cap in _when_capabilities(src):
        try:
            load_lab(path, capabilities={cap})
        except ContentError as err:
            for p in err.problems:
                if str(p) not in seen:
                    seen.add(str(p))
                    problems.append(Problem(p.file, p.line, p.column,
                                            f"{p.message} (where the machine has {cap})",
                                            p.suggestion, p.severity))
    return lab, problems


def _hint_problems(lab: Lab, src: Source) -> list[Problem]:
    problems: list[Problem] = []
    for j, step in enumerate(lab.steps):
        count = len(step.hints)
        if count >= 2:
            continue
        where: PathKey = ("steps", j, "hints") if count else ("steps", j, "id")
        have = "no hints" if count == 0 else "only one hint"
        problems.append(_warning(
            src, where,
            f"step '{step.id}' has {have}; give at least two: a nudge first, the command last",
            key=count > 0,
        ))
    return problems


@dataclass
class _Use:
    """One command or check field of a lab, where it stands, and what it does with Docker."""

    path: PathKey
    effects: DockerEffects


def _check_uses(check: Any, path: PathKey) -> Iterator[_Use]:
    if isinstance(check, CommandCheck):
        yield _Use((*path, "run"), docker_effects(check.run))
    elif isinstance(check, ContainerCheck | ServiceCheck) and check.image:
        yield _Use((*path, "image"), DockerEffects(uses_images=[check.image]))
    elif isinstance(check, AllCheck | AnyCheck):
        for i, sub in enumerate(check.checks):
            yield from _check_uses(sub, (*path, "checks", i))
    elif isinstance(check, NotCheck):
        yield from _check_uses(check.check, (*path, "check"))


def _uses(lab: Lab) -> Iterator[_Use]:
    for i, cmd in enumerate(lab.setup):
        yield _Use(("setup", i, "run"), docker_effects(cmd.run))
    for j, step in enumerate(lab.steps):
        for k, cmd in enumerate(step.solution):
            yield _Use(("steps", j, "solution", k, "run"), docker_effects(cmd.run))
        yield from _check_uses(step.check, ("steps", j, "check"))


def _image_problems(lab: Lab, uses: list[_Use], src: Source) -> list[Problem]:
    declared = {normalize(i) for i in lab.images}
    made = {normalize(i) for i in lab.cleanup.images}
    for use in uses:
        made.update(normalize(i) for i in use.effects.makes_images)
    problems: list[Problem] = []
    reported: set[str] = set()
    for use in uses:
        for image in use.effects.uses_images:
            full = normalize(image)
            if is_local(image) or full in declared or full in made or full in reported:
                continue
            reported.add(full)
            same_repo = [i for i in lab.images if repository(i) == repository(image)]
            problems.append(_warning(
                src, use.path,
                f"image '{image}' is used here but not declared in `images:`; declared images "
                "are prepared before setup (offline too, as stand-ins)",
                same_repo[0] if same_repo else None,
            ))
    return problems


def _cleanup_problems(lab: Lab, uses: list[_Use], src: Source) -> list[Problem]:
    c = lab.cleanup
    declared_images = {normalize(i) for i in c.images}
    kinds: list[tuple[str, str, set[str]]] = [
        ("containers", "container", set(c.containers)),
        ("services", "service", set(c.services)),
        ("networks", "network", set(c.networks)),
        ("volumes", "volume", set(c.volumes)),
    ]
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    for use in uses:
        if use.path[-1] != "run" or "check" in use.path:
            continue  # a check reads state; only setup and solution commands create things
        for key, what, declared in kinds:
            for name in getattr(use.effects, key):
                if name in declared or (what, name) in reported:
                    continue
                reported.add((what, name))
                problems.append(_warning(
                    src, use.path,
                    f"{what} '{name}' is created here but not declared in cleanup.{key}; "
                    "reset and validate remove only what `cleanup:` declares",
                ))
        for image in use.effects.makes_images:
            if normalize(image) in declared_images or ("image", image) in reported:
                continue
            reported.add(("image", image))
            problems.append(_warning(
                src, use.path,
                f"image '{image}' is made here but not declared in cleanup.images; "
                "reset and validate remove only what `cleanup:` declares",
            ))
        for image in use.effects.unnamed_containers:
            problems.append(_warning(
                src, use.path,
                f"`docker run {image}` without --name or --rm leaves a container nothing "
                "removes; name it and declare it in cleanup.containers, or add --rm",
            ))
    return problems


def _folder_problem(path: Path, src: Source) -> list[Problem]:
    lab_id = _mapping(src.data).get("id")
    if path.name != LAB_FILE or not isinstance(lab_id, str) or lab_id == path.parent.name:
        return []
    return [src.problem(
        ("id",),
        f"lab id '{lab_id}' differs from its folder '{path.parent.name}'; the course map and "
        f"the catalog find labs as labs/<id>/{LAB_FILE}",
        path.parent.name,
    )]


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop "missing required key 'x'" when the same mapping has an unknown key that is a
    misspelling of 'x': the did-you-mean already says it (keys of a block mapping share a
    column, and the mapping's place is its first key)."""
    misspelt = {
        (p.file, p.column, p.suggestion): p.line
        for p in problems
        if p.message.startswith("unknown key ") and p.suggestion
    }
    kept = []
    for p in problems:
        if p.message.startswith("missing required key '"):
            key = p.message.removeprefix("missing required key '").rstrip("'")
            line = misspelt.get((p.file, p.column, key))
            if line is not None and line >= p.line:
                continue
        kept.append(p)
    return kept


def lint_lab(path: Path) -> tuple[str | None, Source | None, list[Problem]]:
    """(lab id, parsed source, problems) for one lab file."""
    src, syntax = read_yaml(path)
    if syntax:
        return None, None, syntax
    lab, problems = _load_problems(path, src)
    problems = _without_echoes(problems)
    duplicates = _duplicate_ids(src, "steps", "step")
    if duplicates:
        problems = [p for p in problems if not p.message.split(": ", 1)[-1].startswith(PLACELESS)]
    problems += duplicates + _folder_problem(path, src)
    if lab is not None:
        uses = list(_uses(lab))
        problems += _hint_problems(lab, src)
        problems += _image_problems(lab, uses, src)
        problems += _cleanup_problems(lab, uses, src)
    lab_id = _mapping(src.data).get("id")
    return (lab_id if isinstance(lab_id, str) else None), src, problems


# -- quizzes and the course map ------------------------------------------------------------

def lint_quiz(path: Path) -> tuple[str | None, Source | None, list[Problem]]:
    """(quiz id, parsed source, problems) for one quiz file, through the quiz loader."""
    src, syntax = read_yaml(path)
    if syntax:
        return None, None, syntax
    from dockerlab.model.quiz import load_quiz

    problems: list[Problem] = []
    try:
        load_quiz(path)
    except ContentError as err:
        problems.extend(_without_echoes(err.problems))
    duplicates = _duplicate_ids(src, "questions", "question")
    if duplicates:
        problems = [p for p in problems if not p.message.split(": ", 1)[-1].startswith(PLACELESS)]
    problems += duplicates
    quiz_id = _mapping(src.data).get("id")
    return (quiz_id if isinstance(quiz_id, str) else None), src, problems


def labs_dir_for(course_file: Path) -> Path:
    """Where a course map's labs live: `labs/` beside it, else beside its folder (the bundled
    layout: content/course.yaml and labs/)."""
    beside = course_file.parent / "labs"
    return beside if beside.is_dir() else course_file.parent.parent / "labs"


def lint_course(path: Path) -> list[Problem]:
    """The course map's own problems, then every entry that points nowhere."""
    from dockerlab.model.course import course_problems, load_course

    try:
        course = load_course(path)
    except ContentError as err:
        return list(err.problems)
    return course_problems(course, path.parent, labs_dir_for(path))


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
            message = (f"lab id '{item_id}' is already used by {first[item_id]}; "
                       "lab ids must be unique")
        else:
            message = (f"quiz id '{item_id}' is also used by {first[item_id]}; the quiz from the "
                       "later --content folder replaces it")
        p = src.problem(("id",), message)
        problems.append(Problem(p.file, p.line, p.column, p.message, severity=severity))
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
    problems += _cross_file("lab", lab_ids, ERROR)
    problems += _cross_file("quiz", quiz_ids, WARNING)
    unique = list(dict.fromkeys(problems))
    unique.sort(key=lambda p: (p.file, p.line, p.column, p.message))
    return LintResult(unique, files)
