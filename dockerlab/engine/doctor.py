"""`dockerlab doctor`: what this machine can do, one line each, with the fix when it can't.

The same probe gives the lab runner its capabilities (engine, swarm, root: as root or with
sudo, routing-mesh, docker-hub, docker-desktop), so a lab that needs what is missing says so
before it starts.
"""

from __future__ import annotations

import getpass
import os
import platform
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path

from dockerlab.engine.client import LABEL_OWNER, Engine, EngineUnavailable
from dockerlab.engine.endpoint import endpoint_lines
from dockerlab.engine.images import COURSE_IMAGES, course_image_status, hub_reachable
from dockerlab.engine.kind import engine_kind
from dockerlab.engine.ports import port_holder
from dockerlab.engine.sources import image_origin

CERTS_D = Path("/etc/docker/certs.d")
DESKTOP_CERTS_D = Path("~/.docker/certs.d")  # on the host; Docker Desktop copies it into its VM


@dataclass(frozen=True)
class Finding:
    """One doctor line: ok True (✓), False (✗) or None (i, information)."""

    name: str
    ok: bool | None
    detail: str
    fix: str | None = None

    def line(self) -> str:
        mark = {True: "✓", False: "✗", None: "i"}[self.ok]
        text = f"{mark} {self.name}: {self.detail}"
        if self.fix and self.ok is False:
            text += f"\n    fix: {self.fix}"
        return text


@dataclass
class DoctorReport:
    """What the doctor found: one finding per line it prints, and the capabilities a lab's
    `requires:` is matched against."""

    findings: list[Finding] = field(default_factory=list)
    capabilities: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return all(f.ok is not False for f in self.findings)


def ipvs_available() -> tuple[bool, str]:
    """Whether the kernel has IPVS (the routing mesh needs it): loaded, built in, or a module."""
    if Path("/proc/net/ip_vs").exists():
        return True, "ip_vs is loaded"
    release = platform.release()
    base = Path("/lib/modules") / release
    builtin = base / "modules.builtin"
    try:
        if builtin.exists() and "ip_vs.ko" in builtin.read_text():
            return True, "ip_vs is built into the kernel"
    except OSError:
        pass
    if any(base.glob("kernel/net/netfilter/ipvs/ip_vs.ko*")):
        return True, "the ip_vs module is available (loaded on first use)"
    return False, f"kernel {release} has no IPVS (ip_vs)"


def port_free(port: int) -> bool:
    """Whether nothing listens on this TCP port (any address)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def _engine_findings(engine: Engine, report: DoctorReport) -> bool:
    try:
        version = engine.version()
        info = engine.info()
    except EngineUnavailable as exc:
        report.findings.append(
            Finding(
                "engine",
                False,
                str(exc),
                "start it: sudo systemctl start docker (or run scripts/ensure-engine.sh)",
            )
        )
        return False
    report.capabilities.update({"engine", "swarm"})
    kind = engine_kind(info)
    report.findings.append(
        Finding(
            "engine",
            True,
            f"Docker {version.get('Version')} (API {version.get('ApiVersion')}), "
            f"storage driver {info.get('Driver')}, on {info.get('OperatingSystem') or '?'}",
        )
    )
    report.findings.append(Finding("image store", None, kind.image_store()))
    if kind.desktop:
        report.capabilities.add("docker-desktop")
        report.findings.append(
            Finding(
                "Docker Desktop",
                None,
                "the engine runs in Docker Desktop's VM: registry CA files go in "
                "~/.docker/certs.d on this machine (copied into the VM when Docker Desktop "
                "starts), and the labs say so",
            )
        )
    _run_probe(engine, report)
    swarm = info.get("Swarm") or {}
    state = swarm.get("LocalNodeState", "inactive")
    role = " (this node is a manager)" if swarm.get("ControlAvailable") else ""
    report.findings.append(
        Finding(
            "swarm",
            None if state in ("inactive", "active") else False,
            f"{state}{role}",
            "docker swarm leave --force, then let the swarm lab init it",
        )
    )
    registry = info.get("RegistryConfig") or {}
    insecure = [str(c) for c in registry.get("InsecureRegistryCIDRs") or []]
    insecure += [
        name
        for name, cfg in (registry.get("IndexConfigs") or {}).items()
        if not cfg.get("Secure", True)
    ]
    report.findings.append(
        Finding(
            "insecure registries",
            None,
            ", ".join(insecure) + " (127.0.0.0/8 is Docker's default: localhost needs no TLS)"
            if insecure
            else "none",
        )
    )
    mirrors = [str(m) for m in registry.get("Mirrors") or []]
    report.findings.append(Finding("registry mirrors", None, ", ".join(mirrors) or "none"))
    return True


def _run_probe(engine: Engine, report: DoctorReport) -> None:
    from docker.errors import APIError, ImageNotFound

    try:
        engine.call(
            lambda c: c.containers.run(
                "busybox:latest",
                ["true"],
                remove=True,
                labels={LABEL_OWNER: "doctor"},
                network_mode="none",
            )
        )
        report.findings.append(Finding("run a container", True, "busybox ran and exited 0"))
    except ImageNotFound:
        report.findings.append(
            Finding(
                "run a container",
                False,
                "busybox:latest is not here to try with",
                "dockerlab images prepare",
            )
        )
    except (APIError, EngineUnavailable) as exc:
        report.findings.append(
            Finding(
                "run a container",
                False,
                str(exc).splitlines()[0],
                "see the engine log (journalctl -u docker)",
            )
        )


def root_at_hand() -> bool:
    """Whether the few root steps can run: as root, or with sudo (the `root` capability)."""
    return os.geteuid() == 0 or shutil.which("sudo") is not None


def _root_findings(report: DoctorReport, root_steps: list[str] | None) -> None:
    """Who runs the labs, and which steps need root (`root_steps`, from the course)."""
    if root_at_hand():
        report.capabilities.add("root")
    steps = "; ".join(root_steps) if root_steps else "the steps that write /etc/docker"
    if os.geteuid() == 0:
        report.findings.append(Finding("root", None, "running as root"))
        return
    user = getpass.getuser()
    if shutil.which("sudo") is None:
        report.findings.append(
            Finding(
                "root",
                False,
                f"you are {user}, not root, and sudo is not installed; these need root: {steps}",
                "install sudo and give yourself sudo rights (as root: apt-get install sudo; "
                f"usermod -aG sudo {user}), then log in again",
            )
        )
        return
    report.findings.append(
        Finding(
            "root",
            None,
            f"you are {user}, not root: your progress and workspaces are yours; only these "
            f"steps use sudo (it may ask for your password): {steps}",
        )
    )


def run_doctor(
    engine: Engine | None = None, *, check_hub: bool = True, root_steps: list[str] | None = None
) -> DoctorReport:
    """Probe everything the labs rely on. Never raises. `root_steps` are the course's steps that
    need root (runner.privilege.root_steps), named in the `root` line."""
    engine = engine or Engine(timeout=10)
    report = DoctorReport()
    engine_ok = _engine_findings(engine, report)
    report.findings.extend(Finding(*line) for line in endpoint_lines(engine.base_url))

    ipvs, why = ipvs_available()
    if ipvs:
        report.capabilities.add("routing-mesh")
    report.findings.append(
        Finding(
            "routing mesh (IPVS)",
            ipvs,
            why,
            "load it where the kernel has it (sudo modprobe ip_vs); until then the swarm lab "
            "publishes in host mode (--publish mode=host,...) and says why",
        )
    )
    _root_findings(report, root_steps)
    free = port_free(5000)
    holder = None if free else port_holder(engine if engine_ok else None, 5000)
    if holder and holder.startswith("container "):
        fix = f"docker rm -f {holder.split(chr(39))[1]}"
    elif holder and "(pid " in holder:
        fix = f"stop it (kill {holder.rsplit('pid ', 1)[1].rstrip(')')})"
    else:
        fix = "stop what listens there"
    report.findings.append(
        Finding(
            "port 5000",
            free,
            "free" if free else f"in use{f' by {holder}' if holder else ''}",
            fix + ", or run the labs on another port: --var registry_port=5001",
        )
    )
    certs_d = DESKTOP_CERTS_D.expanduser() if "docker-desktop" in report.capabilities else CERTS_D
    trusted = sorted(p.parent.name for p in certs_d.glob("*/ca.crt")) if certs_d.is_dir() else []
    report.findings.append(
        Finding(
            "certs.d trust",
            None,
            f"{certs_d} trusts: {', '.join(trusted)}"
            if trusted
            else f"no CA files in {certs_d} yet",
        )
    )
    if check_hub:
        hub, detail = hub_reachable()
        if hub:
            report.capabilities.add("docker-hub")
        report.findings.append(
            Finding(
                "Docker Hub",
                hub,
                detail,
                "the labs work offline: `dockerlab images prepare` builds labelled stand-ins "
                "(the image lines below say whether they are ready)",
            )
        )
    if not engine_ok:
        report.findings.append(
            Finding(
                "course images",
                None,
                "unknown until the engine answers: " + ", ".join(COURSE_IMAGES),
            )
        )
    else:
        for status in course_image_status(engine, COURSE_IMAGES):
            if not status.present:
                report.findings.append(
                    Finding(f"image {status.ref}", False, "missing", "dockerlab images prepare")
                )
            else:
                kind = image_origin(engine, status.ref)
                report.findings.append(Finding(f"image {status.ref}", True, kind))
    return report


def capabilities(engine: Engine | None = None, *, check_hub: bool = True) -> set[str]:
    """The capability names a lab's `requires:` is matched against."""
    return run_doctor(engine, check_hub=check_hub).capabilities


_QUICK: set[str] | None = None


def quick_capabilities() -> set[str]:
    """The capabilities that pick a lab's variable values, without running a container:
    routing-mesh (IPVS), root, docker-hub, docker-desktop. Probed once per process."""
    global _QUICK
    if _QUICK is None:
        caps: set[str] = set()
        if ipvs_available()[0]:
            caps.add("routing-mesh")
        if root_at_hand():
            caps.add("root")
        if hub_reachable()[0]:
            caps.add("docker-hub")
        try:
            if engine_kind(Engine(timeout=3).info()).desktop:
                caps.add("docker-desktop")
        except EngineUnavailable:
            pass
        _QUICK = caps
    return set(_QUICK)
