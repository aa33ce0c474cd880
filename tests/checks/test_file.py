"""`file` checks on real files in a workspace: existence, type, mode, content, certificates
(made with `cryptography`, as `openssl req -x509` makes them) and htpasswd entries."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from dockerlab.checks import CheckContext, Result, Status, evaluate
from dockerlab.engine import Engine
from dockerlab.model.checks import FileCheck
from tests.checks.conftest import htpasswd_line, make_cert


@pytest.fixture
def files_ctx(workspace: Path) -> CheckContext:
    # file checks never ask the engine: an unconnected one is enough
    return CheckContext(engine=Engine(), workspace=workspace)


def check(ctx: CheckContext, path: str, **fields: Any) -> Result:
    spec = FileCheck.model_validate({"kind": "file", "path": path, **fields})
    return evaluate(spec, ctx)


# --- existence, type, mode, content ---------------------------------------------------------


def test_existing_and_missing_files(files_ctx: CheckContext, workspace: Path) -> None:
    (workspace / "registry-data").mkdir()
    assert check(files_ctx, "registry-data").passed
    missing = check(files_ctx, "auth/htpasswd")
    assert missing.status is Status.FAIL
    assert missing.message == "auth/htpasswd does not exist"


def test_absent_file(files_ctx: CheckContext, workspace: Path) -> None:
    assert check(files_ctx, "old.txt", exists=False).passed
    (workspace / "old.txt").write_text("x")
    result = check(files_ctx, "old.txt", exists=False)
    assert result.status is Status.FAIL
    assert result.message == "old.txt exists, expected it not to"


def test_absolute_paths_are_allowed(files_ctx: CheckContext, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("x")
    assert check(files_ctx, str(outside), type="file").passed


def test_type(files_ctx: CheckContext, workspace: Path) -> None:
    (workspace / "certs").write_text("not a directory")
    result = check(files_ctx, "certs", type="directory")
    assert result.status is Status.FAIL
    assert result.message == "certs is a file, expected a directory"
    assert check(files_ctx, "certs", type="file").passed


def test_mode_names_both(files_ctx: CheckContext, workspace: Path) -> None:
    key = workspace / "domain.key"
    key.write_text("k")
    key.chmod(0o644)
    result = check(files_ctx, "domain.key", mode="0600")
    assert result.status is Status.FAIL
    assert result.message == "domain.key has mode 0644, expected 0600"
    key.chmod(0o600)
    assert check(files_ctx, "domain.key", mode="600").passed


def test_contains_a_pattern(files_ctx: CheckContext, workspace: Path) -> None:
    (workspace / "config.yml").write_text("version: 0.1\nstorage:\n  delete:\n    enabled: true\n")
    assert check(files_ctx, "config.yml", contains=r"^\s+enabled: true$").passed
    result = check(files_ctx, "config.yml", contains="htpasswd")
    assert result.status is Status.FAIL
    assert result.message == "config.yml does not contain anything matching 'htpasswd'"


def test_contains_on_a_directory_fails(files_ctx: CheckContext, workspace: Path) -> None:
    (workspace / "auth").mkdir()
    result = check(files_ctx, "auth", contains="x")
    assert result.status is Status.FAIL
    assert result.message == "auth is a directory, expected a file with content"


def test_same_as(files_ctx: CheckContext, workspace: Path) -> None:
    (workspace / "ca.crt").write_bytes(b"same")
    (workspace / "copy.crt").write_bytes(b"same")
    (workspace / "other.crt").write_bytes(b"different")
    assert check(files_ctx, "copy.crt", same_as="ca.crt").passed
    differs = check(files_ctx, "other.crt", same_as="ca.crt")
    assert differs.status is Status.FAIL
    assert differs.message == "other.crt differs from ca.crt"
    gone = check(files_ctx, "copy.crt", same_as="missing.crt")
    assert gone.message == "missing.crt does not exist, so copy.crt cannot be the same"


# --- certificates ---------------------------------------------------------------------------


def test_certificate_with_cn_san_validity_and_key(files_ctx: CheckContext, workspace: Path) -> None:
    san = ("IP:127.0.0.1", "DNS:myregistry.local")
    make_cert(workspace / "certs", cn="myregistry.local", san=san)
    result = check(
        files_ctx,
        "certs/domain.crt",
        certificate={
            "subject_cn": "myregistry.local",
            "san": ["IP:127.0.0.1", "DNS:MyRegistry.local", "IP Address:127.0.0.1"],
            "min_days_valid": 30,
            "key": "certs/domain.key",
        },
    )
    assert result.status is Status.PASS, result.message


def test_wrong_cn(files_ctx: CheckContext, workspace: Path) -> None:
    make_cert(workspace / "certs", cn="localhost")
    result = check(files_ctx, "certs/domain.crt", certificate={"subject_cn": "127.0.0.1"})
    assert result.status is Status.FAIL
    assert result.message == "certs/domain.crt has CN=localhost, expected CN=127.0.0.1"


def test_missing_san_lists_what_is_there(files_ctx: CheckContext, workspace: Path) -> None:
    make_cert(workspace / "certs", san=("DNS:localhost",))
    result = check(files_ctx, "certs/domain.crt", certificate={"san": ["IP:127.0.0.1"]})
    assert result.status is Status.FAIL
    assert result.message == (
        "certs/domain.crt has DNS:localhost, expected IP:127.0.0.1 among its subjectAltNames"
    )
    make_cert(workspace / "certs", san=())
    none = check(files_ctx, "certs/domain.crt", certificate={"san": ["IP:127.0.0.1"]})
    assert none.message == (
        "certs/domain.crt has no subjectAltName, expected IP:127.0.0.1 among its subjectAltNames"
    )


def test_too_short_validity(files_ctx: CheckContext, workspace: Path) -> None:
    make_cert(workspace / "certs", days=10)
    result = check(files_ctx, "certs/domain.crt", certificate={"min_days_valid": 30})
    assert result.status is Status.FAIL
    assert "(9 days), expected at least 30" in result.message


def test_expired_and_not_yet_valid(files_ctx: CheckContext, workspace: Path) -> None:
    make_cert(workspace / "old", days=-1, not_before_days=-10)
    expired = check(files_ctx, "old/domain.crt", certificate={"min_days_valid": 1})
    assert expired.status is Status.FAIL
    assert expired.message.startswith("old/domain.crt expired on ")
    make_cert(workspace / "new", days=20, not_before_days=2)
    early = check(files_ctx, "new/domain.crt", certificate={"min_days_valid": 1})
    assert early.status is Status.FAIL
    assert early.message.startswith("new/domain.crt is not valid before ")


def test_key_of_another_certificate(files_ctx: CheckContext, workspace: Path) -> None:
    make_cert(workspace / "certs")
    make_cert(workspace / "certs", "other")
    result = check(files_ctx, "certs/domain.crt", certificate={"key": "certs/other.key"})
    assert result.status is Status.FAIL
    assert result.message == (
        "the key certs/other.key does not belong to certs/domain.crt (its public key differs)"
    )


def test_key_with_a_passphrase(files_ctx: CheckContext, workspace: Path) -> None:
    files = make_cert(workspace / "certs")
    key = serialization.load_pem_private_key(files.key.read_bytes(), password=None)
    files.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    result = check(files_ctx, "certs/domain.crt", certificate={"key": "certs/domain.key"})
    assert result.status is Status.FAIL
    assert result.message == (
        "the key certs/domain.key is protected by a passphrase; create it with -nodes"
    )


def test_not_a_certificate(files_ctx: CheckContext, workspace: Path) -> None:
    (workspace / "domain.crt").write_text("hello\n")
    result = check(files_ctx, "domain.crt", certificate={})
    assert result.status is Status.FAIL
    assert result.message.startswith("domain.crt is not a PEM certificate")


# --- htpasswd -------------------------------------------------------------------------------


def test_bcrypt_entry_verifies(files_ctx: CheckContext, workspace: Path) -> None:
    (workspace / "htpasswd").write_text("other:x\n" + htpasswd_line("testuser", "testpassword"))
    ok = check(files_ctx, "htpasswd", htpasswd={"user": "testuser", "password": "testpassword"})
    assert ok.status is Status.PASS, ok.message
    wrong = check(files_ctx, "htpasswd", htpasswd={"user": "testuser", "password": "nope"})
    assert wrong.status is Status.FAIL
    assert wrong.message == (
        "the entry for 'testuser' in htpasswd does not verify the password 'nope'"
    )


def test_missing_user(files_ctx: CheckContext, workspace: Path) -> None:
    (workspace / "htpasswd").write_text(htpasswd_line("alice", "pw"))
    result = check(files_ctx, "htpasswd", htpasswd={"user": "bob", "password": "pw"})
    assert result.status is Status.FAIL
    assert result.message == "htpasswd has no entry for user 'bob' (alice)"


@pytest.mark.engine
def test_real_htpasswd_output_bcrypt_passes_md5_explains(
    engine: Engine, files_ctx: CheckContext, workspace: Path
) -> None:
    """What the course's `docker run --entrypoint htpasswd httpd:2 -Bbn ...` prints ($2y$)
    passes; the same without -B (MD5, $apr1$) fails with the fix."""

    def htpasswd(*args: str) -> str:
        return subprocess.run(
            ["docker", "run", "--rm", "--entrypoint", "htpasswd", "httpd:2", *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout

    (workspace / "auth").mkdir()
    bcrypt_line = htpasswd("-Bbn", "testuser", "testpassword")
    assert bcrypt_line.startswith("testuser:$2y$")
    (workspace / "auth" / "htpasswd").write_text(bcrypt_line)
    spec = {"user": "testuser", "password": "testpassword"}
    assert check(files_ctx, "auth/htpasswd", htpasswd=spec).passed

    (workspace / "auth" / "htpasswd").write_text(htpasswd("-bn", "testuser", "testpassword"))
    result = check(files_ctx, "auth/htpasswd", htpasswd=spec)
    assert result.status is Status.FAIL
    assert result.message == (
        "the entry for 'testuser' in auth/htpasswd is an MD5 ($apr1$) hash, but the registry "
        "only accepts bcrypt: create it with htpasswd -B"
    )
