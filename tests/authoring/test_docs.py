"""docs/authoring.md is complete and true: every check kind and field is documented, every
example is valid, and the tutorial lab, followed alone, passes lint and validate."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter

from dockerlab.authoring.lint import format_problem, lint
from dockerlab.engine import Engine
from dockerlab.model import checks as check_models
from dockerlab.model.base import CheckSpec
from dockerlab.model.checks import CHECK_KINDS, Check
from dockerlab.model.course import Course
from dockerlab.model.lab import Cleanup, Command, Diagnosis, Lab, Step, Variable
from dockerlab.model.quiz import Option, Question, Quiz, parse_quiz
from tests.authoring.conftest import Cli
from tests.conftest import REPO, free_port

DOC = REPO / "docs" / "authoring.md"
TEXT = DOC.read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
TUTORIAL = re.compile(
    r"<!-- tutorial-lab: (\S+) -->\n```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL
)


def _sections() -> dict[str, str]:
    """Each heading's text (without #s) -> its body up to the next heading of any level."""
    parts = re.split(r"^(#{2,4} .+)$", TEXT, flags=re.MULTILINE)
    return {parts[i].lstrip("#").strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


SECTIONS = _sections()


def _section(heading: str, *, deep: bool = False) -> str:
    """A section's body; with `deep`, its sub-sections too."""
    if not deep:
        return SECTIONS[heading]
    start = TEXT.index(f" {heading}\n")
    level = TEXT.rfind("\n", 0, start) + 1
    hashes = TEXT[level:start]
    rest = TEXT[start:]
    end = re.search(rf"^#{{1,{len(hashes)}}} ", rest[1:], flags=re.MULTILINE)
    return rest[: end.start() + 1] if end else rest


def _check_model(kind: str) -> type[BaseModel]:
    for member in typing.get_args(typing.get_args(Check)[0]):
        if typing.get_args(member.model_fields["kind"].annotation) == (kind,):
            return typing.cast(type[BaseModel], member)
    raise AssertionError(f"no model for check kind {kind}")


def _nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """Spec models a check model holds (PortSpec in container.ports, ...), not other checks."""
    found: list[type[BaseModel]] = []

    def walk(tp: object) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if "kind" not in tp.model_fields and tp not in found:
                found.append(tp)
            return
        for arg in typing.get_args(tp):
            walk(arg)

    for field in model.model_fields.values():
        walk(field.annotation)
    return found


COMMON = ("kind", "message")  # every check's, documented once in the Checks section


def _fields(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items() if name not in COMMON]


def test_what_every_check_may_carry_is_documented_once() -> None:
    assert "`message`" in SECTIONS["Checks"]


def _missing(section: str, models: list[type[BaseModel]]) -> list[str]:
    return [f"{m.__name__}.{f}" for m in models for f in _fields(m) if f"`{f}`" not in section]


@pytest.mark.parametrize("kind", CHECK_KINDS)
def test_every_check_kind_has_a_section_with_every_field_and_a_working_example(
    kind: str,
) -> None:
    heading = f"`kind: {kind}`"
    assert heading in SECTIONS, f"docs/authoring.md has no section '### {heading}'"
    body = SECTIONS[heading]
    model = _check_model(kind)
    assert _missing(body, [model, *_nested_models(model)]) == []
    examples = [yaml.safe_load(code) for lang, code in FENCE.findall(body) if lang == "yaml"]
    mine = [e for e in examples if isinstance(e, dict) and e.get("kind") == kind]
    assert mine, f"the {heading} section has no ```yaml example with kind: {kind}"
    adapter: TypeAdapter[object] = TypeAdapter(Check)
    for example in mine:
        adapter.validate_python(example)


def test_every_check_kind_model_is_in_check_kinds() -> None:
    members = typing.get_args(typing.get_args(Check)[0])
    kinds = {typing.get_args(m.model_fields["kind"].annotation)[0] for m in members}
    assert kinds == set(CHECK_KINDS)
    documented = set(re.findall(r"^### `kind: (\w+)`$", TEXT, flags=re.MULTILINE))
    assert documented == set(CHECK_KINDS)


@pytest.mark.parametrize(
    ("heading", "models"),
    [
        ("The lab file", [Lab]),
        ("Commands", [Command]),
        ("Cleanup", [Cleanup]),
        ("Steps", [Step]),
        ("Variables", [Variable]),
        ("Hints and diagnoses", [Diagnosis]),
        ("Quizzes", [Quiz, Question, Option]),
        ("The course map", [Course, *_nested_models(Course)]),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_field_is_documented_in_its_section(
    heading: str, models: list[type[BaseModel]]
) -> None:
    assert _missing(_section(heading, deep=heading == "The lab file"), models) == []


def test_check_models_are_all_covered() -> None:
    """A new check model (or spec) must be reachable from Check, so the tests above see it."""
    declared = {
        obj
        for obj in vars(check_models).values()
        if isinstance(obj, type)
        and issubclass(obj, BaseModel)
        and obj.__module__ == check_models.__name__
        and obj is not CheckSpec  # the base of every check kind
    }
    covered: set[type[BaseModel]] = set()
    for kind in CHECK_KINDS:
        model = _check_model(kind)
        covered |= {model, *_nested_models(model)}
    assert declared - covered == set()


def test_every_yaml_example_parses_and_the_quiz_and_course_examples_load(tmp_path: Path) -> None:
    quizzes = courses = 0
    for lang, code in FENCE.findall(TEXT):
        if lang != "yaml":
            continue
        data = yaml.safe_load(code)
        if isinstance(data, dict) and "questions" in data:
            parse_quiz(code, f"{data['id']}.quiz.yaml")
            quizzes += 1
        elif isinstance(data, dict) and "sections" in data:
            Course.model_validate(data)
            courses += 1
    assert (quizzes, courses) == (1, 1)


def _tutorial(folder: Path) -> Path:
    match = TUTORIAL.search(TEXT)
    assert match, "docs/authoring.md lost its <!-- tutorial-lab: PATH --> block"
    path = folder / match.group(1)
    path.parent.mkdir(parents=True)
    path.write_text(match.group(2), encoding="utf-8")
    return path


def test_the_tutorial_lab_is_lint_clean_and_the_lint_example_is_true(tmp_path: Path) -> None:
    lab = _tutorial(tmp_path / "clean")
    assert lint([lab]).problems == []
    broken = _tutorial(tmp_path / "broken")
    text = broken.read_text()
    broken.write_text(
        text.replace("    instructions:", "    instructons:", 1).replace(
            "kind: container", "kind: containr", 1
        )
    )
    printed = [
        format_problem(p).replace(f"{tmp_path / 'broken'}/", "") for p in lint([broken]).problems
    ]
    shown = TEXT.split("Misspell the first step's", 1)[1]
    example = FENCE.search(shown)
    assert example is not None
    assert printed == example.group(2).splitlines()[:-1]


@pytest.mark.engine
def test_the_tutorial_lab_refuses_before_trust_and_validates_after(
    engine: Engine, tmp_path: Path, cli: Cli, unique: str
) -> None:
    pack = tmp_path / "my-course"
    lab = _tutorial(pack)
    # its own names and port, so parallel runs do not collide (no engine_lock needed)
    own = ["--var", f"web_port={free_port()}", "--var", f"name=hello-web-{unique}"]
    for command in (["validate", str(lab.parent)], ["solve", "hello-web", "run-web"]):
        code, _, err = cli("--content", str(pack), *command, *own)
        assert code == 2
        assert err.strip().endswith(
            f"labs from {pack} are not trusted yet: read them, then run `dockerlab trust {pack}`"
        )
    assert cli("trust", str(pack))[0] == 0
    code, out, err = cli(
        "--content",
        str(pack),
        "validate",
        str(lab.parent),
        *own,
        "--workspace",
        str(tmp_path / "ws"),
    )
    assert code == 0, out + err
    assert "hello-web: PASSED" in out
    assert "cleanup: nothing the lab declared remains" in out
