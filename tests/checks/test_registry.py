"""`registry` checks against real registries (plain HTTP, TLS, TLS + htpasswd) with a real
image pushed into them."""

from __future__ import annotations

import functools
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from dockerlab.checks import CheckContext, Result, Status, evaluate, registry_api
from dockerlab.checks.registry_api import RegistryAPI, challenge
from dockerlab.engine.images import inspect_image
from dockerlab.model.checks import RegistryCheck
from tests.checks.conftest import (
    PASSWORD,
    REALM,
    USER,
    Pushed,
    Registry,
    docker,
    import_image,
)
from tests.conftest import free_port

pytestmark = pytest.mark.engine


def check(ctx: CheckContext, registry: Registry | str, **fields: Any) -> Result:
    """Evaluate a registry check the way a lab's YAML would state it."""
    if isinstance(registry, Registry):
        fields.setdefault("ca_file", registry.ca_file)
        registry = registry.url
    spec = RegistryCheck.model_validate({"kind": "registry", "url": registry, **fields})
    return evaluate(spec, ctx)


def creds() -> dict[str, str]:
    return {"username": USER, "password": PASSWORD}


# --- reachable ------------------------------------------------------------------------------


def test_plain_registry_answers(ctx: CheckContext, plain_registry: Registry) -> None:
    result = check(ctx, plain_registry)
    assert result.status is Status.PASS, result.message
    assert result.message == f"{plain_registry.url} answers: the registry API answers"


def test_nothing_listening_reports_connection_refused(ctx: CheckContext) -> None:
    url = f"https://127.0.0.1:{free_port()}"
    result = check(ctx, url, insecure=True)
    assert result.status is Status.FAIL
    assert result.message == f"nothing answers at {url} (connection refused)"


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_registry_that_never_answers_is_an_error_not_a_fail(
    ctx: CheckContext, silent_server: str
) -> None:
    ctx.timeout = 0.5
    result = check(ctx, silent_server)
    assert result.status is Status.ERROR
    assert result.message == f"{silent_server} did not answer within 0.5 s"


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[str]:
    """A plain web server on 127.0.0.1 (Python's http.server) that knows nothing of /v2/."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_web_server_that_is_not_a_registry_fails(ctx: CheckContext, web_server: str) -> None:
    result = check(ctx, web_server)
    assert result.status is Status.FAIL
    assert result.message == (
        f"{web_server}/v2/ answered 404, not 200 or 401: "
        "that is not a registry speaking the Registry HTTP API V2"
    )


# --- TLS ------------------------------------------------------------------------------------


def test_tls_registry_verifies_with_the_ca_file(ctx: CheckContext, tls_registry: Registry) -> None:
    assert check(ctx, tls_registry).status is Status.PASS


def test_tls_registry_without_trust_names_the_x509_problem(
    ctx: CheckContext, tls_registry: Registry
) -> None:
    result = check(ctx, tls_registry, ca_file=None)
    assert result.status is Status.FAIL
    assert result.message == (
        f"the certificate of {tls_registry.url} does not verify (x509: self-signed certificate)"
    )


def test_tls_registry_with_insecure_passes(ctx: CheckContext, tls_registry: Registry) -> None:
    assert check(ctx, tls_registry, ca_file=None, insecure=True).status is Status.PASS


def test_tls_registry_with_a_missing_ca_file_fails(
    ctx: CheckContext, tls_registry: Registry
) -> None:
    result = check(ctx, tls_registry, ca_file="certs/ca.crt")
    assert result.status is Status.FAIL
    assert result.message.startswith("the CA file certs/ca.crt does not exist")


def test_https_to_a_plain_http_registry_says_it_does_not_speak_tls(
    ctx: CheckContext, plain_registry: Registry
) -> None:
    url = plain_registry.url.replace("http://", "https://")
    result = check(ctx, url, insecure=True)
    assert result.status is Status.FAIL
    assert result.message == f"{url} does not speak TLS (is it plain http://?)"


# --- authentication -------------------------------------------------------------------------


def test_auth_required_reports_the_basic_realm(ctx: CheckContext, auth_registry: Registry) -> None:
    result = check(ctx, auth_registry, auth_required=True)
    assert result.status is Status.PASS, result.message
    assert f'requires authentication (Basic realm "{REALM}")' in result.message


def test_auth_required_fails_on_a_registry_without_auth(
    ctx: CheckContext, tls_registry: Registry
) -> None:
    result = check(ctx, tls_registry, auth_required=True)
    assert result.status is Status.FAIL
    assert result.message == (
        f"{tls_registry.url} answers /v2/ without credentials; expected it to require them"
    )


def test_auth_not_required_fails_when_it_is(ctx: CheckContext, auth_registry: Registry) -> None:
    result = check(ctx, auth_registry, auth_required=False)
    assert result.status is Status.FAIL
    assert result.message == (
        f'{auth_registry.url} requires authentication (realm "{REALM}"); '
        "expected it to answer without"
    )


def test_good_credentials_are_accepted(ctx: CheckContext, auth_registry: Registry) -> None:
    result = check(ctx, auth_registry, auth_required=True, **creds())
    assert result.status is Status.PASS, result.message
    assert f"accepts user '{USER}'" in result.message


def test_wrong_password_is_rejected(ctx: CheckContext, auth_registry: Registry) -> None:
    result = check(ctx, auth_registry, username=USER, password="wrong")
    assert result.status is Status.FAIL
    assert result.message == f"{auth_registry.url} rejects the credentials of user '{USER}' (401)"


def test_asking_for_a_repository_without_credentials_fails(
    ctx: CheckContext, auth_registry: Registry, pushed: Pushed
) -> None:
    result = check(ctx, auth_registry, repository=pushed.repo)
    assert result.status is Status.FAIL
    assert "requires authentication" in result.message
    assert "the check gives no credentials" in result.message


def test_challenge_parses_the_realm(ctx: CheckContext, auth_registry: Registry) -> None:
    with RegistryAPI(auth_registry.url, ctx, auth_registry.ca_file or True) as api:
        found = challenge(api.probe(authenticate=False))
    assert found is not None
    assert (found.scheme, found.realm) == ("Basic", REALM)


# --- repository, tag, manifest --------------------------------------------------------------


@pytest.mark.parametrize("which", ["plain", "tls", "auth"])
def test_pushed_repository_and_tag_are_found(
    ctx: CheckContext, which: str, request: pytest.FixtureRequest, pushed: Pushed
) -> None:
    registry: Registry = request.getfixturevalue(f"{which}_registry")
    extra = creds() if which == "auth" else {}
    result = check(ctx, registry, repository=pushed.repo, tag="v1", **extra)
    assert result.status is Status.PASS, result.message
    assert f"{pushed.repo}:v1 is there" in result.message


def test_missing_repository_lists_what_the_catalog_has(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed
) -> None:
    result = check(ctx, plain_registry, repository="hello-world")
    assert result.status is Status.FAIL
    assert result.message.startswith(
        f"repository 'hello-world' is not in the catalog of {plain_registry.url} (it has: "
    )
    assert pushed.repo in result.message


def test_missing_tag_lists_the_tags(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed
) -> None:
    result = check(ctx, plain_registry, repository=pushed.repo, tag="v9")
    assert result.status is Status.FAIL
    assert result.message == f"{pushed.repo} has no tag 'v9' in {plain_registry.url} (it has: v1)"


def test_absent_tag_passes_and_present_tag_fails_with_present_false(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed
) -> None:
    assert check(ctx, plain_registry, repository=pushed.repo, tag="v9", present=False).passed
    result = check(ctx, plain_registry, repository=pushed.repo, tag="v1", present=False)
    assert result.status is Status.FAIL
    assert result.message == f"{pushed.repo}:v1 is still in {plain_registry.url}"


def test_absent_repository_with_present_false(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed
) -> None:
    assert check(ctx, plain_registry, repository="never/pushed", present=False).passed
    assert check(ctx, plain_registry, repository="never/pushed", tag="v1", present=False).passed
    result = check(ctx, plain_registry, repository=pushed.repo, present=False)
    assert result.status is Status.FAIL
    assert "is still in the catalog" in result.message


def test_unknown_repository_has_no_tags(ctx: CheckContext, plain_registry: Registry) -> None:
    with RegistryAPI(plain_registry.url, ctx, True) as api:
        assert api.tags("never/pushed") is None


def test_catalog_pagination_is_followed(
    ctx: CheckContext,
    plain_registry: Registry,
    pushed: Pushed,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = requests.get(plain_registry.url + "/v2/_catalog?n=1", timeout=5)
    assert len(first.json()["repositories"]) == 1
    assert "next" in first.links
    with RegistryAPI(plain_registry.url, ctx, True) as api:
        assert {pushed.repo, pushed.other_repo} <= set(api.catalog(page_size=1))
    # the check itself, one repository per page: the second repository is on a later page
    monkeypatch.setattr(registry_api, "CATALOG_PAGE_SIZE", 1)
    result = check(ctx, plain_registry, repository=max(pushed.repo, pushed.other_repo))
    assert result.status is Status.PASS, result.message


# --- digests --------------------------------------------------------------------------------


def test_digest_of_the_pushed_image_matches(
    ctx: CheckContext, auth_registry: Registry, pushed: Pushed
) -> None:
    local = pushed.local(auth_registry)
    result = check(ctx, auth_registry, repository=pushed.repo, digest_of=local, **creds())
    assert result.status is Status.PASS, result.message
    assert f"{pushed.repo}:v1 is the local {local}" in result.message


def test_digest_of_another_image_fails_with_both_digests(
    ctx: CheckContext, tls_registry: Registry, pushed: Pushed
) -> None:
    other = pushed.local(tls_registry, "v2", pushed.other_repo)
    result = check(ctx, tls_registry, repository=pushed.repo, tag="v1", digest_of=other)
    assert result.status is Status.FAIL
    assert result.message.startswith(f"{pushed.repo}:v1 in {tls_registry.url} is sha256:")
    assert f"another image than the local {other} (sha256:" in result.message


def test_digest_of_a_missing_local_image_fails(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed
) -> None:
    missing = pushed.local(plain_registry, "v1", "h2/not-here")
    result = check(ctx, plain_registry, repository=pushed.repo, digest_of=missing)
    assert result.status is Status.FAIL
    assert result.message == f"there is no local image {missing} to compare with"


def test_digest_of_compares_content_not_the_name_it_was_pushed_under(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed, unique: str
) -> None:
    # the same image under a name never pushed (as `localhost:5000/x` and `127.0.0.1:5000/x`
    # are): the registry holds that image, whatever name the local copy has
    unpushed = pushed.local(plain_registry, "v1", f"h2-{unique}/unpushed")
    docker("tag", pushed.image_id, unpushed)
    try:
        result = check(ctx, plain_registry, repository=pushed.repo, digest_of=unpushed)
    finally:
        docker("rmi", unpushed)
    assert result.status is Status.PASS, result.message


@pytest.fixture
def deletable(
    ctx: CheckContext, plain_registry: Registry, unique: str
) -> Iterator[tuple[str, str]]:
    """An image pushed for one test into the plain registry: (repository, manifest digest)."""
    repo = f"h2-{unique}/gc"
    ref = f"{plain_registry.host}/{repo}:v1"
    image_id = ""
    try:
        image_id = import_image(f"gc {unique}\n")
        docker("tag", image_id, ref)
        docker("push", ref)
        info = inspect_image(ctx.engine, ref)
        assert info is not None
        digest = info.repo_digest_for(ref)
        assert digest is not None
        yield repo, digest
    finally:
        if image_id:
            subprocess.run(["docker", "rmi", "-f", image_id], capture_output=True)


def test_deleted_manifest_is_gone(
    ctx: CheckContext, plain_registry: Registry, deletable: tuple[str, str]
) -> None:
    repo, digest = deletable
    assert check(ctx, plain_registry, repository=repo, manifest=digest).passed
    still = check(ctx, plain_registry, repository=repo, manifest=digest, present=False)
    assert still.status is Status.FAIL
    assert still.message == f"manifest {repo}@{digest[:19]} is still in {plain_registry.url}"

    deleted = requests.delete(f"{plain_registry.url}/v2/{repo}/manifests/{digest}", timeout=5)
    assert deleted.status_code == 202, deleted.text

    gone = check(ctx, plain_registry, repository=repo, manifest=digest)
    assert gone.status is Status.FAIL
    assert gone.message == f"manifest {repo}@{digest[:19]} is not in {plain_registry.url}"
    assert check(ctx, plain_registry, repository=repo, manifest=digest, present=False).passed
    # the tag went with its manifest
    assert check(ctx, plain_registry, repository=repo, tag="v1", present=False).passed
