"""Model fields shared by the apps."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import models


class OrderedJSONField(models.TextField):  # type: ignore[type-arg]
    """JSON kept as the exact text written, so key order survives every database.

    PostgreSQL's jsonb reorders object keys. An assessment result keys several mappings by partner
    name, and the charts draw partners in that order (and colour them by it), so a result stored
    in jsonb and read back would draw differently from the one the engine produced. Text keeps the
    stored result byte for byte what the engine returned, on SQLite and PostgreSQL alike.
    """

    description = "JSON stored as text, key order preserved"

    if TYPE_CHECKING:
        # Stored as text, but set and read as any JSON value (what django-stubs' plugin reads).
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        """Parse the stored text."""
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        """Accept parsed values as they are; parse strings that hold JSON."""
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return value

    def get_prep_value(self, value: Any) -> Any:
        """Serialise to compact JSON text, keeping key order."""
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def value_to_string(self, obj: models.Model) -> str:
        """Serialisation (dumpdata) gives the JSON text."""
        return str(self.get_prep_value(self.value_from_object(obj)))
