"""JSON Schemas (draft-07) of lab and quiz files, generated from the pydantic models.

Editors with the YAML language server read the `# yaml-language-server: $schema=...` line at the
top of a content file and then complete keys and flag mistakes while the instructor types.
pydantic writes JSON Schema 2020-12 (`$defs`); the language server and most other tools speak
draft-07 (`definitions`), so the references are rewritten. Two lab-file conveniences the models
accept are added too: a `{{ variable }}` wherever a number or true/false goes, and a command
list written as one string or as plain strings instead of `{run: ...}` mappings.

The committed files in dockerlab/schemas/ are regenerated with
`python -m dockerlab.authoring.schema`; a test fails when they fall behind the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
KINDS: tuple[str, ...] = ("lab", "quiz")
PLACEHOLDER = {
    "type": "string",
    "pattern": r"^\s*\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}\s*$",
    "description": "a lab variable, filled in when the lab loads",
}
NON_STRING = ("integer", "number", "boolean")


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {("definitions" if k == "$defs" else k): _rewrite_refs(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    if isinstance(node, str) and node.startswith("#/$defs/"):
        return "#/definitions/" + node.removeprefix("#/$defs/")
    return node


def _constrained(node: dict[str, Any]) -> bool:
    """A value a `{{ variable }}` would not match as written: a number, a boolean, one of a
    list of words, a string with a pattern. (A single allowed value, like `kind`, stays.)"""
    return (
        node.get("type") in NON_STRING
        or "enum" in node
        or (node.get("type") == "string" and "pattern" in node)
    )


def _allow_placeholders(node: Any) -> Any:
    """Wherever a number, boolean or one of a list of words is expected, accept
    `"{{ name }}"` too: the loader fills variables in before it validates."""
    if isinstance(node, list):
        return [_allow_placeholders(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _allow_placeholders(v) for k, v in node.items()}
    if _constrained(out):
        outer = {k: out.pop(k) for k in ("title", "description", "default") if k in out}
        return {**outer, "anyOf": [out, {"$ref": "#/definitions/Placeholder"}]}
    return out


def _loose_commands(node: Any) -> Any:
    """`setup:` and `solution:` take one string, or a list of strings and `{run: ...}`."""
    if isinstance(node, list):
        return [_loose_commands(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _loose_commands(v) for k, v in node.items()}
    if out.get("type") == "array" and out.get("items") == {"$ref": "#/definitions/Command"}:
        array = {"type": "array", "items": {"anyOf": [{"type": "string"}, out["items"]]}}
        if "minItems" in out:
            array["minItems"] = out.pop("minItems")
        outer = {k: v for k, v in out.items() if k not in ("type", "items")}
        return {**outer, "anyOf": [{"type": "string"}, array]}
    return out


def _draft07(raw: dict[str, Any], title: str) -> dict[str, Any]:
    body = _rewrite_refs(raw)
    return {"$schema": DRAFT_07, "title": title, **{k: v for k, v in body.items() if k != "title"}}


def lab_schema() -> dict[str, Any]:
    """The JSON Schema of a lab file (`labs/<id>/lab.yaml`)."""
    from dockerlab.model.lab import Lab

    schema: dict[str, Any] = _loose_commands(
        _allow_placeholders(_draft07(Lab.model_json_schema(), "dockerlab lab"))
    )
    schema["definitions"]["Placeholder"] = PLACEHOLDER
    return schema


def quiz_schema() -> dict[str, Any]:
    """The JSON Schema of a quiz file (`content/<id>.quiz.yaml`)."""
    from dockerlab.model.quiz import Quiz

    return _draft07(Quiz.model_json_schema(), "dockerlab quiz")


def schema_for(kind: str) -> dict[str, Any]:
    if kind == "lab":
        return lab_schema()
    if kind == "quiz":
        return quiz_schema()
    raise ValueError(f"no schema for '{kind}'; choose one of {', '.join(KINDS)}")


def render(kind: str) -> str:
    """The schema as the committed file holds it: indented JSON and a final newline."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def schema_file(kind: str) -> Path:
    return SCHEMA_DIR / f"{kind}.schema.json"


def write_all() -> list[Path]:
    """Regenerate dockerlab/schemas/*.schema.json from the models."""
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = schema_file(kind)
        path.write_text(render(kind), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_all():
        print(f"wrote {written_path}", file=sys.stderr)
