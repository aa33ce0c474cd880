"""Issue 6's promise in a real terminal: kill -9 the app in the middle of a lab, start it again,
and the learner is back at the same step with everything done before still done."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.tui import test_e2e_tmux
from tests.tui.test_e2e_tmux import DOCKERLAB, Tmux

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("engine_lock")]
_tmux_fixture = test_e2e_tmux.tmux  # registers the `tmux` fixture here too


def _start(tmux: Tmux, home: Path, config: Path, session: str = "app") -> None:
    env = {
        "DOCKERLAB_HOME": str(home),
        "DOCKERLAB_CONFIG_DIR": str(config),
        "TERM": "xterm-256color",
        "SHELL": "/bin/bash",
    }
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" exec {DOCKERLAB}"
    tmux.run("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)


def test_sigkill_mid_lab_then_restart_resumes_at_the_same_step(tmux: Tmux, tmp_path: Path) -> None:
    home, config = tmp_path / "home", tmp_path / "config"
    _start(tmux, home, config)
    tmux.wait_for(lambda s: "Press" in s and "Enter" in s, "the welcome verdict", timeout=90)
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Next:" in s, "the course map")
    tmux.keys("C-p")
    tmux.wait_for(lambda s: "Search for commands" in s, "the command palette")
    tmux.keys("Run a Private", literal=True)
    tmux.wait_for(lambda s: "Lab: Run a Private Docker Registry" in s, "the lab in the palette")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Ready. Commands you type below run in" in s, "the lab", timeout=120)
    tmux.keys("docker container run -d -p 5000:5000 --name registry registry:2", literal=True)
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Step 2 of" in s, "step 1 ticked off", timeout=60)

    # kill -9 everything in the pane's session, mid-lab
    pane_pid = tmux.run("list-panes", "-t", "app", "-F", "#{pane_pid}").strip()
    subprocess.run(["pkill", "-KILL", "-s", pane_pid], check=False)
    tmux.run("kill-session", "-t", "app")

    with sqlite3.connect(home / "progress.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    _start(tmux, home, config)
    screen = tmux.wait_for(lambda s: "Next:" in s or "Welcome" in s, "the app again", timeout=60)
    if "Welcome" in screen and "Next:" not in screen:
        tmux.wait_for(lambda s: "Press" in s and "Enter" in s, "the welcome verdict", timeout=90)
        tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "started: 1/7" in s, "the lab shown as started", timeout=60)
    assert "Next: Lab" in screen
    assert "Run a Private Docker Registry" in screen
    tmux.keys("n")
    screen = tmux.wait_for(lambda s: "Step 2 of 7" in s, "the same step again", timeout=120)
    assert "✓ done" in screen
    assert "▶ now" in screen
