"""Who holds a port: a local process (read from /proc) or a container that publishes it; the
container check and doctor name the holder and point at --var registry_port."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockerlab.checks import CheckContext, Status, evaluate
from dockerlab.engine import Engine
from dockerlab.engine.doctor import port_free, run_doctor
from dockerlab.engine.ports import listening_process, port_holder
from dockerlab.model.checks import ContainerCheck

ME = f"process {Path('/proc/self/comm').read_text().strip()} (pid {os.getpid()})"


@pytest.fixture
def listener() -> Iterator[int]:
    """A port this test process listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


def test_a_listening_process_is_named_with_its_pid(listener: int) -> None:
    holder = listening_process(listener)
    assert holder == ME


def test_a_closed_port_has_no_holder() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])  # bound, not listening
    assert listening_process(port) is None


@pytest.mark.engine
def test_a_publishing_container_is_named_before_its_proxy(
    engine: Engine, unique: str, port: int
) -> None:
    name = f"dl-port-holder-{unique}"
    subprocess.run(
        [
            "docker",
            "run",
            "-d",
            "--name",
            name,
            "-p",
            f"127.0.0.1:{port}:80",
            "busybox",
            "sleep",
            "120",
        ],
        check=True,
        capture_output=True,
    )
    try:
        assert port_holder(engine, port) == f"container '{name}'"
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)


@pytest.mark.engine
def test_the_container_check_names_what_holds_its_port(
    engine: Engine, listener: int, unique: str, tmp_path: object
) -> None:
    spec = ContainerCheck.model_validate(
        {
            "kind": "container",
            "name": f"registry-{unique}",
            "ports": [{"container": 5000, "host": listener}],
        }
    )
    result = evaluate(spec, CheckContext(engine=engine, workspace=tmp_path))  # type: ignore[arg-type]
    assert result.status is Status.FAIL
    assert f"port {listener} is held by {ME}" in result.message
    assert "--var registry_port=" in result.message


@pytest.mark.engine
@pytest.mark.usefixtures("engine_lock")
def test_doctor_names_a_process_on_port_5000(engine: Engine) -> None:
    if not port_free(5000):
        pytest.skip("port 5000 is in use by something else")
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", 5000))
        s.listen()
        report = run_doctor(engine)
    (finding,) = [f for f in report.findings if f.name == "port 5000"]
    assert finding.ok is False
    assert finding.detail == f"in use by {ME}"
    assert (
        finding.fix == f"stop it (kill {os.getpid()}), or run the labs on another port: "
        "--var registry_port=5001"
    )
