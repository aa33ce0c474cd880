"""Fuzz the lab, quiz and course-map loaders (and lint) with random documents and with
mutations of every bundled file: each input gets a result or ContentError, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dockerlab.authoring.lint import lint
from dockerlab.model.course import load_course
from dockerlab.model.loader import load_lab
from dockerlab.model.problems import ContentError
from dockerlab.model.quiz import load_quiz
from dockerlab.model.yamlsource import parse_yaml
from dockerlab.paths import bundled_content, bundled_labs
from tests.fuzz.conftest import feed

BUNDLED = sorted(
    [*bundled_labs().glob("*/lab.yaml"), *bundled_content().glob("*.quiz.yaml")]
    + [bundled_content() / "course.yaml"]
)

# pieces YAML is made of, so random text is often almost YAML
YAML_BITS = st.sampled_from(
    [
        "\n",
        "  ",
        "- ",
        ": ",
        "? ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "&b ",
        "*b",
        "!!str ",
        "!!int ",
        "!!python/object ",
        "|",
        ">",
        "'",
        '"',
        "#",
        "---",
        "...",
        "<<: ",
        "{{ x }}",
        "id",
        "steps",
        "check",
        "kind",
        "container",
        "questions",
        "type",
        "short",
        "accept",
        "regex",
        "sections",
        "1",
        "-1",
        "0x1f",
        "1e400",
        "2024-13-45",
        "null",
        "true",
        "~",
        "\t",
        "\\",
        "\x00",
        "\x1b[31m",
        "\u202e",
        "\ufeff",
        "é",
        "\U0001f433",
    ]
)
YAML_TEXT = st.lists(st.one_of(YAML_BITS, st.text(max_size=8)), max_size=80).map("".join)

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)
)
KEYS = st.sampled_from(
    [
        "format_version",
        "id",
        "title",
        "section",
        "summary",
        "minutes",
        "steps",
        "check",
        "kind",
        "name",
        "image",
        "instructions",
        "solution",
        "hints",
        "cleanup",
        "variables",
        "questions",
        "type",
        "prompt",
        "options",
        "accept",
        "regex",
        "explanation",
        "sections",
        "pages",
        "labs",
        "quiz",
        "x",
    ]
) | st.text(max_size=6)
DOCUMENTS: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=30,
)


def load_any(path: Path, what: str) -> None:
    if what == "lab":
        load_lab(path)
    elif what == "quiz":
        load_quiz(path)
    else:
        load_course(path)


def kind_of(path: Path) -> str:
    if path.name == "lab.yaml":
        return "lab"
    return "quiz" if path.name.endswith(".quiz.yaml") else "course"


def write(folder: Path, what: str, text: str) -> Path:
    name = {"lab": "lab.yaml", "quiz": "fuzz.quiz.yaml", "course": "course.yaml"}[what]
    path = folder / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@given(text=YAML_TEXT)
def test_random_text_gives_problems_or_data(text: str) -> None:
    with feed("yaml text"):
        _, problems = parse_yaml(text, "fuzz.yaml")
        for problem in problems:
            assert problem.line >= 1
            assert problem.column >= 1


@pytest.mark.parametrize("what", ["lab", "quiz", "course"])
@given(data=DOCUMENTS)
def test_random_documents_load_or_raise_content_error(what: str, data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    with tempfile.TemporaryDirectory() as folder, feed(f"{what} document", ContentError):
        load_any(write(Path(folder), what, text), what)


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "insert", "replace", "duplicate-line", "drop-line", "indent"]),
        st.integers(min_value=0),
        st.one_of(YAML_BITS, st.text(max_size=3)),
    ),
    min_size=1,
    max_size=4,
)


def mutate(text: str, steps: list[tuple[str, int, str]]) -> str:
    for op, where, bit in steps:
        lines = text.split("\n")
        at = where % (len(text) + 1)
        line = where % max(len(lines), 1)
        if op == "delete":
            text = text[:at] + text[at + len(bit) + 1 :]
        elif op == "insert":
            text = text[:at] + bit + text[at:]
        elif op == "replace":
            text = text[:at] + bit + text[at + len(bit) :]
        elif op == "duplicate-line":
            text = "\n".join([*lines[: line + 1], *lines[line:]])
        elif op == "drop-line":
            text = "\n".join(lines[:line] + lines[line + 1 :])
        else:
            lines[line] = "  " + lines[line]
            text = "\n".join(lines)
    return text


@pytest.mark.parametrize("original", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.name}")
@given(steps=MUTATIONS)
def test_mutations_of_bundled_files_load_or_raise_content_error(
    original: Path, steps: list[tuple[str, int, str]]
) -> None:
    what = kind_of(original)
    text = mutate(original.read_text(encoding="utf-8"), steps)
    with tempfile.TemporaryDirectory() as folder, feed(f"{what} mutation", ContentError):
        load_any(write(Path(folder), what, text), what)


@given(data=st.data())
def test_lint_of_mutated_files_never_raises(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(BUNDLED))
    what = kind_of(original)
    text = mutate(original.read_text(encoding="utf-8"), data.draw(MUTATIONS))
    with tempfile.TemporaryDirectory() as folder, feed("lint mutation"):
        path = write(Path(folder), what, text)
        result = lint([path])
        for problem in result.problems:
            assert problem.line >= 1


def paths_in(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths_in(item, (*path, index))
    return found


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    copy = list(value)
    copy[head] = replaced(copy[head], rest, new)
    return copy


@pytest.mark.parametrize("original", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.name}")
@given(data=st.data())
def test_bundled_files_with_a_value_replaced_load_or_raise_content_error(
    original: Path, data: st.DataObject
) -> None:
    what = kind_of(original)
    document = yaml.safe_load(original.read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        where = data.draw(st.sampled_from(paths_in(document)))
        document = replaced(document, where, data.draw(DOCUMENTS))
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    with tempfile.TemporaryDirectory() as folder, feed(f"{what} value", ContentError):
        load_any(write(Path(folder), what, text), what)
