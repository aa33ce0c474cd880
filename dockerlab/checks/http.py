"""`http`: one HTTP(S) request and what came back (status, body, headers).

Also the transport the `registry` checks use: `fetch()` sends a request with the check's TLS
options and turns "no HTTP answer" into a FAIL (nothing listens, the certificate does not verify)
or an ERROR (timed out: we cannot tell).
"""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import requests
from cryptography import x509
from urllib3.exceptions import InsecureRequestWarning

from dockerlab.checks.context import CheckContext
from dockerlab.checks.kind import CheckKind
from dockerlab.checks.result import Result
from dockerlab.checks.watchplan import (
    CONTAINER_ACTIONS,
    POLL_UNWATCHED,
    EventRule,
    WatchPlan,
    workspace_files,
)
from dockerlab.model.checks import HttpCheck


class NoAnswer(Exception):
    """The request got no HTTP answer. `result` says why, as a FAIL or an ERROR."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.message)
        self.result = result


def tls_verify(ctx: CheckContext, ca_file: str | None, insecure: bool) -> str | bool:
    """What `requests` needs as `verify`: the CA file's path, False (insecure) or True.

    Raises NoAnswer (FAIL) when the CA file the check names does not exist yet or holds no
    PEM certificate (OpenSSL would only say NO_CERTIFICATE_OR_CRL_FOUND).
    """
    if insecure:
        return False
    if ca_file is None:
        return True
    path = ctx.path(ca_file)
    if not path.is_file():
        raise NoAnswer(Result.fail(f"the CA file {ca_file} does not exist ({path})"))
    try:
        x509.load_pem_x509_certificates(path.read_bytes())
    except (ValueError, OSError) as exc:
        raise NoAnswer(Result.fail(f"the CA file {ca_file} is not a PEM certificate")) from exc
    return str(path)


def fetch(
    method: str,
    url: str,
    ctx: CheckContext,
    *,
    verify: str | bool,
    auth: tuple[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    session: requests.Session | None = None,
) -> requests.Response:
    """Send one request (no redirects followed, no proxies from the environment) and return
    whatever HTTP answer came back, whatever its status. Raises NoAnswer otherwise.

    Pass a `session()` to keep the connection open across several requests."""
    with contextlib.ExitStack() as stack:
        if session is None:
            session = stack.enter_context(new_session())
        # `insecure` is the check's explicit choice, not something to warn about
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore", InsecureRequestWarning)
        try:
            return session.request(
                method,
                url,
                auth=auth,
                headers=dict(headers or {}),
                verify=verify,
                timeout=ctx.timeout,
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise NoAnswer(Result.fail(_tls_problem(url, exc))) from exc
        except requests.exceptions.Timeout as exc:
            raise NoAnswer(
                Result.error(f"{_origin(url)} did not answer within {ctx.timeout:g} s")
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            raise NoAnswer(Result.fail(f"nothing answers at {_origin(url)} ({_why(exc)})")) from exc
        except OSError as exc:
            # e.g. a CA file that is not a certificate: the learner's file is wrong
            raise NoAnswer(Result.fail(f"could not use the TLS settings for {url}: {exc}")) from exc


def served_certificate(url: str, ctx: CheckContext) -> bytes:
    """The DER bytes of the certificate the server at `url` presents (not verified: the check
    compares it). Raises NoAnswer when nothing answers or the server does not speak TLS."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 443
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=ctx.timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except TimeoutError as exc:
        raise NoAnswer(
            Result.error(f"{_origin(url)} did not answer within {ctx.timeout:g} s")
        ) from exc
    except ssl.SSLError as exc:
        if exc.reason == "WRONG_VERSION_NUMBER":
            raise NoAnswer(
                Result.fail(f"{_origin(url)} does not speak TLS (is it plain http://?)")
            ) from exc
        raise NoAnswer(
            Result.fail(f"the TLS handshake with {_origin(url)} failed ({exc.reason or exc})")
        ) from exc
    except OSError as exc:
        raise NoAnswer(Result.fail(f"nothing answers at {_origin(url)} ({_why(exc)})")) from exc
    if not der:
        raise NoAnswer(Result.fail(f"{_origin(url)} presented no certificate"))
    return der


def new_session() -> requests.Session:
    """A session that ignores proxy settings from the environment: the learner's registry is on
    this machine, and a proxy would only misreport it."""
    session = requests.Session()
    session.trust_env = False
    return session


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (requests wraps urllib3 wraps ssl/socket errors)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped: list[Any] = [current.__cause__, current.__context__, *current.args]
        wrapped.append(getattr(current, "reason", None))
        todo.extend(w for w in wrapped if isinstance(w, BaseException))


def _tls_problem(url: str, exc: BaseException) -> str:
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            problem = (cause.verify_message or cause.reason or str(cause)).rstrip(".")
            return f"the certificate of {_origin(url)} does not verify (x509: {problem})"
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLError) and cause.reason:
            if cause.reason == "WRONG_VERSION_NUMBER":
                return f"{_origin(url)} does not speak TLS (is it plain http://?)"
            return f"the TLS handshake with {_origin(url)} failed ({cause.reason.lower()})"
    return f"the TLS handshake with {_origin(url)} failed ({exc})"


def _why(exc: BaseException) -> str:
    for cause in _causes(exc):
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ConnectionResetError):
            return "the connection was reset"
    text = str(exc)
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "the host name does not resolve"
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "the connection was closed without an answer"
    return text.splitlines()[0] if text else exc.__class__.__name__


def check_http(spec: HttpCheck, ctx: CheckContext) -> Result:
    """PASS when the request is answered with `status` (any when None), a body matching `body`
    and every header in `headers` (name case-insensitive, value a regex the whole value
    matches). Connection refused and TLS failures FAIL; a timeout is an ERROR."""
    method = spec.method.upper()
    try:
        response = fetch(method, spec.url, ctx, verify=tls_verify(ctx, spec.ca_file, spec.insecure))
    except NoAnswer as no:
        return no.result
    said = f"{method} {spec.url} answered {response.status_code}"
    if spec.status is not None and response.status_code != spec.status:
        return Result.fail(f"{said}, expected {spec.status}")
    for name, pattern in spec.headers.items():
        value = response.headers.get(name)
        if value is None:
            return Result.fail(f"{said} without a {name} header, expected one matching '{pattern}'")
        if not _header_matches(pattern, value):
            return Result.fail(f"{said} with {name}: {value}, expected '{pattern}'")
    if spec.body is not None and not re.search(spec.body, response.text, re.MULTILINE):
        return Result.fail(
            f"{said} but the body does not match '{spec.body}': {_start(response.text)}"
        )
    if spec.body is not None:
        return Result.ok(f"{said} with a body matching '{spec.body}'")
    return Result.ok(said)


def _header_matches(pattern: str, value: str) -> bool:
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        # header values are not validated as patterns when the lab loads: take them literally
        return pattern == value


def _start(text: str, limit: int = 80) -> str:
    """The start of a body, on one line, for a message."""
    flat = " ".join(text.split())
    if not flat:
        return "(empty)"
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


__all__ = ["NoAnswer", "check_http", "fetch", "new_session", "served_certificate", "tls_verify"]


def watch_http(spec: HttpCheck, ctx: CheckContext) -> WatchPlan:
    """Any container's events (what serves the URL may be one) and a timer; the CA file."""
    return WatchPlan(
        rules=(EventRule("container", CONTAINER_ACTIONS),),
        files=workspace_files(ctx, spec.ca_file),
        poll_interval=POLL_UNWATCHED,
        reasons=(spec.url,),
    )


HTTP = CheckKind(HttpCheck, check_http, watch_http)
