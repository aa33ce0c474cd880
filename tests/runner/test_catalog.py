"""Finding a lab: an id wins over a folder of the same name in the current directory; a path is
a path; every --var must be one of the lab's variables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockerlab.model.problems import ContentError
from dockerlab.runner.catalog import looks_like_path, resolve, undeclared_overrides

REPO = Path(__file__).resolve().parents[2]


def test_an_id_wins_over_a_workspace_folder_of_the_same_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "registry-tls").mkdir()  # the learner's workspaces folder holds one
    monkeypatch.chdir(tmp_path)
    loaded = resolve("registry-tls", capabilities=set())
    assert loaded.path == REPO / "labs" / "registry-tls" / "lab.yaml"


def test_a_path_is_read_as_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "labs" / "registry-basics", tmp_path / "mine")
    monkeypatch.chdir(tmp_path)
    assert resolve("./mine", capabilities=set()).path == Path("mine/lab.yaml")
    assert resolve("mine/lab.yaml", capabilities=set()).lab.id == "registry-basics"
    # a bare word that is no lab's id but a lab folder here is that folder
    assert resolve("mine", capabilities=set()).path == Path("mine/lab.yaml")
    with pytest.raises(KeyError, match="no lab folder or lab.yaml at './missing'"):
        resolve("./missing", capabilities=set())
    with pytest.raises(KeyError, match="no lab 'registry-tsl' \\(did you mean 'registry-tls'"):
        resolve("registry-tsl", capabilities=set())


@pytest.mark.parametrize(
    ("target", "is_path"),
    [("registry-tls", False), ("./registry-tls", True), ("labs/x", True), ("x.yaml", True)],
)
def test_what_looks_like_a_path(target: str, is_path: bool) -> None:
    assert looks_like_path(target) is is_path


def test_an_unknown_var_for_a_lab_by_id_is_an_error() -> None:
    with pytest.raises(ContentError) as err:
        resolve("registry-basics", {"registy_port": "5056"}, capabilities=set())
    (problem,) = err.value.problems
    assert "--var registy_port=5056: this lab has no variable" in problem.message
    assert problem.suggestion == "registry_port"
    port = resolve("registry-basics", {"registry_port": "5056"}, capabilities=set())
    assert "5056" in port.lab.steps[0].solution[0].run


def test_a_var_no_lab_declares() -> None:
    assert undeclared_overrides({"registry_port": "5001"}) == []
    (problem,) = undeclared_overrides({"registy_port": "5001"})
    assert str(problem).startswith("command line: --var registy_port=5001: no lab has")
    assert problem.suggestion == "registry_port"
