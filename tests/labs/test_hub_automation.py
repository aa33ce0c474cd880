"""The hub-automation lab's own pieces, for real: the git hook of its solution building and
pushing to a registry, the near-misses its checks must not pass, its diagnoses against the
errors git, Docker, the registry and the receiver really print, the receiver it ships, and the
cleanup of the receiver process and of the images its builds leave.

The whole lab is validated end to end by tests/labs/test_validate_labs.py; here each piece runs
on its own registry (a unique name on a free port) and workspace.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from dockerlab.checks import CheckContext, Status, evaluate
from dockerlab.checks.pipeline import git_head
from dockerlab.engine import Engine
from dockerlab.engine.ownership import Owned, cleanup
from dockerlab.model.checks import Check
from dockerlab.model.lab import Diagnosis, Step
from dockerlab.model.loader import load_lab
from dockerlab.model.pipeline_checks import NotificationCheck, RegistryImageCheck
from dockerlab.paths import bundled_labs
from dockerlab.runner import processes
from dockerlab.runner.session import LabSession
from dockerlab.runner.shell import run_shell
from tests.conftest import free_port
from tests.labs.conftest import SUFFIX, Created, answers, docker, run, wait_until

LAB = bundled_labs() / "hub-automation"
LABEL = "org.dockerlab.lab=hub-automation"
RECEIVER = LAB / "receiver.py"

pytestmark = [pytest.mark.engine, pytest.mark.usefixtures("diagnosis_images")]


def session(port: int, workspace: Path) -> LabSession:
    loaded = load_lab(LAB, overrides={"registry_port": port, "receiver_port": free_port()})
    return LabSession(loaded, Engine(), workspace=workspace, capabilities={"engine"})


def diagnosed(s: LabSession, step_id: str, output: str, key: str) -> Diagnosis:
    found = [d for d in s.diagnose(s.lab.step(step_id), output) if key in d.pattern]
    assert found, f"{step_id}: no diagnosis keyed on '{key}' for:\n{output}"
    return found[0]


def solve(s: LabSession, step: Step, *, skip: str = "\0") -> str:
    """Run a step's solution commands (but those containing `skip`); return their output."""
    out = []
    for cmd in step.solution:
        if skip in cmd.run:
            continue
        done = run_shell(cmd.run, s.workspace, env=s.env())
        out.append(done.output)
        assert done.exit_code == 0, f"`{cmd.run}` failed:\n{done.output}"
    return "".join(out)


def sh(s: LabSession, command: str) -> str:
    """A command as the learner types it in the workspace; its output whatever the exit code."""
    return run_shell(command, s.workspace, env=s.env()).output


def check(s: LabSession, spec: Check) -> tuple[Status, str]:
    result = evaluate(spec, CheckContext(engine=s.engine, workspace=s.workspace))
    return result.status, result.message


@pytest.fixture
def registry(made: Created) -> Iterator[int]:
    port = free_port()
    name = f"dl-hub-reg-{SUFFIX}-{port}"
    made.containers.append(name)
    docker("run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:5000", "registry:2")
    wait_until(answers(f"http://127.0.0.1:{port}/v2/"), "the registry answers")
    said = requests.get(f"http://127.0.0.1:{port}/v2/", timeout=5)
    assert said.headers.get("Docker-Distribution-Api-Version") == "registry/2.0", said.headers
    yield port
    subprocess.run(["docker", "rm", "-f", "-v", name], capture_output=True, check=False)


# --- the automated build, its near-misses and diagnoses, for real ---------------------------


@pytest.mark.usefixtures("engine_lock")  # its builds carry the lab's label, which cleanup removes
def test_the_hook_builds_and_the_checks_refuse_the_near_misses(
    engine: Engine, registry: int, tmp_path: Path
) -> None:
    s = session(registry, tmp_path / "ws")
    s.workspace.mkdir()
    url = f"http://127.0.0.1:{registry}"
    app = RegistryImageCheck(kind="registry_image", url=url, repository="app", revision_of="src")
    try:
        solve(s, s.lab.step("source-and-registry"), skip="docker container run")
        # a hook without the executable bit: git says so, and nothing is built
        hook_steps = s.lab.step("automated-build")
        output = solve(s, hook_steps, skip="chmod +x")
        assert "hook was ignored because it's not set as executable" in output
        diagnosed(s, "automated-build", output, "not set as executable")
        assert check(s, app) == (Status.FAIL, f"app:latest is not in {url}")

        # executable: the next push builds, labels and pushes
        sh(s, "chmod +x hub.git/hooks/post-receive")
        output = sh(
            s,
            "echo v3 > src/message.txt && git -C src commit -qam v3 && git -C src push origin main",
        )
        assert "Successfully tagged" in output
        status, message = check(s, app)
        assert status is Status.PASS, f"{message}\n{output}\n{run('docker', 'ps', '-a')}"

        # committed but not pushed: the registry's image is of an older commit
        sh(s, "echo v4 > src/message.txt && git -C src commit -qam v4")
        status, message = check(s, app)
        assert status is Status.FAIL
        assert "was built from commit" in message
        assert f"src's HEAD is {git_head(s.workspace / 'src')[:12]}" in message  # type: ignore[index]

        # built and pushed by hand, without the label: nothing says which commit it is
        image = f"127.0.0.1:{registry}/app"
        sh(
            s,
            "git -C src push origin main && "
            f"git -C src archive HEAD | docker build -q -t {image} -",
        )
        docker("push", image)
        status, message = check(s, app)
        assert (status, "has no org.opencontainers.image.revision label" in message) == (
            Status.FAIL,
            True,
        ), message

        # a hook that builds `.` in the bare repository: no Dockerfile there
        output = sh(s, "cd hub.git && DOCKER_BUILDKIT=0 docker image build .")
        assert "unable to evaluate symlinks in Dockerfile path" in output
        diagnosed(s, "automated-build", output, "unable to evaluate symlinks")
        # a pushed commit without a Dockerfile
        output = sh(
            s,
            "git -C src rm -q Dockerfile && git -C src commit -qm gone && "
            "git -C src push origin main",
        )
        assert "Cannot locate specified Dockerfile" in output
        diagnosed(s, "automated-build", output, "Cannot locate specified Dockerfile")
        sh(s, "git -C src revert --no-edit HEAD && git -C src push origin main")

        # the repository link: app FROM a base that is not pushed yet
        base = f"127.0.0.1:{registry}/base"
        output = sh(s, f"printf 'FROM {base}\\n' | DOCKER_BUILDKIT=0 docker build -")
        assert f"manifest for {base}:latest not found" in output
        diagnosed(s, "repository-link", output, "base:latest not found")

        # app built on base; then a new base: app is no longer on the base the registry has
        on_base = RegistryImageCheck(
            kind="registry_image", url=url, repository="app", based_on="base"
        )
        sh(
            s,
            "mkdir -p base && "
            f"printf 'FROM busybox\\nLABEL {LABEL}\\nCOPY r /r\\n' > base/Dockerfile",
        )
        for release in ("1", "2"):
            sh(s, f"echo {release} > base/r && docker build -q -t {base} base")
            docker("push", base)
            if release == "1":
                sh(
                    s,
                    f"printf 'FROM {base}\\nCOPY message.txt /m\\n' "
                    f"| docker build -q -t {image} -f - src",
                )
                docker("push", image)
                status, message = check(s, on_base)
                assert status is Status.PASS, message
        status, message = check(s, on_base)
        assert status is Status.FAIL
        assert "is not built on the base the registry has now" in message

        # a push with nothing new runs no hook
        output = sh(s, "git -C src push origin main")
        assert "Everything up-to-date" in output
        diagnosed(s, "automated-build", output, "Everything up-to-date")
        # a build that fails: git push still succeeds (post-receive cannot undo it), no image
        sh(
            s,
            "echo v5 > src/message.txt && git -C src commit -qam v5 && git -C src push origin main",
        )
        status, message = check(s, app)
        assert status is Status.PASS, message
        sh(s, "echo 'RUN test -f /etc/app.conf' >> src/Dockerfile && git -C src commit -qam broken")
        pushed = run_shell("git -C src push origin main", s.workspace, env=s.env())
        assert pushed.exit_code == 0
        assert "returned a non-zero code: 1" in pushed.output
        diagnosed(s, "break-and-mend", pushed.output, "returned a non-zero code")
        status, message = check(s, app)
        assert status is Status.FAIL
        assert "was built from commit" in message
    finally:
        report = cleanup(
            engine,
            Owned(
                images=(image_of(registry, "app"), image_of(registry, "base")),
                image_labels=(LABEL,),
            ),
        )
    assert report.errors == []
    assert docker("images", "-aq", "--filter", f"label={LABEL}") == ""
    assert docker("images", "-q", "busybox:latest") != ""  # not labelled: untouched


def image_of(port: int, repo: str) -> str:
    return f"127.0.0.1:{port}/{repo}"


def test_pushing_before_the_first_commit_is_explained(tmp_path: Path) -> None:
    s = session(5000, tmp_path)
    # a clone with nothing committed yet
    output = sh(s, "git init -q --bare -b main hub.git && git clone -q hub.git src 2>/dev/null")
    output = sh(s, "git -C src push origin main")
    assert "src refspec main does not match any" in output
    diagnosed(s, "source-and-registry", output, "src refspec main does not match any")


def test_a_registry_on_a_port_in_use_is_explained(made: Created, tmp_path: Path) -> None:
    """With --network host the registry binds the port itself: its log says it is taken."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        s = session(port, tmp_path)
        s.workspace.mkdir(exist_ok=True)
        setup = "".join(run_shell(c.run, s.workspace, env=s.env()).output for c in s.lab.setup)
        name = f"dl-hub-bind-{SUFFIX}"
        made.containers.append(name)
        run_cmd = solve_command(s, "source-and-registry", "docker container run")
        sh(s, run_cmd.replace("--name registry", f"--name {name}"))
        wait_until(lambda: "address already in use" in run("docker", "logs", name), "it fails")
    output = run("docker", "container", "logs", name)
    assert "bind: address already in use" in output, setup + output
    diagnosed(s, "source-and-registry", output, "address already in use")


def test_python_outside_the_workspace_is_explained(tmp_path: Path) -> None:
    output = run(sys.executable, str(tmp_path / "receiver.py"), "--port", "1")
    assert "can't open file" in output
    diagnosed(session(5000, tmp_path), "webhook", output, "receiver")


def solve_command(s: LabSession, step_id: str, containing: str) -> str:
    return next(c.run for c in s.lab.step(step_id).solution if containing in c.run)


def test_a_commit_without_a_git_identity_is_explained(tmp_path: Path) -> None:
    repo = tmp_path / "src"
    run("git", "init", "-q", str(repo))
    (repo / "Dockerfile").write_text("FROM busybox\n")
    run("git", "-C", str(repo), "add", "Dockerfile")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run(
        ["git", "-c", "user.useConfigOnly=true", "-C", str(repo), "commit", "-m", "v1"],
        capture_output=True,
        text=True,
        env={**clean, "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"},
        check=False,
    )
    assert done.returncode != 0
    s = session(5000, tmp_path)
    diagnosed(s, "source-and-registry", done.stdout + done.stderr, "Author identity unknown")


# --- the webhook ----------------------------------------------------------------------------


def test_notifications_to_a_closed_port_are_explained(made: Created, tmp_path: Path) -> None:
    closed = free_port()
    config = tmp_path / "config.yml"
    config.write_text(
        "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\n"
        "http:\n  addr: :5000\nnotifications:\n  endpoints:\n    - name: jenkins\n"
        f"      url: http://127.0.0.1:{closed}/events\n      timeout: 1s\n      threshold: 3\n"
        "      backoff: 1s\n"
    )
    port = free_port()
    name = f"dl-hub-closed-{SUFFIX}"
    ref = f"127.0.0.1:{port}/app"
    made.containers.append(name)
    made.images.append(ref)
    docker(
        "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:5000",
        "-v", f"{config}:/etc/docker/registry/config.yml", "registry:2",
    )  # fmt: skip
    wait_until(answers(f"http://127.0.0.1:{port}/v2/"), "the registry answers")
    docker("tag", "busybox:latest", ref)
    docker("push", ref)

    def logged() -> bool:
        return "retryingsink: error writing events" in run("docker", "logs", name)

    wait_until(logged, "the registry logs its failed deliveries", timeout=30)
    s = session(port, tmp_path)
    diagnosed(s, "webhook", run("docker", "logs", name), "retryingsink")


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """The lab's receiver on a free port, with a job for pushes of app:latest that fails."""
    port = free_port()
    (tmp_path / "rebuild-app.sh").write_text(
        '#!/bin/sh\necho "job $REPOSITORY:$TAG $DIGEST"\nexit 3\n'
    )
    (tmp_path / "rebuild-app.sh").chmod(0o755)
    out = (tmp_path / "receiver.out").open("w")
    proc = subprocess.Popen(
        [sys.executable, str(RECEIVER), "--port", str(port), "--log", "events.jsonl",
         "--pidfile", "receiver.pid", "--on-push", "app:latest=./rebuild-app.sh"],
        cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    wait_until(lambda: (tmp_path / "receiver.pid").exists(), "the receiver writes its pidfile")
    yield port, tmp_path
    proc.kill()
    proc.wait()
    out.close()


def envelope(action: str, repository: str, tag: str | None, digest: str) -> dict[str, object]:
    target = {"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "repository": repository, "digest": digest}  # fmt: skip
    if tag:
        target["tag"] = tag
    return {"events": [{"id": "1", "action": action, "target": target}]}


def test_the_receiver_logs_events_runs_the_job_and_logs_its_exit_code(
    receiver: tuple[int, Path], engine: Engine
) -> None:
    port, folder = receiver
    digest = "sha256:" + "a" * 64
    for body in (
        envelope("push", "base", "latest", digest),
        envelope("push", "app", "latest", digest),
    ):
        assert requests.post(f"http://127.0.0.1:{port}/events", json=body, timeout=5).ok
    log = folder / "events.jsonl"
    wait_until(lambda: '"job"' in log.read_text(), "the job's outcome is logged")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line.get("action") for line in lines[:2]] == ["push", "push"]
    job = lines[-1]["job"]
    assert (job["trigger"], job["exit_code"], job["digest"]) == ("app:latest", 3, digest)
    assert f"job app:latest {digest}" in (folder / "receiver.out").read_text()
    # the notification check reads the same log
    ctx = CheckContext(engine=engine, workspace=folder)
    seen = NotificationCheck(
        kind="notification", log="events.jsonl", repository="app", tag="latest"
    )
    assert evaluate(seen, ctx).status is Status.PASS
    other = NotificationCheck(kind="notification", log="events.jsonl", repository="app", tag="v2")
    result = evaluate(other, ctx)
    assert result.status is Status.FAIL
    assert (
        "none a push of app:v2 (it has: push of app:latest, push of base:latest)" in result.message
    )
    # a second receiver on the same port: the lab explains the message it prints
    second = run(
        sys.executable, str(RECEIVER), "--port", str(port), "--pidfile", str(folder / "2.pid")
    )
    assert f"receiver: cannot listen on 127.0.0.1:{port}: Address already in use" in second
    s = session(5000, folder)
    diagnosed(s, "webhook", second, "Address already in use")
    diagnosed(s, "repository-link", second, "Address already in use")
    # cleanup stops it by its pidfile, and it removes the pidfile on the way out
    pid = processes.stop(folder / "receiver.pid", "receiver.py")
    assert pid is not None
    assert not (folder / "receiver.pid").exists()
    assert processes.owned_pid(folder / "receiver.pid", "receiver.py") is None


def test_a_job_without_the_executable_bit_is_explained(tmp_path: Path) -> None:
    (tmp_path / "rebuild-app.sh").write_text("#!/bin/sh\necho rebuilt\n")
    port = free_port()
    out = (tmp_path / "receiver.out").open("w")
    proc = subprocess.Popen(
        [sys.executable, str(RECEIVER), "--port", str(port), "--on-push", "base=./rebuild-app.sh"],
        cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_until(lambda: (tmp_path / "receiver.pid").exists(), "the receiver starts")
        body = envelope("push", "base", "latest", "sha256:" + "b" * 64)
        requests.post(f"http://127.0.0.1:{port}/", json=body, timeout=5)
        wait_until(
            lambda: '"exit_code": 126' in (tmp_path / "events.jsonl").read_text(), "the job fails"
        )
    finally:
        proc.terminate()
        proc.wait(10)
        out.close()
    s = session(5000, tmp_path)
    diagnosed(s, "repository-link", (tmp_path / "receiver.out").read_text(), "Permission denied")


# --- pieces without an engine ---------------------------------------------------------------


def test_cleanup_never_signals_a_pid_that_runs_another_program(tmp_path: Path) -> None:
    other = subprocess.Popen(["sleep", "60"])
    try:
        (tmp_path / "receiver.pid").write_text(f"{other.pid}\n")
        assert processes.owned_pid(tmp_path / "receiver.pid", "receiver.py") is None
        assert processes.stop(tmp_path / "receiver.pid", "receiver.py") is None
        assert other.poll() is None  # still running
        (tmp_path / "receiver.pid").write_text("not a pid\n")
        assert processes.stop(tmp_path / "receiver.pid", "receiver.py") is None
    finally:
        other.kill()
        other.wait()
    assert processes.stop(tmp_path / "missing.pid", "receiver.py") is None


def test_git_head_reads_work_trees_bare_repositories_and_packed_refs(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return run("git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args).strip()

    assert git_head(tmp_path / "nothing") is None
    git("init", "-q", "-b", "main", str(tmp_path / "w"))
    assert git_head(tmp_path / "w") is None  # no commit yet
    (tmp_path / "w" / "f").write_text("x")
    git("-C", str(tmp_path / "w"), "add", "f")
    git("-C", str(tmp_path / "w"), "commit", "-qm", "one")
    head = git("-C", str(tmp_path / "w"), "rev-parse", "HEAD")
    assert git_head(tmp_path / "w") == head
    git("clone", "-q", "--bare", str(tmp_path / "w"), str(tmp_path / "b.git"))
    assert git_head(tmp_path / "b.git") == head  # bare; a clone packs its refs
    git("-C", str(tmp_path / "w"), "checkout", "-q", "--detach")
    assert git_head(tmp_path / "w") == head


def test_a_notification_log_that_is_missing_or_garbage_fails_with_a_sentence(
    engine: Engine, tmp_path: Path
) -> None:
    ctx = CheckContext(engine=engine, workspace=tmp_path)
    spec = NotificationCheck(kind="notification", log="events.jsonl", repository="app")
    assert (
        evaluate(spec, ctx).message
        == "events.jsonl does not exist: the receiver has logged nothing yet"
    )
    (tmp_path / "events.jsonl").write_bytes(b'\xff\xfe not json\n[1, 2]\n{"events": 3}\n')
    result = evaluate(spec, ctx)
    assert (result.status, result.message) == (
        Status.FAIL,
        "events.jsonl holds 0 events, none a push of app",
    )


def test_the_lab_declares_its_receiver_and_its_labelled_images() -> None:
    lab = load_lab(LAB).lab
    assert [(p.pidfile, p.command) for p in lab.cleanup.processes] == [
        ("receiver.pid", "receiver.py")
    ]
    assert lab.cleanup.image_labels == [LABEL]
    written = [
        c.run
        for st in lab.steps
        for c in st.solution
        if re.search(r"(?<!>)> (src|base)/Dockerfile", c.run)  # written, not appended to
    ]
    assert len(written) == 2
    assert all(f"LABEL {LABEL}" in text for text in written)


# --- the whole lab, and what its cleanup leaves ---------------------------------------------


def _processes_in(folder: Path) -> list[str]:
    """Command lines of the processes whose working folder is `folder` (the receiver's is)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cwd").resolve() == folder.resolve():
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found


@pytest.mark.slow
@pytest.mark.usefixtures("engine_lock")
@pytest.mark.timeout(600, func_only=True)
@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc to find the receiver")
def test_validate_stops_the_receiver_and_removes_every_image_it_built(
    engine: Engine, tmp_path: Path
) -> None:
    from dockerlab.runner.rehearsal import rehearse

    workspace = tmp_path / "hub-automation"
    s = LabSession(load_lab(LAB), engine, workspace=workspace)
    seen: list[str] = []

    def receiver_running(message: str) -> None:
        if "[repository-link] after" in message:  # the receiver runs between the steps
            seen.extend(_processes_in(workspace))

    report = rehearse(s, receiver_running)
    assert report.ok, [(st.step_id, st.problem) for st in report.steps] + [report.problem]
    assert any("receiver.py" in line for line in seen), seen
    assert report.cleanup is not None
    assert any(r.startswith("process receiver.py (pid ") for r in report.cleanup.removed)
    assert _processes_in(workspace) == []
    assert docker("images", "-aq", "--filter", f"label={LABEL}") == ""
    assert run("docker", "container", "inspect", "registry").strip().startswith("[]")


def test_registry_image_reads_all_four_manifest_types(
    engine: Engine, registry: int, made: Created, tmp_path: Path
) -> None:
    """docker 20.10 pushes a Docker v2 manifest; the same image is stored here also as an OCI
    manifest, and behind an OCI index and a Docker manifest list, as BuildKit pushes them."""
    url = f"http://127.0.0.1:{registry}"
    ref = f"127.0.0.1:{registry}/labelled"
    made.images.append(ref)
    build = subprocess.run(
        ["docker", "build", "-q", "--label", "stage=tested", "-t", ref, "-"],
        input="FROM busybox\n", capture_output=True, text=True, check=False,
        env={**os.environ, "DOCKER_BUILDKIT": "0"},
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    docker("push", ref)
    docker_v2 = "application/vnd.docker.distribution.manifest.v2+json"
    got = requests.get(
        f"{url}/v2/labelled/manifests/latest", headers={"Accept": docker_v2}, timeout=10
    )
    manifest = got.json()
    assert manifest["mediaType"] == docker_v2
    oci = {
        **manifest,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {**manifest["config"], "mediaType": "application/vnd.oci.image.config.v1+json"},
        "layers": [
            {**layer, "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip"}
            for layer in manifest["layers"]
        ],
    }
    platform = {"architecture": "amd64", "os": "linux"}
    entry = {"digest": got.headers["Docker-Content-Digest"], "size": len(got.content)}
    uploads = {
        "oci": (oci["mediaType"], oci),
        "index": (
            "application/vnd.oci.image.index.v1+json",
            {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{**entry, "mediaType": docker_v2, "platform": platform}]},
        ),
        "list": (
            "application/vnd.docker.distribution.manifest.list.v2+json",
            {"schemaVersion": 2,
             "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
             "manifests": [{**entry, "mediaType": docker_v2, "platform": platform}]},
        ),
    }  # fmt: skip
    for tag, (media_type, body) in uploads.items():
        put = requests.put(
            f"{url}/v2/labelled/manifests/{tag}",
            data=json.dumps(body),
            headers={"Content-Type": media_type},
            timeout=10,
        )
        assert put.status_code == 201, put.text
    ctx = CheckContext(engine=engine, workspace=tmp_path)
    for tag in ("latest", "oci", "index", "list"):
        spec = RegistryImageCheck(
            kind="registry_image",
            url=url,
            repository="labelled",
            tag=tag,
            labels={"stage": "test.*"},
        )
        result = evaluate(spec, ctx)
        assert (tag, result.status) == (tag, Status.PASS), result.message
    wrong = RegistryImageCheck(
        kind="registry_image", url=url, repository="labelled", tag="index", labels={"stage": "prod"}
    )
    result = evaluate(wrong, ctx)
    assert result.status is Status.FAIL
    assert result.message == "labelled:index has stage='tested', which is not 'prod'"
