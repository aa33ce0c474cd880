"""Regular expressions written by content authors, run with a time bound.

A pattern such as `^(a+)+$` takes exponential time on a near miss ("aaaa…a!") in a backtracking
engine. Author patterns (quiz answers, diagnoses) therefore run through the `regex` module with a
timeout: a pattern that runs out of time does not match, and says so once in the log. `lint`
warns about the usual cause, a quantifier inside a repeated group (`nested_quantifier`).
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

import regex

# far above what any sane pattern needs on a typed answer or a command's output
PATTERN_TIMEOUT = 0.25  # seconds
# longer text is cut before matching (a learner's answer, the tail of a command's output)
MAX_TEXT = 64 * 1024

log = logging.getLogger(__name__)


def compile_error(pattern: str) -> str | None:
    """Why `pattern` is not a valid regular expression, or None when it is."""
    try:
        regex.compile(pattern)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        return str(exc)
    return None


def matches(
    pattern: str,
    text: str,
    *,
    whole: bool = False,
    ignore_case: bool = False,
    multiline: bool = False,
) -> bool:
    """Whether `pattern` matches `text` (all of it with whole=True), within PATTERN_TIMEOUT.

    Running out of time, or a pattern that does not compile, counts as no match.
    """
    flags = (regex.IGNORECASE if ignore_case else 0) | (regex.MULTILINE if multiline else 0)
    if whole and len(text) > MAX_TEXT:
        return False
    run = regex.fullmatch if whole else regex.search
    text = text[-MAX_TEXT:]
    try:
        return run(pattern, text, flags=flags, timeout=PATTERN_TIMEOUT) is not None
    except TimeoutError:
        log.warning("pattern %r ran out of time and counts as no match", pattern)
        return False
    except (regex.error, ValueError, OverflowError, RecursionError):
        return False


_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def _children(op: str, arg: Any) -> list[Any]:
    """The sub-patterns of one node of Python's own regex parse tree."""
    if op in _REPEATS:
        return [arg[2]]
    if op == "SUBPATTERN":
        return [arg[-1]]
    if op == "BRANCH":
        return list(arg[1])
    if op in ("ASSERT", "ASSERT_NOT"):
        return [arg[1]]
    if op == "GROUPREF_EXISTS":
        return [part for part in arg[1:] if part is not None]
    if op == "ATOMIC_GROUP":
        return [arg]
    return []


def _nested(items: Any, inside_unbounded: bool, unbounded: int) -> bool:
    for op_code, arg in items:
        op = str(op_code)
        if op in _REPEATS:
            low, high, _ = arg
            if inside_unbounded and high != low:
                return True
            if _nested(arg[2], inside_unbounded or high == unbounded, unbounded):
                return True
            continue
        if any(_nested(child, inside_unbounded, unbounded) for child in _children(op, arg)):
            return True
    return False


def nested_quantifier(pattern: str) -> bool:
    """True when a variable repeat sits inside an unbounded one, as in `(a+)+` or `(\\w+\\s?)*`:
    the shape that backtracks exponentially. Bounded repeats such as `(\\d{1,3}\\.){3}` are fine.
    """
    parser: Any = importlib.import_module("re._parser")
    constants: Any = importlib.import_module("re._constants")
    try:
        tree = parser.parse(pattern)
    except Exception:  # noqa: BLE001 - a pattern only `regex` reads: nothing to say about it
        return False
    return _nested(tree, False, constants.MAXREPEAT)
