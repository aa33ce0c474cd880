"""A second Docker engine of our own, to stop, pause and restart without touching the one the
other tests (and other people) use: its own socket, data root, exec root and pid file, its own
bridge interface and no iptables rules, vfs storage, its own containerd namespace. Started per
test; stopped by its PID only.

Not `--bridge=none`: a dockerd without a bridge deletes the host's `docker0` at start-up
(moby's removeDefaultBridgeInterface), and `docker0` belongs to the main engine, whose
containers lose their network. So the bridge is one we create, and delete, ourselves."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import in_ci
from tests.waiting import wait_until


def _wait(condition: Callable[[], object], seconds: float, what: str) -> None:
    wait_until(condition, seconds, what)


@dataclass
class PrivateEngine:
    """dockerd of our own: `host` is its DOCKER_HOST, `bridge` its own network interface."""

    root: Path
    bridge: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def socket(self) -> Path:
        return self.root / "docker.sock"

    @property
    def host(self) -> str:
        return f"unix://{self.socket}"

    def answers(self) -> bool:
        out = subprocess.run(
            ["docker", "--host", self.host, "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            timeout=5,
        )
        return out.returncode == 0

    def start(self) -> None:
        log = (self.root / "dockerd.log").open("ab")
        self.process = subprocess.Popen(
            [
                "dockerd",
                "--host", self.host,
                "--data-root", str(self.root / "data"),
                "--exec-root", str(self.root / "exec"),
                "--pidfile", str(self.root / "docker.pid"),
                "--bridge", self.bridge,
                "--iptables=false",
                "--ip-masq=false",
                "--ip6tables=false",
                "--storage-driver=vfs",
                "--containerd-namespace", f"dockerlab-faults-{self.root.name}",
                "--containerd-plugins-namespace", f"dockerlab-faults-p-{self.root.name}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        _wait(self.answers, 60, "the private dockerd to answer")

    def pause(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        """SIGTERM to our dockerd (by its PID), then wait for it and its containerd to go."""
        if self.process is None or self.process.poll() is not None:
            return
        self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        _wait(lambda: not self.socket.exists(), 30, "the private dockerd's socket to go")


@pytest.fixture
def private_engine() -> Iterator[PrivateEngine]:
    if shutil.which("dockerd") is None or os.geteuid() != 0:
        message = "a second dockerd needs the dockerd binary and root"
        if in_ci():
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    # a short path: a unix socket's path is limited to about 100 bytes
    root = Path(tempfile.mkdtemp(prefix="dlf-", dir="/tmp"))
    bridge = f"dlf{uuid.uuid4().hex[:8]}"  # interface names hold at most 15 characters
    ip = ["ip", "link"]
    subprocess.run([*ip, "add", bridge, "type", "bridge"], check=True, timeout=30)
    engine = PrivateEngine(root, bridge)
    try:
        subprocess.run(["ip", "addr", "add", "10.254.254.1/24", "dev", bridge], check=True)
        subprocess.run([*ip, "set", bridge, "up"], check=True, timeout=30)
        engine.start()
        yield engine
    finally:
        engine.stop()
        subprocess.run([*ip, "del", bridge], check=False, timeout=30)
        shutil.rmtree(root, ignore_errors=True)
