"""What the diagnosis tests (test_diagnoses_*.py) share: running a command as a learner would,
the lab's diagnosis for its output, certificates, and what a test made, removed at the end.

The labs' diagnoses meet Docker's real error messages. Each test makes a mistake learners really
make, against the real engine (or openssl), takes the output Docker prints, and checks that
`LabSession.diagnose` hands the learner the lab's explanation for it. Nothing here is a copied
error string: if a Docker version words an error differently, these tests say so.

Names carry a unique suffix and ports come from `free_port()`, so the tests need no engine lock;
everything they create is removed at the end of their module.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import subprocess
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
from tests import waiting

SUFFIX = uuid.uuid4().hex[:8]
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
    """Poll `ready`; `what` says what went wrong if it never holds ("the registry did not ...")."""
    try:
        waiting.wait_until(ready, timeout, what)
    except waiting.TimedOut:
        raise waiting.TimedOut(f"{what} within {timeout} s") from None


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


def write_cert(
    directory: Path, *, cn: str, san: tuple[str, ...], dns: tuple[str, ...] = ()
) -> None:
    """`domain.crt`/`domain.key` as `openssl req -x509 -nodes` makes them (SAN optional):
    `san` holds `IP:` entries, `dns` names for `DNS:` entries."""
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
    if san or dns:
        names: list[x509.GeneralName] = [
            x509.IPAddress(ipaddress.ip_address(s.removeprefix("IP:"))) for s in san
        ]
        names += [x509.DNSName(d) for d in dns]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
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


@pytest.fixture(scope="module")
def diagnosis_images(engine: Engine) -> None:
    """The images the diagnosis tests run (each module uses it: `pytestmark`)."""
    prepare(engine, IMAGES)


def push(made: Created, host: str, repo: str, env: dict[str, str] | None = None) -> str:
    ref = f"{host}/{repo}"
    made.images.append(ref)
    docker("tag", "busybox:latest", ref)
    return run("docker", "push", ref, env=env)
