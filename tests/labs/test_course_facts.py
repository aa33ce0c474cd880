"""Facts the course teaches, held where a test can hold them: against the real registry (the
`registry:2` the labs run), and over the course's own text.

- A missing htpasswd file is not an error: the registry writes one with user `docker` and a
  random password, logs it, and the lab diagnoses that log line.
- `garbage-collect --delete-untagged` on registry:2 deletes the untagged per-platform
  manifest of a tagged index (and collecting needs no delete setting).
- `registry:2` answers 404 for an OCI manifest asked for without the OCI media type in
  `Accept`, and the lab diagnoses that answer.
- A list setting can be given in one environment variable, as YAML.
- No page or question recommends `garbage-collect --delete-untagged` without saying that it
  breaks multi-platform images on registry:2.
- A registry service without a mount loses its images when its task is replaced.
- `insecure-registries` and `registry-mirrors` are reloaded on SIGHUP (a dockerd of our own).
- Hint ladders start with a nudge, never with a solution command.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from dockerlab.engine import Engine
from dockerlab.engine.images import prepare
from dockerlab.engine.swarm import swarm_state
from dockerlab.model.lab import Lab, Step
from dockerlab.model.loader import load_lab
from dockerlab.model.quiz import load_quiz
from dockerlab.paths import bundled_content, bundled_labs
from dockerlab.quiz import grade
from tests.conftest import free_port
from tests.labs.conftest import (
    SUFFIX,
    Created,
    answers,
    diagnosed,
    docker,
    push,
    run,
    wait_until,
)

CONTENT = bundled_content()
LABS = sorted(p.parent for p in bundled_labs().glob("*/lab.yaml"))


def labs() -> list[Lab]:
    return [load_lab(folder).lab for folder in LABS]


def start_registry(made: Created, *args: str) -> str:
    """A `registry:2` on a free 127.0.0.1 port, with extra `docker run` arguments; its URL."""
    name, port = f"dl-facts-{len(made.containers)}-{SUFFIX}", free_port()
    made.containers.append(name)
    docker("run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:5000", *args, "registry:2")
    url = f"http://127.0.0.1:{port}"
    wait_until(answers(f"{url}/v2/"), f"registry {name} did not answer")
    return url


def logs(made: Created) -> str:
    """The logs of the registry `start_registry` started last (stdout and stderr)."""
    return run("docker", "container", "logs", made.containers[-1])


# --- the real registry -------------------------------------------------------------------------


@pytest.mark.engine
@pytest.mark.usefixtures("diagnosis_images")
def test_a_missing_htpasswd_file_is_provisioned_with_user_docker_and_diagnosed(
    made: Created, tmp_path: Path
) -> None:
    empty = tmp_path / "auth"  # what `-v "$(pwd)"/auth:/auth` mounts from the wrong folder
    empty.mkdir()
    made.paths.append(tmp_path)
    url = start_registry(
        made,
        "-v",
        f"{empty}:/auth",
        "-e",
        "REGISTRY_AUTH=htpasswd",
        "-e",
        "REGISTRY_AUTH_HTPASSWD_REALM=Registry Realm",
        "-e",
        "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd",
    )
    # no error: strangers still get a 401, so the lab's check alone cannot tell
    assert requests.get(f"{url}/v2/", timeout=10).status_code == 401
    output = logs(made)
    assert "htpasswd is missing, provisioning with default user" in output, output
    diagnosed("registry-auth", "run-registry", output, "htpasswd is missing")
    diagnosed("registry-auth", "login", output, "htpasswd is missing")
    # the security lesson: the password is in the log, and it works
    line = next(x for x in output.splitlines() if "htpasswd is missing" in x)
    assert re.search(r'\buser="?docker\b', line), line
    found = re.search(r'\bpassword="?([A-Za-z0-9_-]+)', line)
    assert found is not None, line
    ok = requests.get(f"{url}/v2/", auth=("docker", found.group(1)), timeout=10)
    assert ok.status_code == 200
    assert (empty / "htpasswd").read_text().startswith("docker:$2")  # bcrypt, written for you


OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"


def _put_manifest(url: str, repo: str, reference: str, manifest: dict[str, object]) -> str:
    """PUT a manifest under a tag or its digest; its digest."""
    body = json.dumps(manifest).encode()
    if reference == "@":
        reference = "sha256:" + hashlib.sha256(body).hexdigest()
    media_type = str(manifest["mediaType"])
    sent = requests.put(
        f"{url}/v2/{repo}/manifests/{reference}",
        data=body,
        headers={"Content-Type": media_type},
        timeout=10,
    )
    assert sent.status_code == 201, sent.text
    return str(sent.headers["Docker-Content-Digest"])


def _push_oci_manifest(url: str, repo: str, reference: str = "v1") -> str:
    """Push an OCI image manifest (config blob, no layers) the way an OCI client does, under a
    tag, or untagged with `reference="@"`; its digest."""
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers"}})
    body = config.encode()
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    start = requests.post(f"{url}/v2/{repo}/blobs/uploads/", timeout=10)
    assert start.status_code == 202, start.text
    location = start.headers["Location"]
    location = location if location.startswith("http") else url + location
    sep = "&" if "?" in location else "?"
    put = requests.put(f"{location}{sep}digest={digest}", data=body, timeout=10)
    assert put.status_code == 201, put.text
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": digest,
            "size": len(body),
        },
        "layers": [],
    }
    return _put_manifest(url, repo, reference, manifest)


FOUR_TYPES = ", ".join(
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ]
)


@pytest.mark.engine
@pytest.mark.usefixtures("diagnosis_images")
def test_an_oci_manifest_needs_the_oci_type_in_accept_and_the_404_is_diagnosed(
    made: Created,
) -> None:
    url = start_registry(made)
    digest = _push_oci_manifest(url, "demo")
    docker_only = "application/vnd.docker.distribution.manifest.v2+json"
    output = run("curl", "-si", "-H", f"Accept: {docker_only}", f"{url}/v2/demo/manifests/v1")
    assert output.startswith("HTTP/1.1 404"), output
    assert "OCI manifest found, but accept header does not support OCI manifests" in output
    diagnosed("registry-gc", "delete-manifest", output, "accept header does not support OCI")
    # accepting all four types, the registry answers with the stored manifest and its digest
    head = requests.head(f"{url}/v2/demo/manifests/v1", headers={"Accept": FOUR_TYPES}, timeout=10)
    assert head.status_code == 200
    assert head.headers["Docker-Content-Digest"] == digest


@pytest.mark.engine
@pytest.mark.usefixtures("diagnosis_images")
def test_delete_untagged_breaks_a_multi_platform_image_on_registry_2(made: Created) -> None:
    """What the GC lab warns about, on the registry it runs: a tagged OCI index whose
    per-platform manifest has no tag of its own. Collecting needs no delete setting; with
    `--delete-untagged` the child goes and the tagged index points at nothing."""
    url = start_registry(made)  # deletes NOT enabled: the collector does not need them
    child = _push_oci_manifest(url, "demo", "@")
    accept = {"Accept": OCI_MANIFEST}
    fetched = requests.get(f"{url}/v2/demo/manifests/{child}", headers=accept, timeout=10)
    size = len(fetched.content)
    index = {
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [
            {
                "mediaType": OCI_MANIFEST,
                "digest": child,
                "size": size,
                "platform": {"architecture": "amd64", "os": "linux"},
            }
        ],
    }
    _put_manifest(url, "demo", "v2", index)
    name = made.containers[-1]

    def collect(*flags: str) -> None:
        config = "/etc/docker/registry/config.yml"
        docker("exec", name, "registry", "garbage-collect", *flags, config)
        docker("restart", name)  # forget the in-memory blob cache, as the lab does
        wait_until(answers(f"{url}/v2/"), "the registry did not come back")

    def child_status() -> int:
        accept_all = {"Accept": FOUR_TYPES}
        answer = requests.get(f"{url}/v2/demo/manifests/{child}", headers=accept_all, timeout=10)
        return answer.status_code

    collect()
    assert child_status() == 200, "plain garbage-collect removed a manifest the index uses"
    collect("--delete-untagged")
    assert child_status() == 404, "registry:2 kept the untagged child; the lab's warning is wrong"
    tagged = requests.get(f"{url}/v2/demo/manifests/v2", headers={"Accept": OCI_INDEX}, timeout=10)
    assert tagged.status_code == 200
    assert tagged.json()["manifests"][0]["digest"] == child  # pointing at nothing


@pytest.mark.engine
@pytest.mark.usefixtures("diagnosis_images")
def test_a_list_setting_can_come_from_one_environment_variable_as_yaml(made: Created) -> None:
    endpoints = "[{name: hook, url: 'http://127.0.0.1:9/hook', timeout: 1s}]"
    start_registry(made, "-e", f"REGISTRY_NOTIFICATIONS_ENDPOINTS={endpoints}")
    wait_until(
        lambda: "configuring endpoint hook (http://127.0.0.1:9/hook)" in logs(made),
        "the registry did not configure the endpoint given as YAML",
    )


# --- the course's text -------------------------------------------------------------------------

WARNING = re.compile(r"multi-platform", re.IGNORECASE)


def _units(path: Path) -> list[str]:
    """The pieces of a page a learner reads as one: sections of a page, questions of a quiz,
    steps of a lab."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return re.split(r"^## ", text, flags=re.MULTILINE)
    if path.name.endswith(".quiz.yaml"):
        return re.split(r"^  - id: ", text, flags=re.MULTILINE)
    return re.split(r"^  - id: ", text, flags=re.MULTILINE)


def test_no_page_recommends_delete_untagged_without_the_multi_platform_warning() -> None:
    files = [*CONTENT.glob("*.md"), *CONTENT.glob("*.quiz.yaml"), *(p / "lab.yaml" for p in LABS)]
    mentions = 0
    for path in files:
        for unit in _units(path):
            if "--delete-untagged" in unit:
                mentions += 1
                assert WARNING.search(unit), (
                    f"{path.name}: `--delete-untagged` without the warning that registry:2 "
                    f"deletes the per-platform manifests of multi-platform images:\n{unit[:300]}"
                )
    assert mentions >= 3  # the GC lab, the private-registry quiz and the registry page


def test_no_lab_solution_uses_delete_untagged() -> None:
    for lab in labs():
        for step in lab.steps:
            for command in step.solution:
                text = command if isinstance(command, str) else command.run
                assert "--delete-untagged" not in text, f"{lab.id}/{step.id}"


def _flat(text: str) -> str:
    return " ".join(text.replace("\\\n", " ").split())


def _gives_away(hint: str, step: Step) -> str | None:
    """The solution command `hint` spells out in full, if any (short ones do not count)."""
    for command in step.solution:
        text = _flat(command if isinstance(command, str) else command.run)
        if len(text) >= 15 and text in _flat(hint):
            return text
    return None


def test_every_hint_ladder_goes_from_a_nudge_to_the_answer() -> None:
    """nudge -> more -> near-answer: the first hint never spells out a solution command, and
    once a hint does, no vaguer hint follows it."""
    checked = 0
    for lab in labs():
        for step in lab.steps:
            if not step.hints:
                continue
            checked += 1
            given = _gives_away(step.hints[0], step)
            assert given is None, (
                f"{lab.id}/{step.id}: the first hint gives away `{given}`; start the ladder "
                "with a nudge and keep the command for the last hint"
            )
            rungs = [_gives_away(h, step) is not None for h in step.hints]
            if any(rungs):
                first_answer = rungs.index(True)
                assert all(rungs[first_answer:]), (
                    f"{lab.id}/{step.id}: a vaguer hint follows one that spells out a command"
                )
    assert checked >= 20


@pytest.mark.engine
def test_the_real_hello_world_and_busybox_share_no_layer(engine: Engine) -> None:
    """The GC lab says so, and that only the offline stand-ins may share one (their busybox
    layer, depending on how they were built), so it never promises a count."""
    text = _flat((bundled_labs() / "registry-gc" / "lab.yaml").read_text(encoding="utf-8"))
    assert "The real hello-world and busybox share no layer" in text
    assert "stand-ins may share their busybox layer" in text
    prepare(engine, ["hello-world:latest", "busybox:latest"])
    label = '{{ index .Config.Labels "org.dockerlab.stand-in" }}'
    refs = ("hello-world:latest", "busybox:latest")
    if any(docker("image", "inspect", "-f", label, ref) == "true" for ref in refs):
        pytest.skip("offline stand-ins here; the real images come from Docker Hub")
    layers = [
        set(json.loads(docker("image", "inspect", "-f", "{{json .RootFS.Layers}}", ref)))
        for ref in refs
    ]
    assert not layers[0] & layers[1]


@pytest.mark.parametrize("typed", ["Artifact", "Artifact Registry", "google artifact registry"])
def test_the_artifact_registry_blank_takes_the_full_name(typed: str) -> None:
    quiz = load_quiz(CONTENT / "third-party.quiz.yaml").quiz
    assert grade(quiz.question("artifact-registry-name"), typed).correct


@pytest.mark.engine
@pytest.mark.usefixtures("engine_lock", "diagnosis_images")
def test_a_registry_service_without_a_mount_starts_empty_after_a_forced_update(
    engine: Engine, made: Created
) -> None:
    """registry-swarm.md: each task gets an anonymous volume, so a replacement task starts
    empty, even on the same (here: the only) node."""
    created_swarm = not swarm_state(engine).active
    if created_swarm:
        docker("swarm", "init", "--advertise-addr", "127.0.0.1")
    name, port = f"dl-facts-swarm-{SUFFIX}", free_port()
    url = f"http://127.0.0.1:{port}"
    volumes: set[str] = set()
    try:
        docker(
            "service", "create", "--detach", "--name", name,
            "--publish", f"mode=host,target=5000,published={port}", "registry:2",
        )  # fmt: skip
        wait_until(answers(f"{url}/v2/"), "the registry service did not answer", timeout=60)
        push(made, f"127.0.0.1:{port}", f"facts-{SUFFIX}")
        catalog = requests.get(f"{url}/v2/_catalog", timeout=10).json()["repositories"]
        assert catalog == [f"facts-{SUFFIX}"]
        volumes |= _task_volumes(name)
        docker("service", "update", "--force", "--detach", name)
        wait_until(
            lambda: (
                len(_task_volumes(name) | volumes) > len(volumes)
                and answers(f"{url}/v2/_catalog")()
            ),
            "no new registry task answered after the forced update",
            timeout=60,
        )
        volumes |= _task_volumes(name)
        after = requests.get(f"{url}/v2/_catalog", timeout=10).json()["repositories"]
        assert after == [], "the replacement task kept the images"
        assert len(volumes) == 2  # a fresh anonymous volume for the new task
    finally:
        volumes |= _task_volumes(name)
        run("docker", "service", "rm", name)
        if created_swarm:
            run("docker", "swarm", "leave", "--force")
        wait_until(lambda: not _task_volumes(name), "the service's tasks were not removed")
        for volume in volumes:
            run("docker", "volume", "rm", volume)


def _task_volumes(service: str) -> set[str]:
    """The volumes mounted by the containers of a service's tasks (running or not)."""
    ids = docker(
        "container", "ls", "-aq", "--filter", f"label=com.docker.swarm.service.name={service}"
    ).split()
    if not ids:
        return set()
    names = run(
        "docker", "container", "inspect", "-f",
        '{{range .Mounts}}{{if eq .Type "volume"}}{{println .Name}}{{end}}{{end}}', *ids,
    )  # fmt: skip
    return {n for n in names.split() if re.fullmatch(r"[0-9a-f]{64}", n)}


@pytest.fixture
def own_dockerd() -> Iterator[tuple[subprocess.Popen[bytes], Path, Path]]:
    """A second dockerd of our own (own socket, data and exec root, own bridge, no iptables),
    so its configuration can be reloaded without touching the engine everyone shares.

    Never `--bridge=none`: a dockerd started with it deletes the host's `docker0`, the shared
    engine's default bridge (moby's removeDefaultBridgeInterface). It gets a bridge of its own.
    """
    binary, ip = shutil.which("dockerd"), shutil.which("ip")
    if binary is None or ip is None or os.geteuid() != 0:
        pytest.skip("needs the dockerd binary, iproute2 and root")
    root = Path(tempfile.mkdtemp(prefix="dl-dockerd-"))  # short: a socket path has a limit
    config, sock = root / "daemon.json", root / "docker.sock"
    config.write_text("{}", encoding="utf-8")
    bridge = f"dlbr{SUFFIX[:6]}"  # interface names are at most 15 characters
    subnet = f"198.18.{int(SUFFIX[:2], 16)}.1/24"  # a benchmarking range nobody routes
    had_docker0 = _has_link(ip, "docker0")
    subprocess.run([ip, "link", "add", "name", bridge, "type", "bridge"], check=True)
    subprocess.run([ip, "addr", "add", subnet, "dev", bridge], check=True)
    log = (root / "dockerd.log").open("wb")
    proc = subprocess.Popen(
        [
            binary,
            f"--host=unix://{sock}",
            f"--data-root={root / 'data'}",
            f"--exec-root={root / 'exec'}",
            f"--pidfile={root / 'dockerd.pid'}",
            f"--config-file={config}",
            f"--bridge={bridge}",
            "--iptables=false",
            "--ip6tables=false" if _dockerd_knows("--ip6tables", binary) else "--ipv6=false",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(
            lambda: proc.poll() is not None or _info(sock) is not None,
            "our dockerd did not answer",
            timeout=60,
        )
        assert proc.poll() is None, (root / "dockerd.log").read_text(errors="replace")
        assert _has_link(ip, "docker0") == had_docker0, "our dockerd touched docker0"
        yield proc, config, sock
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        log.close()
        subprocess.run([ip, "link", "delete", bridge], check=False)
        shutil.rmtree(root, ignore_errors=True)


def _has_link(ip: str, name: str) -> bool:
    return (
        subprocess.run([ip, "link", "show", name], capture_output=True, check=False).returncode == 0
    )


def _dockerd_knows(flag: str, binary: str) -> bool:
    done = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=30)
    return flag in done.stdout


def _info(sock: Path) -> dict[str, Any] | None:
    done = subprocess.run(
        ["docker", "-H", f"unix://{sock}", "info", "--format", "{{json .RegistryConfig}}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return json.loads(done.stdout) if done.returncode == 0 else None


@pytest.mark.engine
def test_insecure_registries_and_mirrors_are_reloaded_on_sighup(
    own_dockerd: tuple[subprocess.Popen[bytes], Path, Path],
) -> None:
    """registry-tls.md: `systemctl reload docker` (a SIGHUP) is enough; the daemon, and so
    every container it runs, keeps running."""
    proc, config, sock = own_dockerd
    before = _info(sock)
    assert before is not None
    assert "192.0.2.10:5000" not in json.dumps(before)
    config.write_text(
        json.dumps(
            {
                "insecure-registries": ["192.0.2.10:5000"],
                "registry-mirrors": ["https://mirror.example.com"],
            }
        ),
        encoding="utf-8",
    )
    proc.send_signal(signal.SIGHUP)

    def reloaded() -> bool:
        info = _info(sock) or {}
        index = info.get("IndexConfigs", {})
        mirrors = index.get("docker.io", {}).get("Mirrors", [])
        return (
            index.get("192.0.2.10:5000", {}).get("Secure") is False
            and "https://mirror.example.com/" in mirrors
        )

    wait_until(reloaded, "the daemon did not pick up the new registry settings on SIGHUP")
    assert proc.poll() is None  # the same process: nothing was restarted
