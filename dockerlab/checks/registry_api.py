"""A small client for the Registry HTTP API V2 (the distribution registry's `/v2/` endpoints).

Every call either returns what the registry said or raises `NoAnswer` (nothing answered; from
`checks.http`) or `Unexpected` (it answered something a registry should not), each carrying the
Result to report.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urljoin

import requests

from dockerlab.checks.context import CheckContext
from dockerlab.checks.http import fetch, new_session
from dockerlab.checks.result import Result

# what `docker push` stores today: asking for all four means the registry hands back the stored
# manifest as it is (and its digest), instead of converting it to an old schema with another digest
MANIFEST_TYPES: tuple[str, ...] = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
ACCEPT_MANIFESTS = ", ".join(MANIFEST_TYPES)
INDEX_TYPES = frozenset(MANIFEST_TYPES[0::2])  # an OCI index, a Docker manifest list
# dockerlab's own requests say who they are, so a check reading the registry's log can tell a
# learner's pull (docker, skopeo, crane, curl) from dockerlab looking
USER_AGENT = "dockerlab-check"
# an index may name many platforms: a check looks at this many
MAX_CHILDREN = 32
UNKNOWN_DIGEST = "sha256:" + "0" * 64
CATALOG_PAGE_SIZE = 100
# a registry whose `Link` headers never end must not hang a check
MAX_PAGES = 1000

_BASIC_REALM = re.compile(r'^\s*Basic\s+(?:.*?\brealm="([^"]*)")?', re.IGNORECASE)


class Unexpected(Exception):
    """The registry answered, but not as the API says. `result` is the FAIL/ERROR to report."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.message)
        self.result = result


@dataclass(frozen=True)
class Challenge:
    """What `WWW-Authenticate` asked for: the scheme (`Basic`, `Bearer`) and the realm."""

    scheme: str
    realm: str | None


def challenge(response: requests.Response) -> Challenge | None:
    """The authentication challenge of a 401 answer, or None when there is none."""
    header = response.headers.get("WWW-Authenticate")
    if not header:
        return None
    basic = _BASIC_REALM.match(header)
    if basic:
        return Challenge("Basic", basic.group(1))
    scheme = header.strip().split(" ", 1)[0]
    realm = re.search(r'realm="([^"]*)"', header)
    return Challenge(scheme, realm.group(1) if realm else None)


def short(digest: str) -> str:
    """`sha256:` and the first 12 hex digits: enough to tell digests apart in a sentence."""
    algorithm, _, value = digest.partition(":")
    return f"{algorithm}:{value[:12]}" if value else digest


@dataclass(frozen=True)
class Identity:
    """What one image manifest in a registry is: its digest, its config's digest and the
    uncompressed layer digests (rootfs.diff_ids) its config lists."""

    manifest: str
    config: str | None
    layers: tuple[str, ...]


@dataclass
class RegistryAPI:
    """The `/v2/` API at `url` (scheme, host and port), with the check's TLS trust and
    credentials. Use it in a `with` block: the connection is kept open until the end."""

    url: str
    ctx: CheckContext
    verify: str | bool
    auth: tuple[str, str] | None = None
    # one connection for all requests of a check: a TLS handshake each time costs ~5 ms
    session: requests.Session = field(default_factory=new_session, repr=False)

    def __enter__(self) -> RegistryAPI:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.session.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        authenticate: bool = True,
        accept: str | None = None,
        credentials: tuple[str, str] | None = None,
    ) -> requests.Response:
        """One request to `path` (relative to the base URL, or absolute), any status."""
        url = urljoin(self.url + "/", path)
        headers = {"User-Agent": USER_AGENT}
        if accept:
            headers["Accept"] = accept
        return fetch(
            method,
            url,
            self.ctx,
            verify=self.verify,
            auth=credentials or (self.auth if authenticate else None),
            headers=headers,
            session=self.session,
        )

    def probe(self, *, authenticate: bool) -> requests.Response:
        """`GET /v2/`, with or without the credentials."""
        return self.request("GET", "/v2/", authenticate=authenticate)

    def catalog(self, page_size: int | None = None) -> list[str]:
        """Every repository in `/v2/_catalog`, following `Link: <...>; rel="next"` pages."""
        n = page_size or CATALOG_PAGE_SIZE
        names: list[str] = []
        try:
            for page in self._pages(f"/v2/_catalog?n={n}"):
                names.extend(page.get("repositories") or [])
        except _NotFound as missing:
            raise Unexpected(
                Result.fail(
                    f"{missing.response.url} answered 404: this registry does not list its catalog"
                )
            ) from missing
        return names

    def tags(self, repository: str) -> list[str] | None:
        """The repository's tags, or None when the registry does not know the repository."""
        tags: list[str] = []
        try:
            for page in self._pages(f"/v2/{repository}/tags/list"):
                # a repository whose tags were all deleted answers `"tags": null`
                tags.extend(page.get("tags") or [])
        except _NotFound:
            return None
        return tags

    def manifest(self, repository: str, reference: str) -> tuple[str, dict[str, Any]] | None:
        """The manifest `reference` names, as (digest, parsed JSON), or None when the registry
        has no such manifest."""
        path = f"/v2/{repository}/manifests/{reference}"
        response = self.request("GET", path, accept=ACCEPT_MANIFESTS)
        if response.status_code == 404:
            return None
        self._expect_ok(response)
        digest = response.headers.get("Docker-Content-Digest") or (
            "sha256:" + hashlib.sha256(response.content).hexdigest()
        )
        try:
            body = response.json()
        except ValueError as exc:
            raise Unexpected(
                Result.fail(f"{response.url} answered a manifest that is not JSON")
            ) from exc
        return digest, body if isinstance(body, dict) else {}

    def identities(self, repository: str, reference: str) -> list[Identity] | None:
        """What the manifest `reference` names: one Identity for an image manifest, one per
        platform (up to MAX_CHILDREN) for an index or manifest list. None when it is not there."""
        found = self.manifest(repository, reference)
        if found is None:
            return None
        digest, body = found
        if not _is_index(body):
            return [self._identity(repository, digest, body)]
        out = []
        for child in _children(body)[:MAX_CHILDREN]:
            inner = self.manifest(repository, child)
            if inner is not None and not _is_index(inner[1]):
                out.append(self._identity(repository, inner[0], inner[1]))
        return out

    def _identity(self, repository: str, digest: str, body: dict[str, Any]) -> Identity:
        config = body.get("config") if isinstance(body.get("config"), dict) else None
        config_digest = str(config.get("digest")) if config and config.get("digest") else None
        layers: tuple[str, ...] = ()
        if config_digest:
            response = self.request("GET", f"/v2/{repository}/blobs/{config_digest}")
            if response.status_code == 200:
                try:
                    rootfs = response.json().get("rootfs") or {}
                    layers = tuple(str(d) for d in rootfs.get("diff_ids") or ())
                except (ValueError, AttributeError):
                    layers = ()
        return Identity(digest, config_digest, layers)

    def missing_parts(self, repository: str, reference: str) -> list[str]:
        """What the manifest `reference` references and the registry does not serve: child
        manifests of an index, configs and layers (foreign layers with `urls` excepted)."""
        found = self.manifest(repository, reference)
        if found is None:
            return [f"{repository}:{reference}"]
        missing: list[str] = []
        todo = [found[1]]
        while todo:
            body = todo.pop()
            if _is_index(body):
                for child in _children(body)[:MAX_CHILDREN]:
                    inner = self.manifest(repository, child)
                    if inner is None:
                        missing.append(f"manifest {short(child)}")
                    else:
                        todo.append(inner[1])
                continue
            parts = [body.get("config"), *(body.get("layers") or [])]
            for part in parts:
                if not isinstance(part, dict) or part.get("urls") or not part.get("digest"):
                    continue
                head = self.request("HEAD", f"/v2/{repository}/blobs/{part['digest']}")
                if head.status_code == 401:
                    self._expect_ok(head)
                elif head.status_code != 200:
                    # a pull-through cache answers 5xx for a blob it neither keeps nor can fetch
                    missing.append(f"blob {short(str(part['digest']))} ({head.status_code})")
        return missing

    def delete_probe(self, repository: str) -> requests.Response:
        """DELETE a manifest no registry holds: 405 means deletes are off; 404 (or 202) on."""
        return self.request("DELETE", f"/v2/{repository}/manifests/{UNKNOWN_DIGEST}")

    def manifest_digest(self, repository: str, reference: str) -> str | None:
        """The digest of the manifest `reference` (a tag or a digest) names, or None when the
        registry has no such manifest (or no such repository)."""
        accept = ACCEPT_MANIFESTS
        path = f"/v2/{repository}/manifests/{reference}"
        response = self.request("HEAD", path, accept=accept)
        if response.status_code == 404:
            return None
        self._expect_ok(response)
        digest = response.headers.get("Docker-Content-Digest")
        if digest:
            return digest
        # the header is optional in the spec: the digest is the hash of the manifest's bytes
        response = self.request("GET", path, accept=accept)
        if response.status_code == 404:
            return None
        self._expect_ok(response)
        return response.headers.get("Docker-Content-Digest") or (
            "sha256:" + hashlib.sha256(response.content).hexdigest()
        )

    def _pages(self, first: str) -> Iterator[dict[str, Any]]:
        path: str | None = first
        seen: set[str] = set()
        while path is not None and path not in seen and len(seen) < MAX_PAGES:
            seen.add(path)
            response = self.request("GET", path)
            if response.status_code == 404:
                raise _NotFound(response)
            self._expect_ok(response)
            try:
                body = response.json()
            except ValueError as exc:
                raise Unexpected(
                    Result.fail(
                        f"{response.url} answered {response.status_code} without JSON; "
                        "is that a Docker registry?"
                    )
                ) from exc
            yield body if isinstance(body, dict) else {}
            path = response.links.get("next", {}).get("url")

    def _expect_ok(self, response: requests.Response) -> None:
        if response.status_code == 200:
            return
        said = f"{response.request.method} {response.url} answered {response.status_code}"
        if response.status_code == 401:
            who = f"user '{self.auth[0]}'" if self.auth else "no credentials"
            raise Unexpected(Result.fail(f"{said}: the registry refuses {who}"))
        detail = error_detail(response)
        message = f"{said} ({detail})" if detail else said
        # a registry failing inside (5xx) tells us nothing about the learner's state
        if response.status_code >= 500:
            raise Unexpected(Result.error(message))
        raise Unexpected(Result.fail(message))


def _is_index(body: dict[str, Any]) -> bool:
    return body.get("mediaType") in INDEX_TYPES or (
        "manifests" in body and "config" not in body and "layers" not in body
    )


def _children(body: dict[str, Any]) -> list[str]:
    return [
        str(m["digest"])
        for m in body.get("manifests") or []
        if isinstance(m, dict) and m.get("digest")
    ]


class _NotFound(Exception):
    def __init__(self, response: requests.Response) -> None:
        super().__init__(error_detail(response))
        self.response = response


def error_detail(response: requests.Response) -> str:
    """The registry's error codes and messages (`NAME_UNKNOWN: repository name not known to
    registry`), or "" when the body has none."""
    try:
        body = response.json()
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return ""
    parts = [
        f"{e.get('code', '?')}: {e.get('message', '')}".rstrip(": ")
        for e in errors
        if isinstance(e, dict)
    ]
    return "; ".join(parts)
