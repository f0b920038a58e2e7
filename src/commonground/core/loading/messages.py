"""Validation problems in words: checks pydantic reports badly, pydantic errors as sentences, did-you-mean."""

from __future__ import annotations

import difflib
import math
import re
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, Union

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from commonground.core.loading.problems import Document, LoadError, Loc, Problem, show_value, type_name
from commonground.core.profiles import Activity, Goal, Profile, RedLine, Value


def _walk(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    yield loc, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, (*loc, index))


def _prechecks(doc: Document, data: Any, prefix: Loc) -> tuple[list[Problem], set[Loc]]:
    """Problems pydantic would report badly or not at all, and locs whose pydantic errors to drop."""
    problems: list[Problem] = []
    skip: set[Loc] = set()
    for loc, value in _walk(data):
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(doc.problem((*prefix, *loc), "must be a finite number"))
            skip.add(loc)
    goals = data.get("goals") if isinstance(data, dict) else None
    if isinstance(goals, list):
        seen: dict[str, int] = {}
        for index, goal in enumerate(goals):
            goal_id = goal.get("id") if isinstance(goal, dict) else None
            if not isinstance(goal_id, str):
                continue
            goal_id = goal_id.strip()
            if goal_id in seen:
                first = seen[goal_id]
                first_line = doc.line_of((*prefix, "goals", first, "id"))
                at = f" (line {first_line})" if first_line else ""
                problems.append(
                    doc.problem(
                        (*prefix, "goals", index, "id"),
                        f"goal id {goal_id!r} is already used by goals[{first}]{at}; goal ids must be unique",
                    )
                )
                skip.add(("goals",))
            else:
                seen[goal_id] = index
    return problems, skip


_PLAIN_STRING_MODELS: tuple[type[BaseModel], ...] = (Value, Goal, Activity, RedLine)


def _strip_wrappers(annotation: Any) -> tuple[Any, list[Any]]:
    """Remove ``Annotated`` and ``| None``, returning the bare type and the constraint metadata."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            annotation = args[0]
            for extra in args[1:]:
                metadata.extend(extra.metadata if isinstance(extra, FieldInfo) else [extra])
        elif origin in (Union, types.UnionType):
            arms = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(arms) != 1:
                return annotation, metadata
            annotation = arms[0]
        else:
            return annotation, metadata


def _annotation_at(root: type[BaseModel], loc: Loc) -> tuple[Any, list[Any]] | None:
    """The type expected at ``loc`` inside ``root`` and its constraints, or None if unknown."""
    current: Any = root
    metadata: list[Any] = []
    for part in loc:
        current, _ = _strip_wrappers(current)
        origin = typing.get_origin(current)
        if isinstance(part, str) and isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current, metadata = field.annotation, list(field.metadata)
        elif isinstance(part, int) and origin is list:
            current, metadata = typing.get_args(current)[0], []
        elif isinstance(part, str) and origin is dict:
            current, metadata = typing.get_args(current)[1], []
        else:
            return None
    bare, inner = _strip_wrappers(current)
    return bare, metadata + inner


def _bounds(root: type[BaseModel], loc: Loc) -> tuple[float | None, float | None]:
    found = _annotation_at(root, loc)
    if found is None:
        return None, None
    low = high = None
    for item in found[1]:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    found = _annotation_at(root, loc)
    if found is not None and isinstance(found[0], type) and issubclass(found[0], BaseModel):
        return found[0]
    return None


def _num(value: float) -> str:
    return f"{value:g}"


def did_you_mean(word: Any, choices: Sequence[str]) -> str:
    if not isinstance(word, str):
        return ""
    lowered = {c.lower(): c for c in choices}
    if word.strip().lower() in lowered:
        return f"; did you mean {lowered[word.strip().lower()]!r}? (values are case-sensitive)"
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f"; did you mean {lowered[close[0]]!r}?" if close else ""


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {_num(low)} and {_num(high)}"
    if low is not None:
        return f"at least {_num(low)}"
    if high is not None:
        return f"at most {_num(high)}"
    return "in range"


def friendly_message(root: type[BaseModel], error: Any) -> str:
    """One pydantic error as a sentence a person can act on."""
    kind: str = error["type"]
    loc: Loc = tuple(error["loc"])
    value = error.get("input")
    ctx: dict[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        return f"required field {loc[-1]!r} is missing" if loc else "a required field is missing"
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        allowed = list(parent.model_fields) if parent is not None else []
        hint = did_you_mean(str(loc[-1]), allowed)
        if not hint and allowed:
            hint = f"; allowed fields: {', '.join(allowed)}"
        return f"unknown field {loc[-1]!r}{hint}"
    if kind in {"enum", "literal_error"}:
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", ""))) or [str(ctx.get("expected", ""))]
        hint = did_you_mean(value, allowed)
        if isinstance(value, bool):
            hint = "; YAML reads unquoted yes/no/on/off as true/false, so put the word in quotes"
        return f"{show_value(value)} is not allowed{hint} (allowed: {', '.join(allowed)})"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        low, high = _bounds(root, loc)
        return f"must be {_range_text(low, high)} (got {show_value(value)})"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        low, high = _bounds(root, loc)
        span = f" {_range_text(low, high)}" if low is not None or high is not None else ""
        return f"must be a whole number{span} (got {show_value(value)})"
    if kind in {"float_parsing", "float_type", "finite_number"}:
        low, high = _bounds(root, loc)
        span = f" {_range_text(low, high)}" if low is not None or high is not None else ""
        return f"must be a number{span} (got {show_value(value)})"
    if kind.startswith("date_"):
        return f"must be a date written YYYY-MM-DD, such as 2026-03-31 (got {show_value(value)})"
    if kind in {"bool_parsing", "bool_type"}:
        return f"must be true or false (got {show_value(value)})"
    if kind == "string_type":
        if value is None:
            return "is empty; give a value"
        hint = "; put it in quotes to use it as text" if isinstance(value, bool | int | float) else ""
        return f"must be text, not {type_name(value)}{hint}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long ({len(value)} characters; at most {ctx.get('max_length')})"
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "id":
            return f"{show_value(value)} is not a valid id: use only letters, digits, '_', '.' and '-'"
        return f"{show_value(value)} does not match the pattern {ctx.get('pattern')}"
    if kind == "too_short":
        if loc and loc[-1] == "partners":
            return f"at least two partners are needed (found {ctx.get('actual_length')})"
        return f"needs at least {ctx.get('min_length')} items (found {ctx.get('actual_length')})"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} items; at most {ctx.get('max_length')} are allowed"
    if kind == "list_type":
        return f"must be a list (one '- item' per line), not {type_name(value)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        model = _model_at(root, loc)
        if model is None:
            return f"must be a mapping, not {type_name(value)}"
        fields = ", ".join(model.model_fields)
        if model in _PLAIN_STRING_MODELS:
            return f"must be text or a mapping with fields {fields}, not {type_name(value)}"
        return f"must be a mapping with fields {fields}, not {type_name(value)}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def validate_model(
    model: type[BaseModel], data: Any, doc: Document, prefix: Loc = ()
) -> tuple[Any | None, list[Problem]]:
    """Validate ``data`` (found at ``prefix`` in ``doc``) as ``model``; every problem in words."""
    problems, skip = _prechecks(doc, data, prefix) if model is Profile else ([], set())
    try:
        return model.model_validate(data), problems
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc: Loc = tuple(error["loc"])
            if loc in skip:
                continue
            problems.append(doc.problem((*prefix, *loc), friendly_message(model, error)))
        return None, problems


Checked = TypeVar("Checked", bound=BaseModel)


def checked_model(
    model: type[Checked],
    doc: Document,
    *,
    what: str,
    fields: str,
    references: Callable[[Checked], list[tuple[Loc, str]]],
) -> Checked:
    """The ``model`` in a parsed file, checked by ``references`` once it validates; LoadError
    listing every problem with its line (``what`` and ``fields`` word the file's expected shape)."""
    if not isinstance(doc.data, dict):
        if doc.problems and doc.data is None:
            raise LoadError(doc.problems)
        raise LoadError(
            [
                *doc.problems,
                doc.problem(
                    (),
                    f"{what} must be a mapping of fields ({fields}), "
                    f"but this file holds {type_name(doc.data)}",
                ),
            ]
        )
    found, problems = validate_model(model, doc.data, doc)
    problems = doc.problems + problems
    if found is not None:
        problems += [doc.problem(loc, message) for loc, message in references(found)]
    if problems or found is None:
        # Stable sort: problems without a line (missing fields) first, then down the file.
        raise LoadError(sorted(problems, key=lambda p: p.line or 0) or [doc.problem((), f"invalid {what}")])
    return typing.cast(Checked, found)
