"""The labs' diagnoses meet Docker's real error messages.

Each test makes a mistake learners really make, against the real engine (or openssl), takes
the output Docker prints, and checks that `LabSession.diagnose` hands the learner the lab's
explanation for it. Nothing here is a copied error string: if a Docker version words an error
differently, these tests say so.

TLS mistakes only show for registries outside 127.0.0.0/8 (Docker does not verify certificates
there), so those tests push to a registry container by its IP address on Docker's bridge
network. Names carry a unique suffix and ports come from `free_port()`, so the tests need no
engine lock; everything they create is removed at the end.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import subprocess
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from urllib3.exceptions import InsecureRequestWarning

from dockerlab.engine import Engine
from dockerlab.engine.images import prepare
from dockerlab.model.lab import Diagnosis
from dockerlab.model.loader import load_lab
from dockerlab.paths import bundled_labs
from dockerlab.runner.session import LabSession
from tests.conftest import free_port

pytestmark = pytest.mark.engine

SUFFIX = uuid.uuid4().hex[:8]
CERTS_D = Path("/etc/docker/certs.d")
IMAGES = ["registry:2", "busybox:latest", "httpd:2"]


# --- helpers --------------------------------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    """Run a command as a learner would; return stdout+stderr whatever the exit code."""
    done = subprocess.run(
        list(args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return done.stdout + done.stderr


def docker(*args: str, env: dict[str, str] | None = None) -> str:
    """Run the docker CLI and insist that it works (setting up, not making the mistake)."""
    done = subprocess.run(
        ["docker", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )
    assert done.returncode == 0, f"docker {' '.join(args)}: {done.stderr or done.stdout}"
    return done.stdout.strip()


def diagnosed(slug: str, step_id: str, output: str, key: str) -> Diagnosis:
    """The lab's diagnosis keyed on `key` that the learner sees for this output."""
    session = LabSession(load_lab(bundled_labs() / slug), engine=Engine())
    found = session.diagnose(session.lab.step(step_id), output)
    mine = [d for d in found if key in d.pattern]
    assert mine, (
        f"{slug}/{step_id} has no diagnosis keyed on '{key}' for this output "
        f"(matched: {[d.pattern for d in found]}):\n{output}"
    )
    assert mine[0].explanation.strip()
    return mine[0]


def wait_until(ready: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout} s")
        time.sleep(0.1)


def answers(url: str) -> Callable[[], bool]:
    """Whether anything answers HTTP(S) at `url` (the certificate is not the question here)."""

    def probe() -> bool:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureRequestWarning)
            try:
                requests.get(url, verify=False, timeout=2)
                return True
            except requests.RequestException:
                return False

    return probe


def write_cert(directory: Path, *, cn: str, san: tuple[str, ...]) -> None:
    """`domain.crt`/`domain.key` as `openssl req -x509 -nodes` makes them (SAN optional)."""
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    if san:
        ips = [x509.IPAddress(ipaddress.ip_address(s.removeprefix("IP:"))) for s in san]
        builder = builder.add_extension(x509.SubjectAlternativeName(ips), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    (directory / "domain.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "domain.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )


TLS_ENV = [
    "-e",
    "REGISTRY_HTTP_TLS_CERTIFICATE=/certs/domain.crt",
    "-e",
    "REGISTRY_HTTP_TLS_KEY=/certs/domain.key",
]


@dataclass
class Created:
    """What a test made, removed at the end whatever happened."""

    containers: list[str]
    images: list[str]
    paths: list[Path]

    def remove(self) -> None:
        for name in self.containers:
            subprocess.run(["docker", "rm", "-f", "-v", name], capture_output=True, check=False)
        for ref in self.images:
            subprocess.run(["docker", "rmi", ref], capture_output=True, check=False)
        for path in self.paths:
            shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def made() -> Iterator[Created]:
    created = Created([], [], [])
    yield created
    created.remove()


@pytest.fixture(scope="module", autouse=True)
def _images(engine: Engine) -> None:
    prepare(engine, IMAGES)


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


def push(made: Created, host: str, repo: str, env: dict[str, str] | None = None) -> str:
    ref = f"{host}/{repo}"
    made.images.append(ref)
    docker("tag", "busybox:latest", ref)
    return run("docker", "push", ref, env=env)


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


# --- authentication: registry-auth -------------------------------------------------------------


@dataclass(frozen=True)
class AuthRegistry:
    name: str
    host: str
    folder: Path
    docker_config: Path

    @property
    def env(self) -> dict[str, str]:
        """The learner's docker CLI, with a config (credentials) of its own."""
        return {"DOCKER_CONFIG": str(self.docker_config)}


def htpasswd(folder: Path, password: str) -> None:
    """The lab's own command: bcrypt from the httpd image."""
    line = docker("run", "--rm", "--entrypoint", "htpasswd", "httpd:2", "-Bbn", "moby", password)
    (folder / "auth" / "htpasswd").write_text(line + "\n")


@pytest.fixture(scope="module")
def auth_registry(made: Created, tmp_path_factory: pytest.TempPathFactory) -> AuthRegistry:
    """registry-auth's registry: TLS plus htpasswd (moby/gordon), on 127.0.0.1 only."""
    folder = tmp_path_factory.mktemp("auth-registry")
    write_cert(folder / "certs", cn="127.0.0.1", san=("IP:127.0.0.1",))
    (folder / "auth").mkdir()
    htpasswd(folder, "gordon")
    name, port = f"dl-diag-auth-{SUFFIX}", free_port()
    made.containers.append(name)
    docker(
        "run",
        "-d",
        "--name",
        name,
        "-p",
        f"127.0.0.1:{port}:5000",
        "-v",
        f"{folder / 'auth'}:/auth",
        "-e",
        "REGISTRY_AUTH=htpasswd",
        "-e",
        "REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm",
        "-e",
        "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd",
        "-v",
        f"{folder / 'certs'}:/certs",
        *TLS_ENV,
        "registry:2",
    )
    wait_until(answers(f"https://127.0.0.1:{port}/v2/"), "the auth registry did not answer")
    config = folder / "docker-config"
    config.mkdir()
    return AuthRegistry(name, f"127.0.0.1:{port}", folder, config)


def test_push_before_login_is_explained(made: Created, auth_registry: AuthRegistry) -> None:
    output = push(made, auth_registry.host, f"diag-nologin-{SUFFIX}", env=auth_registry.env)
    assert "no basic auth credentials" in output
    diagnosed("registry-auth", "login", output, "no basic auth credentials")
    diagnosed("registry-auth", "push-pull", output, "no basic auth credentials")


def test_pull_before_login_is_explained(auth_registry: AuthRegistry) -> None:
    output = run("docker", "pull", f"{auth_registry.host}/diag-nologin-pull", env=auth_registry.env)
    # Docker 20.10 retries a refused 127.0.0.0/8 registry over plain HTTP and reports that
    key = (
        "no basic auth credentials"
        if "no basic auth credentials" in output
        else "Client sent an HTTP request to an HTTPS server"
    )
    assert key in output
    diagnosed("registry-auth", "login", output, key)


def login(registry: AuthRegistry, password: str) -> subprocess.CompletedProcess[str]:
    """`echo <password> | docker login <registry> --username moby --password-stdin`."""
    return subprocess.run(
        ["docker", "login", registry.host, "--username", "moby", "--password-stdin"],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **registry.env},
    )


def test_login_with_wrong_password_is_explained(auth_registry: AuthRegistry) -> None:
    done = login(auth_registry, "not-gordon")
    output = done.stdout + done.stderr
    assert "401 Unauthorized" in output
    diagnosed("registry-auth", "login", output, "401 Unauthorized")


def test_push_with_outdated_credentials_is_explained(
    made: Created, auth_registry: AuthRegistry
) -> None:
    """Logged in, then the htpasswd file was made again with another password."""
    done = login(auth_registry, "gordon")
    assert done.returncode == 0, done.stderr
    htpasswd(auth_registry.folder, "a-new-password")
    docker("restart", auth_registry.name)
    wait_until(answers(f"https://{auth_registry.host}/v2/"), "the auth registry did not restart")
    try:
        output = push(made, auth_registry.host, f"diag-stale-{SUFFIX}", env=auth_registry.env)
    finally:
        htpasswd(auth_registry.folder, "gordon")
        docker("restart", auth_registry.name)
        wait_until(
            answers(f"https://{auth_registry.host}/v2/"), "the auth registry did not restart"
        )
    assert "unauthorized: authentication required" in output
    diagnosed("registry-auth", "push-pull", output, "unauthorized: authentication required")


def test_htpasswd_from_the_registry_image_is_explained() -> None:
    output = run(
        "docker", "run", "--rm", "--entrypoint", "htpasswd", "registry:2", "-Bbn", "a", "b"
    )
    diagnosed("registry-auth", "htpasswd", output, 'exec: "htpasswd": executable file not found')


# --- ports: every lab that runs a registry --------------------------------------------------

RUN_STEPS = [
    ("registry-basics", "run-registry"),
    ("registry-tls", "run-registry"),
    ("registry-auth", "run-registry"),
    ("registry-gc", "run-registry"),
    ("registry-mirror", "run-mirror"),
    ("registry-webhooks", "run-registry"),
]


@pytest.fixture(scope="module")
def port_taken_output(made: Created) -> str:
    """What `docker run -p` prints when another container already publishes that port."""
    port = free_port()
    first, second = f"dl-diag-port-a-{SUFFIX}", f"dl-diag-port-b-{SUFFIX}"
    made.containers += [first, second]
    docker("run", "-d", "--name", first, "-p", f"127.0.0.1:{port}:5000", "registry:2")
    return run(
        "docker", "run", "-d", "--name", second, "-p", f"127.0.0.1:{port}:5000", "registry:2"
    )


@pytest.mark.parametrize(("slug", "step"), RUN_STEPS)
def test_publishing_a_port_already_in_use_is_explained(
    port_taken_output: str, slug: str, step: str
) -> None:
    assert "port is already allocated" in port_taken_output
    diagnosed(slug, step, port_taken_output, "port is already allocated")


# --- missing manifests and repositories: registry-gc, registry-basics, registry-tls ----------


@pytest.fixture(scope="module")
def plain_registry(made: Created) -> str:
    """A plain registry on 127.0.0.1 (deletes not enabled) holding `diag:v1`."""
    name, port = f"dl-diag-plain-{SUFFIX}", free_port()
    made.containers.append(name)
    docker("run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:5000", "registry:2")
    host = f"127.0.0.1:{port}"
    wait_until(answers(f"http://{host}/v2/"), "the plain registry did not answer")
    output = push(made, host, "diag:v1")
    assert "digest: sha256:" in output, output
    return host


@pytest.mark.parametrize(
    ("slug", "step"),
    [
        ("registry-gc", "garbage-collect"),
        ("registry-basics", "pull-back"),
        ("registry-tls", "pull"),
    ],
)
def test_pulling_a_tag_that_is_not_there_is_explained(
    plain_registry: str, slug: str, step: str
) -> None:
    output = run("docker", "pull", f"{plain_registry}/diag:v9")
    assert "manifest unknown" in output
    diagnosed(slug, step, output, "manifest unknown")


@pytest.mark.parametrize(
    ("slug", "step"), [("registry-gc", "garbage-collect"), ("registry-basics", "pull-back")]
)
def test_pulling_a_repository_that_does_not_exist_is_explained(
    plain_registry: str, slug: str, step: str
) -> None:
    """Docker Hub answers `repository does not exist`; registry:2 answers MANIFEST_UNKNOWN, and
    Docker 20.10 prints `manifest for ... not found: manifest unknown`."""
    output = run("docker", "pull", f"{plain_registry}/no-such-repository-{SUFFIX}")
    key = next(k for k in ("repository does not exist", "manifest unknown") if k in output)
    diagnosed(slug, step, output, key)


def test_asking_the_api_for_a_repository_that_does_not_exist_is_explained(
    plain_registry: str,
) -> None:
    output = requests.get(
        f"http://{plain_registry}/v2/no-such-repository/tags/list", timeout=10
    ).text
    assert "NAME_UNKNOWN" in output
    diagnosed("registry-gc", "garbage-collect", output, "repository name not known to registry")


def test_deleting_without_deletes_enabled_is_explained(plain_registry: str) -> None:
    digest = requests.head(
        f"http://{plain_registry}/v2/diag/manifests/v1",
        timeout=10,
        headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"},
    ).headers["Docker-Content-Digest"]
    output = requests.delete(f"http://{plain_registry}/v2/diag/manifests/{digest}", timeout=10).text
    diagnosed("registry-gc", "delete-manifest", output, "UNSUPPORTED")


def test_deleting_by_tag_is_explained(made: Created) -> None:
    name, port = f"dl-diag-delete-{SUFFIX}", free_port()
    made.containers.append(name)
    docker(
        "run",
        "-d",
        "--name",
        name,
        "-p",
        f"127.0.0.1:{port}:5000",
        "-e",
        "REGISTRY_STORAGE_DELETE_ENABLED=true",
        "registry:2",
    )
    host = f"127.0.0.1:{port}"
    wait_until(answers(f"http://{host}/v2/"), "the registry did not answer")
    push(made, host, "demo:v1")
    output = requests.delete(f"http://{host}/v2/demo/manifests/v1", timeout=10).text
    diagnosed("registry-gc", "delete-manifest", output, "DIGEST_INVALID")


def test_garbage_collect_without_the_config_file_is_explained() -> None:
    output = run(
        "docker", "run", "--rm", "--entrypoint", "registry", "registry:2", "garbage-collect"
    )
    diagnosed("registry-gc", "garbage-collect", output, "configuration path unspecified")


# --- configuration files: registry-webhooks ---------------------------------------------------


def test_broken_registry_configuration_is_explained(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text("version: 0.1\nnotifications:\n  endpoints:\n  - name: x\n   url: http://a\n")
    output = run(
        "docker", "run", "--rm", "-v", f"{config}:/etc/docker/registry/config.yml", "registry:2"
    )
    diagnosed(
        "registry-webhooks", "run-registry", output, "error parsing /etc/docker/registry/config.yml"
    )


def test_mounting_a_missing_configuration_file_is_explained(tmp_path: Path) -> None:
    missing = tmp_path / "config.yml"
    output = run(
        "docker", "run", "--rm", "-v", f"{missing}:/etc/docker/registry/config.yml", "registry:2"
    )
    diagnosed("registry-webhooks", "run-registry", output, "mount a directory onto a file")
