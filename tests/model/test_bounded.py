"""Hostile files get a located problem in bounded time and memory, never a traceback or a hang."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dockerlab.model.loader import load_lab
from dockerlab.model.problems import ContentError
from dockerlab.model.yamlsource import MAX_ALIAS_NODES, MAX_DEPTH, parse_yaml, read_yaml


def billion_laughs(levels: int = 9) -> str:
    """The classic: each level is nine aliases of the one before (9**9 strings if expanded)."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        name, prev = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "billion laughs": (billion_laughs(), "aliases expand this document by more than 10,000"),
    "thousands of [": ("[" * 5000 + "]" * 5000, "nesting depth"),
    "deep block mapping": (
        "".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 10)),
        f"nests deeper than {MAX_DEPTH} levels",
    ),
    "self-referencing alias": (
        "a: &a [1, *a]\n",
        "nests deeper than 64 levels (through an alias: does one refer to a node that contains",
    ),
    "undefined alias": ("a: *nowhere\n", "found undefined alias"),
    "two documents": (
        "a: 1\n---\nb: 2\n",
        "expected a single document in the stream, but found another document",
    ),
    "impossible date": ("a: 2024-13-45\n", "invalid value for its type: month must be in 1..12"),
    "empty int": ("a: !!int\n", "invalid value for its type"),
    "control character": ("a: 1\nb: x\x00\n", "character #x0000"),
    "unhashable key": ("? [a]\n: b\n", "unhashable key"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_yaml_is_a_located_problem(name: str) -> None:
    text, expected = HOSTILE[name]
    src, problems = parse_yaml(text, "hostile.yaml")
    assert len(problems) == 1, problems
    assert expected in problems[0].message
    assert src.data is None
    assert problems[0].line >= 1
    assert problems[0].column >= 1


def test_billion_laughs_is_refused_at_the_key_where_the_expansion_crosses_the_line() -> None:
    (problem,) = parse_yaml(billion_laughs(), "bomb.yaml")[1]
    # keys on lines 2-4 expand to 90 + 819 + 7,380 more values; line 5's to 66,429 more
    assert (problem.line, problem.column) == (5, 1)


def test_a_few_aliases_still_work() -> None:
    text = "base: &base {image: registry:2, ports: [5000]}\none: *base\ntwo:\n  <<: *base\n"
    src, problems = parse_yaml(text, "ok.yaml")
    assert problems == []
    assert src.data["one"] == src.data["base"] == {"image": "registry:2", "ports": [5000]}
    assert src.data["two"] == src.data["base"]
    assert src.position(("one", "image")) == (1, 21)


def test_aliases_up_to_the_limit_are_accepted() -> None:
    item = "[" + ", ".join(["x"] * 99) + "]"  # 100 values with the list itself
    uses = MAX_ALIAS_NODES // 100
    text = f"a: &a {item}\nb: [{', '.join(['*a'] * uses)}]\n"
    assert parse_yaml(text, "ok.yaml")[1] == []
    text = f"a: &a {item}\nb: [{', '.join(['*a'] * (uses + 1))}]\n"
    assert "aliases expand" in parse_yaml(text, "no.yaml")[1][0].message


def test_a_file_over_the_size_limit_names_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "lab.yaml"
    with big.open("w") as fh:
        fh.write("id: big\nsummary: |\n")
        for _ in range(20 * 1024):
            fh.write("  " + "x" * 1021 + "\n")
    src, problems = read_yaml(big)
    assert src.data is None
    assert [str(p) for p in problems] == [
        f"{big}:1:1: the file is 20.0 MiB (20,971,539 bytes); a content file may be at most "
        "1 MiB (1,048,576 bytes)"
    ]


def test_a_lab_that_is_a_bomb_raises_content_error_not_memory_error(tmp_path: Path) -> None:
    lab = tmp_path / "lab.yaml"
    lab.write_text("format_version: 1\nid: bomb\n" + billion_laughs())
    with pytest.raises(ContentError, match="aliases expand"):
        load_lab(lab)


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["lint"], "bomb"),
        (["lint"], "deep"),
        (["list"], "bomb"),
        (["show", "bomb"], "bomb"),
        (["quiz", "list"], "deep"),
    ],
)
def test_cli_answers_hostile_content_without_a_traceback(
    tmp_path: Path, command: list[str], name: str
) -> None:
    pack = tmp_path / "pack"
    (pack / "labs" / name).mkdir(parents=True)
    (pack / "content").mkdir()
    text = billion_laughs() if name == "bomb" else "[" * 3000 + "]" * 3000
    (pack / "labs" / name / "lab.yaml").write_text(text)
    (pack / "content" / f"{name}.quiz.yaml").write_text(text)
    args = [sys.executable, "-m", "dockerlab", "--plain", "--content", str(pack), *command]
    if command == ["lint"]:
        args.append(str(pack))
    # a bomb used to take > 4 GB; ulimit the child so a regression fails instead of swapping
    out = subprocess.run(
        ["prlimit", "--as=1500000000", "--", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in out.stderr, out.stderr[-2000:]
    assert "MemoryError" not in out.stderr
    both = out.stdout + out.stderr
    assert "aliases expand" in both or "nesting depth" in both, both[-2000:]


def test_a_when_that_is_not_a_mapping_is_a_located_problem(tmp_path: Path) -> None:
    lab = tmp_path / "lab.yaml"
    lab.write_text(
        "format_version: 1\nid: x\nvariables:\n  port:\n    default: 5000\n    when: routing-mesh\n"
    )
    with pytest.raises(ContentError) as err:
        load_lab(lab)
    expected = "variable 'port' needs a string or number, or {default: ..., when: {capability:"
    assert [(p.line, p.column) for p in err.value.problems if p.message.startswith(expected)] == [
        (5, 5)
    ]
