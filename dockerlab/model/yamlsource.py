"""Read YAML while remembering where every key and value stood, so errors can point at them.

Content comes from shared packs, so reading it is bounded: a file may hold at most
`MAX_FILE_BYTES`, nest at most `MAX_DEPTH` levels, and its aliases may add at most
`MAX_ALIAS_NODES` values (a "billion laughs" file is refused once its expansion crosses that
line, at the top-level key where it happens). The document is composed by libyaml's C loader
where PyYAML has it (which also stops at 1,000 levels), and its node graph is walked without
recursion before anything else walks it (`_walk`); the pure-Python loader is the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dockerlab.model.problems import Problem

PathKey = tuple[str | int, ...]

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(yaml.MarkedYAMLError):
    """A document over one of the limits (raised while composing, reported like a syntax error)."""


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


def size_problem(file: str, size: int) -> Problem | None:
    """A problem when a content file is larger than MAX_FILE_BYTES."""
    if size <= MAX_FILE_BYTES:
        return None
    return Problem(
        file,
        1,
        1,
        f"the file is {size / 1024 / 1024:.1f} MiB ({size:,} bytes); a content file may be "
        f"at most {MAX_FILE_BYTES // 1024 // 1024} MiB ({MAX_FILE_BYTES:,} bytes)",
    )


def _refuse(message: str, mark: Any) -> _Refused:
    return _Refused(problem=message, problem_mark=mark)


def _walk(root: yaml.Node, src: Source, problems: list[Problem]) -> None:
    """Record where every path stands, and refuse a graph that nests deeper than MAX_DEPTH or
    whose aliases (shared nodes, met again) add more than MAX_ALIAS_NODES values. Iterative,
    and bounded: a cyclic alias (`&a [*a]`) stops at the depth limit, a billion laughs at the
    alias limit, both before anything else walks the data."""
    visited: set[int] = set()
    added = 0
    stack: list[tuple[yaml.Node, PathKey]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            why = " (through an alias: does one refer to a node that contains it?)" if added else ""
            raise _refuse(
                f"the document nests deeper than {MAX_DEPTH} levels{why}", node.start_mark
            )
        if id(node) in visited:
            added += 1
            if added > MAX_ALIAS_NODES:
                line, column = src.key_at.get(path[:1], _mark(node))
                raise _refuse(
                    f"aliases expand this document by more than {MAX_ALIAS_NODES:,} values; "
                    "write the values out instead",
                    yaml.Mark(src.file, 0, line - 1, column - 1, None, 0),
                )
        else:
            visited.add(id(node))
        src.value_at[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            items: list[tuple[yaml.Node, PathKey]] = []
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "<key>"
                if key in seen:
                    line, col = _mark(key_node)
                    problems.append(Problem(src.file, line, col, f"duplicate key '{key}'"))
                seen.add(key)
                src.key_at[(*path, key)] = _mark(key_node)
                items.append((value_node, (*path, key)))
            stack.extend(reversed(items))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in reversed(list(enumerate(node.value))))


class _Constructor(_Loader):  # type: ignore[misc,valid-type]
    """The safe constructor, remembering the node it is building (to locate a bad value)."""

    current: yaml.Node | None = None

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        self.current = node
        return super().construct_object(node, deep=deep)


def parse_yaml(text: str, file: str) -> tuple[Source, list[Problem]]:
    """Parse one YAML document; syntax errors and limits come back as problems, never raised."""
    problems: list[Problem] = []
    src = Source(file=file, data=None)
    too_big = size_problem(file, len(text.encode("utf-8", "surrogatepass")))
    if too_big:
        return src, [too_big]
    loader = _Constructor(text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.append(Problem(file, 1, 1, "the file is empty"))
            return src, problems
        _walk(node, src, problems)
        src.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and what.startswith("but "):  # "expected a single document..., but..."
            what = f"{exc.context}, {what}"
        lines = text.splitlines()
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        if "{{" in source_line:
            what += '; a value that starts with {{ must be quoted, e.g. host: "{{ registry_port }}"'
        kind = "YAML" if isinstance(exc, _Refused) else "YAML syntax error"
        problems.append(Problem(file, line, col, f"{kind}: {what}"))
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        problems.append(
            Problem(file, line, col, f"YAML: character #x{exc.character:04x}: {exc.reason}")
        )
    except yaml.YAMLError as exc:
        problems.append(Problem(file, 1, 1, f"YAML error: {exc}"))
    except RecursionError:  # the pure-Python composer (no libyaml) on a very deep document
        problems.append(
            Problem(file, 1, 1, f"YAML: the document nests deeper than {MAX_DEPTH} levels")
        )
    except (ValueError, TypeError, ArithmeticError, LookupError, AttributeError) as exc:
        # PyYAML's constructors on odd values: a date such as 2024-13-45, an empty `!!int`
        line, col = _mark(loader.current) if loader.current is not None else (1, 1)
        why = str(exc) or type(exc).__name__
        problems.append(Problem(file, line, col, f"invalid value for its type: {why}"))
    finally:
        loader.dispose()
    return src, problems


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """A content file's text, or the problem that stops it being read (too large, not UTF-8)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
            size = len(raw) if len(raw) <= MAX_FILE_BYTES else path.stat().st_size
        too_big = size_problem(str(path), size)
        if too_big:
            return None, [too_big]
        return raw.decode("utf-8"), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), 1, 1, f"cannot read the file: {exc}")]


def read_yaml(path: Path) -> tuple[Source, list[Problem]]:
    """Read and parse a file; an unreadable or oversized file is a problem too."""
    text, problems = read_text(path)
    if text is None:
        return Source(file=str(path), data=None), problems
    return parse_yaml(text, str(path))
