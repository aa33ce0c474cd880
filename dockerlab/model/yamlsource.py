"""Read YAML while remembering where every key and value stood, so errors can point at them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dockerlab.model.problems import Problem

PathKey = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed YAML document plus the 1-based (line, column) of each path in it."""

    file: str
    data: Any
    value_at: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_at: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Where `path` stands; falls back to its closest known parent."""
        table = self.key_at if key else self.value_at
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.value_at:
                return self.value_at[probe]
            probe = probe[:-1]
        return self.value_at.get((), (1, 1))

    def problem(
        self, path: PathKey, message: str, suggestion: str | None = None, *, key: bool = False
    ) -> Problem:
        line, column = self.position(path, key=key)
        return Problem(self.file, line, column, message, suggestion)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(node: yaml.Node, path: PathKey, src: Source, problems: list[Problem]) -> None:
    src.value_at[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                line, col = _mark(key_node)
                problems.append(Problem(src.file, line, col, f"duplicate key '{key}'"))
            seen.add(key)
            src.key_at[(*path, key)] = _mark(key_node)
            _walk(value_node, (*path, key), src, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), src, problems)


def parse_yaml(text: str, file: str) -> tuple[Source, list[Problem]]:
    """Parse one YAML document; syntax errors come back as problems, never as exceptions."""
    problems: list[Problem] = []
    src = Source(file=file, data=None)
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                problems.append(Problem(file, 1, 1, "the file is empty"))
                return src, problems
            _walk(node, (), src, problems)
            src.data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        if "{{" in source_line:
            what += '; a value that starts with {{ must be quoted, e.g. host: "{{ registry_port }}"'
        problems.append(Problem(file, line, col, f"YAML syntax error: {what}"))
    except yaml.YAMLError as exc:
        problems.append(Problem(file, 1, 1, f"YAML error: {exc}"))
    return src, problems


def read_yaml(path: Path) -> tuple[Source, list[Problem]]:
    """Read and parse a file; an unreadable file is a problem too."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Source(file=str(path), data=None), [
            Problem(str(path), 1, 1, f"cannot read the file: {exc}")
        ]
    return parse_yaml(text, str(path))
