"""`dockerlab lint`: every problem at file:line:column, with did-you-means; warnings vs errors."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from dockerlab import paths
from dockerlab.authoring.lint import WARNING, format_problem, lint
from dockerlab.model.problems import Problem
from tests.authoring.conftest import GOOD_LAB, Cli, write_lab

BROKEN = """
    format_version: 1
    id: tiny
    title: Tiny
    section: private-registry
    summary: A tiny lab.
    minutes: 1
    images: ["busybox:latest"]
    variables:
      box: tiny-box
    cleanup:
      containers: ["{{ box }}"]
    steps:
      - id: run-box
        title: Run a box
        instrucions: Run it.
        solution:
          - docker container run -d --name {{ bx }} busybox sleep 60
        hints: [one, two]
        check:
          kind: contaner
          name: "{{ box }}"
"""


def _messages(problems: list[Problem]) -> list[str]:
    return [format_problem(p) for p in problems]


def test_misspelled_key_wrong_check_kind_and_unknown_variable_all_printed(
    tmp_path: Path, cli: Cli
) -> None:
    lab = write_lab(tmp_path, BROKEN)
    code, out, err = cli("lint", str(lab))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{lab}:15:5: unknown key 'instrucions' (did you mean 'instructions'?)"
    assert any(
        line.startswith(f"{lab}:17:9: unknown variable '{{{{ bx }}}}'")
        and line.endswith("(did you mean 'box'?)")
        for line in lines
    ), out
    assert any(
        line.startswith(f"{lab}:20:13: unknown check kind 'contaner'")
        and line.endswith("(did you mean 'container'?)")
        for line in lines
    ), out
    assert len(lines) == 3, out  # no echo of "missing required key 'instructions'"
    assert "1 file checked: 3 errors, 0 warnings" in err


def test_a_good_lab_has_no_problems_and_exits_zero(tmp_path: Path, cli: Cli) -> None:
    write_lab(tmp_path, GOOD_LAB)
    code, out, err = cli("lint", str(tmp_path))
    assert (code, out) == (0, "")
    assert "1 file checked: 0 errors, 0 warnings" in err


def test_bundled_labs_have_no_errors() -> None:
    result = lint([paths.bundled_labs()])
    assert result.files.labs
    assert result.errors == []


def test_duplicate_step_ids_are_reported_at_the_second_one(tmp_path: Path) -> None:
    text = (
        GOOD_LAB
        + """
      - id: run-box
        title: Again
        instructions: Again.
        solution: docker container start {{ box }}
        hints: [one, two]
        check:
          kind: container
          name: "{{ box }}"
    """
    )
    lab = write_lab(tmp_path, text)
    messages = _messages(lint([lab]).problems)
    assert (
        f"{lab}:25:9: step id 'run-box' is already used at line 13; step ids must be unique"
        in messages
    )
    assert not any("two steps have the id" in m for m in messages)


def test_steps_with_fewer_than_two_hints_are_warnings(tmp_path: Path, cli: Cli) -> None:
    lab = write_lab(
        tmp_path,
        GOOD_LAB.replace(
            """        hints:
          - Use `docker container run -d`.
""",
            """        hints:
""",
        ),
    )
    result = lint([lab])
    assert result.errors == []
    [warning] = result.warnings
    assert format_problem(warning) == (
        f"{lab}:18:5: warning: step 'run-box' has only one hint; give at least two: a nudge "
        "first, the command last"
    )
    assert cli("lint", str(lab))[0] == 0
    assert cli("lint", "--strict", str(lab))[0] == 1


def test_a_step_without_hints_or_solution(tmp_path: Path) -> None:
    lab = write_lab(
        tmp_path,
        """
        id: tiny
        title: Tiny
        section: private-registry
        summary: s
        minutes: 1
        steps:
          - id: only
            title: Only
            instructions: x
            check: {kind: swarm}
    """,
    )
    messages = _messages(lint([lab]).problems)
    assert f"{lab}:7:5: missing required key 'solution'" in messages


def test_images_used_but_not_declared_are_warnings_with_the_place(tmp_path: Path) -> None:
    lab = write_lab(
        tmp_path,
        """
        id: tiny
        title: Tiny
        section: private-registry
        summary: s
        minutes: 1
        images: ["registry:2", "nginx:1.25"]
        cleanup:
          containers: [registry, web]
          images: ["127.0.0.1:5000/hello-world"]
        setup:
          - docker run -d --name registry -p 127.0.0.1:5000:5000
              -v $(pwd)/data:/var/lib/registry registry:2
        steps:
          - id: push
            title: Push
            instructions: x
            solution:
              - docker pull hello-world
              - docker tag hello-world 127.0.0.1:5000/hello-world &&
                docker push 127.0.0.1:5000/hello-world
              - docker pull 127.0.0.1:5000/hello-world
            hints: [a, b]
            check:
              kind: container
              name: web
              image: nginx
    """,
    )
    warnings = _messages(lint([lab]).warnings)
    assert warnings == [
        f"{lab}:18:9: warning: image 'hello-world' is used here but not declared in `images:`; "
        "declared images are prepared before setup (offline too, as stand-ins)",
        f"{lab}:26:14: warning: image 'nginx' is used here but not declared in `images:`; "
        "declared images are prepared before setup (offline too, as stand-ins) "
        "(did you mean 'nginx:1.25'?)",
    ]


def test_resources_created_but_not_in_cleanup_are_warnings(tmp_path: Path) -> None:
    lab = write_lab(
        tmp_path,
        """
        id: tiny
        title: Tiny
        section: private-registry
        summary: s
        minutes: 1
        images: [busybox]
        steps:
          - id: make
            title: Make things
            instructions: x
            solution: |
              docker network create labnet
              docker volume create labvol
              docker run -d --name box --network labnet -v labvol:/data busybox sleep 60
              docker build -t mine:1 .
              docker run busybox true
            hints: [a, b]
            check: {kind: container, name: box}
    """,
    )
    warnings = [p.message for p in lint([lab]).warnings]
    assert any(
        m.startswith("network 'labnet' is created here but not declared in cleanup.networks")
        for m in warnings
    )
    assert any(m.startswith("volume 'labvol' is created here") for m in warnings)
    assert any(m.startswith("container 'box' is created here") for m in warnings)
    assert any(
        m.startswith("image 'mine:1' is made here but not declared in cleanup.images")
        for m in warnings
    )
    assert any(m.startswith("`docker run busybox` without --name or --rm") for m in warnings)


def test_lab_ids_duplicated_across_folders_and_id_differing_from_folder(
    tmp_path: Path,
) -> None:
    first = write_lab(tmp_path / "a", GOOD_LAB)
    second = write_lab(tmp_path / "b", GOOD_LAB)
    misnamed = write_lab(tmp_path / "c", GOOD_LAB, lab_id="other")
    messages = _messages(lint([tmp_path / "a", tmp_path / "b", tmp_path / "c"]).errors)
    assert (
        f"{second}:2:5: lab id 'tiny' is already used by {first}; lab ids must be unique"
        in messages
    )
    assert any(
        m.startswith(f"{misnamed}:2:5: lab id 'tiny' differs from its folder 'other'")
        and m.endswith("(did you mean 'other'?)")
        for m in messages
    )


def test_variable_values_chosen_by_a_capability_are_checked_too(tmp_path: Path) -> None:
    lab = write_lab(
        tmp_path,
        GOOD_LAB.replace(
            "      box: tiny-box\n",
            "      box: tiny-box\n      port:\n        default: 5000\n"
            "        when: {routing-mesh: not-a-number}\n",
        ).replace(
            'name: "{{ box }}"',
            'name: "{{ box }}"\n          ports:\n'
            '            - container: 5000\n              host: "{{ port }}"',
        ),
    )
    messages = [p.message for p in lint([lab]).errors]
    assert any("(where the machine has routing-mesh)" in m for m in messages), messages


QUIZ = """
    format_version: 1
    id: my-quiz
    title: My quiz
    section: private-registry
    questions:
      - id: one
        type: true_false
        prompt: Is it?
        answer: true
        explanation: It is.
      - id: one
        type: true_false
        prompt: Is it really?
        answr: true
        explanation: It is.
"""


def test_quiz_problems_and_duplicate_question_ids(tmp_path: Path) -> None:
    quiz = tmp_path / "content" / "my-quiz.quiz.yaml"
    quiz.parent.mkdir()
    quiz.write_text(dedent(QUIZ).lstrip(), encoding="utf-8")
    messages = _messages(lint([tmp_path]).problems)
    assert (
        f"{quiz}:11:9: question id 'one' is already used at line 6; question ids must be "
        "unique" in messages
    )
    assert f"{quiz}:14:5: unknown key 'answr' (did you mean 'answer'?)" in messages


def test_course_map_entries_pointing_nowhere(tmp_path: Path) -> None:
    write_lab(tmp_path, GOOD_LAB)
    course = tmp_path / "content" / "course.yaml"
    course.parent.mkdir()
    (tmp_path / "content" / "intro.md").write_text("# Intro\n")
    course.write_text(
        dedent("""\
        format_version: 1
        title: Test course
        sections:
          - id: test
            title: Test
            summary: s
            pages: [intro]
            labs: [tiny, tny]
    """),
        encoding="utf-8",
    )
    messages = _messages(lint([tmp_path]).errors)
    assert any(
        m.startswith(f"{course}:8:18: lab 'tny' has no file")
        and m.endswith("(did you mean 'tiny'?)")
        for m in messages
    ), messages


def test_github_format_and_warning_prefix() -> None:
    warning = Problem("a.yaml", 3, 5, "careful", severity=WARNING)
    error = Problem("a.yaml", 4, 1, "broken 100%", "fixed")
    assert format_problem(warning) == "a.yaml:3:5: warning: careful"
    assert format_problem(error, "github") == (
        "::error file=a.yaml,line=4,col=1::broken 100%25 (did you mean 'fixed'?)"
    )


def test_lint_of_nothing_or_a_missing_path_is_an_error(tmp_path: Path, cli: Cli) -> None:
    code, _, err = cli("lint", str(tmp_path))
    assert code == 2
    assert "no lab.yaml" in err
    code, _, err = cli("lint", str(tmp_path / "missing"))
    assert code == 2
    assert "no such file or folder" in err


def test_paths_under_the_current_folder_are_printed_relative(
    tmp_path: Path, cli: Cli, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    write_lab(tmp_path, BROKEN)
    monkeypatch.chdir(tmp_path)
    _, out, _ = cli("lint", ".")
    assert out.startswith("labs/tiny/lab.yaml:15:5: unknown key 'instrucions'"), out
