"""The docs' second lab (the registry HTTP API by hand), written with typed variables, check
messages, a `json` check, a captured digest and a diagnosis with an example: lint-clean, no
`command` check, and it validates on the real engine. Plus the near-misses its features catch."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from dockerlab.authoring.lint import lint
from dockerlab.engine import Engine
from tests.authoring.conftest import Cli
from tests.conftest import REPO, free_port

TEXT = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"<!-- api-lab: (\S+) -->\n```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def api_lab(pack: Path) -> Path:
    match = BLOCK.search(TEXT)
    assert match, "docs/authoring.md lost its <!-- api-lab: PATH --> block"
    path = pack / match.group(1)
    path.parent.mkdir(parents=True)
    path.write_text(match.group(2), encoding="utf-8")
    return path


def test_it_is_lint_clean_without_a_command_check(tmp_path: Path) -> None:
    lab = api_lab(tmp_path)
    assert lint([lab]).problems == []
    assert "kind: command" not in lab.read_text()


def test_a_bad_var_is_reported_at_its_declaration(tmp_path: Path, cli: Cli) -> None:
    api_lab(tmp_path)
    code, _, err = cli(
        "--content", str(tmp_path), "show", "registry-api", "--var", "registry_port=abc"
    )
    assert code == 2
    assert "lab.yaml:11:18: --var registry_port=abc: 'abc' is not a TCP port (1-65535)" in err


@pytest.mark.engine
def test_it_validates_and_its_features_catch_the_near_misses(
    engine: Engine, tmp_path: Path, cli: Cli, unique: str
) -> None:
    pack = tmp_path / "pack"
    lab = api_lab(pack)
    assert cli("trust", str(pack))[0] == 0
    port = free_port()
    own = ["--var", f"registry_port={port}", "--var", f"registry_name=api-{unique}"]
    ws = ["--workspace", str(tmp_path / "ws")]
    code, out, err = cli("--content", str(pack), "validate", str(lab.parent), *own, *ws)
    assert code == 0, out + err
    assert "registry-api: PASSED" in out

    # near-misses, as a learner: a registry without deletes, and the delete step done too early
    learner = [*own, "--workspace", str(tmp_path / "learner")]
    subprocess.run(
        [
            "docker",
            "run",
            "-d",
            "--name",
            f"api-{unique}",
            "-p",
            f"127.0.0.1:{port}:5000",
            "registry:2",
        ],
        check=True,
        capture_output=True,
    )
    try:
        code, out, _ = cli(
            "--content", str(pack), "check", "registry-api", "run-registry", *learner
        )
        assert code == 1
        assert "does not accept deletes yet" in out
        code, out, _ = cli(
            "--content",
            str(pack),
            "check",
            "registry-api",
            "run-registry",
            "--why",
            "--output",
            "/dev/null",
            *learner,
        )
        assert "answered 405, expected 404" in out  # the raw line, for the author
        code, out, _ = cli("--content", str(pack), "check", "registry-api", "delete", *learner)
        assert code == 1
        assert "uses {{ pushed_digest }}, which step 'push' records" in out
    finally:
        subprocess.run(["docker", "rm", "-f", "-v", f"api-{unique}"], capture_output=True)
