"""The profile format's limits, read from its model so that forms show the same ones before submitting."""

from __future__ import annotations

from typing import get_args

import annotated_types
from pydantic import BaseModel


def model_limit(model: type[BaseModel], field: str) -> int:
    """The most characters (or entries, for a list) the profile model accepts in ``field``."""
    info = model.model_fields[field]
    metadata = list(info.metadata)
    for arg in get_args(info.annotation):  # ``Annotated[str, Field(max_length=...)] | None``
        metadata += getattr(arg, "__metadata__", ())
    for item in metadata:
        for meta in [item, *getattr(item, "metadata", [])]:
            if isinstance(meta, annotated_types.MaxLen):
                return int(meta.max_length)
    raise LookupError(f"{model.__name__}.{field} has no maximum length")


def too_long_message(limit: int, length: int) -> str:
    """What the editor says about a text over its limit."""
    return f"Shorten this to {limit:,} characters or fewer (it has {length:,})."
