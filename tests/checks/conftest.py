"""Real registries for the registry/http check tests, started once per session.

- `plain_registry`: plain HTTP with deletes enabled, from tests/compose/registry.yml through
  pytest-docker's `docker_services` (Debian's docker-compose v1).
- `tls_registry`: HTTPS with a self-signed certificate (SAN IP:127.0.0.1) made with `cryptography`.
- `auth_registry`: HTTPS plus htpasswd authentication, bcrypt hashes made with `bcrypt`.
- `pushed`: one small image, unique to this session, pushed into all three.

Everything is published on 127.0.0.1 only, named with a unique suffix, and removed at the end.
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import os
import subprocess
import tarfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import bcrypt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from dockerlab.checks import CheckContext
from dockerlab.engine import Engine
from tests.conftest import free_port
from tests.waiting import wait_until

REGISTRY_IMAGE = "registry:2"
REALM = "dockerlab test realm"
USER, PASSWORD = "learner", "s3cret-pass"
TEST_LABEL = "org.dockerlab.test=checks-h2"
SESSION = uuid.uuid4().hex[:8]
COMPOSE_FILE = Path(__file__).resolve().parent.parent / "compose" / "registry.yml"


def docker(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None) -> str:
    """Run the docker CLI; raise with its output when it fails."""
    done = subprocess.run(
        ["docker", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    if done.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args)}: {done.stderr.decode().strip()}")
    return done.stdout.decode().strip()


# --- certificates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CertFiles:
    cert: Path
    key: Path


MakeCert = Callable[..., CertFiles]


def make_cert(
    directory: Path,
    name: str = "domain",
    *,
    cn: str = "127.0.0.1",
    san: tuple[str, ...] = ("IP:127.0.0.1",),
    days: int = 90,
    not_before_days: int = 0,
) -> CertFiles:
    """A self-signed certificate and its unencrypted key, as `openssl req -x509 -nodes` makes
    them: `<name>.crt` and `<name>.key` in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    names: list[x509.GeneralName] = []
    for entry in san:
        kind, _, value = entry.partition(":")
        names.append(
            x509.IPAddress(ipaddress.ip_address(value)) if kind == "IP" else x509.DNSName(value)
        )
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=not_before_days) - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    files = CertFiles(directory / f"{name}.crt", directory / f"{name}.key")
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return files


def htpasswd_line(user: str, password: str) -> str:
    """`user:$2b$...` as `htpasswd -Bbn` prints it (bcrypt; htpasswd says $2y$, same hash)."""
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5)).decode()
    return f"{user}:{hashed}\n"


# --- registries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Registry:
    """A running registry: its base URL, `host:port` for image references, its TLS trust."""

    url: str
    host: str
    ca_file: str | None = None


def _wait_for(url: str, verify: str | bool = True, timeout: float = 20) -> None:
    def answers() -> bool:
        try:
            return requests.get(url, verify=verify, timeout=2).status_code in (200, 401)
        except requests.RequestException:
            return False

    wait_until(answers, timeout, what=f"a registry to answer at {url}")


@pytest.fixture(scope="session")
def docker_compose_command() -> str:
    # pytest-docker defaults to `docker compose` (v2); this machine has Debian's v1
    return "docker-compose"


@pytest.fixture(scope="session")
def docker_compose_file() -> str:
    return str(COMPOSE_FILE)


@pytest.fixture(scope="session")
def docker_compose_project_name() -> str:
    return f"dockerlab-checks-{SESSION}"


@pytest.fixture(scope="session")
def docker_setup() -> list[str]:
    # v1 has no `up --wait`: we wait for /v2/ ourselves
    return ["up -d"]


@pytest.fixture(scope="session")
def docker_cleanup() -> list[str]:
    # the registry ignores SIGTERM as PID 1: do not wait the default 10 s for it
    return ["down -v -t 1"]


@pytest.fixture(scope="session")
def plain_registry(engine: Engine, docker_services: object) -> Registry:
    """A plain-HTTP registry (deletes enabled) from the compose file, via pytest-docker."""
    port = docker_services.port_for("registry", 5000)  # type: ignore[attr-defined]
    registry = Registry(f"http://127.0.0.1:{port}", f"127.0.0.1:{port}")
    _wait_for(registry.url + "/v2/")
    return registry


@pytest.fixture(scope="session")
def registry_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """certs/domain.crt, certs/domain.key and auth/htpasswd for the TLS registries."""
    root = tmp_path_factory.mktemp("registry-files")
    make_cert(root / "certs")
    (root / "auth").mkdir()
    (root / "auth" / "htpasswd").write_text(htpasswd_line(USER, PASSWORD))
    return root


def _run_registry(name: str, files: Path, *, auth: bool) -> Iterator[Registry]:
    port = free_port()
    env = {
        "REGISTRY_HTTP_TLS_CERTIFICATE": "/certs/domain.crt",
        "REGISTRY_HTTP_TLS_KEY": "/certs/domain.key",
    }
    if auth:
        env |= {
            "REGISTRY_AUTH": "htpasswd",
            "REGISTRY_AUTH_HTPASSWD_REALM": REALM,
            "REGISTRY_AUTH_HTPASSWD_PATH": "/auth/htpasswd",
        }
    args = ["run", "-d", "--name", name, "--label", TEST_LABEL, "-p", f"127.0.0.1:{port}:5000"]
    args += ["-v", f"{files / 'certs'}:/certs:ro", "-v", f"{files / 'auth'}:/auth:ro"]
    for key, value in env.items():
        args += ["-e", f"{key}={value}"]
    try:
        docker(*args, REGISTRY_IMAGE)
        ca = str(files / "certs" / "domain.crt")
        registry = Registry(f"https://127.0.0.1:{port}", f"127.0.0.1:{port}", ca)
        _wait_for(registry.url + "/v2/", verify=ca)
        yield registry
    finally:
        subprocess.run(["docker", "rm", "-f", "-v", name], capture_output=True)


@pytest.fixture(scope="session")
def tls_registry(engine: Engine, registry_files: Path) -> Iterator[Registry]:
    """HTTPS with a self-signed certificate for IP:127.0.0.1; trust it with `ca_file`."""
    yield from _run_registry(f"dockerlab-test-tls-{SESSION}", registry_files, auth=False)


@pytest.fixture(scope="session")
def auth_registry(engine: Engine, registry_files: Path) -> Iterator[Registry]:
    """HTTPS plus htpasswd (Basic realm REALM); USER / PASSWORD get in."""
    yield from _run_registry(f"dockerlab-test-auth-{SESSION}", registry_files, auth=True)


# --- an image pushed into them ----------------------------------------------------------------


@dataclass(frozen=True)
class Pushed:
    """`app:v1` pushed into each registry as REPO; OTHER_REPO holds a different image as `:v2`.

    `local(registry)` is the local reference that was pushed."""

    repo: str
    other_repo: str
    image_id: str
    other_id: str

    def local(self, registry: Registry, tag: str = "v1", repo: str | None = None) -> str:
        return f"{registry.host}/{repo or self.repo}:{tag}"


def import_image(content: str) -> str:
    """A one-layer image made from a tiny tar (unique content, so unique digests)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = content.encode()
        info = tarfile.TarInfo("hello.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return docker("import", "-", stdin=buffer.getvalue())


@pytest.fixture(scope="session")
def pushed(
    plain_registry: Registry,
    tls_registry: Registry,
    auth_registry: Registry,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Pushed]:
    """Two images unique to this session, pushed into every registry (login for the
    htpasswd one happens in a throwaway client config, never the user's ~/.docker)."""
    images = Pushed(f"h2-{SESSION}/app", f"h2-{SESSION}/other", "", "")
    config = tmp_path_factory.mktemp("docker-config")
    env = {"DOCKER_CONFIG": str(config)}
    image_ids: list[str] = []
    try:
        image_ids.append(import_image(f"app {SESSION}\n"))
        image_ids.append(import_image(f"other {SESSION}\n"))
        docker(
            "login",
            "-u",
            USER,
            "--password-stdin",
            auth_registry.host,
            env=env,
            stdin=PASSWORD.encode(),
        )
        for registry in (plain_registry, tls_registry, auth_registry):
            for image_id, ref in (
                (image_ids[0], images.local(registry)),
                (image_ids[1], images.local(registry, "v2", images.other_repo)),
            ):
                docker("tag", image_id, ref)
                docker("push", ref, env=env)
        yield Pushed(images.repo, images.other_repo, image_ids[0], image_ids[1])
    finally:
        # these images carry content unique to this session: only our references point at them
        for image_id in image_ids:
            subprocess.run(["docker", "rmi", "-f", image_id], capture_output=True)


@pytest.fixture
def ctx(engine: Engine, workspace: Path) -> CheckContext:
    """A check context on the real engine, with a short timeout."""
    return CheckContext(engine=engine, workspace=workspace, timeout=5)
