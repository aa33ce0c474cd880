"""Put a question's options in the order a learner sees them, and letter them.

Every attempt at a quiz is shuffled with a seed of its own (`new_seed()`), kept with the
attempt in the learner's record so a review can show the same order again; a fixed seed gives a
fixed order (tests, a class going through a quiz together). Answers are recorded by option id,
never by position, so shuffling changes nothing a learner's record depends on. Pinned options
("All of the above") keep their place in the file.
"""

from __future__ import annotations

import random
import secrets
import string

from dockerlab.model.quiz import Option, Question

SEED_LIMIT = 1 << 31  # seeds are 0 .. 2**31 - 1: short enough to type after --seed


def new_seed() -> int:
    """A fresh seed for one attempt; two attempts practically never share one."""
    return secrets.randbelow(SEED_LIMIT)


def arrange(question: Question, seed: int | None = None) -> list[Option]:
    """The options in display order: file order when `seed` is None (review, export), else
    shuffled.

    The same seed gives the same order for the same question on every machine and run; each
    question gets its own order (the question id is part of the seed).
    """
    options = list(question.options)
    if seed is None:
        return options
    free = [i for i, o in enumerate(options) if not o.pinned]
    moved = [options[i] for i in free]
    # a str seed goes through sha512, so the order is the same in every Python process
    random.Random(f"{seed}:{question.id}").shuffle(moved)
    for slot, option in zip(free, moved, strict=True):
        options[slot] = option
    return options


def letter(index: int) -> str:
    """The letter of the option at `index` in display order: 0 → "a", 25 → "z", 26 → "aa"."""
    letters = string.ascii_lowercase
    if index < len(letters):
        return letters[index]
    return letter(index // len(letters) - 1) + letters[index % len(letters)]
