"""JSON renderer: the stable output contract, exactly as the result model serialises it.

:func:`render_json` gives the whole text at once (the web and small results). :func:`json_chunks`
gives the same characters in pieces, one key or one list item at a time, so the CLI can write a
200-partner result (140 MB of JSON) without ever holding its text whole. Each piece is serialised by
pydantic itself (floats, escapes, ``null`` for NaN), and only the punctuation and indentation between
pieces is written here, the way ``model_dump_json(indent=2)`` writes it; the tests compare the bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter
from pydantic_core import to_json

from commonground.core.results import AssessmentResult

from .about import About

INDENT = "  "  # model_dump_json(indent=2)


def render_json(result: AssessmentResult, *, color: bool = False, about: About | None = None) -> str:
    """The result as indented JSON with the contract's top-level keys (``color`` and ``about`` are
    ignored: the contract is the engine's result alone, the same on any day)."""
    # Field order comes from the model and list order from the engine, so output is stable.
    return result.model_dump_json(indent=2) + "\n"


def json_chunks(result: AssessmentResult) -> Iterator[str]:
    """The text of :func:`render_json` in pieces, key by key and list item by item, never whole."""
    yield from _model(result, 0)
    yield "\n"


def _model(model: BaseModel, depth: int) -> Iterator[str]:
    """A model's fields in declaration order, each value streamed (lists and nested models) or whole."""
    inner = INDENT * (depth + 1)
    fields: list[tuple[str, Any]] = [
        (name, info.annotation) for name, info in type(model).model_fields.items() if not info.exclude
    ]
    # Computed fields follow the stored ones in pydantic's output.
    fields += [(name, info.return_type) for name, info in type(model).model_computed_fields.items()]
    if not fields:
        yield "{}"
        return
    for k, (name, annotation) in enumerate(fields):
        yield ("{\n" if k == 0 else ",\n") + inner + to_json(name).decode() + ": "
        yield from _value(getattr(model, name), annotation, depth + 1)
    yield "\n" + INDENT * depth + "}"


def _value(value: Any, annotation: Any, depth: int) -> Iterator[str]:
    """One field's value at ``depth``: a model of the declared type or a list item by item, else whole."""
    if isinstance(value, BaseModel) and type(value) in _members(annotation):
        yield from _model(value, depth)
    elif isinstance(value, list) and value and get_origin(annotation) is list:
        (item_type,) = get_args(annotation)
        inner = INDENT * (depth + 1)
        for k, item in enumerate(value):
            yield ("[\n" if k == 0 else ",\n") + inner + _dumped(item, item_type, depth + 1)
        yield "\n" + INDENT * depth + "]"
    else:
        yield _dumped(value, annotation, depth)


def _members(annotation: Any) -> tuple[Any, ...]:
    """The types a union annotation allows (``A | None`` gives A and NoneType); a plain type alone."""
    if get_origin(annotation) in (Union, UnionType):
        return get_args(annotation)
    return (annotation,)


def _dumped(value: Any, annotation: Any, depth: int) -> str:
    """``value`` serialised as its declared type would be inside the model, indented to ``depth``."""
    text = _adapter(annotation).dump_json(value, indent=2).decode()
    # A JSON string never holds a raw newline (pydantic writes \n), so every newline is layout.
    return text.replace("\n", "\n" + INDENT * depth) if depth else text


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    """One adapter per declared type: building one costs far more than a dump."""
    return TypeAdapter(annotation)
