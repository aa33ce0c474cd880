"""The app in a real pseudo-terminal: cold start to the first drawn screen (against a minimal
Textual app started the same way, in the same run), and memory with a lab open.

Run: .venv/bin/python -m benchmarks.bench_tui_startup [--runs N]
Writes the "tui-startup" section of BENCHMARKS.md.

"Cold start" is a new process each time, from spawning it to its first frame appearing on the
terminal (a marker text in the pty output). Each process is ended once measured.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from benchmarks.common import ROOT, machine, median_ms, write_section

PYTHON = ROOT / ".venv" / "bin" / "python"
DOCKERLAB = ROOT / ".venv" / "bin" / "dockerlab"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Static


class Minimal(App):
    def compose(self):
        yield Static("minimal textual app ready")
        yield Footer()


Minimal().run()
"""


class PtyProcess:
    """A process on its own pseudo-terminal of a fixed size; `expect` reads its screen output."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)):
        master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.master = master
        self.output = b""

    def expect(self, marker: str, timeout: float = 30.0) -> float:
        """Seconds from spawning until `marker` has been drawn (escape codes ignored)."""
        deadline = time.monotonic() + timeout
        wanted = marker.encode()
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                self.output += chunk
                if wanted in ANSI.sub(b"", self.output):
                    return time.perf_counter() - self.started
        tail = ANSI.sub(b"", self.output)[-400:].decode(errors="replace")
        raise TimeoutError(f"'{marker}' not drawn within {timeout} s; last output: {tail!r}")

    def send(self, data: str) -> None:
        os.write(self.master, data.encode())

    def rss_mb(self) -> tuple[float, float]:
        """Resident memory now and at its peak (VmRSS, VmHWM) of the process, in MB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        values = {
            line.split(":")[0]: int(line.split()[1])
            for line in status.splitlines()
            if line.startswith(("VmRSS", "VmHWM"))
        }
        return values["VmRSS"] / 1024, values["VmHWM"] / 1024

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        os.close(self.master)


def learner_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKERLAB_")}
    env.update(
        TERM="xterm-256color",
        DOCKERLAB_HOME=str(home),
        DOCKERLAB_CONFIG_DIR=str(home / "config"),
        COLUMNS="80",
        LINES="24",
    )
    env.pop("NO_COLOR", None)
    return env


def returning_learner(folder: Path) -> Path:
    """A data folder whose learner has seen the welcome screen (the everyday start)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "app-state.json").write_text(json.dumps({"welcomed": True}))
    return folder


def first_frame(argv: list[str], env: dict[str, str], marker: str) -> float:
    proc = PtyProcess(argv, env)
    try:
        return proc.expect(marker)
    finally:
        proc.close()


def measure_startup(runs: int, tmp: Path) -> tuple[list[float], list[float]]:
    minimal = tmp / "minimal_app.py"
    minimal.write_text(MINIMAL_APP)
    home = returning_learner(tmp / "home")
    env = learner_env(home)
    ours: list[float] = []
    base: list[float] = []
    for _ in range(runs):  # interleaved, so both see the same machine
        base.append(first_frame([str(PYTHON), str(minimal)], env, "minimal textual app ready"))
        ours.append(first_frame([str(DOCKERLAB)], env, "Loading the course"))
    return ours, base


def measure_memory(tmp: Path) -> tuple[float, float]:
    """RSS with the first lab open (opened from the command palette, as a learner would)."""
    home = returning_learner(tmp / "memory-home")
    proc = PtyProcess([str(DOCKERLAB)], learner_env(home))
    try:
        proc.expect("Next:")
        proc.send("\x10")  # Ctrl+P
        proc.expect("Search for commands")
        proc.send("Run a Private")
        proc.expect("Lab: Run a Private Docker Registry")
        proc.send("\r")
        proc.expect("Ready. Commands you type below", timeout=120)
        time.sleep(3)  # a few checks and engine events later
        return proc.rss_mb()
    finally:
        proc.close()


def row(name: str, samples: list[float], bold: bool = False) -> str:
    median = f"{median_ms(samples):.0f} ms"
    median = f"**{median}**" if bold else median
    return f"| {name} | {median} | {min(samples) * 1000:.0f} ms | {max(samples) * 1000:.0f} ms |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dockerlab-bench-") as folder:
        tmp = Path(folder)
        # one unmeasured start of each fills the OS file cache: every measured run is alike
        measure_startup(1, tmp)
        ours, base = measure_startup(args.runs, tmp)
        rss, peak = measure_memory(tmp)
    ratio = statistics.median(ours) / statistics.median(base)
    body = f"""## The app (issue 4): cold start and memory

Measured {time.strftime("%Y-%m-%d")} on {machine()}, in an 80×24 pseudo-terminal, by
`benchmarks/bench_tui_startup.py`: a new process each run, timed from spawning it to its first
frame on the terminal. Both apps are started the same way (the venv's Python), interleaved,
{args.runs} runs each, after one unmeasured start of each.

| | median | min | max |
|---|---|---|---|
{row("`dockerlab` (course map, first frame)", ours, bold=True)}
{row("minimal Textual app (baseline, same run)", base)}

Ratio **{ratio:.2f}×** the minimal app (target ≤ 1.5×); median {median_ms(ours):.0f} ms
(target ≤ 600 ms). The course, the progress record and the Docker SDK load in workers after
the first frame.

Memory with the first lab open (opened from the command palette; engine events followed,
checks running): **{rss:.0f} MB RSS** (peak {peak:.0f} MB; target ≤ 150 MB).
"""
    write_section("tui-startup", body)
    print(body)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
