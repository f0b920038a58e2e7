"""Report renderers: turn an :class:`~commonground.core.results.AssessmentResult` into text.

Built-in formats: ``text`` (terminal, via rich), ``json`` (the stable contract) and ``html``
(one self-contained file). What an assessment report shows (its sections, in order, with
their captions and empty states) is defined once in :mod:`commonground.reports.sections`, which the
HTML format and the web workspace's snapshot page both render; the charts they embed live in
:mod:`commonground.reports.charts`.

How to add a format:
    1. Write a module named for the format with a function
       ``render_<name>(result: AssessmentResult, *, color: bool = False) -> str``
       (``color`` may be ignored by formats that have none). A format that lays out a report
       (PDF, say) renders :func:`~commonground.reports.sections.assessment_report` rather than
       choosing its own sections. Depend on ``commonground.core`` only, escape every piece of user
       text, and give the same output for the same input.
    2. Register it at the bottom of this module with ``register_format("<name>", render_<name>)``
       (plugins may call ``register_format`` themselves).
    3. Add it to the "every format renders" test in ``tests/reports/test_registry.py``.
"""

from __future__ import annotations

from typing import Protocol

from commonground.core.results import AssessmentResult


class Renderer(Protocol):
    """A function rendering a result in one format."""

    def __call__(self, result: AssessmentResult, *, color: bool = False) -> str: ...


_REGISTRY: dict[str, Renderer] = {}


def register_format(name: str, renderer: Renderer) -> None:
    """Make ``renderer`` available as format ``name`` (replacing any earlier one of that name)."""
    if not name or name != name.strip().lower():
        raise ValueError(f"format name must be lower-case without spaces, got {name!r}")
    _REGISTRY[name] = renderer


def formats() -> list[str]:
    """Names of the available formats, sorted."""
    return sorted(_REGISTRY)


def render(result: AssessmentResult, fmt: str, *, color: bool = False) -> str:
    """Render ``result`` in format ``fmt``; ``color`` only matters for terminal formats."""
    renderer = _REGISTRY.get(fmt.strip().lower())
    if renderer is None:
        raise ValueError(f"unknown report format {fmt!r}; available formats: {', '.join(formats())}")
    return renderer(result, color=color)


# Imported here, after the registry exists, so each format module stays independent of it.
from .html import render_html  # noqa: E402
from .json_format import render_json  # noqa: E402
from .text import render_text  # noqa: E402

register_format("html", render_html)
register_format("json", render_json)
register_format("text", render_text)

__all__ = ["Renderer", "formats", "register_format", "render", "render_html", "render_json", "render_text"]
