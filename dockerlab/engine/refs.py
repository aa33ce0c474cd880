"""Image references as Docker reads them: `registry` is `docker.io/library/registry:latest`."""

from __future__ import annotations

DEFAULT_DOMAIN = "docker.io"


def split(ref: str) -> tuple[str, str, str | None, str | None]:
    """(domain, path, tag, digest) of a reference, with Docker's defaults filled in."""
    digest = None
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    first, sep, rest = ref.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        domain, remainder = first, rest
    else:
        domain, remainder = DEFAULT_DOMAIN, ref
    tag = None
    last = remainder.rsplit("/", 1)[-1]
    if ":" in last:
        remainder, tag = remainder.rsplit(":", 1)
    if domain in ("docker.io", "index.docker.io", "registry-1.docker.io"):
        domain = DEFAULT_DOMAIN
        if "/" not in remainder:
            remainder = f"library/{remainder}"
    if tag is None and digest is None:
        tag = "latest"
    return domain, remainder, tag, digest


def normalize(ref: str) -> str:
    """The full form: `hello-world` -> `docker.io/library/hello-world:latest`."""
    domain, path, tag, digest = split(ref.strip())
    out = f"{domain}/{path}"
    if tag:
        out += f":{tag}"
    if digest:
        out += f"@{digest}"
    return out


def familiar(ref: str) -> str:
    """The short form people type: `docker.io/library/nginx:latest` -> `nginx:latest`."""
    full = normalize(ref)
    for prefix in ("docker.io/library/", "docker.io/"):
        if full.startswith(prefix):
            return full[len(prefix) :]
    return full


def same(a: str, b: str) -> bool:
    """Whether two references name the same image reference once defaults are filled in."""
    return normalize(a) == normalize(b)


def repository(ref: str) -> str:
    """The repository part without tag or digest, normalised."""
    domain, path, _, _ = split(ref)
    return f"{domain}/{path}"
