"""Waiting in tests: for a condition, with a deadline, never for a fixed time.

This is the only module of the tests that may sleep (tests/test_no_fixed_sleeps.py checks it):
a test says what it waits for, so it is as fast as the machine allows and fails with a message
naming what never happened instead of flaking on a slow one."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class TimedOut(AssertionError):
    """The condition did not hold before the deadline."""


def wait_until(
    predicate: Callable[[], T | None],
    timeout: float = 30.0,
    what: str = "the condition",
    every: float = 0.1,
) -> T:
    """Call `predicate` every `every` seconds until it returns something true; return that.

    Raises TimedOut after `timeout` seconds (the predicate is always asked at least once more
    after the deadline, so a slow first call does not fail the wait)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimedOut(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


class _Pauses(Protocol):
    def pause(self, delay: float | None = None) -> Awaitable[None]: ...


async def until(
    pilot: _Pauses,
    predicate: Callable[[], object],
    timeout: float = 15.0,
    what: str = "the app",
    every: float = 0.02,
) -> None:
    """Let a Textual app (driven by `pilot`) run until `predicate()` is true; TimedOut after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimedOut(f"timed out after {timeout:g} s waiting for {what}")
        await pilot.pause(every)
