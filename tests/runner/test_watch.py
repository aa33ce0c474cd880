"""Which engine events and file changes re-check a step (runner/watch.py)."""

from __future__ import annotations

from pathlib import Path

from dockerlab.checks.context import CheckContext
from dockerlab.engine import Engine
from dockerlab.engine.events import EngineEvent
from dockerlab.model import checks as m
from dockerlab.runner.watch import (
    POLL_UNWATCHED,
    POLL_WATCHED,
    changed_files,
    file_signature,
    plan_for,
)


def ctx(tmp_path: Path) -> CheckContext:
    return CheckContext(
        engine=Engine(),
        workspace=tmp_path / "ws",
        docker_config_dir=tmp_path / "docker",
        certs_d=tmp_path / "certs.d",
    )


def ev(type_: str, action: str, name: str = "", **attributes: str) -> EngineEvent:
    return EngineEvent(
        type=type_, action=action, name=name, attributes={"name": name, **attributes}
    )


def test_container_check_follows_only_that_containers_lifecycle(tmp_path: Path) -> None:
    plan = plan_for(m.ContainerCheck(kind="container", name="registry"), ctx(tmp_path))
    assert plan.relevant(ev("container", "start", "registry"))
    assert plan.relevant(ev("container", "die", "registry"))
    assert plan.relevant(ev("container", "rename", "reg2", oldName="/registry"))
    assert not plan.relevant(ev("container", "start", "someone-else"))
    assert not plan.relevant(ev("container", "exec_start", "registry"))
    assert not plan.relevant(ev("image", "tag", "registry"))
    assert plan.poll_interval == POLL_WATCHED


def test_image_check_follows_tag_untag_push_pull_and_delete(tmp_path: Path) -> None:
    plan = plan_for(m.ImageCheck(kind="image", ref="127.0.0.1:5000/hello-world"), ctx(tmp_path))
    for action in ("tag", "untag", "push", "pull", "delete", "load"):
        assert plan.relevant(ev("image", action, "x")), action
    assert not plan.relevant(ev("container", "start", "registry"))


def test_registry_check_follows_pushes_and_containers_and_polls(tmp_path: Path) -> None:
    check = m.RegistryCheck(kind="registry", url="http://127.0.0.1:5000", repository="hello-world")
    plan = plan_for(check, ctx(tmp_path))
    assert plan.relevant(ev("image", "push", "127.0.0.1:5000/hello-world"))
    assert plan.relevant(ev("container", "start", "any-registry"))
    assert not plan.relevant(ev("image", "tag", "x"))
    assert plan.poll_interval == POLL_UNWATCHED


def test_file_check_watches_the_workspace_paths(tmp_path: Path) -> None:
    check = m.FileCheck(kind="file", path="certs/domain.crt", same_as="/etc/x/ca.crt")
    plan = plan_for(check, ctx(tmp_path))
    assert plan.files == (tmp_path / "ws" / "certs/domain.crt", Path("/etc/x/ca.crt"))
    assert not plan.rules


def test_login_check_watches_the_docker_client_config(tmp_path: Path) -> None:
    plan = plan_for(m.LoginCheck(kind="login", registry="127.0.0.1:5000"), ctx(tmp_path))
    assert plan.files == (tmp_path / "docker" / "config.json",)


def test_swarm_and_service_checks_follow_nodes_services_and_tasks(tmp_path: Path) -> None:
    swarm = plan_for(m.SwarmCheck(kind="swarm"), ctx(tmp_path))
    assert swarm.relevant(ev("node", "update", "n1"))
    service = plan_for(m.ServiceCheck(kind="service", name="nginx", replicas=5), ctx(tmp_path))
    assert service.relevant(ev("service", "update", "nginx"))
    assert not service.relevant(ev("service", "update", "other"))
    assert service.relevant(ev("container", "start", "nginx.1.abc"))
    assert service.poll_interval == POLL_UNWATCHED


def test_command_check_has_no_event_so_it_is_polled(tmp_path: Path) -> None:
    plan = plan_for(m.CommandCheck(kind="command", run="true"), ctx(tmp_path))
    assert not plan.rules
    assert not plan.files
    assert plan.poll_interval == POLL_UNWATCHED


def test_all_any_not_merge_what_their_children_need(tmp_path: Path) -> None:
    check = m.AllCheck(
        kind="all",
        checks=[
            m.FileCheck(kind="file", path="registry-data/x", type="directory"),
            m.NotCheck(kind="not", check=m.ContainerCheck(kind="container", name="registry")),
            m.AnyCheck(kind="any", checks=[m.HttpCheck(kind="http", url="http://127.0.0.1:5000")]),
        ],
    )
    plan = plan_for(check, ctx(tmp_path))
    assert plan.files == (tmp_path / "ws" / "registry-data/x",)
    assert plan.relevant(ev("container", "start", "registry"))
    assert plan.poll_interval == POLL_UNWATCHED
    assert "file registry-data/x" in plan.describe()


def test_file_signature_notices_creation_change_and_removal(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    before = file_signature([path])
    path.write_text("one")
    created = file_signature([path])
    assert changed_files(before, created) == [path]
    assert changed_files(created, file_signature([path])) == []
    path.write_text("three")
    changed = file_signature([path])
    assert changed_files(created, changed) == [path]
    path.unlink()
    assert changed_files(changed, file_signature([path])) == [path]
