"""Issue 2's targets, measured against the real engine (run: python -m benchmarks.bench_lab_engine).

1. One step's checks evaluate in <= 50 ms median on a warm engine. Baseline in the same run: one
   bare Docker API round trip (`/_ping`) and one registry HTTP request, the physical floor.
2. `validate` takes <= 1.5x the time of running the same solution commands as a plain shell
   script, measured in the same run.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from functools import partial
from pathlib import Path

import requests

from benchmarks.common import machine, median_ms, timed, write_section
from dockerlab.engine import Engine
from dockerlab.model.loader import load_lab
from dockerlab.runner.rehearsal import rehearse
from dockerlab.runner.session import LabSession

LAB = Path(__file__).resolve().parent.parent / "labs" / "registry-basics"
RUNS = 50


def _shell_script(session: LabSession) -> str:
    lines = ["set -e"]
    for step in session.lab.steps:
        for cmd in step.solution:
            if not cmd.requires or all(str(c) in session.capabilities for c in cmd.requires):
                lines.append(cmd.run)
                if "--name registry" in cmd.run:
                    # a script, unlike a person, pushes before the registry listens: wait for it
                    lines.append(
                        "until curl -sf http://127.0.0.1:5000/v2/ >/dev/null; do sleep 0.05; done"
                    )
    return "\n".join(lines)


def main() -> None:
    engine = Engine(timeout=60)
    loaded = load_lab(LAB)
    caps = {"engine"}
    with tempfile.TemporaryDirectory() as tmp:
        session = LabSession(loaded, engine, workspace=Path(tmp) / "ws", capabilities=caps)
        session.cleanup()
        session.start()
        # bring the lab to its final state, then time every step's check on a warm engine
        for step in loaded.lab.steps:
            session.solve(step)
        per_step = {}
        for step in loaded.lab.steps:
            session.peek(step)  # warm
            per_step[step.id] = median_ms(timed(partial(session.peek, step), RUNS))
        ping = median_ms(timed(engine.ping, RUNS))
        http = median_ms(timed(lambda: requests.get("http://127.0.0.1:5000/v2/", timeout=5), RUNS))
        session.cleanup()

        # validate vs the same solution commands as a plain shell script, alternating, 3 rounds
        script = _shell_script(session)
        val_times, sh_times = [], []
        for _ in range(3):
            ws = Path(tmp) / "val"
            t0 = time.perf_counter()
            report = rehearse(LabSession(loaded, engine, workspace=ws, capabilities=caps))
            val_times.append(time.perf_counter() - t0)
            assert report.ok, report
            ws_sh = Path(tmp) / "sh"
            ws_sh.mkdir(exist_ok=True)
            session.ensure_images()  # the lab removes hello-world; the script needs it back
            t0 = time.perf_counter()
            done = subprocess.run(["bash", "-c", script], cwd=ws_sh, capture_output=True, text=True)
            assert done.returncode == 0, done.stdout + done.stderr
            sh_times.append(time.perf_counter() - t0)
            LabSession(loaded, engine, workspace=ws_sh, capabilities=caps).cleanup()
            session.ensure_images()

    val, sh = min(val_times), min(sh_times)
    worst = max(per_step.values())
    rows = "\n".join(f"| `{k}` | {v:.1f} |" for k, v in per_step.items())
    body = f"""## Lab engine (issue 2)

Measured {time.strftime("%Y-%m-%d")} on {machine()}, Docker {engine.version().get("Version")},
{RUNS} runs each, warm engine, lab `registry-basics` in its final state.

| step check | median ms |
|---|---|
{rows}

Baseline in the same run: Docker API `/_ping` median {ping:.1f} ms; registry `GET /v2/` median
{http:.1f} ms. Slowest step check: **{worst:.1f} ms** (target <= 50 ms).

`validate` vs the same solution commands as a plain `bash` script (best of 3 each, same run):
validate **{val:.2f} s**, script {sh:.2f} s, ratio **{val / sh:.2f}x** (target <= 1.5x). validate
also checks every step before and after, cleans up and looks for leftovers.
"""
    write_section("lab-engine", body)
    print(body)


if __name__ == "__main__":
    main()
