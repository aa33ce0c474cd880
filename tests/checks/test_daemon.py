"""`daemon` checks: the real engine's registry settings; certs.d trust files in a temp folder."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from dockerlab.checks import CheckContext, Status
from dockerlab.checks.daemon import judge_insecure, judge_mirror
from dockerlab.engine import Engine
from dockerlab.engine.daemon import registry_settings, settings_from_info
from tests.checks.helpers_engine import check, context

pytestmark = pytest.mark.engine


def _certificate(cn: str) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture
def ctx(engine: Engine, workspace: Path, tmp_path: Path) -> CheckContext:
    """The real engine, with certs.d in a temp folder (the real one needs root and is shared)."""
    return context(engine, workspace, certs_d=tmp_path / "certs.d")


@pytest.fixture
def domain_crt(workspace: Path) -> bytes:
    """certs/domain.crt in the workspace, as the course's TLS lab makes it."""
    pem = _certificate("127.0.0.1")
    (workspace / "certs").mkdir()
    (workspace / "certs" / "domain.crt").write_bytes(pem)
    return pem


def _trust(ctx: CheckContext, host: str, content: bytes, name: str = "ca.crt") -> Path:
    folder = ctx.certs_d / host
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    return folder / name


def test_loopback_registry_is_insecure_by_default(ctx: CheckContext) -> None:
    if "127.0.0.0/8" not in registry_settings(ctx.engine).insecure_cidrs:
        pytest.skip("this engine's insecure registries were configured without 127.0.0.0/8")
    for registry in ("127.0.0.1:5000", "localhost:5000", "http://127.0.0.1:5000/"):
        result = check(ctx, kind="daemon", insecure_registry=registry)
        assert result.status is Status.PASS, result.message
    assert check(ctx, kind="daemon", insecure_registry="127.0.0.1:5000").message == (
        "127.0.0.1:5000 is an insecure registry of this engine: 127.0.0.1 is inside 127.0.0.0/8, "
        "which Docker treats as insecure by default"
    )


def test_other_registries_are_not_insecure(ctx: CheckContext) -> None:
    settings = registry_settings(ctx.engine)
    result = check(ctx, kind="daemon", insecure_registry="dltest.invalid:5000")
    assert result.status is Status.FAIL
    named = [k for k, v in settings.index_configs.items() if not v.secure]
    listed = [*settings.insecure_cidrs, *named]
    assert result.message == (
        "dltest.invalid:5000 is not an insecure registry of this engine "
        f"(its insecure registries are: {', '.join(listed)})"
    )
    hub = check(ctx, kind="daemon", insecure_registry="docker.io")
    assert hub.message == "docker.io is a secure registry for this engine, not an insecure one"


def test_mirror_not_configured_fails(ctx: CheckContext) -> None:
    mirrors = registry_settings(ctx.engine).mirrors
    result = check(ctx, kind="daemon", mirror="https://dltest-mirror.invalid")
    assert result.status is Status.FAIL
    assert result.message == (
        "https://dltest-mirror.invalid is not a registry mirror of this engine "
        f"(its mirrors: {', '.join(mirrors) or 'none'})"
    )


def test_settings_named_in_daemon_json_are_found() -> None:
    # docker info of a daemon.json with insecure-registries and registry-mirrors set
    settings = settings_from_info({"RegistryConfig": {
        "InsecureRegistryCIDRs": ["127.0.0.0/8", "10.0.0.0/8"],
        "IndexConfigs": {
            "docker.io": {"Name": "docker.io", "Secure": True, "Mirrors": ["https://m.example/"]},
            "registry.lan:5000": {"Name": "registry.lan:5000", "Secure": False},
        },
        "Mirrors": ["https://m.example/"],
    }})  # fmt: skip
    assert judge_insecure("registry.lan:5000", settings).message == (
        "registry.lan:5000 is an insecure registry of this engine (listed in insecure-registries)"
    )
    assert judge_insecure("10.1.2.3:5000", settings).message == (
        "10.1.2.3:5000 is an insecure registry of this engine: 10.1.2.3 is inside 10.0.0.0/8"
    )
    assert judge_insecure("[::1]:5000", settings).status is Status.FAIL
    for mirror in ("https://m.example", "https://m.example/", "m.example", "HTTPS://M.EXAMPLE"):
        assert judge_mirror(mirror, settings).passed, mirror
    assert not judge_mirror("http://m.example", settings).passed


def test_certs_d_trust_file_exists(ctx: CheckContext, domain_crt: bytes) -> None:
    missing = check(ctx, kind="daemon", certs_d={"host": "127.0.0.1:5000"})
    assert missing.status is Status.FAIL
    ca = ctx.certs_d / "127.0.0.1:5000" / "ca.crt"
    assert missing.message == f"{ca} does not exist"
    _trust(ctx, "127.0.0.1:5000", domain_crt, name="domain.crt")
    misnamed = check(ctx, kind="daemon", certs_d={"host": "127.0.0.1:5000"})
    assert misnamed.message == f"{ca} does not exist (the folder holds domain.crt)"
    _trust(ctx, "127.0.0.1:5000", domain_crt)
    found = check(ctx, kind="daemon", certs_d={"host": "127.0.0.1:5000"})
    assert found.status is Status.PASS
    assert found.message == f"{ca} exists"


def test_certs_d_matches_the_same_certificate_not_the_same_bytes(
    ctx: CheckContext, domain_crt: bytes, workspace: Path
) -> None:
    # the same certificate with Windows line endings and a comment before it
    crlf = domain_crt.replace(b"\n", b"\r\n")
    ca = _trust(ctx, "127.0.0.1:5000", b"issued for the lab\r\n" + crlf)
    spec = {"host": "127.0.0.1:5000", "matches": "certs/domain.crt"}
    result = check(ctx, kind="daemon", certs_d=spec)
    assert result.status is Status.PASS, result.message
    assert result.message == f"{ca} holds the same certificate as {workspace / 'certs/domain.crt'}"
    _trust(ctx, "127.0.0.1:5000", _certificate("127.0.0.1"))
    other = check(ctx, kind="daemon", certs_d=spec)
    assert other.status is Status.FAIL
    assert other.message == (
        f"{ca} holds a different certificate than {workspace / 'certs/domain.crt'}"
    )
    _trust(ctx, "127.0.0.1:5000", b"not a certificate\n")
    garbage = check(ctx, kind="daemon", certs_d=spec)
    assert garbage.message == f"{ca} exists but holds no PEM certificate"


def test_certs_d_match_against_a_missing_workspace_file_fails(ctx: CheckContext) -> None:
    ca = _trust(ctx, "127.0.0.1:5000", _certificate("127.0.0.1"))
    result = check(ctx, kind="daemon", certs_d={"host": "127.0.0.1:5000", "matches": "certs/x.crt"})
    assert result.status is Status.FAIL
    assert result.message == (
        f"{ca} exists but {ctx.workspace / 'certs/x.crt'}, which it should match, does not"
    )


def test_only_the_failing_settings_are_reported(ctx: CheckContext, domain_crt: bytes) -> None:
    result = check(ctx, kind="daemon", insecure_registry="127.0.0.1:5000",
                   certs_d={"host": "127.0.0.1:5000"})  # fmt: skip
    assert result.status is Status.FAIL
    assert result.message == f"{ctx.certs_d / '127.0.0.1:5000' / 'ca.crt'} does not exist"


def test_unreachable_engine_is_an_error(workspace: Path) -> None:
    dead = context(Engine(timeout=2, base_url="unix:///nonexistent/dltest.sock"), workspace)
    result = check(dead, kind="daemon", insecure_registry="127.0.0.1:5000")
    assert result.status is Status.ERROR
    assert result.message.startswith("could not ask the Docker engine")


def test_a_daemon_check_with_nothing_to_check_is_an_error(ctx: CheckContext) -> None:
    assert check(ctx, kind="daemon").status is Status.ERROR
