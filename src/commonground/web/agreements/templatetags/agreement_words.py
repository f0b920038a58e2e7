"""Template filters of the agreement pages: codes of the agreement format in words."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.web.agreements.sections import STATUS_WORDS

register = template.Library()


@register.filter(name="words")
def words(value: Any) -> str:
    """A code such as ``in_kind`` or ``senior_leaders`` as words ("In kind", "Senior leaders")."""
    text = str(getattr(value, "value", value) or "")
    if text in STATUS_WORDS:
        return STATUS_WORDS[text]
    text = text.replace("_", " ")
    return text[:1].upper() + text[1:]
