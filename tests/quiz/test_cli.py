"""`dockerlab quiz ...` run as a learner and an instructor run it: the installed command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dockerlab.model.quiz import load_quiz
from dockerlab.paths import bundled_content
from dockerlab.progress import ProgressStore
from dockerlab.quiz.shuffle import arrange, letter
from tests.quiz.conftest import BROKEN, SAMPLE, write_quiz

DOCKERLAB = Path(sys.executable).with_name("dockerlab")


def dockerlab_path() -> str:
    if DOCKERLAB.exists():
        return str(DOCKERLAB)
    found = shutil.which("dockerlab")
    assert found, "the dockerlab command is not installed (pip install -e .)"
    return found


def shell(command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command line as a learner types it, with `dockerlab` being the installed one."""
    env = {**os.environ, "COLUMNS": "100"}
    env["PATH"] = f"{Path(dockerlab_path()).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


SEED = 5  # a fixed order, so the tests know which letter is which option


def letter_of(option_id: str, seed: int = SEED, question: str = "remote-registry-default") -> str:
    """The letter `option_id` has in container-registries' `question` with `seed`."""
    quiz = load_quiz(bundled_content() / "container-registries.quiz.yaml").quiz
    shown = [o.id for o in arrange(quiz.question(question), seed)]
    return letter(shown.index(option_id))


RIGHT = letter_of("https-except-localhost")


def test_the_issue_example_prints_feedback_for_each_answer_and_scores_3_of_3() -> None:
    run = shell(
        f"printf 'webhook\\n{RIGHT}\\nfalse\\n' "
        f"| dockerlab quiz container-registries --plain --seed {SEED}"
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert out.count("\nRight.") == 3
    assert f"  {RIGHT}) A registry must offer HTTPS with a certificate Docker trusts" in out
    assert "  Naming the registry in the image reference is enough" in out
    assert "Explanation: Right, this is a API URL that can trigger an event" in out
    assert out.splitlines()[-1] == "Score: 3/3"
    assert run.stderr == ""


def test_wrong_answers_print_the_explanation_count_as_wrong_and_exit_1() -> None:
    wrong = letter_of("only-docker-hub")
    run = shell(
        f"printf 'web hook\\n{wrong}\\ntrue\\n' | dockerlab quiz container-registries --seed {SEED}"
    )
    assert run.returncode == 1, run.stdout + run.stderr
    out = run.stdout
    assert (
        f"Wrong. The right answer: {RIGHT}) It prevents talking to any registries without HTTPS"
        in out
    )
    assert f"  {wrong}) Any registry works once you put it in the image name" in out
    assert "Explanation: Docker won't trust a non secure registry by default." in out
    assert "Wrong. The right answer: false" in out
    assert "Explanation: We don't have to change any settings to do this" in out
    assert "Missed: question 2, 3." in out
    assert out.splitlines()[-1] == "Score: 1/3"


def test_an_unreadable_line_says_what_is_accepted() -> None:
    run = shell(r"printf 'webhook\nz\nfalse\n' | dockerlab quiz container-registries --plain")
    assert run.returncode == 1
    assert "Could not read 'z': answer with one letter from a to d. Counted as wrong." in run.stdout
    assert run.stdout.splitlines()[-1] == "Score: 2/3"


def test_the_attempt_goes_to_the_learners_progress() -> None:
    shell(
        f"printf 'webhook\\n{RIGHT}\\ntrue\\n' "
        f"| dockerlab quiz container-registries --plain --seed {SEED}"
    )
    with ProgressStore() as store:
        (attempt,) = store.quiz_attempts("container-registries")
    assert (attempt.score, attempt.total, attempt.passed, attempt.seed) == (2, 3, False, SEED)
    assert [tuple(a) for a in attempt.answers] == [
        ("hub-webhook", "webhook", True),
        ("remote-registry-default", "https-except-localhost", True),
        ("custom-registry-daemon-settings", "true", False),
    ]


def test_list_review_and_usage_errors() -> None:
    listed = shell("dockerlab quiz list")
    assert listed.returncode == 0
    ids = [line.split()[0] for line in listed.stdout.splitlines()]
    assert ids == sorted(
        p.name.removesuffix(".quiz.yaml") for p in bundled_content().glob("*.quiz.yaml")
    )
    review = shell("dockerlab quiz container-registries --review")
    assert review.returncode == 0
    assert "   b) [RIGHT] It prevents talking to any registries without HTTPS" in review.stdout
    assert "   Accepted: webhook, webhooks, web hook, web-hook" in review.stdout
    for command, words in [
        ("dockerlab quiz list extra", "quiz list takes no further argument ('extra')"),
        ("dockerlab quiz docker-hub --format gift", "--format does not go with quiz ID"),
        ("dockerlab quiz export", "quiz export needs a quiz id"),
        ("dockerlab quiz docker-hub --review --plain", "--review prints the whole quiz"),
        ("dockerlab quiz docker-hub --review --seed 3 --file-order", "give one of them"),
        ("dockerlab quiz docker-hub --file-order", "--file-order goes with --review"),
        ("dockerlab quiz docker-hub --seed -1", "a seed is a whole number from 0 to"),
        ("dockerlab quiz docker-hub --seed x", "a seed is a whole number from 0 to"),
    ]:
        run = shell(command)
        assert run.returncode == 2, command
        assert words in run.stderr, command
        assert "Traceback" not in run.stderr
    unknown = shell("dockerlab quiz docker-hbu")
    assert unknown.returncode == 2
    assert "no quiz 'docker-hbu'; did you mean 'docker-hub'?" in unknown.stderr


def test_a_broken_quiz_is_reported_at_file_line_column_without_a_traceback(tmp_path: Path) -> None:
    path = write_quiz(tmp_path, BROKEN, "broken")
    run = shell(f"echo b | dockerlab --content {tmp_path} quiz broken --plain")
    assert run.returncode == 2
    assert f"{path}:13:5: unknown key 'explenation' (did you mean 'explanation'?)" in run.stderr
    assert "5 problems found" in run.stderr
    assert "Traceback" not in run.stderr


def test_export_both_formats_and_import_the_gift_back(tmp_path: Path) -> None:
    gift = shell("dockerlab quiz export docker-hub --format gift > hub.gift", cwd=tmp_path)
    assert gift.returncode == 0, gift.stderr
    xml = shell("dockerlab quiz export docker-hub --format moodle-xml", cwd=tmp_path)
    assert xml.returncode == 0
    n = len(load_quiz(bundled_content() / "docker-hub.quiz.yaml").quiz.questions)
    assert len(ET.fromstring(xml.stdout).findall("question")) == n + 1  # a category, the questions
    done = shell("dockerlab quiz import hub.gift -o copy.quiz.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote copy.quiz.yaml ({n} questions)"
    copy = load_quiz(tmp_path / "copy.quiz.yaml").quiz
    original = load_quiz(bundled_content() / "docker-hub.quiz.yaml").quiz
    assert copy == original.model_copy(update={"id": "copy"})
    again = shell("dockerlab quiz import hub.gift -o copy.quiz.yaml", cwd=tmp_path)
    assert again.returncode == 2
    assert "copy.quiz.yaml exists; choose another with -o OUT or pass --force" in again.stderr


def test_import_problems_name_the_gift_file_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "bad.gift").write_text("::q::Pick one{\n=a\n~b\n", encoding="utf-8")
    run = shell("dockerlab quiz import bad.gift", cwd=tmp_path)
    assert run.returncode == 2
    assert "bad.gift:1:14: the answers have no closing }" in run.stderr
    assert not list(tmp_path.glob("*.quiz.yaml"))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_seed_shuffles_the_options_the_same_way_every_time(tmp_path: Path, seed: int) -> None:
    write_quiz(tmp_path, SAMPLE)
    command = f"printf 'x\\n' | dockerlab --content {tmp_path} quiz sample --seed {seed}"
    first, second = shell(command), shell(command)
    assert first.stdout == second.stdout
    assert "  d) None of these" in first.stdout  # pinned: last in every order


def test_at_a_terminal_it_asks_and_offers_the_missed_questions_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dockerlab.cli import main

    class Terminal:
        def isatty(self) -> bool:
            return True

    wrong = letter_of("only-docker-hub")
    typed = iter(["webhook", "z", wrong, "true", "y", RIGHT, "false"])
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt="": next(typed))
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["quiz", "container-registries", "--seed", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert "Please answer with one letter from a to d." in out
    assert "Score: 1/3" in out  # first go: b and false were missed
    assert "Again: the 2 questions you missed." in out
    assert "Question 1 of 2 (one answer)" in out  # the retry asks only those two
    assert out.rstrip().endswith(
        "Passed: 3 of 3 right; the pass mark is 70% (3 right).\nScore: 3/3"
    )
    with ProgressStore() as store:
        (attempt,) = store.quiz_attempts("container-registries")
    assert (attempt.score, attempt.passed) == (3, True)
