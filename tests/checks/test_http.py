"""`http` checks against the real registries' HTTP(S) endpoints."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dockerlab.checks import CheckContext, Result, Status, evaluate
from dockerlab.model.checks import HttpCheck
from tests.checks.conftest import Pushed, Registry
from tests.conftest import free_port

pytestmark = pytest.mark.engine


def check(ctx: CheckContext, url: str, **fields: Any) -> Result:
    spec = HttpCheck.model_validate({"kind": "http", "url": url, **fields})
    return evaluate(spec, ctx)


def test_status_and_header_pass(ctx: CheckContext, plain_registry: Registry) -> None:
    url = plain_registry.url + "/v2/"
    result = check(ctx, url, headers={"docker-distribution-api-version": "registry/2.0"})
    assert result.status is Status.PASS, result.message
    assert result.message == f"GET {url} answered 200"


def test_other_status_fails_with_both(ctx: CheckContext, auth_registry: Registry) -> None:
    url = auth_registry.url + "/v2/"
    result = check(ctx, url, ca_file=auth_registry.ca_file)
    assert result.status is Status.FAIL
    assert result.message == f"GET {url} answered 401, expected 200"
    assert check(ctx, url, ca_file=auth_registry.ca_file, status=401).passed


def test_any_status_when_status_is_null(ctx: CheckContext, auth_registry: Registry) -> None:
    url = auth_registry.url + "/v2/"
    assert check(ctx, url, ca_file=auth_registry.ca_file, status=None).passed


def test_missing_and_different_headers_fail(ctx: CheckContext, plain_registry: Registry) -> None:
    url = plain_registry.url + "/v2/"
    missing = check(ctx, url, headers={"WWW-Authenticate": "Basic.*"})
    assert missing.status is Status.FAIL
    assert missing.message == (
        f"GET {url} answered 200 without a WWW-Authenticate header, expected one matching 'Basic.*'"
    )
    different = check(ctx, url, headers={"Docker-Distribution-Api-Version": "registry/3.0"})
    assert different.status is Status.FAIL
    assert different.message == (
        f"GET {url} answered 200 with Docker-Distribution-Api-Version: registry/2.0, "
        "expected 'registry/3.0'"
    )


def test_body_pattern(ctx: CheckContext, plain_registry: Registry, pushed: Pushed) -> None:
    url = plain_registry.url + "/v2/_catalog"
    found = check(ctx, url, body=f'"{pushed.repo}"')
    assert found.status is Status.PASS, found.message
    missing = check(ctx, url, body='"hello-world"')
    assert missing.status is Status.FAIL
    assert missing.message.startswith(
        f'GET {url} answered 200 but the body does not match \'"hello-world"\': {{"repositories":['
    )


def test_method_is_used(ctx: CheckContext, plain_registry: Registry, pushed: Pushed) -> None:
    url = f"{plain_registry.url}/v2/{pushed.repo}/manifests/v1"
    result = check(ctx, url, method="head")
    assert result.status is Status.PASS, result.message
    assert result.message == f"HEAD {url} answered 200"
    # a GET of an unknown manifest is 404; deleting by tag is refused with 400
    unknown = f"{plain_registry.url}/v2/never/pushed/manifests/v1"
    assert check(ctx, unknown, status=404).passed
    assert check(ctx, unknown, method="DELETE", status=400).passed


def test_tls_with_ca_file_and_insecure(ctx: CheckContext, tls_registry: Registry) -> None:
    url = tls_registry.url + "/v2/"
    assert check(ctx, url, ca_file=tls_registry.ca_file).passed
    assert check(ctx, url, insecure=True).passed
    untrusted = check(ctx, url)
    assert untrusted.status is Status.FAIL
    assert untrusted.message == (
        f"the certificate of {tls_registry.url} does not verify (x509: self-signed certificate)"
    )


def test_ca_file_that_is_no_certificate(
    ctx: CheckContext, tls_registry: Registry, workspace: Path
) -> None:
    (workspace / "ca.crt").write_text("-----BEGIN CERTIFICATE-----\nnot really\n")
    result = check(ctx, tls_registry.url + "/v2/", ca_file="ca.crt")
    assert result.status is Status.FAIL
    assert result.message == "the CA file ca.crt is not a PEM certificate"


def test_certificate_for_another_name_is_reported(
    ctx: CheckContext, tls_registry: Registry
) -> None:
    # the certificate is for IP:127.0.0.1; "localhost" is not among its names
    url = tls_registry.url.replace("127.0.0.1", "localhost") + "/v2/"
    result = check(ctx, url, ca_file=tls_registry.ca_file)
    assert result.status is Status.FAIL
    assert "does not verify (x509: Hostname mismatch" in result.message


def test_connection_refused_fails(ctx: CheckContext) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    result = check(ctx, url)
    assert result.status is Status.FAIL
    assert result.message == f"nothing answers at {url.rstrip('/')} (connection refused)"


@pytest.fixture
def silent_server() -> Iterator[str]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_timeout_is_an_error(ctx: CheckContext, silent_server: str) -> None:
    ctx.timeout = 0.5
    result = check(ctx, silent_server + "/health")
    assert result.status is Status.ERROR
    assert result.message == f"{silent_server} did not answer within 0.5 s"
