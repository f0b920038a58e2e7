"""JSON renderer: the stable output contract, exactly as the result model serialises it."""

from __future__ import annotations

from commonground.core.results import AssessmentResult

from .about import About


def render_json(result: AssessmentResult, *, color: bool = False, about: About | None = None) -> str:
    """The result as indented JSON with the contract's top-level keys (``color`` and ``about`` are
    ignored: the contract is the engine's result alone, the same on any day)."""
    # Field order comes from the model and list order from the engine, so output is stable.
    return result.model_dump_json(indent=2) + "\n"
