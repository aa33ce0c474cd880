"""Lab variables: their declarations (a type each), `--var` overrides parsed by that type, and
`{{ name }}` substitution with unknown names reported where they stand."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockerlab.model.problems import ContentError, Problem, did_you_mean
from dockerlab.model.yamlsource import PathKey, Source

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# Go-template words Docker's --format strings use ({{end}}, {{json .}}): never lab variables
GO_TEMPLATE_WORDS = frozenset(
    [
        "end",
        "else",
        "range",
        "if",
        "with",
        "json",
        "index",
        "len",
        "println",
        "printf",
        "print",
        "join",
        "title",
        "lower",
        "upper",
        "split",
        "define",
        "template",
        "block",
        "and",
        "or",
        "not",
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
    ]
)


def substitute(
    src: Source, values: Mapping[str, str | int], skip: tuple[str, ...] = ("variables",)
) -> tuple[Any, list[Problem]]:
    """The data with placeholders filled; a string that is only `{{ x }}` keeps x's type."""
    problems: list[Problem] = []

    def fill(node: Any, path: PathKey) -> Any:
        if isinstance(node, dict):
            return {
                k: (v if (not path and k in skip) else fill(v, (*path, k))) for k, v in node.items()
            }
        if isinstance(node, list):
            return [fill(v, (*path, i)) for i, v in enumerate(node)]
        if not isinstance(node, str):
            return node
        whole = PLACEHOLDER.fullmatch(node.strip())
        if whole and whole.group(1) in values:
            return values[whole.group(1)]

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in GO_TEMPLATE_WORDS and name not in values:
                return match.group(0)
            if name not in values:
                hint = did_you_mean(name, values)
                known = ", ".join(sorted(values)) or "none are declared"
                problems.append(
                    src.problem(
                        path, f"unknown variable '{{{{ {name} }}}}' (variables: {known})", hint
                    )
                )
                return match.group(0)
            return str(values[name])

        return PLACEHOLDER.sub(one, node)

    return fill(src.data, ()), problems


def resolve_nested(values: Mapping[str, str | int], rounds: int = 5) -> dict[str, str | int]:
    """Variables may use other variables (`{{ registry_port }}` inside a default). Unknown names
    stay as they are, to be reported where the value is used; cycles stop after a few rounds."""
    out = dict(values)
    for _ in range(rounds):
        changed = False
        for name, value in out.items():
            if not isinstance(value, str) or "{{" not in value:
                continue

            def one(match: re.Match[str], me: str = name) -> str:
                other = match.group(1)
                if other == me or other not in out:
                    return match.group(0)
                return str(out[other])

            new = PLACEHOLDER.sub(one, value)
            if new != value:
                out[name] = new
                changed = True
        if not changed:
            break
    return out


# --- declared variables: a type each, so --var values are parsed the way the lab means them ---

VAR_TYPES = ("string", "integer", "port", "tag", "host", "path")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_HOST = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_NOT_SCALAR = ", or {default: ..., when: {capability: ...}, type: ...}"


@dataclass(frozen=True)
class Declared:
    """One entry of a lab's `variables:`: its type and the value on this machine."""

    name: str
    type: str
    value: str | int


def parse_typed(type_: str, raw: str | int) -> str | int:
    """`raw` as a value of `type_`; ValueError says what was expected."""
    text = str(raw).strip() if not isinstance(raw, str) else raw
    if type_ == "string":
        return text
    if type_ == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", text.strip()):
            raise ValueError(f"'{text}' is not a whole number")
        return int(text)
    if type_ == "port":
        if not re.fullmatch(r"\d{1,5}", text.strip()) or not 1 <= int(text) <= 65535:
            raise ValueError(f"'{text}' is not a TCP port (1-65535)")
        return int(text)
    if type_ == "tag":
        if not _TAG.fullmatch(text):
            raise ValueError(
                f"'{text}' is not a Docker tag (letters, digits, '_', '.', '-'; "
                "at most 128; not starting with '.' or '-')"
            )
        return text
    if type_ == "host":
        if not (_HOST.fullmatch(text) or _is_ip(text)):
            raise ValueError(f"'{text}' is not a host name or IP address")
        return text
    if type_ == "path":
        if not text or "\0" in text:
            raise ValueError("a path cannot be empty or hold a NUL character")
        return text
    raise ValueError(f"unknown type '{type_}' (types: {', '.join(VAR_TYPES)})")


def _is_ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _raw_text(src: Source, path: PathKey, value: object) -> str | int | None:
    """A scalar as the author wrote it: `1.10` stays "1.10" (YAML would read the float 1.1)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int):
        return value
    if not isinstance(value, float):
        return None
    line, column = src.position(path)
    try:
        text = Path(src.file).read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return repr(value)
    found = re.match(r"[^\s,}\]#]+", text[column - 1 :])
    return found.group(0) if found else repr(value)


def _infer(value: str | int) -> str:
    return "integer" if isinstance(value, int) else "string"


def declared_variables(
    src: Source, capabilities: Collection[str]
) -> tuple[dict[str, Declared], list[Problem]]:
    """Each declared variable with its type and its value on this machine: its default, or its
    `when:` value for a capability the machine has. A problem in one declaration still declares
    the name (with its raw text), so its uses are not reported again as unknown."""
    raw = src.data.get("variables", {}) if isinstance(src.data, dict) else {}
    if not isinstance(raw, dict):
        return {}, [src.problem(("variables",), "variables must be a mapping of name: default")]
    out: dict[str, Declared] = {}
    problems: list[Problem] = []
    for key, spec in raw.items():
        name, where = str(key), ("variables", key)
        if not isinstance(spec, dict):
            spec = {"default": spec}
            default_path: PathKey = where
        else:
            default_path = (*where, "default")
        unknown = sorted(set(map(str, spec)) - {"type", "default", "when", "description"})
        for extra in unknown:
            hint = did_you_mean(extra, ["type", "default", "when", "description"])
            problems.append(src.problem((*where, extra), f"unknown key '{extra}'", hint, key=True))
        default = _raw_text(src, default_path, spec.get("default"))
        if default is None:
            problems.append(
                src.problem(where, f"variable '{name}' needs a string or number" + _NOT_SCALAR)
            )
            out[name] = Declared(name, "string", "")
            continue
        type_ = str(spec.get("type") or _infer(default))
        if type_ not in VAR_TYPES:
            problems.append(
                src.problem(
                    (*where, "type"),
                    f"unknown variable type '{type_}' (types: {', '.join(VAR_TYPES)})",
                    did_you_mean(type_, VAR_TYPES),
                )
            )
            type_ = _infer(default)
        chosen, chosen_path = default, default_path
        when = spec.get("when") or {}
        if not isinstance(when, dict):
            problems.append(
                src.problem(
                    where,
                    f"variable '{name}' needs a string or number{_NOT_SCALAR}: its `when:` "
                    "is not a mapping of capability: value",
                )
            )
            when = {}
        for capability, alternative in when.items():
            if str(capability) in capabilities:
                chosen_path = (*where, "when", capability)
                chosen = _raw_text(src, chosen_path, alternative) or ""
                break
        try:
            value = parse_typed(type_, chosen)
        except ValueError as exc:
            problems.append(src.problem(chosen_path, f"variable '{name}' ({type_}): {exc}"))
            value = str(chosen)
        out[name] = Declared(name, type_, value)
    return out, problems


def apply_overrides(
    src: Source, declared: dict[str, Declared], overrides: Mapping[str, str | int]
) -> list[Problem]:
    """--var values parsed by their variable's type (in place); unknown names are problems."""
    problems: list[Problem] = []
    for name, raw in overrides.items():
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            problems.append(
                src.problem(
                    ("variables",),
                    f"--var {name}={raw}: this lab has no variable '{name}' (variables: {known})",
                    did_you_mean(name, declared),
                    key=True,
                )
            )
            continue
        var = declared[name]
        try:
            value = parse_typed(var.type, raw)
        except ValueError as exc:
            problems.append(src.problem(("variables", name), f"--var {name}={raw}: {exc}"))
            continue
        declared[name] = Declared(name, var.type, value)
    return problems


def parse_var_args(items: Iterable[str]) -> dict[str, str | int]:
    """`--var NAME=VALUE` arguments as written (each lab parses them by its variables' types).
    A malformed one raises ContentError."""
    out: dict[str, str | int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ContentError(
                [Problem("command line", 0, 0, f"--var needs NAME=VALUE, got '{item}'")]
            )
        out[name.strip()] = value
    return out


def captured_names(
    src: Source, declared: Mapping[str, Declared]
) -> tuple[list[str], list[Problem]]:
    """The names steps record with `capture:`; one that is also a declared variable, or that two
    steps record, is a problem."""
    names: list[str] = []
    problems: list[Problem] = []
    steps = src.data.get("steps") if isinstance(src.data, dict) else None
    for j, step in enumerate(steps if isinstance(steps, list) else []):
        capture = step.get("capture") if isinstance(step, dict) else None
        for name in capture if isinstance(capture, dict) else {}:
            where = ("steps", j, "capture", name)
            if name in declared:
                problems.append(
                    src.problem(
                        where, f"'{name}' is a variable already; name the capture apart", key=True
                    )
                )
            elif name in names:
                problems.append(src.problem(where, f"another step captures '{name}'", key=True))
            else:
                names.append(str(name))
    return names, problems
