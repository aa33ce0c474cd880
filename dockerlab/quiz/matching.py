"""Does a typed answer match a short question? Forgiving about form, exact about facts.

Case and whitespace never matter, nor quotes or brackets around a token, nor a full stop (or
`,;!?`) after the last one. What is inside a token always matters: "ca.crt" is not "cacrt" nor
"ca_crt", "127.0.0.1" is not "12.70.0.1", "5000" is not "50.00". A flag keeps its case ("-P" is
not "-p"). One typo (a letter added, dropped, changed, or two letters swapped) is accepted with a
spelling note, but only in a word of letters of four or more ("tag" vs "tar" is too close to
call), never in a token holding digits, dots, colons, slashes, dashes or underscores: those are
addresses, ports, flags, file names and image references, where one character is the fact.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from dockerlab.model.patterns import matches

# below this length one edit is too large a share of the word ("tag" vs "tar")
MIN_TYPO_LENGTH = 4
# longer answers are not compared (nobody types a 2,000-character short answer)
MAX_ANSWER = 2000
# around a token: quotes and brackets; after the last token: the end of a sentence
_WRAPPERS = "\"'`‘’“”«»()[]{}<>"
_SENTENCE_END = ".,;!?"


@dataclass(frozen=True)
class ShortMatch:
    """The verdict on one short answer."""

    accepted: bool
    matched: str | None = None
    note: str | None = None


def tokens(text: str) -> list[str]:
    """The answer's tokens: NFKC-folded, case-folded except flags, without wrapping quotes or
    brackets or a full stop at the end. Nothing inside a token is touched."""
    words = unicodedata.normalize("NFKC", text).split()
    out: list[str] = []
    for index, raw in enumerate(words):
        token = raw.strip(_WRAPPERS) or raw
        if index == len(words) - 1:
            token = token.rstrip(_SENTENCE_END).strip(_WRAPPERS) or token
        out.append(token if token.startswith("-") else token.casefold())
    return out


def normalise(text: str) -> str:
    """The answer as it is compared: its tokens joined by single spaces."""
    return " ".join(tokens(text))


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


def is_word(token: str) -> bool:
    """A token of letters only: the only kind where a typo can be harmless."""
    return token.isalpha()


def is_typo_of(given: str, expected: str) -> bool:
    """True when `given` differs from `expected` by one typo in one word of 4+ letters, and
    every other token is identical."""
    g, e = tokens(given), tokens(expected)
    if len(g) != len(e):
        return False
    different = [(x, y) for x, y in zip(g, e, strict=True) if x != y]
    if len(different) != 1:
        return False
    typed, meant = different[0]
    return (
        is_word(typed)
        and is_word(meant)
        and len(meant) >= MIN_TYPO_LENGTH
        and _one_edit_apart(typed, meant)
    )


def match_short(
    given: str,
    accept: Sequence[str],
    regex: str | None = None,
    *,
    typos: bool = True,
) -> ShortMatch:
    """Match `given` against the accepted answers, then the regex, then (if allowed) one typo.

    The regex must match the whole answer, ignoring case, after surrounding whitespace is
    stripped and inner runs of whitespace are collapsed to one space; it runs with a time bound
    (dockerlab.model.patterns), and running out of time is no match.
    """
    if len(given) > MAX_ANSWER:
        return ShortMatch(accepted=False)
    said = normalise(given)
    if not said:
        return ShortMatch(accepted=False)
    for answer in accept:
        if said == normalise(answer):
            return ShortMatch(accepted=True, matched=answer)
    if regex is not None:
        flat = " ".join(given.split())
        if matches(regex, flat, whole=True, ignore_case=True):
            return ShortMatch(accepted=True, matched=flat)
    if typos:
        for answer in accept:
            if is_typo_of(given, answer):
                note = f"Spelling: it is written '{answer}' (you wrote '{given.strip()}')."
                return ShortMatch(accepted=True, matched=answer, note=note)
    return ShortMatch(accepted=False)
