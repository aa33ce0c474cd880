"""Does a typed answer match a short question? Forgiving about form, strict about facts.

Case, surrounding and repeated whitespace, punctuation and symbols never matter ("Web-Hook!"
is "webhook"). One typo (a letter added, dropped, changed, or two letters swapped) is accepted
with a spelling note, but only in answers of four or more characters and never when it changes a
digit: "5001" is not a typo of "5000", it is the wrong port.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# below this length one edit is too large a share of the word ("tag" vs "tar")
MIN_TYPO_LENGTH = 4


@dataclass(frozen=True)
class ShortMatch:
    """The verdict on one short answer."""

    accepted: bool
    matched: str | None = None
    note: str | None = None


def normalise(text: str) -> str:
    """Lower-case text without punctuation or symbols, with single spaces and no outer spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in folded
        if not unicodedata.category(ch).startswith(("P", "S"))
    )
    return " ".join(kept.split())


def _one_edit_apart(a: str, b: str) -> bool:
    """True when b is a with one insertion, deletion, substitution or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _digits(text: str) -> list[str]:
    return re.findall(r"\d", text)


def is_typo_of(given: str, expected: str) -> bool:
    """True when normalised `given` is one harmless typo away from normalised `expected`."""
    g, e = normalise(given), normalise(expected)
    if len(e.replace(" ", "")) < MIN_TYPO_LENGTH or not g:
        return False
    return _digits(g) == _digits(e) and _one_edit_apart(g, e)


def match_short(
    given: str,
    accept: Sequence[str],
    regex: str | None = None,
    *,
    typos: bool = True,
) -> ShortMatch:
    """Match `given` against the accepted answers, then the regex, then (if allowed) one typo.

    The regex must match the whole answer, ignoring case, after surrounding whitespace is
    stripped and inner runs of whitespace are collapsed to one space.
    """
    said = normalise(given)
    if not said:
        return ShortMatch(accepted=False)
    for answer in accept:
        if said == normalise(answer):
            return ShortMatch(accepted=True, matched=answer)
    if regex is not None:
        flat = " ".join(given.split())
        if re.fullmatch(regex, flat, re.IGNORECASE):
            return ShortMatch(accepted=True, matched=flat)
    if typos:
        for answer in accept:
            if is_typo_of(given, answer):
                note = f"Spelling: it is written '{answer}' (you wrote '{given.strip()}')."
                return ShortMatch(accepted=True, matched=answer, note=note)
    return ShortMatch(accepted=False)
