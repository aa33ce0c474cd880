"""Offline stand-ins for the course's images, built FROM scratch out of Debian packages.

Docker Hub is often out of reach (air-gapped classrooms, these CI machines). Each stand-in is
built from files already on the host, carries the label `org.dockerlab.stand-in=true` and says
what it is, so `doctor` and the app can tell the learner honestly that it is not the real image.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

BUSYBOX = "/bin/busybox"


@dataclass(frozen=True)
class StandIn:
    """How to build one stand-in: host files to copy in, and the Dockerfile around them."""

    refs: tuple[str, ...]
    debian_packages: tuple[str, ...]
    description: str
    files: dict[str, str] = field(default_factory=dict)  # image path -> host path
    data: dict[str, str] = field(default_factory=dict)  # image path -> bundled data file name
    libs_of: tuple[str, ...] = ()  # host binaries whose shared libraries are copied too
    dockerfile: str = ""


STANDINS: tuple[StandIn, ...] = (
    StandIn(
        refs=("registry:2",),
        debian_packages=("docker-registry",),
        description="the distribution registry 2.8.2 from Debian's docker-registry package",
        files={
            "/bin/registry": "/usr/bin/docker-registry",
            "/etc/ssl/certs/ca-certificates.crt": "/etc/ssl/certs/ca-certificates.crt",
        },
        data={"/etc/docker/registry/config.yml": "registry-config.yml"},
        libs_of=("/usr/bin/docker-registry",),
        dockerfile="""\
ENV PATH=/bin
VOLUME ["/var/lib/registry"]
EXPOSE 5000
ENTRYPOINT ["registry"]
CMD ["serve", "/etc/docker/registry/config.yml"]
""",
    ),
    StandIn(
        refs=("hello-world:latest",),
        debian_packages=("busybox-static",),
        description="prints the hello-world greeting with Debian's busybox-static",
        files={"/bin/busybox": BUSYBOX},
        data={"/hello.txt": "hello.txt"},
        dockerfile='CMD ["/bin/busybox", "cat", "/hello.txt"]\n',
    ),
    StandIn(
        refs=("busybox:latest",),
        debian_packages=("busybox-static",),
        description="Debian's busybox-static",
        files={"/bin/busybox": BUSYBOX},
        dockerfile="""\
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/bin
CMD ["sh"]
""",
    ),
    StandIn(
        refs=("nginx:latest",),
        debian_packages=("busybox-static",),
        description="busybox httpd serving a page on port 80 (Debian's busybox-static)",
        files={"/bin/busybox": BUSYBOX},
        data={"/usr/share/nginx/html/index.html": "nginx-index.html"},
        dockerfile="""\
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/bin
EXPOSE 80
CMD ["httpd", "-f", "-v", "-p", "80", "-h", "/usr/share/nginx/html"]
""",
    ),
    StandIn(
        refs=("httpd:2",),
        debian_packages=("busybox-static", "apache2-utils"),
        description="Apache's htpasswd (Debian's apache2-utils) plus busybox httpd on port 80",
        files={"/bin/busybox": BUSYBOX, "/usr/local/apache2/bin/htpasswd": "/usr/bin/htpasswd"},
        data={"/usr/local/apache2/htdocs/index.html": "httpd-index.html"},
        libs_of=("/usr/bin/htpasswd",),
        dockerfile="""\
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/usr/local/apache2/bin:/bin
EXPOSE 80
CMD ["httpd", "-f", "-v", "-p", "80", "-h", "/usr/local/apache2/htdocs"]
""",
    ),
)


def standin_for(ref: str) -> StandIn | None:
    """The stand-in recipe for a course image reference, if there is one."""
    from dockerlab.engine.refs import normalize

    wanted = normalize(ref)
    for s in STANDINS:
        if wanted in {normalize(r) for r in s.refs}:
            return s
    return None


def missing_host_files(standin: StandIn) -> list[str]:
    """Host files the recipe needs that are not installed (install its Debian packages)."""
    needed = [*standin.files.values(), *standin.libs_of]
    return [p for p in needed if not Path(p).exists()]


def shared_libraries(binary: str) -> list[str]:
    """The shared libraries (and loader) a host binary needs, from ldd."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=False).stdout
    libs: list[str] = []
    for line in out.splitlines():
        parts = line.split()
        for part in parts:
            if part.startswith("/") and Path(part).exists():
                libs.append(part)
                break
    return libs


def build_context(standin: StandIn) -> Path:
    """A temporary build context holding the Dockerfile and every file the stand-in needs."""
    ctx = Path(tempfile.mkdtemp(prefix="dockerlab-standin-"))
    copies: dict[str, str] = dict(standin.files)
    for binary in standin.libs_of:
        for lib in shared_libraries(binary):
            copies.setdefault(lib, lib)
    lines = ["FROM scratch"]
    for index, (target, source) in enumerate(sorted(copies.items())):
        name = f"f{index}"
        shutil.copy2(Path(source).resolve(), ctx / name)
        lines.append(f"COPY {name} {target}")
    bundled = resources.files("dockerlab.engine") / "standins"
    for index, (target, data_name) in enumerate(sorted(standin.data.items())):
        name = f"d{index}"
        (ctx / name).write_bytes((bundled / data_name).read_bytes())
        lines.append(f"COPY {name} {target}")
    lines.append(standin.dockerfile)
    (ctx / "Dockerfile").write_text("\n".join(lines), encoding="utf-8")
    return ctx
