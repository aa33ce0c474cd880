"""A learner who is not root: a real user made with `useradd`, in the `docker` group, with sudo
(passwordless, or asking for a password), running this checkout's dockerlab with their own home,
progress and workspaces. Removed with `userdel -r` at the end.

Needs root (to make the user) and sudo installed (scripts/ensure-engine.sh installs it): skipped
locally without them, a failure under CI=true.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import subprocess
import sys
import sysconfig
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import in_ci
from tests.waiting import wait_until

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple-1"  # the password learner's, typed in the tmux test


def _unavailable(message: str) -> None:
    if in_ci():
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Learner:
    name: str
    uid: int
    home: Path
    dockerlab: Path  # the launcher in the learner's own virtualenv

    @property
    def data(self) -> Path:
        """Where platformdirs puts the learner's data (no $DOCKERLAB_HOME: their default)."""
        return self.home / ".local" / "share" / "dockerlab"

    def env(self) -> dict[str, str]:
        env = {
            "HOME": str(self.home),
            "USER": self.name,
            "LOGNAME": self.name,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
        }
        if "DOCKER_HOST" in os.environ:
            env["DOCKER_HOST"] = os.environ["DOCKER_HOST"]
        return env

    def command(self, *args: str) -> list[str]:
        """`args` run as the learner, with a clean environment of their own."""
        pairs = [f"{k}={v}" for k, v in self.env().items()]
        return ["runuser", "-u", self.name, "--", "env", "-i", *pairs, *args]

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _python_for(name: str) -> str:
    """A Python of our version the learner may run (ours may live in root's home)."""
    ours = f"{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [os.path.realpath(sys.executable), str(getattr(sys, "_base_executable", ""))]
    candidates += [f"/usr/bin/python{ours}", f"/usr/local/bin/python{ours}"]
    for python in filter(None, candidates):
        done = subprocess.run(
            ["runuser", "-u", name, "--", python, "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0 and done.stdout.strip() == str(sys.version_info[:2]):
            return python
    _unavailable(f"no Python {ours} that a non-root user may run")
    raise AssertionError("unreachable")


def _make(sudoers_rule: str, password: str | None) -> Iterator[Learner]:
    if os.geteuid() != 0:
        _unavailable("making a test user needs root")
    for tool in ("useradd", "userdel", "runuser", "sudo"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} is not installed (scripts/ensure-engine.sh installs sudo)")
    try:
        grp.getgrnam("docker")
    except KeyError:
        _unavailable("there is no docker group")
    name = f"dl{uuid.uuid4().hex[:8]}"
    sudoers = Path("/etc/sudoers.d") / f"dockerlab-test-{name}"
    subprocess.run(
        ["useradd", "--create-home", "--groups", "docker", "--shell", "/bin/bash", name],
        check=True,
        capture_output=True,
    )
    try:
        if password is not None:
            subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
        sudoers.write_text(f"{name} {sudoers_rule}\n")
        sudoers.chmod(0o440)
        entry = pwd.getpwnam(name)
        home = Path(entry.pw_dir)
        venv = home / "venv"
        python = _python_for(name)
        subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True)
        site = subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        # this checkout's dockerlab, and its dependencies from the test environment
        Path(site, "dockerlab-checkout.pth").write_text(
            f"{REPO}\n{sysconfig.get_path('purelib')}\n"
        )
        launcher = venv / "bin" / "dockerlab"
        launcher.write_text(
            f"#!{venv / 'bin' / 'python'}\nfrom dockerlab.cli import main\n\n"
            "raise SystemExit(main())\n"
        )
        launcher.chmod(0o755)
        learner = Learner(name, entry.pw_uid, home, launcher)
        check = learner.run(str(venv / "bin" / "python"), "-c", "import dockerlab.cli, textual")
        if check.returncode != 0:
            _unavailable(f"the test user cannot import dockerlab: {check.stderr.strip()}")
        yield learner
    finally:
        sudoers.unlink(missing_ok=True)
        _remove_user(name)


def _remove_user(name: str) -> None:
    """End what still runs as the test user (a tmux server exits a moment after kill-server;
    userdel refuses a user with processes), each by its PID, then remove the user."""

    def none_left() -> bool:
        found = subprocess.run(["pgrep", "-u", name], capture_output=True, text=True, check=False)
        for pid in (int(p) for p in found.stdout.split()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return not found.stdout.split()

    wait_until(none_left, 30, f"the processes of {name} to end")
    done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
    assert done.returncode == 0, f"userdel {name}: {done.stderr}"


@pytest.fixture(scope="module")
def learner() -> Iterator[Learner]:
    """A docker-group user with passwordless sudo."""
    yield from _make("ALL=(ALL) NOPASSWD:ALL", password=None)


@pytest.fixture(scope="module")
def learner_with_password() -> Iterator[Learner]:
    """A docker-group user whose sudo asks for their password (PASSWORD)."""
    yield from _make("ALL=(ALL) ALL", password=PASSWORD)
