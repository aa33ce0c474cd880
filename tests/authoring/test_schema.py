"""`dockerlab schema lab|quiz`: draft-07 JSON Schemas from the models, committed and current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from dockerlab import paths
from dockerlab.authoring.schema import KINDS, render, schema_file, schema_for
from tests.authoring.conftest import GOOD_LAB, Cli, write_lab


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_up_to_date(kind: str) -> None:
    assert schema_file(kind).read_text(encoding="utf-8") == render(kind), (
        f"{schema_file(kind)} is behind the models: run `python -m dockerlab.authoring.schema` "
        "and commit the result"
    )


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [r for v in node.values() for r in _refs(v)] + (
            [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        )
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_draft_07_with_definitions(kind: str) -> None:
    schema = schema_for(kind)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(schema)
    assert "$defs" not in text
    for ref in _refs(schema):
        assert ref.startswith("#/definitions/")
        assert ref.removeprefix("#/definitions/") in schema["definitions"]


def test_cli_prints_the_schema(cli: Cli) -> None:
    code, out, _ = cli("schema", "lab")
    assert code == 0
    assert json.loads(out)["title"] == "dockerlab lab"


def test_bundled_lab_points_at_the_committed_schema() -> None:
    first = (paths.bundled_labs() / "registry-basics" / "lab.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../dockerlab/schemas/lab.schema.json"
    target = (paths.bundled_labs() / "registry-basics" / first.split("=", 1)[1]).resolve()
    assert target == schema_file("lab")


def _validator(kind: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = schema_for(kind)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_bundled_labs_and_quizzes_are_valid_against_the_schemas() -> None:
    labs = sorted(paths.bundled_labs().glob("*/lab.yaml"))
    quizzes = sorted(paths.bundled_content().glob("*.quiz.yaml"))
    assert labs
    for kind, files in (("lab", labs), ("quiz", quizzes)):
        validator = _validator(kind)
        for file in files:
            errors = [e.message for e in validator.iter_errors(yaml.safe_load(file.read_text()))]
            assert errors == [], f"{file}: {errors}"


def test_schema_accepts_placeholders_and_string_commands_and_rejects_typos(
    tmp_path: Path,
) -> None:
    validator = _validator("lab")
    data = yaml.safe_load(write_lab(tmp_path, GOOD_LAB).read_text())
    data["steps"][0]["solution"] = "docker run -d --name tiny-box busybox sleep 60"
    data["steps"][0]["timeout"] = "{{ wait }}"
    assert list(validator.iter_errors(data)) == []
    data["steps"][0]["check"]["kind"] = "contaner"
    data["steps"][0]["instrucions"] = data["steps"][0].pop("instructions")
    assert len(list(validator.iter_errors(data))) >= 2
