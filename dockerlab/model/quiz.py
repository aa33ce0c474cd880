"""A section quiz (`content/<id>.quiz.yaml`): questions that explain every answer.

The models say what an instructor may write; `load_quiz` reads a file with the same loader rules
as labs (every problem at file:line:column, misspelled keys with a did-you-mean), and
`find_quizzes` looks through the bundled content folder and any `--content` folders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from dockerlab.model.base import Strict
from dockerlab.model.build import build
from dockerlab.model.patterns import compile_error
from dockerlab.model.problems import ContentError, Problem, did_you_mean
from dockerlab.model.yamlsource import Source, parse_yaml, read_yaml

SLUG = r"^[a-z0-9][a-z0-9-]*$"
# a lab step ("registry-basics/push"), a lab ("registry-gc") or a theory page id
LINK = r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)?$"
QUIZ_SUFFIX = ".quiz.yaml"
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "true_false", "short")
# `dockerlab quiz list|export|import` would shadow a quiz with one of these ids
RESERVED_IDS: tuple[str, ...] = ("list", "export", "import")

QuestionType = Literal["single", "multiple", "true_false", "short"]
CHOICE_TYPES: tuple[str, ...] = ("single", "multiple")


class Option(Strict):
    """One choice of a `single` or `multiple` question."""

    id: str = Field(pattern=SLUG, description="stable id: answers are recorded by it")
    text: str = Field(min_length=1, description="what the learner reads (Markdown)")
    correct: bool = False
    feedback: str | None = Field(None, description="shown when the learner picks this option")
    pinned: bool = Field(False, description="keeps its place when options are shuffled")


class Question(Strict):
    """One question. Which keys it takes depends on its `type`."""

    id: str = Field(pattern=SLUG)
    type: QuestionType
    prompt: str = Field(min_length=1, description="Markdown; may hold code")
    options: list[Option] = Field([], description="single and multiple questions")
    answer: bool | None = Field(None, description="true_false: the right answer")
    feedback_true: str | None = Field(None, description="true_false: shown for an answer of true")
    feedback_false: str | None = Field(None, description="true_false: shown for false")
    accept: list[str] = Field([], description="short: accepted answers and synonyms")
    regex: str | None = Field(None, description="short: a pattern an answer may also match")
    typos: bool = Field(True, description="short: accept one typo, with a spelling note")
    feedback: str | None = Field(None, description="short: shown when the answer is accepted")
    explanation: str = Field(min_length=1, description="shown after every answer")
    hints: list[str] = []
    link: str | None = Field(
        None, pattern=LINK, description="the lab step or theory page that teaches it"
    )

    @field_validator("type", mode="before")
    @classmethod
    def _known_type(cls, value: Any) -> Any:
        if isinstance(value, str) and value not in QUESTION_TYPES:
            hint = did_you_mean(value, QUESTION_TYPES)
            guess = f" (did you mean '{hint}'?)" if hint else ""
            raise ValueError(
                f"unknown question type '{value}'{guess}; the types are {', '.join(QUESTION_TYPES)}"
            )
        return value

    @field_validator("options")
    @classmethod
    def _options(cls, options: list[Option], info: ValidationInfo) -> list[Option]:
        kind = info.data.get("type")
        if kind is None or not options:
            return options
        if kind not in CHOICE_TYPES:
            raise ValueError(f"a {kind} question has no options; remove `options:`")
        ids = [o.id for o in options]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"option ids must be unique in a question: {', '.join(twice)} repeat")
        if len(options) < 2:
            raise ValueError("a choice needs at least two options")
        right = [o.id for o in options if o.correct]
        if kind == "single" and len(right) != 1:
            found = ", ".join(right) if right else "none"
            raise ValueError(
                f"a single question needs exactly one option with `correct: true` (found: {found});"
                " for several right answers use `type: multiple`"
            )
        if kind == "multiple" and not right:
            raise ValueError("a multiple question needs at least one option with `correct: true`")
        return options

    @field_validator("answer", "feedback_true", "feedback_false")
    @classmethod
    def _true_false_only(cls, value: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("type")
        if value is not None and kind is not None and kind != "true_false":
            raise ValueError(f"only true_false questions take `{info.field_name}:`")
        return value

    @field_validator("accept", "regex", "feedback")
    @classmethod
    def _short_only(cls, value: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("type")
        if value and kind is not None and kind != "short":
            message = f"only short questions take `{info.field_name}:`"
            if info.field_name == "feedback":
                where = (
                    "`feedback_true:`/`feedback_false:`"
                    if kind == "true_false"
                    else ("a `feedback:` on each option")
                )
                message += f"; a {kind} question uses {where}"
            raise ValueError(message)
        if info.field_name == "regex" and value is not None:
            error = compile_error(value)
            if error:
                raise ValueError(f"'{value}' is not a valid regular expression: {error}")
        if info.field_name == "accept" and any(not str(a).strip() for a in value):
            raise ValueError("an accepted answer cannot be empty")
        return value

    @model_validator(mode="after")
    def _required_for_type(self) -> Question:
        if self.type in CHOICE_TYPES and not self.options:
            raise ValueError(f"a {self.type} question needs `options:` (at least two)")
        if self.type == "true_false" and self.answer is None:
            raise ValueError("a true_false question needs `answer: true` or `answer: false`")
        if self.type == "short" and not self.accept:
            raise ValueError(
                "a short question needs `accept:` with at least one answer, also with a regex"
                " (learners are shown the first accepted answer)"
            )
        if self.type != "short" and not self.typos:
            raise ValueError("only short questions take `typos:`")
        return self

    def right_options(self) -> list[Option]:
        """The options marked correct (empty for true_false and short)."""
        return [o for o in self.options if o.correct]

    def option(self, option_id: str) -> Option:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        raise KeyError(option_id)


class Quiz(Strict):
    """A quiz file: a section's questions and the share a learner needs right to pass."""

    format_version: Literal[1] = 1
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    section: str = Field(pattern=SLUG, description="the course map's section id")
    summary: str | None = None
    pass_mark: int = Field(70, ge=1, le=100, description="percent of questions right to pass")
    questions: list[Question] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_IDS:
            raise ValueError(f"'{value}' is a `dockerlab quiz` subcommand; choose another quiz id")
        return value

    @model_validator(mode="after")
    def _unique_questions(self) -> Quiz:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(
                    f"two questions have the id '{question.id}'; question ids must be unique"
                )
            seen.add(question.id)
        return self

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def needed_to_pass(self) -> int:
        """How many questions must be right to reach the pass mark."""
        total = len(self.questions)
        return -(-self.pass_mark * total // 100)


@dataclass(frozen=True)
class LoadedQuiz:
    """A quiz plus the file it came from."""

    quiz: Quiz
    path: Path


def _id_matches_file(src: Source, path: Path) -> list[Problem]:
    expected = path.name.removesuffix(QUIZ_SUFFIX) if path.name.endswith(QUIZ_SUFFIX) else None
    data = src.data if isinstance(src.data, dict) else {}
    actual = data.get("id")
    if expected and isinstance(actual, str) and actual != expected:
        return [
            src.problem(
                ("id",),
                f"id '{actual}' does not match the file name; rename the file to "
                f"{actual}{QUIZ_SUFFIX} or set `id: {expected}`",
            )
        ]
    return []


def parse_quiz(text: str, file: str) -> Quiz:
    """Validate quiz YAML held in memory; raises ContentError listing every problem."""
    src, problems = parse_yaml(text, file)
    if problems:
        raise ContentError(problems)
    return build(Quiz, src, _id_matches_file(src, Path(file)))


def load_quiz(path: Path, source: Source | None = None) -> LoadedQuiz:
    """Load one quiz file (or its `source`, already parsed); raises ContentError listing every
    problem at file:line:column."""
    src, problems = (source, []) if source is not None else read_yaml(path)
    if problems:
        raise ContentError(problems)
    return LoadedQuiz(quiz=build(Quiz, src, _id_matches_file(src, path)), path=path)


@dataclass
class QuizCatalog:
    """Every quiz found, by id in discovery order, and the problems of files that did not load."""

    quizzes: dict[str, LoadedQuiz] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def quiz_dirs() -> list[Path]:
    """Where quizzes live: the bundled content folder, then each `--content` folder (its
    `content/` subfolder when it has one, as the bundled course is laid out)."""
    from dockerlab.paths import bundled_content, extra_content_dirs

    extra = [d / "content" if (d / "content").is_dir() else d for d in extra_content_dirs()]
    return [bundled_content(), *extra]


def find_quizzes(dirs: Sequence[Path] | None = None) -> QuizCatalog:
    """Load every `*.quiz.yaml` in `dirs` (default: quiz_dirs()).

    A quiz in a later folder replaces a bundled one with the same id, so an instructor's pack
    can override a section quiz. Broken files are reported in `problems`, never raised.
    """
    catalog = QuizCatalog()
    for folder in quiz_dirs() if dirs is None else dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(f"*{QUIZ_SUFFIX}")):
            try:
                loaded = load_quiz(path)
            except ContentError as err:
                catalog.problems.extend(err.problems)
                continue
            catalog.quizzes.pop(loaded.quiz.id, None)
            catalog.quizzes[loaded.quiz.id] = loaded
    return catalog


class QuizNotFound(LookupError):
    """No quiz has the id asked for; the message lists the known ones."""


def find_quiz(quiz_id: str, dirs: Sequence[Path] | None = None) -> LoadedQuiz:
    """The quiz with this id; raises QuizNotFound (with a did-you-mean), or ContentError."""
    search = quiz_dirs() if dirs is None else list(dirs)
    for folder in reversed(search):
        path = folder / f"{quiz_id}{QUIZ_SUFFIX}"
        if path.is_file():
            return load_quiz(path)
    catalog = find_quizzes(search)
    if quiz_id in catalog.quizzes:
        return catalog.quizzes[quiz_id]
    hint = did_you_mean(quiz_id, catalog.quizzes)
    known = ", ".join(catalog.quizzes) or "none found"
    guess = f"did you mean '{hint}'? " if hint else ""
    raise QuizNotFound(f"no quiz '{quiz_id}'; {guess}quizzes: {known}")
