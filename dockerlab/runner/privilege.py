"""The few lab steps that need root: those whose commands say `sudo`. `dockerlab doctor` names
them, so a learner in the `docker` group knows which steps may ask for their password
(everything else runs as them). Reset removes a lab's host paths through the engine instead
(runner.session), so it needs no sudo."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable

from dockerlab.model.lab import Command, Lab

SUDO = re.compile(r"(?:^|[;&|(]\s*|\s)sudo\s")


def needs_sudo(command: str) -> bool:
    """Whether a shell command runs something with sudo."""
    return SUDO.search(command) is not None


def _any_sudo(commands: Iterable[Command]) -> bool:
    return any(needs_sudo(c.run) for c in commands)


def root_steps(labs: Iterable[Lab]) -> list[str]:
    """One line per lab with root steps: `lab: its setup, step 'trust'`."""
    lines: list[str] = []
    for lab in sorted(labs, key=lambda lab: lab.id):
        parts: list[str] = []
        if _any_sudo(lab.setup):
            parts.append("its setup")
        parts += [
            f"step '{s.id}'"
            for s in lab.steps
            if _any_sudo(s.solution) or needs_sudo(s.instructions)
        ]
        if parts:
            lines.append(f"{lab.id}: {', '.join(parts)}")
    return lines


def sudo_asks_password() -> bool:
    """Whether `sudo` here would stop to ask for a password: not root, sudo installed, and it
    cannot run without one (no NOPASSWD rule). Tried as the lab's commands run: in a session
    of its own, without a terminal, where cached credentials of a terminal do not count."""
    if os.geteuid() == 0 or shutil.which("sudo") is None:
        return False
    try:
        done = subprocess.run(
            ["sudo", "-n", "true"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            start_new_session=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    return done.returncode != 0
