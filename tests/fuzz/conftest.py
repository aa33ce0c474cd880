"""Fuzzing settings and the tally printed at the end of the run.

Each fuzz test runs DOCKERLAB_FUZZ_EXAMPLES examples (default 150: bounded for CI; set it to
thousands for a long run). `feed(kind)` counts every input; an exception other than the ones a
loader promises (ContentError) is counted as a traceback and fails the test.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("DOCKERLAB_FUZZ_EXAMPLES", "150"))

settings.register_profile(
    "dockerlab-fuzz",
    max_examples=EXAMPLES,
    deadline=None,  # time is bounded by the benchmark, not per example (a busy CI box varies)
    database=None,
    derandomize=os.environ.get("DOCKERLAB_FUZZ_RANDOM", "") == "",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("dockerlab-fuzz")

INPUTS: Counter[str] = Counter()
TRACEBACKS: Counter[str] = Counter()


@contextmanager
def feed(kind: str, *allowed: type[BaseException]) -> Iterator[None]:
    """Count one input of `kind`; anything raised but `allowed` is a traceback."""
    INPUTS[kind] += 1
    try:
        yield
    except allowed:
        pass
    except Exception:
        TRACEBACKS[kind] += 1
        raise


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not INPUTS:
        return
    parts = ", ".join(f"{kind} {count}" for kind, count in sorted(INPUTS.items()))
    terminalreporter.write_line(
        f"fuzz: {sum(INPUTS.values())} inputs ({parts}); "
        f"tracebacks: {sum(TRACEBACKS.values())} {dict(TRACEBACKS) or ''}"
    )
