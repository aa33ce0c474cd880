"""Hostile and huge content: each input answered by a fresh `dockerlab` process, timed from
spawn to exit, with the child's peak memory (ru_maxrss from wait4). Target: any input of at
most 1 MiB answered in at most 2 s and 200 MB with a located problem or a result, no traceback.

Baseline in the same run: the same command on a small valid lab (interpreter and imports), and,
in this process, PyYAML's pure-Python `yaml.safe_load` of the largest lab (the loader before).

    .venv/bin/python -m benchmarks.bench_hostile_input [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.common import machine, write_section
from dockerlab.model.yamlsource import MAX_FILE_BYTES, parse_yaml

LAB_HEAD = """\
format_version: 1
id: {id}
title: Big
section: test
summary: A big lab.
minutes: 1
images: ["busybox:latest"]
cleanup:
  containers: [box]
steps:
"""
STEP = """\
  - id: step-{n}
    title: Step {n}
    instructions: Run the box number {n} and look at it.
    solution: docker container run -d --name box busybox sleep 60
    hints: [Run it., "`docker container run -d --name box busybox sleep 60`"]
    check: {{kind: container, name: box}}
"""


def lab(steps: int, lab_id: str = "big") -> str:
    return LAB_HEAD.format(id=lab_id) + "".join(STEP.format(n=n) for n in range(steps))


def largest_lab() -> tuple[int, str]:
    """The lab with the most steps that still fits in MAX_FILE_BYTES."""
    per_step = len(STEP.format(n=99999))
    steps = (MAX_FILE_BYTES - len(LAB_HEAD)) // per_step
    return steps, lab(steps)


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        name, prev = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


QUIZ = """\
format_version: 1
id: patterns
title: Patterns
section: test
questions:
  - id: nested
    type: short
    prompt: Type some a's.
    accept: [aaaa]
    regex: "^(a+)+$"
    explanation: Nested.
  - id: overlapping
    type: short
    prompt: Type a's then b's.
    accept: [ab]
    regex: "^(a|aa)+(b|bb)+$"
    explanation: Overlapping.
"""


def gift(questions: int) -> str:
    return "".join(
        f"::q{n}::Which port does registry {n} use?{{=5000 ~5001 ~443 ####The default.}}\n"
        for n in range(questions)
    )


@dataclass
class Case:
    name: str
    size: int
    args: list[str]
    stdin: str = ""


@dataclass
class Outcome:
    seconds: float
    rss_mb: float
    code: int
    said: str


def run(case: Case) -> Outcome:
    """One fresh process: wall time from spawn to exit, peak RSS of the child."""
    with tempfile.TemporaryFile() as out_file:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "dockerlab", "--plain", *case.args],
            stdin=subprocess.PIPE,
            stdout=out_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, "DOCKERLAB_CONTENT": ""},
        )
        assert proc.stdin is not None
        proc.stdin.write(case.stdin.encode())
        proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        said = out_file.read().decode("utf-8", "replace")
    assert "Traceback" not in said, said[-3000:]
    return Outcome(seconds, usage.ru_maxrss / 1024, proc.returncode, said)


def first_problem(said: str) -> str:
    for line in said.splitlines():
        if ": " in line and (":1:" in line or "error" in line or "YAML" in line):
            return line.split(": ", 1)[1][:90]
    return said.strip().splitlines()[-1][:90] if said.strip() else ""


def cases(tmp: Path) -> tuple[list[Case], int]:
    def write(rel: str, text: str) -> Path:
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    steps, big = largest_lab()
    files = {
        "small valid lab (baseline)": write("small/lab.yaml", lab(3, "small")),
        "billion laughs": write("bomb/lab.yaml", billion_laughs()),
        "5,000 nested `[`": write("deep/lab.yaml", "[" * 5000 + "]" * 5000),
        "20 MiB file": write("huge/lab.yaml", lab(1, "huge") + "#" * (20 * 1024 * 1024)),
        "10,000-step lab": write("ten-thousand/lab.yaml", lab(10_000, "ten-thousand")),
        f"largest lab under 1 MiB ({steps:,} steps)": write("big/lab.yaml", big),
    }
    out = [Case(name, path.stat().st_size, ["lint", str(path)]) for name, path in files.items()]
    quiz_dir = tmp / "pack" / "content"
    quiz_dir.mkdir(parents=True)
    (quiz_dir / "patterns.quiz.yaml").write_text(QUIZ)
    out.append(
        Case(
            "quiz: `^(a+)+$` and `^(a|aa)+(b|bb)+$` on near misses",
            len(QUIZ),
            ["--content", str(tmp / "pack"), "quiz", "patterns", "--plain"],
            stdin="a" * 32 + "!\n" + "a" * 30 + "b" * 30 + "!\n",
        )
    )
    for count in (1_000, 10_000):
        gift_file = write(f"big{count}.gift", gift(count))
        out.append(
            Case(
                f"GIFT import, {count:,} questions without blank lines",
                gift_file.stat().st_size,
                ["quiz", "import", str(gift_file), "-o", "-"],
            )
        )
    del big
    return out, steps


def in_process(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MiB"
    return f"{size / 1024:.1f} KiB" if size >= 1024 else f"{size} B"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    rows = []
    slowest: tuple[float, str] = (0.0, "")
    largest: tuple[float, str] = (0.0, "")
    with tempfile.TemporaryDirectory(prefix="dockerlab-bench-") as folder:
        tmp = Path(folder)
        all_cases, steps = cases(tmp)
        for case in all_cases:
            outcomes = [run(case) for _ in range(args.runs)]
            seconds = statistics.median(o.seconds for o in outcomes)
            rss = max(o.rss_mb for o in outcomes)
            said = first_problem(outcomes[0].said) or f"exit {outcomes[0].code}"
            rows.append(
                f"| {case.name} | {size_text(case.size)} | {seconds:.2f} s | {rss:.0f} MB "
                f"| {outcomes[0].code} | {said.replace('|', '/')} |"
            )
            if not case.name.endswith("(baseline)"):
                slowest = max(slowest, (seconds, case.name))
                largest = max(largest, (rss, case.name))
        text = lab(steps)
        pure = in_process(lambda: yaml.load(text, Loader=yaml.SafeLoader), 1)  # noqa: S506
        ours = in_process(lambda: parse_yaml(text, "big.yaml"), args.runs)
    body = f"""## Hostile and huge content (issue 12)

Measured {time.strftime("%Y-%m-%d")} on {machine()} by `benchmarks/bench_hostile_input.py`: a
fresh `dockerlab` process per input, wall time from spawn to exit (median of {args.runs}) and
the child's peak RSS (largest of {args.runs}). The first row is the baseline of the same run:
the same command on a small valid lab. No run printed a traceback. Load average at the start:
{load} (on a shared machine the baseline row shows how busy it was).

| input | size | time | peak RSS | exit | what it said |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Slowest input: **{slowest[0]:.2f} s** ({slowest[1]}); largest: **{largest[0]:.0f} MB**
({largest[1]}); target ≤ 2 s and ≤ 200 MB for any input of at most 1 MiB.

Parsing the largest lab in process: {ours:.2f} s with dockerlab's loader (libyaml's C composer,
positions, bounds) vs {pure:.2f} s with PyYAML's pure-Python `safe_load` (the loader before).
"""
    write_section("hostile-input", body)
    print(body)


if __name__ == "__main__":
    main()
