"""The overall score as a half-circle gauge with the verdict written underneath."""

from __future__ import annotations

import math

from commonground.core.results import Verdict
from commonground.core.scoring import WEAK_FIT_WORDS
from commonground.core.scoring import weak_fit as core_weak_fit

from ..numbers import score_text
from .svg import GRID, MUTED, svg, text

# Okabe & Ito colours; the verdict is also written out, so colour is never the only cue.
VERDICT_COLOURS: dict[str, str] = {
    "aligned": "#009E73",
    "workable": "#0072B2",
    "at_risk": "#E69F00",
    "blocked": "#D55E00",
}
# The verdict written under the gauge: the same hues darkened to at least 4.5:1 on white (WCAG AA for
# text; tests/web/test_verdict_contrast.py checks it), since amber text on white reads at only 2.2:1.
VERDICT_TEXT_COLOURS: dict[str, str] = {
    "aligned": "#00704f",
    "workable": "#0072B2",
    "at_risk": "#8a5a00",
    "blocked": "#a34100",
}
VERDICT_WORDS: dict[str, str] = {
    "aligned": "Aligned",
    "workable": "Workable",
    "at_risk": "At risk",
    "blocked": "Blocked",
}

CX, CY, R = 120.0, 118.0, 88.0


def verdict_word(verdict: Verdict | str) -> str:
    """The verdict as a person reads it, e.g. ``at_risk`` → "At risk"."""
    value = verdict.value if isinstance(verdict, Verdict) else str(verdict)
    return VERDICT_WORDS.get(value, value.replace("_", " ").capitalize())


def weak_fit(verdict: Verdict | str, score: float) -> bool:
    """Whether a verdict is workable on a score shown under 40: nothing against it, but a poor fit.

    Compared as the score is shown ("39.6" reads "40/100", which is not called weak); the rule is
    the engine's (:func:`core.scoring.weak_fit`), the verdict stays the engine's too.
    """
    return core_weak_fit(Verdict(verdict), float(score_text(score)))


def verdict_heading(verdict: Verdict | str, score: float) -> str:
    """The verdict as it stands beside its score: "Workable, weak fit" under 40, else the verdict's word."""
    word = verdict_word(verdict)
    return f"{word}, {WEAK_FIT_WORDS}" if weak_fit(verdict, score) else word


def _point(fraction: float) -> tuple[float, float]:
    angle = math.pi * (1 - fraction)
    return CX + R * math.cos(angle), CY - R * math.sin(angle)


def score_gauge(score: float | None, verdict: Verdict | str | None) -> str:
    """Half-circle gauge for a 0–100 score, coloured and labelled by verdict."""
    value = verdict.value if isinstance(verdict, Verdict) else (verdict or "")
    colour = VERDICT_COLOURS.get(value, MUTED)
    x0, y0 = _point(0.0)
    x1, y1 = _point(1.0)
    body = [
        f'<path d="M {x0:.1f} {y0:.1f} A {R} {R} 0 0 1 {x1:.1f} {y1:.1f}" fill="none" '
        f'stroke="{GRID}" stroke-width="18" stroke-linecap="butt"/>'
    ]
    if score is None:
        body.append(text(CX, CY - 10, "—", size=40, anchor="middle", fill=MUTED))
        body.append(text(CX, CY + 24, "No score", size=16, anchor="middle", fill=MUTED))
        return svg("gauge", 240, 150, "Compatibility score", "No score available.", body)
    frac = min(max(score, 0.0), 100.0) / 100.0
    if frac > 0:
        xe, ye = _point(frac)
        body.append(
            f'<path d="M {x0:.1f} {y0:.1f} A {R} {R} 0 0 1 {xe:.2f} {ye:.2f}" fill="none" '
            f'stroke="{colour}" stroke-width="18" stroke-linecap="butt"/>'
        )
    # "Workable, weak fit" under a score under 40, as everywhere the verdict stands beside its score.
    word = verdict_heading(value, score) if value else ""
    body.append(text(CX, CY - 8, score_text(score), size=44, anchor="middle", weight="bold"))
    label_colour = VERDICT_TEXT_COLOURS.get(value, MUTED)
    body.append(text(CX, CY + 24, word, size=18, anchor="middle", fill=label_colour, weight="bold"))
    body.append(text(x0, CY + 18, "0", size=11, anchor="middle", fill=MUTED))
    body.append(text(x1, CY + 18, "100", size=11, anchor="middle", fill=MUTED))
    desc = f"Compatibility score {score_text(score)} out of 100; verdict: {word or 'none'}."
    return svg("gauge", 240, 150, "Compatibility score", desc, body)
