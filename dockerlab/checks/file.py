"""`file`: a path in the lab workspace (or absolute) — existence, type, mode, content, and what a
certificate or htpasswd file holds.

Assertions are tried in order; the first that does not hold is reported with what was found.
"""

from __future__ import annotations

import ipaddress
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import bcrypt
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)
from cryptography.x509.oid import NameOID

from dockerlab.checks.context import CheckContext
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import WatchPlan, workspace_files
from dockerlab.checks.yamlmatch import YamlProblem, mismatch, parse_yaml
from dockerlab.model.checks import CertificateSpec, FileCheck, HtpasswdSpec

BCRYPT_PREFIXES = ("$2y$", "$2b$", "$2a$")
# what other htpasswd hashes look like, to tell the learner what they made instead of bcrypt
_OTHER_HASHES = (
    ("$apr1$", "an MD5 ($apr1$) hash"),
    ("{SHA}", "a SHA-1 ({SHA}) hash"),
    ("$1$", "an MD5-crypt ($1$) hash"),
    ("$5$", "a SHA-256-crypt ($5$) hash"),
    ("$6$", "a SHA-512-crypt ($6$) hash"),
)


class _Fail(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_file(spec: FileCheck, ctx: CheckContext) -> Result:
    """PASS when the path exists (or, with `exists: false`, does not) and every other assertion
    holds: type, mode bits, content pattern, same bytes as another file, certificate, htpasswd."""
    path = ctx.path(spec.path)
    there = path.exists() or path.is_symlink()
    if not spec.exists:
        if there:
            return Result.fail(f"{spec.path} exists, expected it not to")
        return Result.ok(f"{spec.path} does not exist, as expected")
    if not there:
        return Result.fail(f"{spec.path} does not exist")
    try:
        observed = _assert_all(spec, ctx, path)
    except _Fail as failed:
        return Result.fail(failed.message)
    return Result.ok(f"{spec.path} " + ", ".join(observed))


def _assert_all(spec: FileCheck, ctx: CheckContext, path: Path) -> list[str]:
    observed = ["exists"]
    is_dir = path.is_dir()
    if spec.type is not None:
        actual = "directory" if is_dir else "file" if path.is_file() else "special file"
        if actual != spec.type:
            raise _Fail(f"{spec.path} is a {actual}, expected a {spec.type}")
        observed[0] = f"is a {actual}"
    if spec.mode is not None:
        observed.append(_assert_mode(spec.path, path, spec.mode))
    wants_content = spec.certificate or spec.htpasswd or spec.yaml is not None
    if spec.contains is None and spec.same_as is None and not wants_content:
        return observed
    if is_dir:
        raise _Fail(f"{spec.path} is a directory, expected a file with content")
    data = _read(spec.path, path)
    if spec.contains is not None:
        if not re.search(spec.contains, data.decode("utf-8", "replace"), re.MULTILINE):
            raise _Fail(f"{spec.path} does not contain anything matching '{spec.contains}'")
        observed.append(f"matches '{spec.contains}'")
    if spec.same_as is not None:
        other = ctx.path(spec.same_as)
        if not other.is_file():
            raise _Fail(f"{spec.same_as} does not exist, so {spec.path} cannot be the same")
        if _read(spec.same_as, other) != data:
            raise _Fail(f"{spec.path} differs from {spec.same_as}")
        observed.append(f"is the same as {spec.same_as}")
    if spec.certificate is not None:
        observed.append(_assert_certificate(spec.path, data, spec.certificate, ctx))
    if spec.htpasswd is not None:
        observed.append(_assert_htpasswd(spec.path, data, spec.htpasswd))
    if spec.yaml is not None:
        try:
            document = parse_yaml(data.decode("utf-8", "replace"), spec.path)
        except YamlProblem as exc:
            raise _Fail(str(exc)) from exc
        problem = mismatch(spec.yaml, document)
        if problem:
            raise _Fail(f"in {spec.path}, {problem}")
        observed.append("holds the YAML asked for")
    return observed


def _read(shown: str, path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _Fail(f"{shown} cannot be read ({exc.strerror or exc})") from exc


def _assert_mode(shown: str, path: Path, mode: str) -> str:
    actual = stat.S_IMODE(path.stat().st_mode)
    expected = int(mode, 8)
    if actual != expected:
        raise _Fail(f"{shown} has mode {actual:04o}, expected {expected:04o}")
    return f"has mode {actual:04o}"


def san_entries(cert: x509.Certificate) -> list[str]:
    """The certificate's subjectAltNames as openssl's `-addext` spells them: `IP:127.0.0.1`,
    `DNS:myregistry.local`."""
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    out: list[str] = []
    for name in names:
        if isinstance(name, x509.DNSName):
            out.append(f"DNS:{name.value}")
        elif isinstance(name, x509.IPAddress):
            out.append(f"IP:{name.value}")
        elif isinstance(name, x509.UniformResourceIdentifier):
            out.append(f"URI:{name.value}")
        elif isinstance(name, x509.RFC822Name):
            out.append(f"email:{name.value}")
    return out


def _same_san(expected: str, actual: str) -> bool:
    """Whether two SAN entries name the same thing (IP addresses compared as addresses, DNS
    names without regard to case; openssl's `IP Address:` spelling accepted)."""
    kind, _, value = expected.replace("IP Address:", "IP:", 1).partition(":")
    actual_kind, _, actual_value = actual.partition(":")
    if kind.strip().upper() != actual_kind.upper():
        return False
    if actual_kind == "IP":
        try:
            return ipaddress.ip_address(value.strip()) == ipaddress.ip_address(actual_value)
        except ValueError:
            return False
    return value.strip().lower() == actual_value.lower()


def _assert_certificate(shown: str, data: bytes, spec: CertificateSpec, ctx: CheckContext) -> str:
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError as exc:
        raise _Fail(f"{shown} is not a PEM certificate ({exc})") from exc
    observed = ["a certificate"]
    if spec.subject_cn is not None:
        cns = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        if spec.subject_cn not in cns:
            found = f"CN={cns[0]}" if cns else "a subject without CN"
            raise _Fail(f"{shown} has {found}, expected CN={spec.subject_cn}")
        observed.append(f"for CN={spec.subject_cn}")
    if spec.san:
        actual = san_entries(cert)
        for wanted in spec.san:
            if not any(_same_san(wanted, entry) for entry in actual):
                has = ", ".join(actual) if actual else "no subjectAltName"
                raise _Fail(f"{shown} has {has}, expected {wanted} among its subjectAltNames")
        observed.append("with " + ", ".join(spec.san))
    if spec.min_days_valid is not None:
        observed.append(_assert_validity(shown, cert, spec.min_days_valid))
    if spec.key is not None:
        observed.append(_assert_key(shown, cert, spec.key, ctx))
    return " ".join(observed)


def _assert_validity(shown: str, cert: x509.Certificate, min_days: int) -> str:
    now = datetime.now(UTC)
    if now < cert.not_valid_before_utc:
        raise _Fail(f"{shown} is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC")
    ends = cert.not_valid_after_utc
    left = (ends - now).days
    if ends <= now:
        raise _Fail(f"{shown} expired on {ends:%Y-%m-%d}, expected {min_days} more days")
    if left < min_days:
        raise _Fail(
            f"{shown} is valid until {ends:%Y-%m-%d} ({left} days), expected at least {min_days}"
        )
    return f"valid for {left} more days"


def _assert_key(shown: str, cert: x509.Certificate, key_path: str, ctx: CheckContext) -> str:
    path = ctx.path(key_path)
    if not path.is_file():
        raise _Fail(f"the key {key_path} does not exist")
    try:
        key = load_pem_private_key(_read(key_path, path), password=None)
    except TypeError as exc:
        # the registry (and nginx) read the key at start-up and cannot ask for a passphrase
        raise _Fail(
            f"the key {key_path} is protected by a passphrase; create it with -nodes"
        ) from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise _Fail(f"{key_path} is not a PEM private key ({exc})") from exc
    spki = (Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
        raise _Fail(f"the key {key_path} does not belong to {shown} (its public key differs)")
    return f"matching {key_path}"


def _assert_htpasswd(shown: str, data: bytes, spec: HtpasswdSpec) -> str:
    entries: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        user, sep, hashed = line.strip().partition(":")
        if sep and user and user not in entries:
            entries[user] = hashed.strip()
    if spec.user not in entries:
        users = ", ".join(entries) if entries else "no entries"
        raise _Fail(f"{shown} has no entry for user '{spec.user}' ({users})")
    hashed = entries[spec.user]
    if not hashed.startswith(BCRYPT_PREFIXES):
        kind = next((k for p, k in _OTHER_HASHES if hashed.startswith(p)), "not a bcrypt hash")
        raise _Fail(
            f"the entry for '{spec.user}' in {shown} is {kind}, but the registry only accepts "
            "bcrypt: create it with htpasswd -B"
        )
    try:
        ok = bcrypt.checkpw(spec.password.encode(), hashed.encode())
    except ValueError as exc:
        raise _Fail(f"the entry for '{spec.user}' in {shown} is a damaged bcrypt hash") from exc
    if not ok:
        raise _Fail(
            f"the entry for '{spec.user}' in {shown} does not verify the password '{spec.password}'"
        )
    return f"with a bcrypt entry for '{spec.user}' that verifies the password"


def watch_file(spec: FileCheck, ctx: CheckContext) -> WatchPlan:
    """The file, the one it must equal, and the key its certificate must match."""
    key = spec.certificate.key if spec.certificate else None
    return WatchPlan(
        files=workspace_files(ctx, spec.path, spec.same_as, key), reasons=(f"file {spec.path}",)
    )


FILE = CheckKind(FileCheck, check_file, watch_file)
