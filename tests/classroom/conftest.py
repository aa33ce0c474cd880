"""A second Docker engine of our own, for the remote-engine tests: its own socket, data root,
exec root, pidfile and bridge (never `--bridge=none`, which deletes the host's docker0 on Docker
20.10). Stopped by its PID; its bridge and folders removed; docker0 must be unchanged after."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockerlab.engine import Engine
from tests.conftest import in_ci
from tests.waiting import TimedOut, wait_until


@dataclass(frozen=True)
class SecondEngine:
    host: str  # unix:///tmp/.../docker.sock
    pid: int
    engine: Engine
    log: Path


def _ip(*args: str) -> str:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=True).stdout


def _docker0() -> str:
    """docker0's index and addresses (not its MAC: a bridge takes its ports', which come and go
    with every container the neighbours start)."""
    index = Path("/sys/class/net/docker0/ifindex").read_text()
    return index + _ip("-o", "-4", "addr", "show", "dev", "docker0")


def _free_subnet() -> str:
    used = _ip("-o", "-4", "addr") + _ip("-4", "route")
    for _ in range(100):
        third = random.randint(1, 254)
        if f"10.215.{third}." not in used:
            return f"10.215.{third}"
    raise RuntimeError("no free 10.215.x.0/24 subnet")


def _wait(predicate: Callable[[], object], deadline: float, what: str, log: Path) -> None:
    try:
        wait_until(predicate, deadline, what, every=0.2)
    except TimedOut as timed_out:
        raise TimedOut(f"{timed_out}; dockerd log:\n{log.read_text()[-3000:]}") from None


@pytest.fixture(scope="module")
def second_engine() -> Iterator[SecondEngine]:
    dockerd = shutil.which("dockerd")
    if os.geteuid() != 0 or dockerd is None or shutil.which("ip") is None:
        message = "a second dockerd needs root, dockerd and ip"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    before = _docker0()
    tag = uuid.uuid4().hex[:6]
    base = Path(f"/tmp/dl15-{tag}")
    base.mkdir()
    bridge = f"dl15{tag}"
    subnet = _free_subnet()
    _ip("link", "add", bridge, "type", "bridge")
    proc = None
    try:
        _ip("addr", "add", f"{subnet}.1/24", "dev", bridge)
        _ip("link", "set", bridge, "up")
        host = f"unix://{base}/docker.sock"
        log = base / "dockerd.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [
                    dockerd,
                    f"--host={host}",
                    f"--data-root={base}/data",
                    f"--exec-root={base}/exec",
                    f"--pidfile={base}/docker.pid",
                    f"--bridge={bridge}",
                    "--iptables=false",
                    "--ip-forward=false",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        engine = Engine(timeout=60, base_url=host)
        _wait(lambda: proc.poll() is not None or engine.ping(), 60, "the dockerd answered", log)
        assert proc.poll() is None, log.read_text()[-3000:]
        yield SecondEngine(host, proc.pid, engine, log)
    finally:
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)  # dockerd stops its containers and its containerd
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        for line in reversed(Path("/proc/self/mounts").read_text().splitlines()):
            point = line.split()[1]
            if point.startswith(str(base)):
                subprocess.run(["umount", "-l", point], check=False)
        shutil.rmtree(base, ignore_errors=True)
        subprocess.run(["ip", "link", "del", bridge], check=False)
        assert _docker0() == before, "docker0 changed while the second dockerd ran"
