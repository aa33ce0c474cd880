"""Diagnoses of TLS mistakes: registry-tls (and registry-basics).

TLS mistakes only show for registries outside 127.0.0.0/8 (Docker does not verify certificates
there), so these tests push to a registry container by its IP address on Docker's bridge
network, or, as the lab's last steps do, through this machine's own address on docker0.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import free_port
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


@pytest.fixture(scope="module")
def unknown_ca_output(made: Created, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A push to a registry whose certificate names its address but is trusted nowhere."""
    host = tls_registry_by_ip(
        made,
        tmp_path_factory.mktemp("unknown-ca"),
        "unknown-ca",
        lambda ip, d: write_cert(d, cn=ip, san=(f"IP:{ip}",)),
    )
    return push(made, host, f"diag-ca-{SUFFIX}")


@pytest.mark.parametrize("step", ["push", "trust-bridge", "push-by-bridge"])
def test_push_to_untrusted_self_signed_registry_is_explained(
    unknown_ca_output: str, step: str
) -> None:
    assert "x509: certificate signed by unknown authority" in unknown_ca_output
    diagnosed(
        "registry-tls", step, unknown_ca_output, "x509: certificate signed by unknown authority"
    )


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
    for step in ("push", "reach-by-bridge", "push-by-bridge"):
        diagnosed("registry-tls", step, output, "x509: certificate is valid for")


def test_the_name_is_checked_before_the_signer(made: Created, tmp_path: Path) -> None:
    """Untrusted and for another address: Docker reports the address first, so the lab's
    learner meets the SAN mismatch before `unknown authority`, trusted or not."""
    host = tls_registry_by_ip(
        made,
        tmp_path,
        "name-first",
        lambda ip, d: write_cert(d, cn="127.0.0.1", san=("IP:127.0.0.1",)),
    )
    output = push(made, host, f"diag-name-first-{SUFFIX}")
    assert f"x509: certificate is valid for 127.0.0.1, not {host.split(':')[0]}" in output
    assert "unknown authority" not in output
    diagnosed("registry-tls", "reach-by-bridge", output, "x509: certificate is valid for")


def test_an_address_in_a_dns_entry_is_explained(made: Created, tmp_path: Path) -> None:
    def dns_only(ip: str, directory: Path) -> None:
        write_cert(directory, cn=ip, san=(), dns=("localhost", ip))

    host = tls_registry_by_ip(made, tmp_path, "dns-only", dns_only)
    output = push(made, host, f"diag-dns-only-{SUFFIX}")
    assert "because it doesn't contain any IP SANs" in output
    diagnosed("registry-tls", "reach-by-bridge", output, "doesn't contain any IP SANs")


# --- through the host's own docker0 address, as the lab's last steps go -----------------------


def docker0_address() -> str:
    """The host's address on Docker's default bridge (the gateway of network `bridge`)."""
    return docker("network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}")


def test_push_through_the_docker0_address_fails_then_works(made: Created, tmp_path: Path) -> None:
    """The lab's story on the real engine: a certificate for 127.0.0.1 is refused at the
    docker0 address for its name; re-issued with that address, for its signer; trusted in
    certs.d/<address:port>, the push goes through."""
    bridge, port = docker0_address(), free_port()
    host = f"{bridge}:{port}"
    name = f"dl-diag-docker0-{SUFFIX}"
    certs = tmp_path / "certs"
    write_cert(certs, cn="127.0.0.1", san=("IP:127.0.0.1",))
    made.containers.append(name)
    docker(
        "run", "-d", "--name", name, "-p", f"{host}:5000",
        "-v", f"{certs}:/certs", *TLS_ENV, "registry:2",
    )  # fmt: skip
    wait_until(answers(f"https://{host}/v2/"), f"the registry at {host} did not answer")

    output = push(made, host, f"diag-docker0-{SUFFIX}")
    assert f"x509: certificate is valid for 127.0.0.1, not {bridge}" in output
    diagnosed("registry-tls", "reach-by-bridge", output, "x509: certificate is valid for")

    write_cert(certs, cn="127.0.0.1", san=("IP:127.0.0.1", f"IP:{bridge}"))
    docker("restart", name)
    wait_until(answers(f"https://{host}/v2/"), f"the restarted registry at {host} did not answer")
    output = push(made, host, f"diag-docker0-{SUFFIX}")
    assert "x509: certificate signed by unknown authority" in output
    diagnosed("registry-tls", "trust-bridge", output, "x509: certificate signed by unknown")

    _trust(made, host, certs)
    output = push(made, host, f"diag-docker0-{SUFFIX}")
    assert "digest: sha256:" in output, output


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
