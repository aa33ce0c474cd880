"""The app in a real terminal (tmux), run by a non-root learner, who types a `sudo` command into
the command bar. With passwordless sudo it runs in the bar like any command. When sudo asks for a
password, the app hands the terminal over: sudo's prompt is on the learner's screen, the typed
password never shows, and the app comes back with the output in its log and still answers."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from functools import partial

import pytest

from dockerlab.engine import Engine
from tests.nonroot.conftest import PASSWORD, Learner
from tests.tui.test_e2e_tmux import Tmux

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("engine_lock")]
MARK = "ran-as-$(id -un)"  # the command's output says who ran it: ran-as-root


class LearnersTmux(Tmux):
    """A tmux server of the learner's own (a tmux client may only talk to its user's server)."""

    def __init__(self, learner: Learner) -> None:
        super().__init__()
        self.learner = learner

    def run(self, *args: str) -> str:
        done = subprocess.run(
            self.learner.command("tmux", "-L", self.socket, *args),
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout


def _tmux(learner: Learner) -> Iterator[LearnersTmux]:
    t = LearnersTmux(learner)
    t.run("new-session", "-d", "-s", "keeper", "cat")
    yield t
    subprocess.run(
        learner.command("tmux", "-L", t.socket, "kill-server"), capture_output=True, check=False
    )


@pytest.fixture
def tmux_nopasswd(learner: Learner, engine: Engine) -> Iterator[LearnersTmux]:
    yield from _tmux(learner)


@pytest.fixture
def tmux_password(learner_with_password: Learner, engine: Engine) -> Iterator[LearnersTmux]:
    yield from _tmux(learner_with_password)


def _open_first_lab(tmux: LearnersTmux) -> None:
    """Start the app as the learner, past the welcome screen, into the first lab."""
    env = " ".join(f"{k}={v}" for k, v in tmux.learner.env().items())
    command = f"env -i {env} TERM=xterm-256color SHELL=/bin/bash {tmux.learner.dockerlab}"
    tmux.run("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", command)
    screen = tmux.wait_for(
        lambda s: ("Press" in s and "Enter" in s) or "Next:" in s, "the app", timeout=90
    )
    if "Next:" not in screen:  # the first start: the welcome screen and the doctor's verdict
        tmux.keys("Enter")
        tmux.wait_for(lambda s: "Next:" in s and "Lab" in s, "the course map")
    tmux.keys("C-p")
    tmux.wait_for(lambda s: "Search for commands" in s, "the command palette")
    tmux.keys("Run a Private", literal=True)
    tmux.wait_for(lambda s: "Lab: Run a Private Docker Registry" in s, "the lab in the palette")
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "Ready. Commands you type below run in" in s, "the lab", timeout=120)


def test_passwordless_sudo_runs_in_the_command_bar(tmux_nopasswd: LearnersTmux) -> None:
    tmux = tmux_nopasswd
    _open_first_lab(tmux)
    tmux.keys(f"sudo sh -c 'echo {MARK}'", literal=True)
    tmux.keys("Enter")
    screen = tmux.wait_for(lambda s: "ran-as-root" in s, "the sudo command's output")
    assert "Step 1 of" in screen  # in the app's log, the lab still on screen
    assert "password" not in screen


def test_sudo_asking_for_a_password_gets_the_real_terminal(tmux_password: LearnersTmux) -> None:
    tmux = tmux_password
    name = tmux.learner.name
    _open_first_lab(tmux)
    tmux.keys(f"sudo sh -c 'echo {MARK}'", literal=True)
    tmux.keys("Enter")
    # the app steps aside; sudo's own prompt is on the learner's terminal
    screen = tmux.wait_for(lambda s: f"[sudo] password for {name}:" in s, "sudo's prompt")
    assert "sudo asks for your password here" in screen
    tmux.keys(PASSWORD, literal=True)
    tmux.keys("Enter")
    screen = tmux.wait_for(
        lambda s: "ran-as-root" in s and "Step 1 of" in s, "the app back with the output"
    )
    assert PASSWORD not in screen
    # the terminal as it was while the app stood aside (tmux keeps it under the app's screen):
    # sudo's prompt and the command's output, and not the password typed there
    terminal = tmux.run("capture-pane", "-p", "-a", "-t", "app")
    assert f"[sudo] password for {name}:" in terminal
    assert "ran-as-root" in terminal
    assert PASSWORD not in terminal
    # the app still answers: the next command runs in the bar
    tmux.keys("echo still-answering", literal=True)
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "still-answering" in s.split("echo still-answering")[-1], "the app")


def tried_more_than(tries: int, screen: str) -> bool:
    return screen.count("Sorry, try again.") > tries


def test_a_wrong_password_does_not_hang_the_app(tmux_password: LearnersTmux) -> None:
    tmux = tmux_password
    _open_first_lab(tmux)
    tmux.keys(f"sudo sh -c 'echo {MARK}'", literal=True)
    tmux.keys("Enter")
    tmux.wait_for(lambda s: "password for" in s, "sudo's prompt")
    for attempt in range(3):  # sudo's default: three tries
        tmux.keys("not-the-password", literal=True)
        tmux.keys("Enter")
        if attempt < 2:
            tmux.wait_for(partial(tried_more_than, attempt), "sudo again")
    screen = tmux.wait_for(lambda s: "Step 1 of" in s, "the app back", timeout=60)
    assert "ran-as-root" not in screen
    assert "not-the-password" not in screen
