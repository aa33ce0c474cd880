"""`login` checks: real `docker login`/`logout` against a real htpasswd registry container, with
a temporary DOCKER_CONFIG, and a small credential helper program for credsStore/credHelpers."""

from __future__ import annotations

import base64
import json
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from dockerlab.checks import CheckContext, Status
from dockerlab.checks.login import registry_key
from dockerlab.engine import Engine
from tests.checks.helpers_engine import check, context, docker, wait_for
from tests.conftest import free_port

pytestmark = pytest.mark.engine

USER, PASSWORD = "dltest", "s3cret-pw"

# A credential helper speaking the docker-credential-helpers protocol, keeping its store in a
# JSON file beside itself. `get` of an unknown server answers as every real helper does.
HELPER = """\
import json, sys
from pathlib import Path
store = Path(__file__).with_name("store.json")
creds = json.loads(store.read_text()) if store.exists() else {}
action, data = sys.argv[1], sys.stdin.read().strip()
if action == "store":
    entry = json.loads(data)
    creds[entry["ServerURL"]] = entry
elif action == "get":
    if data == "dltest-broken":
        print("the keychain is locked", file=sys.stderr)
        sys.exit(2)
    if data not in creds:
        print("credentials not found in native keychain")
        sys.exit(1)
    print(json.dumps(creds[data]))
elif action == "erase":
    creds.pop(data, None)
elif action == "list":
    print(json.dumps({k: v["Username"] for k, v in creds.items()}))
store.write_text(json.dumps(creds))
"""


@dataclass(frozen=True)
class Registry:
    host: str  # 127.0.0.1:<port>


@pytest.fixture(scope="module")
def registry(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """registry:2 with htpasswd auth on 127.0.0.1, its htpasswd made with httpd:2's htpasswd."""
    auth = tmp_path_factory.mktemp("auth")
    line = docker("run", "--rm", "--entrypoint", "htpasswd", "httpd:2", "-Bbn", USER, PASSWORD)
    (auth / "htpasswd").write_text(line.stdout)
    name, port = f"dltest-reg-{uuid.uuid4().hex[:8]}", free_port()
    try:
        docker(
            "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:5000", "-v", f"{auth}:/auth",
            "-e", "REGISTRY_AUTH=htpasswd", "-e", "REGISTRY_AUTH_HTPASSWD_REALM=Registry",
            "-e", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd", "registry:2",
        )  # fmt: skip
        assert wait_for(lambda: _answers(port), timeout=30), "the registry did not start"
        yield Registry(f"127.0.0.1:{port}")
    finally:
        docker("rm", "-f", "-v", name, check=False)


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/v2/", timeout=2).status_code == 401
    except requests.RequestException:
        return False


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "docker-config"


@pytest.fixture
def ctx(engine: Engine, workspace: Path, config_dir: Path) -> CheckContext:
    return context(engine, workspace, docker_config_dir=config_dir)


@pytest.fixture
def helper_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on PATH holding docker-credential-dltest; its store is store.json there."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "docker-credential-dltest"
    program.write_text(f"#!{sys.executable}\n{HELPER}")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return bin_dir


def _login(config_dir: Path, host: str, password: str = PASSWORD) -> bool:
    proc = docker("--config", str(config_dir), "login", host, "-u", USER, "--password-stdin",
                  stdin=password, check=False, env=dict(os.environ))  # fmt: skip
    return proc.returncode == 0


def _write_config(config_dir: Path, config: dict[str, object]) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.json").write_text(json.dumps(config))


def test_without_a_config_file_nobody_is_logged_in(ctx: CheckContext, registry: Registry) -> None:
    result = check(ctx, kind="login", registry=registry.host)
    assert result.status is Status.FAIL
    assert result.message == (
        f"not logged in to {registry.host}: {ctx.docker_config_dir / 'config.json'} does not exist"
    )
    assert check(ctx, kind="login", registry=registry.host, present=False).passed


def test_docker_login_then_logout(ctx: CheckContext, registry: Registry, config_dir: Path) -> None:
    assert not _login(config_dir, registry.host, password="wrong")
    assert check(ctx, kind="login", registry=registry.host).status is Status.FAIL
    assert _login(config_dir, registry.host)
    config = config_dir / "config.json"
    for spelling in (registry.host, f"http://{registry.host}", f"https://{registry.host}/"):
        result = check(ctx, kind="login", registry=spelling)
        assert result.status is Status.PASS, result.message
        assert result.message == f"logged in to {spelling} as {USER} (credentials in {config})"
    elsewhere = check(ctx, kind="login", registry=f"localhost:{registry.host.split(':')[1]}")
    assert elsewhere.message.endswith(
        f"{config} holds no credentials for it (it has credentials for {registry.host})"
    )
    still = check(ctx, kind="login", registry=registry.host, present=False)
    assert still.status is Status.FAIL
    assert still.message == (
        f"still logged in to {registry.host} as {USER} (credentials in {config}; "
        "expected logged out)"
    )
    docker("--config", str(config_dir), "logout", registry.host)
    out = check(ctx, kind="login", registry=registry.host)
    assert out.status is Status.FAIL
    assert out.message == f"not logged in to {registry.host}: {config} holds no credentials for it"
    assert check(ctx, kind="login", registry=registry.host, present=False).passed


def test_docker_login_into_a_credential_store(
    ctx: CheckContext, registry: Registry, config_dir: Path, helper_path: Path
) -> None:
    _write_config(config_dir, {"credsStore": "dltest"})
    assert check(ctx, kind="login", registry=registry.host).message == (
        f"not logged in to {registry.host}: the 'dltest' credential helper "
        f"(credsStore in {config_dir / 'config.json'}) has no credentials for it"
    )
    assert _login(config_dir, registry.host)
    assert registry.host in json.loads((helper_path / "store.json").read_text())
    # the CLI leaves an empty entry in config.json: the secret is only in the helper
    assert json.loads((config_dir / "config.json").read_text())["auths"] == {registry.host: {}}
    result = check(ctx, kind="login", registry=f"https://{registry.host}")
    assert result.status is Status.PASS, result.message
    assert result.message == (
        f"logged in to https://{registry.host} as {USER} "
        "(credentials in the 'dltest' credential helper)"
    )


def test_cred_helpers_take_precedence_over_auths(
    ctx: CheckContext, config_dir: Path, helper_path: Path
) -> None:
    token = base64.b64encode(b"someone:pw").decode()
    _write_config(config_dir, {
        "auths": {"127.0.0.1:5000": {"auth": token}, "registry.lan:5000": {"auth": token}},
        "credHelpers": {"127.0.0.1:5000": "dltest"},
    })  # fmt: skip
    result = check(ctx, kind="login", registry="127.0.0.1:5000")
    assert result.status is Status.FAIL
    assert "the 'dltest' credential helper (credHelpers in" in result.message
    assert check(ctx, kind="login", registry="registry.lan:5000").message == (
        f"logged in to registry.lan:5000 as someone (credentials in {config_dir / 'config.json'})"
    )


def test_docker_hub_under_any_of_its_names(
    ctx: CheckContext, config_dir: Path, helper_path: Path
) -> None:
    _write_config(config_dir, {"auths": {"https://index.docker.io/v1/": {
        "auth": base64.b64encode(b"learner:pw").decode()}}})  # fmt: skip
    hub = ("docker.io", "index.docker.io", "https://index.docker.io/v1/", "registry-1.docker.io")
    for name in hub:
        assert check(ctx, kind="login", registry=name).passed, name
    # a helper is asked under the key the docker CLI uses for Docker Hub
    (helper_path / "store.json").write_text(
        json.dumps(
            {
                "https://index.docker.io/v1/": {
                    "ServerURL": "https://index.docker.io/v1/",
                    "Username": "learner",
                    "Secret": "pw",
                }
            }
        )
    )
    _write_config(config_dir, {"credsStore": "dltest"})
    assert check(ctx, kind="login", registry="docker.io").message == (
        "logged in to docker.io as learner (credentials in the 'dltest' credential helper)"
    )


def test_a_missing_credential_helper_is_an_error_with_the_fix(
    ctx: CheckContext, config_dir: Path
) -> None:
    _write_config(config_dir, {"auths": {"127.0.0.1:5000": {}}, "credsStore": "dltest-missing"})
    result = check(ctx, kind="login", registry="127.0.0.1:5000")
    assert result.status is Status.ERROR
    assert result.message == (
        f"{config_dir / 'config.json'} says to keep credentials in the 'dltest-missing' credential "
        "helper (credsStore), but docker-credential-dltest-missing is not installed: install it, "
        "or remove that credsStore setting"
    )


def test_a_failing_credential_helper_is_an_error(
    ctx: CheckContext, config_dir: Path, helper_path: Path
) -> None:
    _write_config(config_dir, {"credHelpers": {"dltest-broken": "dltest"}})
    result = check(ctx, kind="login", registry="dltest-broken")
    assert result.status is Status.ERROR
    assert result.message == "docker-credential-dltest get failed (exit 2): the keychain is locked"


def test_a_broken_config_file_is_an_error(ctx: CheckContext, config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "config.json").write_text('{"auths": {')
    result = check(ctx, kind="login", registry="127.0.0.1:5000")
    assert result.status is Status.ERROR
    assert "is not valid JSON" in result.message


def test_identity_tokens_count_as_credentials(ctx: CheckContext, config_dir: Path) -> None:
    _write_config(config_dir, {"auths": {"https://registry.lan": {"identitytoken": "t0k3n"}}})
    assert check(ctx, kind="login", registry="registry.lan").passed


def test_registry_keys() -> None:
    assert registry_key("https://127.0.0.1:5000/v2/") == "127.0.0.1:5000"
    assert registry_key("http://Registry.LAN:5000") == "registry.lan:5000"
    assert registry_key("https://index.docker.io/v1/") == "docker.io"
    assert registry_key("localhost:5000") != registry_key("127.0.0.1:5000")


def test_the_learners_own_config_is_shown_as_they_know_it(engine: Engine, workspace: Path) -> None:
    ctx = context(engine, workspace, docker_config_dir=Path.home() / ".dltest-no-such-dir")
    assert check(ctx, kind="login", registry="127.0.0.1:5000").message == (
        "not logged in to 127.0.0.1:5000: ~/.dltest-no-such-dir/config.json does not exist"
    )
