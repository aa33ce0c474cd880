"""Build a content model from parsed YAML (`build`): pydantic's validation errors become problems
at file:line:column with a did-you-mean."""

from __future__ import annotations

import re
import types
import typing
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from dockerlab.model.problems import ContentError, Problem, did_you_mean
from dockerlab.model.yamlsource import PathKey, Source

M = TypeVar("M", bound=BaseModel)


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """The part of pydantic's `loc` that names real keys and indexes in the data.

    pydantic puts union tags (the check kind) and type names into `loc`; they are not in the
    YAML, so we skip whatever does not match the data at that level.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        if (
            isinstance(node, dict)
            and part in node
            or isinstance(node, list)
            and isinstance(part, int)
            and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
    return tuple(path)


def _members(tp: Any) -> list[Any]:
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _members(get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in get_args(tp):
            out.extend(_members(arg))
        return out
    return [tp]


def _tag_of(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("kind")
    if field is None:
        return None
    args = get_args(field.annotation)
    return str(args[0]) if args else None


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the mapping at `loc`, to list the keys it allows."""
    current: Any = root
    for part in loc:
        candidates = _members(current)
        models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        tagged = [m for m in models if _tag_of(m) == part]
        if tagged:
            current = tagged[0]
            continue
        moved = False
        for cand in candidates:
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                if isinstance(part, str) and part in cand.model_fields:
                    current = cand.model_fields[part].annotation
                    moved = True
                    break
            elif get_origin(cand) in (list, tuple) and isinstance(part, int):
                current = get_args(cand)[0]
                moved = True
                break
            elif get_origin(cand) is dict and isinstance(part, str):
                current = get_args(cand)[1]
                moved = True
                break
        if not moved and len(models) == 1 and isinstance(part, str) and part != models[0].__name__:
            # a type name pydantic inserted for a union member: stay where we are
            current = models[0]
    final = [c for c in _members(current) if isinstance(c, type) and issubclass(c, BaseModel)]
    return final[0] if len(final) == 1 else None


def _allowed_keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    keys: list[str] = []
    for name, info in model.model_fields.items():
        keys.append(info.alias or name)
    return keys


def problems_from(exc: ValidationError, src: Source, root: type[BaseModel]) -> list[Problem]:
    """One problem per pydantic error, placed where the YAML says it is."""
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = _data_path(src.data, loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1])
            owner = _model_at(root, loc[:-1])
            hint = did_you_mean(key, _allowed_keys(owner))
            allowed = ", ".join(_allowed_keys(owner))
            message = f"unknown key '{key}'"
            if allowed and not hint:
                message += f"; allowed keys here: {allowed}"
            problems.append(src.problem(path, message, hint, key=True))
        elif kind == "missing":
            where = path
            message = f"missing required key '{loc[-1]}'"
            problems.append(src.problem(where, message))
        elif kind == "union_tag_invalid":
            ctx = err.get("ctx", {})
            tag = str(ctx.get("tag", ""))
            expected = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
            hint = did_you_mean(tag, expected)
            message = f"unknown check kind '{tag}'; known kinds: {', '.join(expected)}"
            problems.append(src.problem((*path, "kind"), message, hint))
        elif kind == "union_tag_not_found":
            problems.append(src.problem(path, "a check needs a 'kind' (container, image, ...)"))
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
            if kind == "string_type" and isinstance(err.get("input"), dict):
                msg += " (YAML read a mapping: quote text that contains ': ')"
            field = ".".join(str(p) for p in path) or "document"
            hint = None
            if kind == "literal_error" and isinstance(err.get("input"), str):
                choices = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
                hint = did_you_mean(err["input"], choices)
            problems.append(src.problem(path, f"{field}: {msg}", hint))
    return problems


def build(model: type[M], src: Source, extra: list[Problem] | None = None) -> M:
    """Validate parsed YAML into `model`, raising ContentError with every problem found."""
    problems = list(extra or [])
    result: M | None = None
    if not isinstance(src.data, dict):
        problems.append(src.problem((), "expected a mapping of keys at the top of the file"))
    else:
        try:
            result = model.model_validate(src.data)
        except ValidationError as exc:
            problems.extend(problems_from(exc, src, model))
    if problems or result is None:
        problems.sort(key=lambda p: (p.line, p.column))
        raise ContentError(problems)
    return result
