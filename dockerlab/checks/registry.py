"""`registry`: a registry's state as its Registry HTTP API V2 reports it.

Assertions are tried in order (reachable, authentication, repository, tag, manifest, digest_of);
the first that does not hold is reported with what the registry said.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from dockerlab.checks.context import CheckContext
from dockerlab.checks.http import NoAnswer, served_certificate, tls_verify
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.registry_api import (
    Identity,
    RegistryAPI,
    Unexpected,
    challenge,
    error_detail,
    short,
)
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import (
    CONTAINER_ACTIONS,
    POLL_UNWATCHED,
    EventRule,
    WatchPlan,
    workspace_files,
)
from dockerlab.engine.images import ImageInfo, inspect_image
from dockerlab.engine.refs import split
from dockerlab.model.checks import RegistryCheck

# a password no lab uses: the registry must refuse it
WRONG_PASSWORD = "dockerlab-wrong-password"


class _Fail(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_registry(spec: RegistryCheck, ctx: CheckContext) -> Result:
    """PASS when `GET /v2/` answers and every assertion the check makes holds.

    `present: false` turns around the most specific of repository / tag / manifest: with a
    manifest, that digest must be gone; else with a tag, that tag; else the repository.
    Connection refused and TLS verification failures FAIL; timeouts and 5xx answers are ERROR.
    """
    try:
        observed = _assert_all(spec, ctx)
    except (NoAnswer, Unexpected) as exc:
        return exc.result
    except _Fail as failed:
        return Result.fail(failed.message)
    return Result.ok(f"{spec.url} answers: " + "; ".join(observed))


def _assert_all(spec: RegistryCheck, ctx: CheckContext) -> list[str]:
    """Check each assertion in order; raise _Fail at the first that does not hold. Returns what
    was observed, one clause per assertion."""
    credentials = (spec.username, spec.password or "") if spec.username else None
    verify = tls_verify(ctx, spec.ca_file, spec.insecure)
    observed = []
    if spec.certificate is not None:
        observed.append(_assert_certificate(spec, ctx))
    with RegistryAPI(spec.url, ctx, verify, credentials) as api:
        observed += _assert_auth(spec, api)
        if spec.deletes_enabled is not None:
            observed.append(_assert_deletes(spec, api))
        if spec.repository is not None:
            observed += _assert_content(spec, ctx, api, spec.repository)
    return observed


def _assert_certificate(spec: RegistryCheck, ctx: CheckContext) -> str:
    """The registry presents the certificate in the learner's file (the first of the file)."""
    assert spec.certificate is not None
    path = ctx.path(spec.certificate)
    if not path.is_file():
        raise _Fail(
            f"{spec.certificate} does not exist, so it cannot be the registry's certificate"
        )
    try:
        wanted = x509.load_pem_x509_certificates(path.read_bytes())[0]
    except (ValueError, OSError, IndexError) as exc:
        raise _Fail(f"{spec.certificate} is not a PEM certificate") from exc
    served = served_certificate(spec.url, ctx)
    if served != wanted.public_bytes(Encoding.DER):
        raise _Fail(f"{spec.url} presents another certificate than {spec.certificate}")
    return f"presents the certificate {spec.certificate}"


def _assert_deletes(spec: RegistryCheck, api: RegistryAPI) -> str:
    """A DELETE of a manifest nobody has: 405 UNSUPPORTED when deletes are off (a plain 405
    `Method not allowed` when the registry is read-only), 404 (or 202) when they are on."""
    response = api.delete_probe(spec.repository or "dockerlab-probe")
    code = response.status_code
    enabled = code in (202, 404)
    if code not in (202, 404, 405):
        detail = error_detail(response)
        raise _Fail(
            f"DELETE of a manifest at {spec.url} answered {code}"
            + (f" ({detail})" if detail else "")
            + ", neither 405 (deletes off) nor 404 (deletes on)"
        )
    if enabled != spec.deletes_enabled:
        said = f"{code}: deletes are on"
        if code == 405:
            # read-only mode refuses every write before the API sees it: plain text, no JSON
            read_only = "UNSUPPORTED" not in response.text
            said = (
                "405 Method not allowed: the registry is read-only"
                if read_only
                else "405 UNSUPPORTED: deletes are off"
            )
        raise _Fail(
            f"a DELETE of a manifest at {spec.url} answered {said}; expected them "
            + ("on" if spec.deletes_enabled else "off")
        )
    return "deletes are " + ("on" if enabled else "off")


def _assert_content(
    spec: RegistryCheck, ctx: CheckContext, api: RegistryAPI, repo: str
) -> list[str]:
    """Repository, tag, manifest and digest_of, in that order."""
    observed: list[str] = []
    target = "manifest" if spec.manifest else "tag" if spec.tag else "repository"
    if spec.present or target == "repository":
        observed.append(_assert_in_catalog(spec, api, repo))
    if spec.tag is not None and (spec.present or target == "tag"):
        observed.append(_assert_tag(spec, api, repo, spec.tag))
    if spec.manifest is not None:
        observed.append(_assert_manifest(spec, api, repo, spec.manifest))
    if spec.digest_of is not None:
        observed.append(_assert_digest_of(spec, ctx, api, repo, spec.digest_of))
    if spec.differs_from is not None and spec.tag is not None:
        observed.append(_assert_differs(spec, api, repo, spec.tag, spec.differs_from))
    if spec.complete and spec.tag is not None:
        missing = api.missing_parts(repo, spec.tag)
        if missing:
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            raise _Fail(
                f"{repo}:{spec.tag} in {spec.url} references what the registry no longer "
                f"serves: {', '.join(missing[:3])}{more}"
            )
        observed.append(f"every blob of {repo}:{spec.tag} is served")
    return observed


def _assert_auth(spec: RegistryCheck, api: RegistryAPI) -> list[str]:
    """Reachable, authentication as required, credentials (if any) accepted."""
    probe = api.probe(authenticate=False)
    if probe.status_code not in (200, 401):
        raise _Fail(
            f"{spec.url}/v2/ answered {probe.status_code}, not 200 or 401: "
            "that is not a registry speaking the Registry HTTP API V2"
        )
    asked = challenge(probe) if probe.status_code == 401 else None
    realm = f'realm "{asked.realm}"' if asked and asked.realm else "no realm"
    observed: list[str] = []
    if spec.auth_required is True:
        if probe.status_code == 200:
            raise _Fail(f"{spec.url} answers /v2/ without credentials; expected it to require them")
        if asked is None or asked.scheme != "Basic":
            scheme = f"{asked.scheme} authentication" if asked else "no WWW-Authenticate challenge"
            raise _Fail(
                f"{spec.url} answers /v2/ with 401 but {scheme}; expected Basic with a realm"
            )
        observed.append(f"requires authentication (Basic {realm})")
    elif spec.auth_required is False and probe.status_code == 401:
        raise _Fail(f"{spec.url} requires authentication ({realm}); expected it to answer without")
    if probe.status_code == 401 and (api.auth or spec.repository):
        if api.auth is None:
            raise _Fail(
                f"{spec.url} requires authentication ({realm}) and the check gives no credentials"
            )
        if api.probe(authenticate=True).status_code == 401:
            raise _Fail(f"{spec.url} rejects the credentials of user '{api.auth[0]}' (401)")
        observed.append(f"accepts user '{api.auth[0]}'")
        if spec.auth_required:
            wrong = api.request("GET", "/v2/", credentials=(api.auth[0], WRONG_PASSWORD))
            if wrong.status_code != 401:
                raise _Fail(
                    f"{spec.url} answers {wrong.status_code} to user '{api.auth[0]}' with a "
                    "wrong password; expected 401"
                )
            observed.append("refuses a wrong password")
    if not observed:
        observed.append("the registry API answers")
    return observed


def _assert_in_catalog(spec: RegistryCheck, api: RegistryAPI, repo: str) -> str:
    names = api.catalog()
    if spec.present and repo not in names:
        raise _Fail(f"repository '{repo}' is not in the catalog of {spec.url} ({_listing(names)})")
    if not spec.present and repo in names:
        raise _Fail(f"repository '{repo}' is still in the catalog of {spec.url}")
    return f"'{repo}' is {'' if spec.present else 'not '}in the catalog"


def _assert_tag(spec: RegistryCheck, api: RegistryAPI, repo: str, tag: str) -> str:
    tags = api.tags(repo)
    if tags is None:
        if spec.present:
            raise _Fail(f"repository '{repo}' does not exist in {spec.url} (NAME_UNKNOWN)")
        return f"'{repo}' does not exist, so neither does {repo}:{tag}"
    if spec.present and tag not in tags:
        raise _Fail(f"{repo} has no tag '{tag}' in {spec.url} ({_listing(tags)})")
    if not spec.present and tag in tags:
        raise _Fail(f"{repo}:{tag} is still in {spec.url}")
    return f"{repo}:{tag} is {'' if spec.present else 'not '}there"


def _assert_manifest(spec: RegistryCheck, api: RegistryAPI, repo: str, digest: str) -> str:
    found = api.manifest_digest(repo, digest)
    if spec.present and found is None:
        raise _Fail(f"manifest {repo}@{short(digest)} is not in {spec.url}")
    if not spec.present and found is not None:
        raise _Fail(f"manifest {repo}@{short(digest)} is still in {spec.url}")
    return f"manifest {short(digest)} is {'' if spec.present else 'not '}there"


def _assert_digest_of(
    spec: RegistryCheck, ctx: CheckContext, api: RegistryAPI, repo: str, local_ref: str
) -> str:
    """The registry's manifest for the tag (the check's, else the local reference's) holds the
    same image as the local one: compared by content, see `same_image`."""
    image = inspect_image(ctx.engine, local_ref)
    if image is None:
        raise _Fail(f"there is no local image {local_ref} to compare with")
    tag = spec.tag or split(local_ref)[2] or "latest"
    remote = api.identities(repo, tag)
    if not remote:
        raise _Fail(f"{repo}:{tag} is not in {spec.url}")
    if not same_image(image, remote):
        raise _Fail(
            f"{repo}:{tag} in {spec.url} is {short(remote[0].manifest)}, another image than "
            f"the local {local_ref} ({short(image.id)})"
        )
    return f"{repo}:{tag} is the local {local_ref} ({short(remote[0].manifest)})"


def same_image(local: ImageInfo, remote: list[Identity]) -> bool:
    """Whether a registry manifest (or one platform of an index) is the local image: its digest
    is one of the local RepoDigests (any repository: `localhost:5000/x` and `127.0.0.1:5000/x`
    alike), or it has the local image's config, or the same layers (a push as OCI rewrites the
    config, never the layers)."""
    digests = {entry.partition("@")[2] for entry in local.repo_digests}
    for one in remote:
        if one.manifest in digests or one.config == local.id:
            return True
        if one.layers and one.layers == local.layers:
            return True
    return False


def _assert_differs(spec: RegistryCheck, api: RegistryAPI, repo: str, tag: str, other: str) -> str:
    """`tag` and `other` hold different images: neither the same manifest, nor the same config,
    nor the same layers."""
    mine, theirs = api.identities(repo, tag), api.identities(repo, other)
    if not mine:
        raise _Fail(f"{repo}:{tag} is not in {spec.url}")
    if not theirs:
        raise _Fail(f"{repo}:{other} is not in {spec.url}")
    for a in mine:
        for b in theirs:
            if (
                a.manifest == b.manifest
                or (a.config is not None and a.config == b.config)
                or (a.layers and a.layers == b.layers)
            ):
                raise _Fail(
                    f"{repo}:{tag} and {repo}:{other} in {spec.url} are the same image "
                    f"({short(a.manifest)}); expected two different images"
                )
    return f"{repo}:{tag} is another image than {repo}:{other}"


def _listing(names: list[str], limit: int = 5) -> str:
    """A few names for a message: "it has: a, b, c and 4 more", or "it is empty"."""
    if not names:
        return "it is empty"
    shown = ", ".join(names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"it has: {shown}{more}"


def watch_registry(spec: RegistryCheck, ctx: CheckContext) -> WatchPlan:
    """Pushes land in the registry; its container coming and going changes what answers; a
    manifest deleted through the API (or a garbage collection) announces nothing: a timer."""
    return WatchPlan(
        rules=(
            EventRule("image", frozenset({"push"})),
            EventRule("container", CONTAINER_ACTIONS),
        ),
        files=workspace_files(ctx, spec.ca_file, spec.certificate),
        poll_interval=POLL_UNWATCHED,
        reasons=(f"registry {spec.url}",),
    )


REGISTRY = CheckKind(RegistryCheck, check_registry, watch_registry)
