"""Option order: file order by default, a seeded shuffle on request, pinned options stay put."""

from __future__ import annotations

import subprocess
import sys

from dockerlab.model.quiz import Quiz
from dockerlab.quiz.shuffle import arrange, letter


def ids(sample: Quiz, question: str, seed: int | None) -> list[str]:
    return [o.id for o in arrange(sample.question(question), seed)]


def test_no_seed_keeps_file_order(sample: Quiz) -> None:
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
