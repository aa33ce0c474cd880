"""Every bundled lab, validated end to end against the real engine, as `dockerlab validate
--near-misses` does: cleanup → setup → each step's check FAILS, each of its near misses gets its
verdict (mistakes FAIL, other ways PASS), its solution runs, the check PASSES → cleanup →
nothing declared remains.

The fast tests hold every lab to the course's rules (goal, hints, solution, cleanup, the
`registry_port` variable, the section the course map expects) without an engine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockerlab.checks.result import Status
from dockerlab.engine import Engine
from dockerlab.model.lab import Lab
from dockerlab.model.loader import find_lab_files, load_lab
from dockerlab.model.variables import GO_TEMPLATE_WORDS, PLACEHOLDER
from dockerlab.paths import bundled_labs
from dockerlab.runner.rehearsal import LabReport, rehearse
from dockerlab.runner.session import LabSession

LAB_FILES = find_lab_files([bundled_labs()])
LAB_IDS = [path.parent.name for path in LAB_FILES]

SECTIONS = {
    "registry-basics": "private-registry",
    "registry-tls": "secure-registry",
    "registry-auth": "secure-registry",
    "registry-swarm": "swarm-registry",
    "registry-gc": "private-registry",
    "registry-mirror": "private-registry",
    "registry-webhooks": "private-registry",
}


def lab(slug: str, capabilities: set[str] | None = None) -> Lab:
    return load_lab(bundled_labs() / slug, capabilities=capabilities or set()).lab


def summary(report: LabReport) -> str:
    """The validate table as the CLI prints it, for a failing assertion's message."""
    lines = [f"{report.lab_id}: {report.problem or ''}"]
    for s in report.steps:
        before = s.before.status.value if s.before else "-"
        after = s.after.status.value if s.after else "-"
        lines.append(f"  {s.step_id}: before {before}, after {after}; {s.problem or 'ok'}")
    if report.cleanup and report.cleanup.errors:
        lines.append(f"  cleanup errors: {report.cleanup.errors}")
    if report.leftovers:
        lines.append(f"  left behind: {report.leftovers}")
    for step in report.steps:
        for miss in step.near_misses:
            verdict = miss.result.status.value if miss.result else "-"
            said = miss.problem or (miss.result.message if miss.result else "")
            lines.append(
                f"  {step.step_id} / {miss.name} (must {miss.expect}): {verdict} "
                f"in {miss.seconds:.1f}s; {said}"
            )
    return "\n".join(lines)


# --- the course's rules, without an engine ------------------------------------------------


def test_the_seven_course_labs_are_bundled() -> None:
    assert set(SECTIONS) <= set(LAB_IDS)


@pytest.mark.parametrize("slug", sorted(SECTIONS))
def test_lab_is_in_the_section_the_course_map_uses(slug: str) -> None:
    assert lab(slug).section == SECTIONS[slug]


@pytest.mark.parametrize("slug", LAB_IDS)
def test_every_step_has_a_goal_two_hints_and_a_solution(slug: str) -> None:
    for step in lab(slug).steps:
        assert step.goal, f"{slug}/{step.id}: needs a goal"
        assert "\n" not in step.goal.strip(), f"{slug}/{step.id}: the goal is one line"
        assert len(step.hints) >= 2, f"{slug}/{step.id}: needs hints from gentle to explicit"
        assert step.solution, f"{slug}/{step.id}: needs a reference solution"


@pytest.mark.parametrize("slug", LAB_IDS)
def test_lab_takes_registry_port_defaulting_to_5000(slug: str) -> None:
    raw = load_lab(bundled_labs() / slug).lab.variables["registry_port"]
    assert raw == 5000


@pytest.mark.parametrize("slug", LAB_IDS)
def test_registry_port_override_reaches_commands_and_cleanup(slug: str) -> None:
    loaded = load_lab(bundled_labs() / slug, overrides={"registry_port": 5999})
    text = loaded.lab.model_dump_json(exclude={"variables"})  # declarations stay templates
    assert "5999" in text
    # whatever `{{ name }}` is left is a Go-template word of a docker --format string
    assert set(PLACEHOLDER.findall(text)) <= GO_TEMPLATE_WORDS


def test_pinned_registry_image() -> None:
    for slug in LAB_IDS:
        assert "registry:2" in lab(slug).images, slug


def test_swarm_lab_uses_the_course_commands_where_the_routing_mesh_works() -> None:
    mesh = lab("registry-swarm", {"routing-mesh"})
    runs = [c.run for step in mesh.steps for c in step.solution]
    assert "docker service create --name registry --publish 5000:5000 registry:2" in runs
    assert (
        "docker service create --name nginx -p 80:80 --replicas 5 --detach=false "
        "127.0.0.1:5000/nginx" in runs
    )
    assert mesh.step("nginx-service").check.ports[0].mode == "ingress"  # type: ignore[union-attr]


def test_swarm_lab_publishes_in_host_mode_without_the_routing_mesh() -> None:
    host = lab("registry-swarm", set())
    runs = [c.run for step in host.steps for c in step.solution]
    assert (
        "docker service create --name registry "
        "--publish mode=host,target=5000,published=5000 registry:2" in runs
    )
    assert any("--publish mode=host,target=80 --replicas 5" in r for r in runs)
    assert "no IPVS" in host.step("registry-service").instructions
    assert host.cleanup.swarm == "leave-if-created"


def test_tls_and_auth_labs_declare_their_trust_files_and_login() -> None:
    tls, auth = lab("registry-tls"), lab("registry-auth")
    assert "/etc/docker/certs.d/127.0.0.1:5000" in tls.cleanup.host_paths
    assert auth.cleanup.host_paths == ["/etc/docker/certs.d/127.0.0.1:5000"]
    assert "127.0.0.1:5000" in auth.cleanup.logins


# --- the real thing ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.engine
@pytest.mark.usefixtures("engine_lock")
# waiting for the engine lock must not count: a timeout inside validate would skip its cleanup
@pytest.mark.timeout(600, func_only=True)
@pytest.mark.parametrize("path", LAB_FILES, ids=LAB_IDS)
def test_lab_validates_on_the_real_engine(engine: Engine, tmp_path: Path, path: Path) -> None:
    from dockerlab.engine.doctor import quick_capabilities

    # variables are chosen as `dockerlab validate` chooses them (e.g. host-mode publishing
    # where the kernel has no IPVS); requirements are judged by the session's full probe
    loaded = load_lab(path, capabilities=quick_capabilities())
    session = LabSession(loaded, engine, workspace=tmp_path / loaded.lab.id)
    missing = session.missing_requirements()
    if missing:
        pytest.skip(f"this machine lacks {', '.join(missing)}")
    if shutil.which("skopeo") is None:
        pytest.fail(
            "the near misses push and pull with skopeo: install it (apt-get install skopeo)"
        )
    # the near-miss matrix too: each step's mistakes must fail, its other ways must pass
    report = rehearse(session, near_misses=True)
    assert report.ok, summary(report)
    for step in report.steps:
        assert step.before_waived or (step.before and step.before.status is Status.FAIL), (
            f"{step.step_id}: the check must be shown failing before the solution"
        )
    assert [s.step_id for s in report.steps] == [s.id for s in loaded.lab.steps]
    for step in report.steps:
        assert len(step.near_misses) == len(loaded.lab.step(step.step_id).near_misses)
