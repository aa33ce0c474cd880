"""The room's gradebook: 500 generated progress exports merged into one CSV and one HTML.

    .venv/bin/python -m benchmarks.bench_gradebook

Baseline in the same run: reading the 500 files and parsing their JSON, nothing else. The
gradebook adds checking every field (`read_export`), merging and writing both reports. The
whole command (`dockerlab gradebook`, a new process that also loads the course's labs) is timed
once more.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, median_ms, timed, write_section
from dockerlab.cli.progress import read_export
from dockerlab.progress.gradebook import build, to_csv, to_html
from dockerlab.progress.sample import LABS, sample_export

LEARNERS = 500
RUNS = 5


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for i in range(LEARNERS):
            path = folder / f"learner-{i:04d}.json"
            path.write_text(json.dumps(sample_export(i), indent=2), encoding="utf-8")
            files.append(path)
        size = sum(p.stat().st_size for p in files)

        def baseline() -> None:
            for p in files:
                json.loads(p.read_text(encoding="utf-8"))

        def gradebook() -> None:
            book = build([read_export(str(p)) for p in files], LABS)
            (folder / "out.csv").write_text(to_csv(book), encoding="utf-8")
            (folder / "out.html").write_text(to_html(book), encoding="utf-8")

        base = median_ms(timed(baseline, RUNS))
        full = median_ms(timed(gradebook, RUNS))
        html_kb = (folder / "out.html").stat().st_size / 1024
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "dockerlab", "gradebook", *map(str, files)],
            cwd=folder,
            check=True,
            capture_output=True,
        )
        cli = time.perf_counter() - t0
    body = f"""## The room's gradebook (issue 15)

Measured {time.strftime("%Y-%m-%d")} on {machine()} by `benchmarks/bench_gradebook.py`:
{LEARNERS} generated progress exports ({size / 1e6:.1f} MB of JSON, 3 labs, 2 quizzes),
median of {RUNS} runs in one process.

| | median |
|---|---|
| baseline: read the {LEARNERS} files and parse their JSON | {base:.0f} ms |
| gradebook: read and check every file, merge, write the CSV and the HTML | **{full:.0f} ms** |

Ratio **{full / base:.1f}×** the baseline; HTML report {html_kb:.0f} KB. The whole command,
`dockerlab gradebook` on the {LEARNERS} files in a new process (it also loads the course's labs
for their step lists), took {cli:.2f} s once.
"""
    write_section("gradebook", body)
    print(body)


if __name__ == "__main__":
    main()
