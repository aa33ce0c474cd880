"""Shared by the benchmarks: timing helpers and writing a section of BENCHMARKS.md."""

from __future__ import annotations

import platform
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "BENCHMARKS.md"


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock seconds of `runs` calls."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] * 1000


def machine() -> str:
    return f"{platform.system()} {platform.release()}, Python {platform.python_version()}"


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section between <!-- bench:name --> markers in BENCHMARKS.md."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _m: block, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + block + "\n"
    )
    REPORT.write_text(text, encoding="utf-8")
