"""`daemon`: the engine's registry settings — insecure registries, mirrors, certs.d trust files."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from dockerlab.checks.context import CheckContext
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.result import Result, Status, combine_all
from dockerlab.checks.watchplan import POLL_UNWATCHED, EventRule, WatchPlan, workspace_files
from dockerlab.engine.daemon import RegistrySettings, registry_settings
from dockerlab.model.checks import CertsDSpec, DaemonCheck

_DEFAULT_INSECURE = "127.0.0.0/8"


def check_daemon(spec: DaemonCheck, ctx: CheckContext) -> Result:
    """PASS when every setting asked for holds; the message names each one observed."""
    results = []
    if spec.insecure_registry is not None or spec.mirror is not None:
        settings = registry_settings(ctx.engine)
        if spec.insecure_registry is not None:
            results.append(judge_insecure(spec.insecure_registry, settings))
        if spec.mirror is not None:
            results.append(judge_mirror(spec.mirror, settings))
    if spec.certs_d is not None:
        results.append(judge_certs_d(spec.certs_d, ctx))
    if not results:
        return Result.error(
            "this daemon check names nothing to check (insecure_registry, mirror or certs_d)"
        )
    status = combine_all(results)
    shown = results if status is Status.PASS else [r for r in results if r.status is status]
    return Result(status, "; ".join(r.message for r in shown))


def registry_name(registry: str) -> str:
    """`http://127.0.0.1:5000/` -> `127.0.0.1:5000`: the daemon keys registries by host[:port]."""
    name = registry.strip()
    for scheme in ("http://", "https://"):
        if name.lower().startswith(scheme):
            name = name[len(scheme) :]
    return name.split("/", 1)[0]


def _host(name: str) -> str:
    if name.startswith("["):  # [::1]:5000
        return name[1:].split("]", 1)[0]
    if name.count(":") == 1:
        return name.split(":", 1)[0]
    return name


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    # The daemon also resolves other host names against its CIDRs; we only take literals and
    # localhost, so a check never waits on DNS.
    if host == "localhost":
        return [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")]
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        return []


def judge_insecure(registry: str, settings: RegistrySettings) -> Result:
    """Whether the daemon talks to `registry` without TLS verification, decided as dockerd does:
    a named `insecure-registries` entry first, then the address inside an insecure CIDR."""
    name = registry_name(registry)
    entry = settings.index_configs.get(name)
    if entry is not None:
        if not entry.secure:
            return Result.ok(
                f"{name} is an insecure registry of this engine (listed in insecure-registries)"
            )
        return Result.fail(f"{name} is a secure registry for this engine, not an insecure one")
    for address in _addresses(_host(name)):
        for cidr in settings.insecure_cidrs:
            try:
                inside = address in ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                continue
            if inside:
                why = ", which Docker treats as insecure by default"
                return Result.ok(
                    f"{name} is an insecure registry of this engine: {address} is inside "
                    f"{cidr}{why if cidr == _DEFAULT_INSECURE else ''}"
                )
    listed = [
        *settings.insecure_cidrs,
        *(k for k, v in settings.index_configs.items() if not v.secure),
    ]
    return Result.fail(
        f"{name} is not an insecure registry of this engine "
        f"(its insecure registries are: {', '.join(listed) or 'none'})"
    )


def _mirror_key(url: str, with_scheme: bool) -> str:
    key = url.strip().rstrip("/").lower()
    return key if with_scheme else key.split("://", 1)[-1]


def judge_mirror(mirror: str, settings: RegistrySettings) -> Result:
    """Whether `mirror` is among the daemon's registry mirrors (a trailing slash does not matter;
    without a scheme, any scheme matches)."""
    with_scheme = "://" in mirror
    want = _mirror_key(mirror, with_scheme)
    if any(_mirror_key(m, with_scheme) == want for m in settings.mirrors):
        return Result.ok(f"{mirror} is a registry mirror of this engine")
    shown = ", ".join(settings.mirrors) or "none"
    return Result.fail(f"{mirror} is not a registry mirror of this engine (its mirrors: {shown})")


def certs_folder(spec: CertsDSpec, ctx: CheckContext) -> Path:
    """The certs.d folder this check reads: its own `folder`, else the context's."""
    return ctx.path(spec.folder) if spec.folder else ctx.certs_d


def certs_d_file(spec: CertsDSpec, ctx: CheckContext) -> Path:
    """The trust file the engine reads for the registry: `<certs.d>/<host:port>/ca.crt`."""
    return certs_folder(spec, ctx) / registry_name(spec.host) / "ca.crt"


def judge_certs_d(spec: CertsDSpec, ctx: CheckContext) -> Result:
    """Whether `certs.d/<host>/ca.crt` exists and, with `matches`, holds that certificate.

    Certificates are compared parsed (DER), so PEM line endings or extra text do not matter.
    """
    ca = certs_d_file(spec, ctx)
    try:
        if not ca.is_file():
            others = sorted(p.name for p in ca.parent.iterdir()) if ca.parent.is_dir() else []
            held = f" (the folder holds {', '.join(others)})" if others else ""
            return Result.fail(f"{ca} does not exist{held}")
        if spec.matches is None:
            return Result.ok(f"{ca} exists")
        other = ctx.path(spec.matches)
        if not other.is_file():
            return Result.fail(f"{ca} exists but {other}, which it should match, does not")
        trusted = _certificates(ca)
        expected = _certificates(other)
    except PermissionError as exc:
        return Result.error(
            f"cannot read {exc.filename}: permission denied (run as root or with sudo)"
        )
    if not trusted:
        return Result.fail(f"{ca} exists but holds no PEM certificate")
    if not expected:
        return Result.fail(f"{other} holds no PEM certificate to compare {ca} with")
    if expected[0] in trusted:
        return Result.ok(f"{ca} holds the same certificate as {other}")
    return Result.fail(f"{ca} holds a different certificate than {other}")


def _certificates(path: Path) -> list[bytes]:
    """The DER bytes of every PEM certificate in `path` (empty when there are none)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        certs = x509.load_pem_x509_certificates(path.read_bytes())
    except ValueError:
        return []
    return [c.public_bytes(Encoding.DER) for c in certs]


def watch_daemon(spec: DaemonCheck, ctx: CheckContext) -> WatchPlan:
    """Daemon events (a reload), the certs.d trust file this check reads, and a timer."""
    trust: tuple[Path, ...] = ()
    if spec.certs_d is not None:
        trust = (certs_d_file(spec.certs_d, ctx), *workspace_files(ctx, spec.certs_d.matches))
    return WatchPlan(
        rules=(EventRule("daemon"),),
        files=trust,
        poll_interval=POLL_UNWATCHED,
        reasons=("the daemon's registry settings",),
    )


DAEMON = CheckKind(DaemonCheck, check_daemon, watch_daemon)
