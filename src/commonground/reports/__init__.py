"""Report renderers: turn an :class:`~commonground.core.results.AssessmentResult` into a file.

Built-in formats: ``text`` (terminal, via rich), ``json`` (the stable contract), ``html`` (one
self-contained file), and the one-page board summary as ``summary`` (HTML) and ``summary-pdf`` (PDF
through WeasyPrint). What an assessment report shows (its sections, in order, with their captions and
empty states) is defined once in :mod:`commonground.reports.sections`, which the HTML format and the
web workspace's snapshot page both render; the verdict sentence a board reads first in
:mod:`commonground.reports.summary`; the charts they embed in :mod:`commonground.reports.charts`.
Every format but JSON shows people's words only (no codes) and, given an
:class:`~commonground.reports.about.About`, the date and the profile versions the assessment used.

How to add a format:
    1. Write a module named for the format with a function
       ``render_<name>(result: AssessmentResult, *, color: bool = False, about: About | None = None)``
       returning ``str`` (text formats) or ``bytes`` (binary ones such as PDF); ``color`` and ``about``
       may be ignored by formats that have no use for them. A format that lays out a report renders
       :func:`~commonground.reports.sections.assessment_report` (or the board's
       :func:`~commonground.reports.summary.board_summary`) rather than choosing its own content.
       Depend on ``commonground.core`` only, escape every piece of user text, and give the same output
       for the same input.
    2. Register it at the bottom of this module with ``register_format("<name>", render_<name>,
       media_type=..., extension=..., label=...)`` (plugins may call ``register_format`` themselves):
       the web's download links and the CLI's ``--format`` choices come from here.
    3. Add it to the "every format renders" test in ``tests/reports/test_registry.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from commonground.core.results import AssessmentResult

from .about import About


class Renderer(Protocol):
    """A function rendering a result in one format: text as ``str``, binary formats as ``bytes``."""

    def __call__(
        self, result: AssessmentResult, *, color: bool = False, about: About | None = None
    ) -> str | bytes: ...


@dataclass(frozen=True)
class Format:
    """A registered format: its renderer, what a download of it is, and its name for people."""

    name: str
    renderer: Renderer
    media_type: str = "text/plain; charset=utf-8"
    extension: str = "txt"
    label: str = ""

    @property
    def binary(self) -> bool:
        """Whether the renderer gives bytes (written as they are, never echoed to a terminal)."""
        return not self.media_type.startswith(("text/", "application/json"))


_REGISTRY: dict[str, Format] = {}


def register_format(
    name: str,
    renderer: Renderer,
    *,
    media_type: str = "text/plain; charset=utf-8",
    extension: str = "txt",
    label: str = "",
) -> None:
    """Make ``renderer`` available as format ``name`` (replacing any earlier one of that name)."""
    if not name or name != name.strip().lower() or " " in name:
        raise ValueError(f"format name must be lower-case without spaces, got {name!r}")
    _REGISTRY[name] = Format(name, renderer, media_type, extension, label or name)


def format_info(fmt: str) -> Format:
    """The registered format ``fmt``; ValueError naming the available ones when there is none."""
    found = _REGISTRY.get(fmt.strip().lower())
    if found is None:
        raise ValueError(f"unknown report format {fmt!r}; available formats: {', '.join(formats())}")
    return found


def formats() -> list[str]:
    """Names of the available formats, sorted."""
    return sorted(_REGISTRY)


def render(
    result: AssessmentResult, fmt: str, *, color: bool = False, about: About | None = None
) -> str | bytes:
    """Render ``result`` in format ``fmt``; ``color`` only matters for terminal formats, ``about``
    (the date and profile versions) for every format but JSON."""
    return format_info(fmt).renderer(result, color=color, about=about)


def render_text_format(
    result: AssessmentResult, fmt: str, *, color: bool = False, about: About | None = None
) -> str:
    """Like :func:`render` for a text format (``str``); TypeError for a binary one such as PDF."""
    out = render(result, fmt, color=color, about=about)
    if not isinstance(out, str):
        raise TypeError(f"format {fmt!r} is binary; use render() and write the bytes")
    return out


# Imported here, after the registry exists, so each format module stays independent of it.
from .board import render_summary, render_summary_pdf  # noqa: E402
from .html import render_html  # noqa: E402
from .json_format import render_json  # noqa: E402
from .text import render_text  # noqa: E402

register_format(
    "html", render_html, media_type="text/html; charset=utf-8", extension="html", label="HTML report"
)
register_format("json", render_json, media_type="application/json", extension="json", label="JSON")
register_format("text", render_text, label="Text report")
register_format(
    "summary",
    render_summary,
    media_type="text/html; charset=utf-8",
    extension="html",
    label="Board summary (HTML)",
)
register_format(
    "summary-pdf",
    render_summary_pdf,
    media_type="application/pdf",
    extension="pdf",
    label="Board summary (PDF)",
)

__all__ = [
    "About",
    "Format",
    "Renderer",
    "format_info",
    "formats",
    "register_format",
    "render",
    "render_html",
    "render_json",
    "render_summary",
    "render_summary_pdf",
    "render_text",
    "render_text_format",
]
