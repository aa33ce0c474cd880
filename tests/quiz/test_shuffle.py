"""Option order: a new shuffle for every attempt, recorded; a fixed seed gives a fixed order;
file order for review and export; pinned options stay put."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from dockerlab.model.quiz import Quiz, load_quiz
from dockerlab.paths import bundled_content
from dockerlab.progress import ProgressStore
from dockerlab.quiz.shuffle import arrange, letter
from tests.quiz.test_cli import shell


def ids(sample: Quiz, question: str, seed: int | None) -> list[str]:
    return [o.id for o in arrange(sample.question(question), seed)]


def test_no_seed_is_file_order(sample: Quiz) -> None:
    assert ids(sample, "pick-one", None) == ["p80", "p5000", "p443", "none"]


def test_a_seed_shuffles_reproducibly_and_keeps_every_option(sample: Quiz) -> None:
    orders = {tuple(ids(sample, "pick-many", seed)) for seed in range(40)}
    assert len(orders) > 1, "40 seeds never changed the order"
    for seed in range(40):
        assert ids(sample, "pick-many", seed) == ids(sample, "pick-many", seed)
        assert sorted(ids(sample, "pick-many", seed)) == ["hub", "quay", "swarm"]


def test_pinned_options_keep_their_place(sample: Quiz) -> None:
    for seed in range(40):
        assert ids(sample, "pick-one", seed)[-1] == "none"


def test_the_same_seed_gives_the_same_order_in_another_process(sample: Quiz) -> None:
    code = (
        "from tests.quiz.conftest import SAMPLE\n"
        "from dockerlab.model.quiz import parse_quiz\n"
        "from dockerlab.quiz.shuffle import arrange\n"
        "q = parse_quiz(SAMPLE, 'sample.quiz.yaml').question('pick-one')\n"
        "print(','.join(o.id for o in arrange(q, 7)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ",".join(ids(sample, "pick-one", 7))


def test_letters_run_a_to_z_then_aa() -> None:
    assert [letter(i) for i in (0, 1, 25, 26, 27)] == ["a", "b", "z", "aa", "ab"]


def _shown_orders(out: str) -> list[list[str]]:
    """The option texts of each choice question, in the order the run printed them."""
    orders: list[list[str]] = []
    for block in out.split("\nQuestion ")[1:]:
        options = re.findall(r"^  [a-z]\) (.*)$", block.split("\nYour answer:")[0], re.M)
        if options:
            orders.append(options)
    return orders


def test_a_plain_run_without_a_seed_shuffles_each_attempt_and_records_the_order() -> None:
    quiz = load_quiz(bundled_content() / "secure-registry.quiz.yaml").quiz
    lines = "x\\n" * len(quiz.questions)
    runs = [shell(f"printf '{lines}' | dockerlab quiz secure-registry --plain") for _ in range(2)]
    orders = [_shown_orders(run.stdout) for run in runs]
    assert all(orders), [run.stdout for run in runs]
    # eight choice questions of three or more options: equal orders by chance < 1 in 10**6
    assert orders[0] != orders[1], "two attempts showed the options in the same order"
    with ProgressStore() as store:
        attempts = store.quiz_attempts("secure-registry")
    assert len(attempts) == 2
    choice = [q for q in quiz.questions if q.type in ("single", "multiple")]
    for run, attempt, shown in zip(runs, attempts, orders, strict=True):
        assert attempt.seed is not None
        assert f"Options are shuffled (--seed {attempt.seed} shows" in run.stdout
        expected = [[o.text.strip()[:40] for o in arrange(q, attempt.seed)] for q in choice]
        assert [[t[:40] for t in o] for o in shown] == expected  # long options are wrapped


def test_review_shows_the_latest_attempt_in_its_order_with_the_answers_marked() -> None:
    quiz = load_quiz(bundled_content() / "container-registries.quiz.yaml").quiz
    question = quiz.question("remote-registry-default")
    shell("printf 'webhook\\nb\\nfalse\\n' | dockerlab quiz container-registries --plain")
    with ProgressStore() as store:
        (attempt,) = store.quiz_attempts("container-registries")
    assert attempt.seed is not None
    picked = arrange(question, attempt.seed)[1]  # the learner typed b
    review = shell("dockerlab quiz container-registries --review")
    assert review.returncode == 0, review.stderr
    assert f"options in the order it showed (--seed {attempt.seed})" in review.stdout
    for i, option in enumerate(arrange(question, attempt.seed)):
        mark = "RIGHT" if option.correct else "wrong"
        line = f"   {letter(i)}) [{mark}] {option.text.strip()}  (id: {option.id})"
        assert line + ("  <- your answer" if option is picked else "") + "\n" in review.stdout
    plain = shell("dockerlab quiz container-registries --review --file-order")
    assert "   b) [RIGHT] It prevents talking to any registries without HTTPS" in plain.stdout
    assert "<- your answer" not in plain.stdout


def test_the_seed_survives_export_and_import_and_older_files_have_none(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from dockerlab.progress import QuizAttempt

    first, second = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    with ProgressStore(tmp_path / "a.sqlite3") as store:
        store.record_quiz(QuizAttempt("sample", 1, 2, False, [("p", "p80", False)], first))
        store.record_quiz(QuizAttempt("sample", 2, 2, True, at=second, seed=12345))
        data = store.export_json()
    assert [q.get("seed") for q in data["quiz_attempts"]] == [None, 12345]
    del data["quiz_attempts"][0]["seed"]  # as a file written before seeds were kept
    with ProgressStore(tmp_path / "b.sqlite3") as other:
        other.import_json(data)
        assert [a.seed for a in other.quiz_attempts("sample")] == [None, 12345]
