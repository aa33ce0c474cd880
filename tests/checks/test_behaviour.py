"""Checks that observe what a registry does, not how it was set up, against real registries:
the certificate it presents, authentication with a wrong password, deletes, two different
images, OCI manifests and indexes (pushed by skopeo), a stored login that no longer works,
an image pulled rather than loaded, and a registry container's configuration however given."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from dockerlab.checks import CheckContext, Result, Status, evaluate
from dockerlab.checks.registry_api import MANIFEST_TYPES
from dockerlab.engine import Engine
from dockerlab.model.checks import RegistryCheck
from tests.checks.conftest import (
    PASSWORD,
    SESSION,
    USER,
    Pushed,
    Registry,
    docker,
    make_cert,
)
from tests.checks.helpers_engine import check as check_spec
from tests.checks.helpers_engine import wait_for

pytestmark = pytest.mark.engine
OCI_INDEX, OCI_MANIFEST = MANIFEST_TYPES[0], MANIFEST_TYPES[1]


def check(ctx: CheckContext, registry: Registry, **fields: Any) -> Result:
    fields.setdefault("ca_file", registry.ca_file)
    spec = RegistryCheck.model_validate({"kind": "registry", "url": registry.url, **fields})
    return evaluate(spec, ctx)


def skopeo(*args: str) -> None:
    if shutil.which("skopeo") is None:
        pytest.fail("these tests push and pull with skopeo: apt-get install skopeo")
    done = subprocess.run(["skopeo", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"skopeo {' '.join(args)}: {done.stderr}"


@pytest.fixture
def images() -> Iterator[list[str]]:
    """Local references a test made: removed at the end."""
    made: list[str] = []
    yield made
    for ref in made:
        subprocess.run(["docker", "rmi", "-f", ref], capture_output=True)


# --- TLS: the certificate it presents ----------------------------------------------------------


def test_the_registry_presents_the_learners_certificate(
    ctx: CheckContext, tls_registry: Registry, tmp_path: Path
) -> None:
    assert tls_registry.ca_file is not None
    assert check(ctx, tls_registry, certificate=tls_registry.ca_file).passed
    other = make_cert(tmp_path / "other")
    result = check(ctx, tls_registry, insecure=True, ca_file=None, certificate=str(other.cert))
    assert result.status is Status.FAIL
    assert result.message == f"{tls_registry.url} presents another certificate than {other.cert}"


def test_a_plain_http_registry_presents_no_certificate(
    ctx: CheckContext, plain_registry: Registry, tmp_path: Path
) -> None:
    cert = make_cert(tmp_path / "c").cert
    url = plain_registry.url.replace("http://", "https://")
    spec = RegistryCheck(kind="registry", url=url, certificate=str(cert), insecure=True)
    result = evaluate(spec, ctx)
    assert result.status is Status.FAIL
    assert "does not speak TLS" in result.message


# --- authentication -------------------------------------------------------------------------


def test_auth_required_also_proves_a_wrong_password_is_refused(
    ctx: CheckContext, auth_registry: Registry
) -> None:
    result = check(ctx, auth_registry, auth_required=True, username=USER, password=PASSWORD)
    assert result.passed, result.message
    assert "refuses a wrong password" in result.message
    wrong = check(ctx, auth_registry, auth_required=True, username=USER, password="nope")
    assert wrong.message == f"{auth_registry.url} rejects the credentials of user '{USER}' (401)"


# --- deletes ----------------------------------------------------------------------------------


def test_deletes_enabled_is_what_a_delete_gets(
    ctx: CheckContext, plain_registry: Registry, tls_registry: Registry
) -> None:
    assert check(ctx, plain_registry, deletes_enabled=True).passed
    off = check(ctx, tls_registry, deletes_enabled=True)
    assert off.status is Status.FAIL
    assert "answered 405 UNSUPPORTED: deletes are off; expected them on" in off.message
    assert check(ctx, tls_registry, deletes_enabled=False).passed


# --- image identity, OCI ----------------------------------------------------------------------


def test_the_same_image_under_two_tags_is_not_two_images(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed, images: list[str]
) -> None:
    repo = f"h2-{SESSION}/twice"
    for tag, image in (("v1", pushed.image_id), ("v2", pushed.image_id), ("v3", pushed.other_id)):
        ref = f"{plain_registry.host}/{repo}:{tag}"
        images.append(ref)
        docker("tag", image, ref)
        docker("push", ref)
    same = check(ctx, plain_registry, repository=repo, tag="v2", differs_from="v1")
    assert same.status is Status.FAIL
    assert f"{repo}:v2 and {repo}:v1 in {plain_registry.url} are the same image" in same.message
    assert check(ctx, plain_registry, repository=repo, tag="v3", differs_from="v1").passed


def test_oci_manifests_and_indexes_are_seen_as_they_are(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed
) -> None:
    repo = f"h2-{SESSION}/oci"
    local = pushed.local(plain_registry)
    skopeo(
        "copy", "-q", "--format", "oci", "--dest-tls-verify=false",
        f"docker-daemon:{local}", f"docker://{plain_registry.host}/{repo}:v1",
    )  # fmt: skip
    # the same image, converted to OCI: another manifest and config, the same layers
    result = check(ctx, plain_registry, repository=repo, tag="v1", digest_of=local, complete=True)
    assert result.passed, result.message
    # an OCI index naming that manifest, as engines with the containerd image store push
    base = f"{plain_registry.url}/v2/{repo}/manifests"
    head = requests.head(f"{base}/v1", headers={"Accept": OCI_MANIFEST}, timeout=5)
    child = head.headers["Docker-Content-Digest"]
    index = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [
            {
                "mediaType": OCI_MANIFEST,
                "digest": child,
                "size": int(head.headers["Content-Length"]),
                "platform": {"architecture": "amd64", "os": "linux"},
            }
        ],
    }
    put = requests.put(
        f"{base}/idx", data=json.dumps(index), headers={"Content-Type": OCI_INDEX}, timeout=5
    )
    assert put.status_code == 201, put.text
    assert check(ctx, plain_registry, repository=repo, tag="idx", digest_of=local).passed
    assert check(ctx, plain_registry, repository=repo, tag="idx", complete=True).passed
    # the platform manifest deleted: the index still answers, but no longer pulls
    assert requests.delete(f"{base}/{child}", timeout=5).status_code == 202
    broken = check(ctx, plain_registry, repository=repo, tag="idx", complete=True)
    assert broken.status is Status.FAIL
    assert "references what the registry no longer serves: manifest sha256:" in broken.message


# --- the learner's stored login ---------------------------------------------------------------


def test_a_stale_saved_password_is_not_a_login(
    engine: Engine, workspace: Path, auth_registry: Registry, tmp_path: Path
) -> None:
    config = tmp_path / "docker-config"
    config.mkdir()
    ctx = CheckContext(engine=engine, workspace=workspace, docker_config_dir=config, timeout=5)

    def saved(password: str) -> Result:
        auth = base64.b64encode(f"{USER}:{password}".encode()).decode()
        (config / "config.json").write_text(
            json.dumps({"auths": {auth_registry.host: {"auth": auth}}})
        )
        return check_spec(
            ctx, kind="login", registry=auth_registry.host,
            url=auth_registry.url, ca_file=auth_registry.ca_file,
        )  # fmt: skip

    stale = saved("an-old-password")
    assert stale.status is Status.FAIL
    assert "refuses the stored password (401)" in stale.message
    assert saved(PASSWORD).passed


# --- pulled, not loaded ---------------------------------------------------------------------


def test_pulled_from_needs_a_pull(
    ctx: CheckContext, plain_registry: Registry, pushed: Pushed, images: list[str], tmp_path: Path
) -> None:
    repo = f"h2-{SESSION}/pulled"
    ref = f"{plain_registry.host}/{repo}:v1"
    images.append(ref)
    docker("tag", pushed.image_id, ref)
    docker("push", ref)
    container = subprocess.run(
        ["docker", "ps", "-q", "--filter", f"publish={plain_registry.host.split(':')[1]}"],
        capture_output=True, text=True, check=True,
    ).stdout.split()[0]  # fmt: skip
    source = {"url": plain_registry.url, "container": container}
    # saved, removed and loaded again: no digest from the registry, no pull in its log
    docker("save", "-o", str(tmp_path / "x.tar"), ref)
    docker("rmi", ref)
    docker("load", "-i", str(tmp_path / "x.tar"))
    loaded = check_spec(ctx, kind="image", ref=ref, pulled_from=source)
    assert loaded.status is Status.FAIL
    assert "it has no digest from that registry" in loaded.message
    log_only = {**source, "repo_digest": False}
    assert "shows no pull" in check_spec(ctx, kind="image", ref=ref, pulled_from=log_only).message
    # pulled by skopeo into the engine: no RepoDigest, but the registry served the manifest
    docker("rmi", ref)
    skopeo("copy", "-q", "--src-tls-verify=false", f"docker://{ref}", f"docker-daemon:{ref}")
    assert check_spec(ctx, kind="image", ref=ref, pulled_from=log_only).passed
    # pulled by docker: both
    docker("rmi", ref)
    docker("pull", ref)
    assert check_spec(ctx, kind="image", ref=ref, pulled_from=source).passed


# --- a registry container's configuration ---------------------------------------------------


def test_registry_config_reads_the_file_and_the_environment_as_the_registry(
    ctx: CheckContext, unique: str
) -> None:
    workspace = ctx.workspace
    (workspace / "data").mkdir()
    (workspace / "config.yml").write_text(
        "version: 0.1\nstorage:\n  delete:\n    enabled: True\n  filesystem:\n"
        "    rootdirectory: /var/lib/registry\nhttp:\n  addr: :5000\n"
    )
    name = f"dl-h2-config-{unique}"
    try:
        docker(
            "run", "-d", "--name", name,
            "-v", f"{workspace / 'config.yml'}:/srv/registry.yml",
            "-v", f"{workspace / 'data'}:/data",
            "-e", "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=/data/store",
            "-e", "REGISTRY_HTTP_HOST=http://registry.example:5000/",
            "registry:2", "serve", "/srv/registry.yml",
        )  # fmt: skip
        assert wait_for(lambda: check_spec(ctx, kind="container", name=name).passed, 20)
        spec = {"kind": "registry_config", "container": name}
        good = check_spec(
            ctx, **spec, config_file="config.yml", storage="data/store",
            options={"storage.delete.enabled": True, "http.host": "http://registry.example:5000"},
        )  # fmt: skip
        assert good.passed, good.message
        assert "reads /srv/registry.yml" in good.message
        wrong = check_spec(ctx, **spec, options={"http.host": "http://other:5000"})
        assert wrong.message == (
            f"container '{name}': http.host is 'http://registry.example:5000/', "
            "not 'http://other:5000'"
        )
        unset = check_spec(ctx, **spec, options={"auth.htpasswd.path": "/auth/htpasswd"})
        assert "auth.htpasswd.path is set neither in /srv/registry.yml" in unset.message
        elsewhere = check_spec(ctx, **spec, storage="data")
        assert elsewhere.status is Status.FAIL
        assert elsewhere.message.endswith(f"not in {(workspace / 'data').resolve()}")
    finally:
        subprocess.run(["docker", "rm", "-f", "-v", name], capture_output=True)
