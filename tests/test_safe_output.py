"""Content text reaches the terminal without escape sequences, control or bidi characters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockerlab.model.safetext import safe_text, unsafe_characters

HOSTILE = "Run \x1b[2J\x1b[31mthis\x1b[0m \x1b]0;owned\x07now \u202eexe.txt\u202c\r\x08 ok"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain\ttext\nkept", "plain\ttext\nkept"),
        ("red \x1b[31mRED\x1b[0m", "red RED"),
        ("title \x1b]0;owned\x07!", "title !"),
        ("link \x1b]8;;http://x\x1b\\click\x1b]8;;\x1b\\", "link click"),
        ("a\u202ebc\u202c d\u2066e\u2069", "abc de"),
        ("over\rwrite\x08\x07", "overwrite"),
        ("8-bit \x9b31mCSI", "8-bit CSI"),
        ("trailing \x1b", "trailing "),
    ],
)
def test_safe_text_drops_what_would_move_or_hide_text(text: str, shown: str) -> None:
    assert safe_text(text) == shown


def test_unsafe_characters_are_named_once_each() -> None:
    assert unsafe_characters(HOSTILE) == [
        "U+001B",
        "U+0007",
        "U+202E",
        "U+202C",
        "U+000D",
        "U+0008",
    ]


LAB = """\
format_version: 1
id: hostile
title: "Hostile \\e[31mlab\\u202e"
section: private-registry
summary: A lab whose text carries escapes.
minutes: 1
steps:
  - id: first
    title: "First \\e]0;owned\\a"
    goal: "Goal \\e[2J"
    instructions: "Run \\e[31mthis\\e[0m \\u202eexe.txt\\u202c now."
    solution: [echo hi]
    hints: [one, two]
    check: {kind: command, run: "true"}
"""

QUIZ = """\
format_version: 1
id: hostile
title: "Hostile \\e[5mquiz"
section: test
questions:
  - id: q
    type: short
    prompt: "Type \\e[8mhidden\\e[0m \\u202eyes\\u202c"
    accept: ["yes"]
    explanation: "It is \\e[31myes\\e[0m."
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    (tmp_path / "labs" / "hostile").mkdir(parents=True)
    (tmp_path / "labs" / "hostile" / "lab.yaml").write_text(LAB)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "hostile.quiz.yaml").write_text(QUIZ)
    return tmp_path


def run(pack: Path, *args: str, stdin: str = "") -> str:
    env = {**os.environ, "DOCKERLAB_CONTENT": ""}
    out = subprocess.run(
        [sys.executable, "-m", "dockerlab", "--plain", "--content", str(pack), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    return out.stdout + out.stderr


@pytest.mark.parametrize(
    ("args", "seen"),
    [
        (("show", "hostile", "first"), "Run this exe.txt now."),
        (("list",), "Hostile lab"),
        (("quiz", "hostile", "--plain"), "Type hidden yes"),
        (("quiz", "hostile", "--review"), "It is yes."),
    ],
)
def test_cli_prints_content_without_escapes(pack: Path, args: tuple[str, ...], seen: str) -> None:
    text = run(pack, *args, stdin="yes\n")
    assert seen in text, text
    assert unsafe_characters(text.replace("\n", "")) == []


def test_lint_warns_where_text_holds_escapes(pack: Path) -> None:
    from dockerlab.authoring.lint import lint

    result = lint([pack / "labs", pack / "content" / "hostile.quiz.yaml"])
    assert result.errors == []
    where = sorted((Path(p.file).name, p.line) for p in result.warnings)
    assert where == [
        ("hostile.quiz.yaml", 3),
        ("hostile.quiz.yaml", 8),
        ("hostile.quiz.yaml", 10),
        ("lab.yaml", 3),
        ("lab.yaml", 9),
        ("lab.yaml", 10),
        ("lab.yaml", 11),
    ]
    assert "U+001B, U+202E" in next(p.message for p in result.warnings if p.line == 11)
