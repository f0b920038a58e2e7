"""Building blocks shared by every chart: escaping, palettes, the accessible SVG wrapper.

Charts are embedded inline in the HTML report, in Django templates and later in PDF, so each
one must stand alone: no external fonts, scripts or stylesheets, colours as attributes (a
``<style>`` block inside an inline SVG would leak into the host page), and every piece of
user text escaped here.
"""

from __future__ import annotations

import hashlib
import html
import re

# Generic families only, so nothing is ever fetched.
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"
NULL_FILL = "#e6e6e6"

# Okabe & Ito's palette, safe for the common colour-vision deficiencies; yellow is left out
# because it has too little contrast on white.
PARTY_COLOURS: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#000000",
)

# Diverging purple–orange scale (ColorBrewer PuOr, 7 classes) for the −3…+3 goal scale:
# it stays distinguishable under deuteranopia and protanopia, unlike red–green.
DIVERGING: dict[int, str] = {
    -3: "#b35806",
    -2: "#f1a340",
    -1: "#fee0b6",
    0: "#f7f7f7",
    1: "#d8daeb",
    2: "#998ec3",
    3: "#542788",
}

# Single-hue blue ramp for confidences, light to dark.
SEQUENTIAL: tuple[str, ...] = ("#f0f4f8", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")

# Characters XML 1.0 forbids; a stray one in a profile would make the whole SVG unparsable.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text: object) -> str:
    """Escape any value for use in SVG/HTML text or a quoted attribute."""
    return html.escape(_XML_INVALID.sub("", str(text)), quote=True)


def text_width(text: str, size: float) -> float:
    """Rough rendered width of text in a sans-serif face (no font metrics are available)."""
    return len(text) * size * 0.56


def party_colour(index: int) -> str:
    """Colour for the partner at ``index`` in input order."""
    return PARTY_COLOURS[index % len(PARTY_COLOURS)]


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (a #rrggbb colour)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#ffffff" if luminance < 0.45 else INK


def signed(score: int) -> str:
    """A −3…+3 score with an explicit sign and a true minus sign."""
    if score > 0:
        return f"+{score}"
    if score < 0:
        return f"\u2212{-score}"
    return "0"


def score_class(score: int) -> str:
    """CSS class naming a −3…+3 score, e.g. ``score-m2`` or ``score-p3``."""
    if score < 0:
        return f"score-m{-score}"
    if score > 0:
        return f"score-p{score}"
    return "score-0"


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 12,
    anchor: str = "start",
    fill: str = INK,
    weight: str = "normal",
    extra: str = "",
) -> str:
    """An SVG ``<text>`` element; ``content`` is escaped here."""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}"{(" " + extra) if extra else ""}>{esc(content)}</text>'
    )


def tooltip(content: str) -> str:
    """A ``<title>`` child giving the full text on hover and to screen readers."""
    return f"<title>{esc(content)}</title>"


def svg(kind: str, width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    """Wrap chart elements in an accessible, self-contained ``<svg>`` element."""
    # Ids must be unique on a page that embeds several charts, yet the same input must give
    # the same output, so they come from a hash of the content rather than a counter.
    digest = hashlib.sha1(  # an id, not security
        "\n".join([kind, title, desc, *body]).encode(), usedforsecurity=False
    ).hexdigest()[:8]
    base = f"cg-{kind}-{digest}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cg-chart cg-{kind}" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'preserveAspectRatio="xMinYMin meet" '
        f'font-family="{esc(FONT)}" aria-labelledby="{base}-t {base}-d">'
        f'<title id="{base}-t">{esc(title)}</title><desc id="{base}-d">{esc(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def no_data(kind: str, title: str, message: str) -> str:
    """A small placeholder chart saying there is nothing to show, so pages keep their layout."""
    body = [
        f'<rect x="0.5" y="0.5" width="319" height="59" rx="6" fill="#fafafa" stroke="{GRID}"/>',
        text(160, 35, message, size=13, anchor="middle", fill=MUTED),
    ]
    return svg(kind, 320, 60, title, message, body)
