"""`dockerlab new lab|quiz`: commented starting files that lint accepts and validate passes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dockerlab import paths
from dockerlab.authoring.lint import lint
from dockerlab.authoring.scaffold import ScaffoldError, new_lab, new_quiz
from dockerlab.engine import Engine
from dockerlab.model.loader import load_lab
from dockerlab.model.quiz import load_quiz
from tests.authoring.conftest import Cli


def test_new_lab_is_commented_and_lint_finds_nothing(tmp_path: Path, cli: Cli) -> None:
    code, out, _ = cli("new", "lab", "my-lab", "--dir", str(tmp_path))
    assert code == 0
    lab = tmp_path / "labs" / "my-lab" / "lab.yaml"
    assert "wrote" in out
    assert "dockerlab trust" in out
    text = lab.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/lab.schema.json\n")
    assert (tmp_path / "schemas" / "lab.schema.json").is_file()
    assert text.count("#") > 20
    assert load_lab(lab).lab.id == "my-lab"
    assert lint([tmp_path]).problems == []


def test_new_quiz_is_valid_and_lint_finds_nothing(tmp_path: Path, cli: Cli) -> None:
    code, _, _ = cli("new", "quiz", "my-quiz", "--dir", str(tmp_path))
    assert code == 0
    quiz = tmp_path / "content" / "my-quiz.quiz.yaml"
    loaded = load_quiz(quiz).quiz
    assert {q.type for q in loaded.questions} == {"single", "multiple", "true_false", "short"}
    assert quiz.read_text().startswith(
        "# yaml-language-server: $schema=../schemas/quiz.schema.json\n"
    )
    assert lint([quiz]).problems == []


def test_new_refuses_to_overwrite_and_bad_ids(tmp_path: Path, cli: Cli) -> None:
    new_lab("my-lab", tmp_path)
    with pytest.raises(ScaffoldError, match="exists already"):
        new_lab("my-lab", tmp_path)
    new_lab("my-lab", tmp_path, force=True)
    code, _, err = cli("new", "lab", "My_Lab", "--dir", str(tmp_path))
    assert code == 2
    assert "not a valid lab id" in err
    with pytest.raises(ScaffoldError, match="subcommand"):
        new_quiz("list", tmp_path)


def test_inside_the_repository_the_schema_line_points_at_dockerlabs_schema(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = paths.REPO_ROOT / "build" / f"scaffold-test-{tmp_path.name}"
    try:
        lab = new_lab("inside", target)
        first = lab.read_text().splitlines()[0]
        assert first == (
            "# yaml-language-server: $schema=../../../../dockerlab/schemas/lab.schema.json"
        )
        assert not (target / "schemas").exists()
    finally:
        subprocess.run(["rm", "-rf", str(target)], check=True)


@pytest.mark.engine
def test_the_starter_lab_passes_validate_after_trust(
    engine: Engine, tmp_path: Path, unique: str, cli: Cli
) -> None:
    slug = f"starter-{unique}"
    pack = tmp_path / "pack"
    new_lab(slug, pack)
    folder = pack / "labs" / slug
    code, _, err = cli("--content", str(pack), "validate", str(folder))
    assert code == 2
    assert "not trusted yet" in err
    assert cli("trust", str(pack))[0] == 0
    code, out, err = cli(
        "--content", str(pack), "validate", str(folder), "--workspace", str(tmp_path / "ws")
    )
    assert code == 0, out + err
    assert f"{slug}: PASSED" in out
