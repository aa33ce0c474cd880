"""dockerlab/settings.py: every DOCKERLAB_* variable read in one place, --content added without
writing the environment, the settings of a run made current for its length only."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from dockerlab import paths, settings
from dockerlab.cli import main
from dockerlab.settings import Settings

PACKAGE = Path(__file__).resolve().parent.parent / "dockerlab"


def test_every_variable_is_read_from_the_environment_given(tmp_path: Path) -> None:
    env = {
        "DOCKERLAB_HOME": str(tmp_path / "home"),
        "DOCKERLAB_WORKSPACES": str(tmp_path / "ws"),
        "DOCKERLAB_CONTENT": os.pathsep.join([str(tmp_path / "a"), "", str(tmp_path / "b")]),
        "DOCKERLAB_CONFIG_DIR": str(tmp_path / "cfg"),
        "DOCKERLAB_THEME": "light",
    }
    s = Settings.from_env(env)
    assert s.home == tmp_path / "home"
    assert s.workspaces == tmp_path / "ws"
    assert s.content == (tmp_path / "a", tmp_path / "b")
    assert s.config_dir == tmp_path / "cfg"
    assert s.theme == "light"
    assert Settings.from_env({}) == Settings()
    assert Settings.from_env({"DOCKERLAB_HOME": "", "DOCKERLAB_THEME": ""}) == Settings()
    assert set(settings.VARIABLES) == set(env)


def test_content_from_the_command_line_comes_after_the_environment_s(tmp_path: Path) -> None:
    s = Settings.from_env({"DOCKERLAB_CONTENT": str(tmp_path / "env")}).with_content(["pack"])
    assert s.content == (tmp_path / "env", Path("pack").resolve())


def test_a_child_process_gets_the_settings_back_and_nothing_stale() -> None:
    s = Settings(home=Path("/srv/session"), content=(Path("/a"), Path("/b")))
    env = s.environ({"PATH": "/bin", "DOCKERLAB_WORKSPACES": "/old", "DOCKERLAB_THEME": "x"})
    assert env == {
        "PATH": "/bin",
        "DOCKERLAB_HOME": "/srv/session",
        "DOCKERLAB_CONTENT": os.pathsep.join(["/a", "/b"]),
    }
    assert Settings.from_env(env) == s


def test_use_makes_settings_current_for_the_block_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKERLAB_HOME", str(tmp_path / "env-home"))
    assert paths.data_dir() == tmp_path / "env-home"
    with settings.use(settings.current().with_home(tmp_path / "session")):
        assert paths.data_dir() == tmp_path / "session"
        assert paths.workspaces_dir() == tmp_path / "session" / "workspaces"
    assert paths.data_dir() == tmp_path / "env-home"


def test_content_reaches_the_loaders_without_touching_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack"
    lab = pack / "labs" / "pack-lab"
    lab.mkdir(parents=True)
    fixture = Path(__file__).parent / "tui" / "fixtures" / "labs" / "registry-basics" / "lab.yaml"
    (lab / "lab.yaml").write_text(
        fixture.read_text().replace("id: registry-basics", "id: pack-lab")
    )
    monkeypatch.delenv("DOCKERLAB_CONTENT", raising=False)
    monkeypatch.setattr("dockerlab.runner.catalog.machine_capabilities", set)  # ask no engine
    assert main(["--content", str(pack), "list"]) == 0
    assert "pack-lab" in capsys.readouterr().out
    assert "DOCKERLAB_CONTENT" not in os.environ
    assert paths.extra_content_dirs() == []  # the run's settings ended with it


def test_only_settings_reads_dockerlab_variables_and_nothing_writes_the_environment() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "settings.py" and path.parent == PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert node.value not in settings.VARIABLES, f"{path} names {node.value}"
            if isinstance(node, ast.Subscript | ast.Attribute) and isinstance(
                getattr(node, "ctx", None), ast.Store
            ):
                target = ast.unparse(node)
                assert "environ" not in target, f"{path} writes {target}"


def test_settings_imports_only_the_standard_library() -> None:
    tree = ast.parse((PACKAGE / "settings.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.module is not None
            assert not node.module.startswith("dockerlab")
            assert node.module.split(".")[0] in {
                "__future__",
                "collections",
                "contextlib",
                "dataclasses",
                "pathlib",
                "typing",
            }
        elif isinstance(node, ast.Import):
            assert {a.name for a in node.names} <= {"os", "threading"}


def test_each_serve_session_is_given_the_run_s_content_folders(tmp_path: Path) -> None:
    import shlex

    from dockerlab.cli.serve import session_command

    words = shlex.split(session_command([str(tmp_path / "my pack")]))
    assert words[1:] == ["-m", "dockerlab.cli.websession", "--content", str(tmp_path / "my pack")]
    assert shlex.split(session_command([]))[1:] == ["-m", "dockerlab.cli.websession"]
