"""Challenge mode's instructions: no command block survives, the goal and explanations do, and a
note marks each place commands were taken from — on every step of every bundled lab, and on the
Markdown an author might write (lists, quotes, labelled and indented blocks, unclosed fences)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab import paths
from dockerlab.model.challenge import HIDDEN_NOTE, code_blocks, command_blocks, without_commands
from dockerlab.model.lab import Step
from dockerlab.model.loader import load_lab
from dockerlab.tui.text import commands_in


def _bundled_steps() -> list[tuple[str, Step]]:
    steps = []
    for file in sorted(paths.bundled_labs().glob("*/lab.yaml")):
        lab = load_lab(file).lab
        steps += [(f"{lab.id}/{step.id}", step) for step in lab.steps]
    return steps


BUNDLED = _bundled_steps()


def test_the_bundled_course_has_steps_with_commands_to_hide() -> None:
    assert len({name.split("/")[0] for name, _ in BUNDLED}) >= 8
    assert sum(bool(command_blocks(step.instructions)) for _, step in BUNDLED) >= 30


@pytest.mark.parametrize(("name", "step"), BUNDLED, ids=[name for name, _ in BUNDLED])
def test_every_bundled_step_loses_its_commands_and_keeps_its_explanations(
    name: str, step: Step
) -> None:
    shown = without_commands(step.instructions)
    assert command_blocks(shown) == []
    assert commands_in(shown) == []  # what the app's "take a command" key would find
    explanation = shown.replace(HIDDEN_NOTE, "").strip()
    assert explanation, f"{name}: nothing but commands; the goal must stand without them"
    if command_blocks(step.instructions):
        assert HIDDEN_NOTE in shown
    # the prose is kept word for word
    code = _code_lines(step.instructions)
    for line in step.instructions.splitlines():
        if line.strip() and line not in code:
            assert line in shown


def _code_lines(markdown: str) -> set[str]:
    lines = markdown.splitlines()
    return {line for b in code_blocks(markdown) for line in lines[b.start : b.end]}


def test_text_without_command_blocks_comes_back_unchanged() -> None:
    text = "Push it with `docker push` — the registry is at 127.0.0.1:5000.\n\n* a\n* b\n"
    assert without_commands(text) is text


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param(
            "Run it:\n\n```\ndocker ps\n```\n\nThen look.",
            "Run it:\n\nNOTE\n\nThen look.",
            id="a fence between paragraphs",
        ),
        pytest.param(
            "Run it:\n```sh\ndocker ps\n```\nThen look.\n",
            "Run it:\n\nNOTE\n\nThen look.\n",
            id="a fence that interrupts a paragraph becomes a paragraph of its own",
        ),
        pytest.param(
            "Two:\n\n```\ndocker ps\n```\n\n~~~bash\ndocker image ls\n~~~\n\nDone.",
            "Two:\n\nNOTE\n\nDone.",
            id="blocks separated only by blank lines share one note",
        ),
        pytest.param(
            "1. First:\n\n   ```console\n   $ docker ps\n   ```\n2. Second",
            "1. First:\n\n   NOTE\n\n2. Second",
            id="the note stays in its list item",
        ),
        pytest.param(
            "- ```\n  docker ps\n  ```\n- other",
            "- NOTE\n\n- other",
            id="a list item that is only a fence keeps its bullet",
        ),
        pytest.param(
            "> Quoted:\n> ```\n> docker ps\n> ```\n> after",
            "> Quoted:\n>\n> NOTE\n>\n> after",
            id="the note stays in its quote",
        ),
        pytest.param(
            "Para\n\n    docker run --rm hello-world\n    docker ps\n\nend",
            "Para\n\nNOTE\n\nend",
            id="an indented code block is a command block",
        ),
        pytest.param(
            "Unclosed:\n\n```\ndocker ps\nthe rest of the text is code too",
            "Unclosed:\n\nNOTE",
            id="an unclosed fence runs to the end, as the app shows it",
        ),
        pytest.param(
            "~~~~\n```\ninner\n```\n~~~~\nafter",
            "NOTE\n\nafter",
            id="a fence inside a longer fence is content",
        ),
        pytest.param(
            "The file:\n\n```yaml\nversion: 0.1\n```\n\nThe output:\n\n```text\nok\n```\n",
            "The file:\n\n```yaml\nversion: 0.1\n```\n\nThe output:\n\n```text\nok\n```\n",
            id="a block labelled with a language that is not a shell stays",
        ),
        pytest.param(
            "Write:\n\n```yaml\nkey: v\n```\n\nthen run:\n\n```{.bash}\ndocker ps\n```",
            "Write:\n\n```yaml\nkey: v\n```\n\nthen run:\n\nNOTE",
            id="only the shell block of two goes",
        ),
    ],
)
def test_what_counts_as_a_command_block(markdown: str, expected: str) -> None:
    assert without_commands(markdown, note="NOTE") == expected


def test_the_note_says_how_to_get_the_commands_back() -> None:
    assert "challenge mode" in HIDDEN_NOTE
    assert "hints" in HIDDEN_NOTE
    assert "solution" in HIDDEN_NOTE


@pytest.mark.parametrize(
    "text",
    ["", "```", "\n\n\n", "> ```\n", "- \n  ```\n", "\t```\n\tx\n", "```\n" * 1000],
)
def test_odd_markdown_never_raises_and_leaves_no_command_block(text: str) -> None:
    shown = without_commands(text)
    assert command_blocks(shown) == []


def test_a_long_text_is_handled_in_one_pass(tmp_path: Path) -> None:
    text = "Explain.\n\n```\ndocker ps\n```\n\n" * 2000
    shown = without_commands(text, note="NOTE")
    assert shown.count("NOTE") == 2000
    assert "docker ps" not in shown


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x85"])
def test_characters_python_but_not_markdown_takes_for_line_ends_shift_nothing(odd: str) -> None:
    text = (
        f"Use the API{odd}(see below){odd}.\n\n"
        "```\ndocker login x\ndocker push demo:v1\n```\n\nAfter.\n"
    )
    out = without_commands(text)
    assert "docker push" not in out
    assert "docker login" not in out
    assert "```" not in out
    assert out.startswith(f"Use the API{odd}(see below){odd}.\n\n{HIDDEN_NOTE}")
    assert out.endswith("\n\nAfter.\n")


def test_windows_line_ends_are_line_ends() -> None:
    out = without_commands("Run it:\r\n\r\n```\r\ndocker push demo:v1\r\n```\r\nDone.\r\n")
    assert "docker push" not in out
    assert out == f"Run it:\n\n{HIDDEN_NOTE}\n\nDone.\n"
