"""Modern engines, named honestly: the image store (classic graph driver or containerd
snapshotter) and Docker Desktop, read from `GET /info`.

This machine runs Debian's Docker 20.10 (overlay2, no Desktop), so the other kinds are tested
with recorded answers:
- the classic store: the `SystemInfo` example of the Docker Engine API reference
  (docs.docker.com/reference/api/engine, `GET /info`: Driver "overlay2", DriverStatus with
  "Backing Filesystem", "Supports d_type", "Native Overlay Diff");
- the containerd store: Docker's "containerd image store with Docker Engine" page, where
  `docker info -f '{{ .DriverStatus }}'` prints `[[driver-type io.containerd.snapshotter.v1]]`
  and the snapshotter is `overlayfs` by default;
- Docker Desktop: `docker info` from Docker Desktop prints "Operating System: Docker Desktop"
  (the `OperatingSystem` field), with Name "docker-desktop".
The real engine is checked against an independent probe (the docker CLI).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from dockerlab.checks import CheckContext
from dockerlab.checks.daemon import judge_certs_d
from dockerlab.engine import Engine
from dockerlab.engine.kind import engine_kind
from dockerlab.model.checks import CertsDSpec, DaemonCheck
from dockerlab.model.loader import load_lab
from dockerlab.paths import bundled_labs

API_REFERENCE_EXAMPLE = {
    "Driver": "overlay2",
    "DriverStatus": [
        ["Backing Filesystem", "extfs"],
        ["Supports d_type", "true"],
        ["Native Overlay Diff", "true"],
    ],
    "OperatingSystem": "Alpine Linux v3.5",
}
CONTAINERD_STORE = {
    "Driver": "overlayfs",
    "DriverStatus": [["driver-type", "io.containerd.snapshotter.v1"]],
    "OperatingSystem": "Ubuntu 24.04.1 LTS",
}
DOCKER_DESKTOP = {
    "Driver": "overlayfs",
    "DriverStatus": [["driver-type", "io.containerd.snapshotter.v1"]],
    "OperatingSystem": "Docker Desktop",
    "Name": "docker-desktop",
}


def test_the_api_references_example_is_the_classic_store() -> None:
    kind = engine_kind(API_REFERENCE_EXAMPLE)
    assert not kind.containerd_store
    assert not kind.desktop
    assert kind.image_store() == "the classic graph driver store (overlay2)"


def test_the_containerd_image_store() -> None:
    kind = engine_kind(CONTAINERD_STORE)
    assert kind.containerd_store
    assert not kind.desktop
    assert kind.image_store() == "the containerd image store (snapshotter overlayfs)"


def test_docker_desktop() -> None:
    kind = engine_kind(DOCKER_DESKTOP)
    assert kind.desktop
    assert kind.containerd_store


@pytest.mark.parametrize(
    "info",
    [
        {},
        {"DriverStatus": None, "OperatingSystem": None},
        {"Driver": "overlayfs", "DriverStatus": [["driver-type"]]},  # a cut-off pair
        {"Driver": "vfs", "DriverStatus": [["io.containerd.snapshotter.v1", "driver-type"]]},
        {"OperatingSystem": "Docker Desktop for Linux (not this string)"},
    ],
)
def test_near_misses_are_not_mistaken(info: dict[str, object]) -> None:
    kind = engine_kind(info)
    assert not kind.containerd_store
    assert not kind.desktop


@pytest.mark.engine
def test_the_real_engine_agrees_with_the_docker_cli(engine: Engine) -> None:
    status = json.loads(
        subprocess.run(
            ["docker", "info", "--format", "{{json .DriverStatus}}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    system = subprocess.run(
        ["docker", "info", "--format", "{{.OperatingSystem}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    kind = engine_kind(engine.info())
    assert kind.containerd_store == (["driver-type", "io.containerd.snapshotter.v1"] in status)
    assert kind.desktop == (system == "Docker Desktop")

    from dockerlab.engine.doctor import run_doctor

    report = run_doctor(engine, check_hub=False)
    (store,) = [f for f in report.findings if f.name == "image store"]
    assert store.detail == kind.image_store()
    assert ("docker-desktop" in report.capabilities) == kind.desktop


# -- the TLS lab's capability-dependent certs.d folder ---------------------------------------


def _trust_step(capabilities: set[str]) -> tuple[list[str], DaemonCheck, list[str]]:
    lab = load_lab(bundled_labs() / "registry-tls", capabilities=capabilities).lab
    step = lab.step("trust")
    assert isinstance(step.check, DaemonCheck)
    return [c.run for c in step.solution], step.check, lab.cleanup.host_paths


def test_on_linux_the_tls_lab_writes_etc_docker_with_sudo() -> None:
    solution, check, host_paths = _trust_step(set())
    assert solution == [
        "sudo mkdir -p /etc/docker/certs.d/127.0.0.1:5000",
        "sudo cp certs/domain.crt /etc/docker/certs.d/127.0.0.1:5000/ca.crt",
    ]
    assert check.certs_d is not None
    assert check.certs_d.folder == "/etc/docker/certs.d"
    # localhost: what a near miss (trusting the other name) may leave; the bridge address:
    # the steps that push through docker0 (a near miss trusts the host without its port)
    assert host_paths == [
        "/etc/docker/certs.d/127.0.0.1:5000",
        "/etc/docker/certs.d/localhost:5000",
        "/etc/docker/certs.d/172.17.0.1:5000",
        "/etc/docker/certs.d/172.17.0.1",
    ]


def test_on_docker_desktop_the_tls_lab_writes_the_learners_own_certs_d() -> None:
    solution, check, host_paths = _trust_step({"docker-desktop"})
    assert solution == [
        "mkdir -p ~/.docker/certs.d/127.0.0.1:5000",
        "cp certs/domain.crt ~/.docker/certs.d/127.0.0.1:5000/ca.crt",
    ]
    assert check.certs_d is not None
    assert check.certs_d.folder == "~/.docker/certs.d"
    assert host_paths == [
        "~/.docker/certs.d/127.0.0.1:5000",
        "~/.docker/certs.d/localhost:5000",
        "~/.docker/certs.d/172.17.0.1:5000",
        "~/.docker/certs.d/172.17.0.1",
    ]


def _certificate(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    cert = folder / name
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(folder / f"{name}.key"),
            "-out",
            str(cert),
        ],
        capture_output=True,
        check=True,
    )
    return cert


def test_the_certs_d_check_reads_the_folder_the_lab_names(tmp_path: Path) -> None:
    """Real files, real certificates: the check looks in `folder`, not /etc/docker/certs.d."""
    workspace = tmp_path / "workspace"
    mine = _certificate(workspace / "certs", "domain.crt")
    folder = tmp_path / "home" / ".docker" / "certs.d"
    spec = CertsDSpec(host="127.0.0.1:5999", matches="certs/domain.crt", folder=str(folder))
    ctx = CheckContext(engine=Engine(), workspace=workspace)

    # not there yet; then the learner's near miss: the file keeps its own name
    assert judge_certs_d(spec, ctx).status.value == "fail"
    target = folder / "127.0.0.1:5999"
    target.mkdir(parents=True)
    (target / "domain.crt").write_bytes(mine.read_bytes())
    result = judge_certs_d(spec, ctx)
    assert result.status.value == "fail"
    assert str(folder) in result.message

    # another certificate under the right name is not the learner's
    other = _certificate(tmp_path / "other", "other.crt")
    (target / "ca.crt").write_bytes(other.read_bytes())
    assert judge_certs_d(spec, ctx).status.value == "fail"

    (target / "ca.crt").write_bytes(mine.read_bytes())
    assert judge_certs_d(spec, ctx).status.value == "pass"
