"""The few root steps: which commands say sudo, which labs have them, and root without sudo."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dockerlab.model.loader import load_lab
from dockerlab.paths import bundled_labs
from dockerlab.runner.catalog import load_catalog
from dockerlab.runner.privilege import needs_sudo, root_steps
from dockerlab.runner.shell import script_for


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("sudo mkdir -p /etc/docker/certs.d/x", True),
        ("mkdir -p certs && sudo cp a b", True),
        ("true; sudo -n true", True),
        ("(sudo id)", True),
        ("echo pseudo code", False),
        ("sudoedit-like-name x", False),
        ("docker run --name sudo_box busybox", False),
        ("mkdir -p /etc/docker/certs.d/x", False),
    ],
)
def test_needs_sudo(command: str, expected: bool) -> None:
    assert needs_sudo(command) is expected


def test_the_courses_root_steps_are_the_tls_trust_and_the_auth_setup() -> None:
    labs = [loaded.lab for loaded in load_catalog(capabilities=set()).labs.values()]
    assert root_steps(labs) == [
        "registry-auth: its setup",
        "registry-tls: step 'trust', step 'trust-bridge'",
    ]


def test_on_docker_desktop_the_tls_lab_has_no_root_step() -> None:
    lab = load_lab(bundled_labs() / "registry-tls", capabilities={"docker-desktop"}).lab
    assert root_steps([lab]) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="the stand-in is for root only")
def test_root_without_sudo_runs_a_sudo_command_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"  # a PATH with bash and id, and no sudo
    bin_dir.mkdir()
    for tool in ("bash", "id"):
        (bin_dir / tool).symlink_to(
            subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip()
        )
    monkeypatch.setenv("PATH", str(bin_dir))
    script = script_for("sudo -n id -u")
    assert script != "sudo -n id -u"
    done = subprocess.run(
        [str(bin_dir / "bash"), "-c", script], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "0"), done.stderr
