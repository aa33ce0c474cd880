"""Diagnoses of TLS mistakes: registry-tls (and registry-basics).

TLS mistakes only show for registries outside 127.0.0.0/8 (Docker does not verify certificates
there), so these tests push to a registry container by its IP address on Docker's bridge
network.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.labs.conftest import (
    SUFFIX,
    TLS_ENV,
    Created,
    answers,
    diagnosed,
    docker,
    push,
    run,
    wait_until,
    write_cert,
)

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("diagnosis_images")]

CERTS_D = Path("/etc/docker/certs.d")


def container_ip(name: str) -> str:
    return docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", name)


def tls_registry_by_ip(
    made: Created, tmp: Path, tag: str, cert: Callable[[str, Path], None]
) -> str:
    """A TLS registry reached by its bridge IP; returns `ip:5000`.

    The certificate must name the IP, which is only known once a container runs: a busybox
    container holds the network namespace (and so the address) and the registry joins it.
    """
    holder, registry = f"dl-diag-{tag}-net-{SUFFIX}", f"dl-diag-{tag}-{SUFFIX}"
    made.containers += [registry, holder]
    docker("run", "-d", "--name", holder, "busybox:latest", "sleep", "600")
    ip = container_ip(holder)
    cert(ip, tmp / "certs")
    docker(
        "run",
        "-d",
        "--name",
        registry,
        "--network",
        f"container:{holder}",
        "-v",
        f"{tmp / 'certs'}:/certs",
        *TLS_ENV,
        "registry:2",
    )
    wait_until(answers(f"https://{ip}:5000/v2/"), f"the registry at {ip}:5000 did not answer")
    return f"{ip}:5000"


# --- TLS: registry-tls (and registry-basics) ---------------------------------------------------


@pytest.mark.parametrize(("slug", "step"), [("registry-tls", "push"), ("registry-basics", "push")])
def test_push_to_plain_http_registry_by_ip_is_explained(
    made: Created, slug: str, step: str
) -> None:
    name = f"dl-diag-plain-ip-{SUFFIX}"
    if name not in made.containers:
        made.containers.append(name)
        docker("run", "-d", "--name", name, "registry:2")
    ip = container_ip(name)
    wait_until(answers(f"http://{ip}:5000/v2/"), "the plain registry did not answer")
    output = push(made, f"{ip}:5000", f"diag-plain-{SUFFIX}")
    assert "http: server gave HTTP response to HTTPS client" in output
    diagnosed(slug, step, output, "http: server gave HTTP response to HTTPS client")


def test_push_to_untrusted_self_signed_registry_is_explained(made: Created, tmp_path: Path) -> None:
    host = tls_registry_by_ip(
        made, tmp_path, "unknown-ca", lambda ip, d: write_cert(d, cn=ip, san=(f"IP:{ip}",))
    )
    output = push(made, host, f"diag-ca-{SUFFIX}")
    assert "x509: certificate signed by unknown authority" in output
    diagnosed("registry-tls", "push", output, "x509: certificate signed by unknown authority")


def _trust(made: Created, host: str, cert_dir: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("writing /etc/docker/certs.d needs root")
    folder = CERTS_D / host
    made.paths.append(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(cert_dir / "domain.crt", folder / "ca.crt")


def test_push_with_common_name_only_certificate_is_explained(made: Created, tmp_path: Path) -> None:
    host = tls_registry_by_ip(made, tmp_path, "cn-only", lambda ip, d: write_cert(d, cn=ip, san=()))
    _trust(made, host, tmp_path / "certs")
    output = push(made, host, f"diag-cn-{SUFFIX}")
    assert "x509: certificate relies on legacy Common Name field" in output
    diagnosed(
        "registry-tls", "push", output, "x509: certificate relies on legacy Common Name field"
    )


def test_push_to_address_missing_from_the_certificate_is_explained(
    made: Created, tmp_path: Path
) -> None:
    host = tls_registry_by_ip(
        made,
        tmp_path,
        "wrong-san",
        lambda ip, d: write_cert(d, cn="127.0.0.1", san=("IP:127.0.0.1",)),
    )
    _trust(made, host, tmp_path / "certs")
    output = push(made, host, f"diag-san-{SUFFIX}")
    assert "x509: certificate is valid for 127.0.0.1, not" in output
    diagnosed("registry-tls", "push", output, "x509: certificate is valid for")


def test_openssl_into_a_missing_folder_is_explained(tmp_path: Path) -> None:
    output = run(
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-sha256",
        "-keyout",
        str(tmp_path / "certs" / "domain.key"),
        "-x509",
        "-days",
        "365",
        "-out",
        str(tmp_path / "certs" / "domain.crt"),
        "-subj",
        "/CN=127.0.0.1",
    ).replace(str(tmp_path) + "/", "")
    diagnosed("registry-tls", "make-cert", output, "for writing")


def test_registry_started_without_its_certificate_is_explained(made: Created) -> None:
    name = f"dl-diag-nocert-{SUFFIX}"
    made.containers.append(name)
    docker("run", "-d", "--name", name, *TLS_ENV, "registry:2")
    wait_until(
        lambda: docker("inspect", "-f", "{{.State.Status}}", name) == "exited",
        "the registry without a certificate did not stop",
    )
    output = run("docker", "logs", name)
    diagnosed("registry-tls", "run-registry", output, "open /certs/domain")
