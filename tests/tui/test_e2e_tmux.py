"""End to end in a real terminal: the installed `dockerlab` started in tmux as a new learner
would (fresh data folder), the welcome screen, the first lab opened from the command palette,
its first command typed into the command bar, the step ticking off — read with capture-pane."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dockerlab.engine import Engine
from dockerlab.engine.doctor import port_free
from tests.waiting import TimedOut, wait_until

DOCKERLAB = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "dockerlab"

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("engine_lock")]
TAG = "127.0.0.1:5000/hello-world"


class Tmux:
    """One tmux server of our own (its own socket), so nothing else's sessions are touched."""

    def __init__(self) -> None:
        self.socket = f"dockerlab-e2e-{uuid.uuid4().hex[:8]}"

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "app")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "app", *(["-l"] if literal else []), *keys)

    def gone(self, session: str) -> bool:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "has-session", "-t", session],
            capture_output=True,
            check=False,
        )
        return done.returncode != 0

    def wait_for(self, test: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        shown = [""]

        def showing() -> str | None:
            shown[0] = self.screen()
            return shown[0] if test(shown[0]) else None

        try:
            return wait_until(showing, timeout, what, every=0.2)
        except TimedOut as timed_out:
            raise TimedOut(f"{timed_out}; the screen:\n{shown[0]}") from None


@pytest.fixture
def tmux(engine: Engine, engine_lock: None) -> Iterator[Tmux]:
    """Our own tmux server; the checks for port 5000 and the name `registry` come after the
    engine lock is held (before it, another checkout's lab test may hold them)."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if not DOCKERLAB.exists():
        pytest.skip(f"{DOCKERLAB} is not installed (pip install -e .)")
    names = subprocess.run(
        ["docker", "ps", "-a", "--format", "{{.Names}}"], capture_output=True, text=True, check=True
    ).stdout.split()
    tagged = (
        subprocess.run(
            ["docker", "image", "inspect", TAG], capture_output=True, check=False
        ).returncode
        == 0
    )
    if "registry" in names or not port_free(5000) or tagged:
        pytest.skip(
            "the first lab needs port 5000, the name 'registry' and the tag "
            f"{TAG}, and they are taken"
        )
    t = Tmux()
    # a session that outlives the app's, so the server never exits under a test's feet (killing
    # the app's only session made the server exit while `kill-session` talked to it)
    t.run("new-session", "-d", "-s", "keeper", "cat")
    yield t
    subprocess.run(["tmux", "-L", t.socket, "kill-server"], capture_output=True, check=False)
    # what the learner's commands created in this test
    subprocess.run(
        ["docker", "container", "rm", "-f", "-v", "registry"], capture_output=True, check=False
    )
    subprocess.run(["docker", "image", "rm", TAG], capture_output=True, check=False)


def test_a_new_learner_opens_the_first_lab_and_completes_its_first_step(
    tmux: Tmux, tmp_path: Path
) -> None:
    home = tmp_path / "fresh-home"
    env = {
        "DOCKERLAB_HOME": str(home),
        "DOCKERLAB_CONFIG_DIR": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        "SHELL": "/bin/bash",
    }
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {DOCKERLAB}"
    tmux.run("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", command)

    # first run: the welcome screen with the doctor's findings
    tmux.wait_for(lambda s: "Welcome to dockerlab" in s and "engine:" in s, "welcome screen")
    tmux.wait_for(lambda s: "Press" in s and "Enter" in s, "the doctor's verdict", timeout=90)
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Next:" in s and "Lab" in s, "the course map")

    # the first lab, opened by name from the command palette
    tmux.keys("C-p")
    tmux.wait_for(lambda s: "Search for commands" in s, "the command palette")
    tmux.keys("Run a Private", literal=True)
    tmux.wait_for(lambda s: "Lab: Run a Private Docker Registry" in s, "the lab in the palette")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Step 1 of" in s and "▶ now" in s, "the lab's first step", timeout=120)
    tmux.wait_for(
        lambda s: "Ready. Commands you type below run in" in s, "the lab to be set up", timeout=120
    )

    # the learner types the command into the command bar
    tmux.keys("docker container run -d -p 5000:5000 --name registry registry:2", literal=True)
    tmux.keys("Enter")
    # the tick is drawn at once and step 2's instructions right after (text_later): wait for
    # the second, or the screen may be read between the two
    screen = tmux.wait_for(
        lambda s: "✓ done" in s and "Step 2 of" in s, "the first step to tick off", timeout=60
    )
    assert "Step 1 done: Run the registry image" in screen
    assert (home / "progress.sqlite3").exists()

    # step 2 in a real shell: F6 hands the terminal over, `exit` comes back and re-checks
    tmux.keys("F6")
    tmux.wait_for(lambda s: "a shell in the lab workspace" in s, "the shell")
    tmux.keys(f"docker tag hello-world {TAG} && exit", literal=True)
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "Step 2 done" in s, "step 2 ticked off after the shell")
    assert "Back from the shell" in screen


# Issue 6's promise: kill -9 the app in the middle of a lab, start it again, and the learner is
# back at the same step with everything done before still done.
def _start(tmux: Tmux, home: Path, config: Path, session: str = "app") -> None:
    env = {
        "DOCKERLAB_HOME": str(home),
        "DOCKERLAB_CONFIG_DIR": str(config),
        "TERM": "xterm-256color",
        "SHELL": "/bin/bash",
    }
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" exec {DOCKERLAB}"
    tmux.run("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)


def _completed(db_file: Path, lab_id: str) -> int:
    with sqlite3.connect(db_file) as db:
        row = db.execute(
            "SELECT count(*) FROM step_completion WHERE lab_id = ?", (lab_id,)
        ).fetchone()
    return int(row[0])


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
    # the tick is drawn first and written right after: kill once the record is there (a kill
    # between the two is a different promise)
    wait_until(
        lambda: _completed(home / "progress.sqlite3", "registry-basics"),
        30,
        "step 1, shown done, to be recorded",
    )

    # kill -9 everything in the pane's session, mid-lab
    pane_pid = tmux.run("list-panes", "-t", "app", "-F", "#{pane_pid}").strip()
    subprocess.run(["pkill", "-KILL", "-s", pane_pid], check=False)
    # the pane's process died: tmux closes its session
    wait_until(lambda: tmux.gone("app"), 30, "the killed app's tmux session to close")

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
