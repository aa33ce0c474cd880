"""The lab loader: every problem at once, each at file:line:column with a did-you-mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab.model.checks import ContainerCheck, RegistryCheck
from dockerlab.model.loader import load_lab
from dockerlab.model.problems import ContentError

GOOD = """\
format_version: 1
id: demo
title: Demo
section: private-registry
summary: A demo.
minutes: 5
variables:
  registry_port: 5000
  publish:
    default: "--publish mode=host,published=5000,target=5000"
    when:
      routing-mesh: "--publish 5000:5000"
cleanup:
  containers: [registry]
steps:
  - id: run
    title: Run it
    instructions: "docker service create {{ publish }} -f '{{range .Ports}}{{end}}'"
    solution: docker run -d -p {{ registry_port }}:5000 --name registry registry:2
    hints: [one, two]
    check:
      kind: container
      name: registry
      ports:
        - container: 5000
          host: "{{ registry_port }}"
  - id: push
    title: Push
    instructions: push
    solution: ["docker push 127.0.0.1:{{ registry_port }}/x"]
    check:
      kind: registry
      url: http://127.0.0.1:{{ registry_port }}
      repository: x
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lab.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_lab(write(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_good_lab_loads_with_variables_filled(tmp_path: Path) -> None:
    loaded = load_lab(write(tmp_path, GOOD))
    check = loaded.lab.steps[0].check
    assert isinstance(check, ContainerCheck)
    assert check.ports[0].host == 5000
    assert loaded.lab.steps[0].solution[0].run.startswith("docker run -d -p 5000:5000")
    second = loaded.lab.steps[1].check
    assert isinstance(second, RegistryCheck)
    assert second.url == "http://127.0.0.1:5000"


def test_variable_override_changes_commands_and_checks(tmp_path: Path) -> None:
    loaded = load_lab(write(tmp_path, GOOD), {"registry_port": 5001})
    check = loaded.lab.steps[0].check
    assert isinstance(check, ContainerCheck)
    assert check.ports[0].host == 5001
    assert "5001:5000" in loaded.lab.steps[0].solution[0].run


def test_capability_dependent_variable_follows_the_machine(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    plain = load_lab(path).lab.steps[0].instructions
    mesh = load_lab(path, capabilities={"routing-mesh"}).lab.steps[0].instructions
    assert "--publish mode=host,published=5000,target=5000" in plain
    assert "--publish 5000:5000" in mesh
    # Docker's Go-template words are not lab variables
    assert "{{range .Ports}}{{end}}" in plain


def test_unknown_override_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="this lab has no variable 'registry_prot'"):
        load_lab(write(tmp_path, GOOD), {"registry_prot": 1})


def test_every_problem_reported_at_once_with_positions_and_suggestions(tmp_path: Path) -> None:
    text = GOOD.replace("    hints: [one, two]\n", "    hnts: [one, two]\n")
    text = text.replace("kind: container", "kind: containr")
    text = text.replace("repository: x", "repository: x\n      tga: latest")
    text = text.replace("instructions: push", 'instructions: "on {{ registy_port }}"')
    found = problems(tmp_path, text)
    assert len(found) == 4, found
    assert any(":20:5: unknown key 'hnts' (did you mean 'hints'?)" in p for p in found)
    assert any(":22:13: unknown check kind 'containr'" in p and "'container'?" in p for p in found)
    assert any(
        "unknown variable '{{ registy_port }}'" in p and "'registry_port'?" in p for p in found
    )
    assert any("unknown key 'tga' (did you mean 'tag'?)" in p for p in found)
    assert all(p.startswith(str(tmp_path / "lab.yaml")) for p in found)


def test_unquoted_placeholder_gets_a_quoting_hint(tmp_path: Path) -> None:
    text = GOOD.replace('host: "{{ registry_port }}"', "host: {{ registry_port }}")
    found = problems(tmp_path, text)
    assert "must be quoted" in found[0]
    assert ":26:18:" in found[0]


def test_colon_in_unquoted_hint_explains_itself(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("hints: [one, two]", "hints:\n      - note: quote me"))
    assert any("quote text that contains ': '" in p for p in found)


def test_duplicate_keys_and_step_ids(tmp_path: Path) -> None:
    text = GOOD.replace("minutes: 5", "minutes: 5\nminutes: 6").replace("id: push", "id: run")
    found = problems(tmp_path, text)
    assert any("duplicate key 'minutes'" in p for p in found)


def test_duplicate_step_ids(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("id: push", "id: run"))
    assert any("step ids must be unique" in p for p in found)


def test_missing_fields_and_bad_regex(tmp_path: Path) -> None:
    text = GOOD.replace("title: Demo\n", "").replace(
        "    hints: [one, two]\n",
        "    hints: [one, two]\n    diagnoses:\n"
        "      - pattern: '(unclosed'\n        explanation: x\n",
    )
    found = problems(tmp_path, text)
    assert any("missing required key 'title'" in p for p in found)
    assert any("not a valid regular expression" in p for p in found)


def test_registry_url_needs_scheme(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("url: http://127.0.0.1", "url: 127.0.0.1"))
    assert any("needs a scheme" in p for p in found)


def test_yaml_syntax_error_and_empty_file(tmp_path: Path) -> None:
    assert ":2:" in problems(tmp_path, "id: x\n  bad: [\n")[0]
    assert "empty" in problems(tmp_path, "")[0]
    assert "mapping" in problems(tmp_path, "- a\n- b\n")[0]


def test_unreadable_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="cannot read the file"):
        load_lab(tmp_path / "missing.yaml")


def test_bundled_labs_load() -> None:
    from dockerlab.runner.catalog import load_catalog

    catalog = load_catalog(capabilities=set())
    assert catalog.problems == []
    assert "registry-basics" in catalog.labs


def test_variables_may_use_other_variables(tmp_path: Path) -> None:
    text = GOOD.replace(
        "  registry_port: 5000\n",
        '  registry_port: 5000\n  registry_url: "http://127.0.0.1:{{ registry_port }}"\n',
    ).replace("url: http://127.0.0.1:{{ registry_port }}", 'url: "{{ registry_url }}"')
    loaded = load_lab(write(tmp_path, text), {"registry_port": 5002})
    check = loaded.lab.steps[1].check
    assert isinstance(check, RegistryCheck)
    assert check.url == "http://127.0.0.1:5002"


def test_unless_skips_where_the_capability_exists(tmp_path: Path) -> None:
    from dockerlab.runner.session import LabSession

    text = GOOD.replace(
        "    solution: docker run -d -p {{ registry_port }}:5000 --name registry registry:2\n",
        "    solution:\n      - run: echo ingress\n        requires: [routing-mesh]\n"
        "      - run: echo host\n        unless: [routing-mesh]\n",
    )
    loaded = load_lab(write(tmp_path, text))
    step = loaded.lab.steps[0]
    for caps, ran in (({"engine"}, "host"), ({"engine", "routing-mesh"}, "ingress")):
        from dockerlab.runner import trust

        trust.trust(tmp_path)
        session = LabSession(loaded, workspace=tmp_path / "ws", capabilities=caps)
        outcomes = session.solve(step)
        assert [o.output.strip() for o in outcomes if o.skipped is None] == [ran]
        assert len([o for o in outcomes if o.skipped]) == 1
