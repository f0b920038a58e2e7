"""SDG overlap: 17 tiles per partner shaded by confidence, the shared goals highlighted."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from commonground.core.results import SdgOverlap

from ..labels import truncate
from ..numbers import percent_text
from .svg import INK, MUTED, SEQUENTIAL, no_data, svg, text, text_on, text_width, tooltip

TILE = 40
GAP = 4
LABEL_CHARS = 24


def _load_title() -> Callable[[int], str] | None:
    # The SDG data lives in core; the charts still work (numbers only) before it exists.
    try:
        module = importlib.import_module("commonground.core.semantics.sdgs")
    except ImportError:
        return None
    func = getattr(module, "sdg_title", None)
    return func if callable(func) else None


_TITLE = _load_title()


def sdg_name(number: int) -> str:
    """The short title of an SDG, or just "SDG n" when the titles are not available."""
    if _TITLE is not None:
        try:
            title = _TITLE(number)
        except (KeyError, ValueError, LookupError):
            title = ""
        if title:
            return f"SDG {number}: {title}"
    return f"SDG {number}"


def confidence_fill(confidence: float) -> str:
    """Tile colour for a confidence in 0–1 (lightest for none)."""
    if confidence <= 0:
        return SEQUENTIAL[0]
    return SEQUENTIAL[1 + min(4, int(confidence * 5))]


def sdg_overlap(sdgs: SdgOverlap) -> str:
    """One row of 17 SDG tiles per partner, shaded by confidence; shared SDGs outlined in every row."""
    if not sdgs.partners or not any(sdgs.partners.values()):
        return no_data("sdg-overlap", "SDG overlap", "No SDGs identified")
    parties = list(sdgs.partners)
    labels = [truncate(p, LABEL_CHARS) for p in parties]
    left = 16 + max(text_width(s, 12) for s in labels) + 12
    top = 34
    shared = set(sdgs.shared)
    rows_h = len(parties) * (TILE + GAP) - GAP
    width = left + 17 * (TILE + GAP) + 12
    body: list[str] = [text(left, 20, "Sustainable Development Goals 1–17", size=11, fill=MUTED)]

    # A band behind each shared column ties the partners' tiles together visually.
    for number in sorted(shared):
        x = left + (number - 1) * (TILE + GAP)
        body.append(
            f'<rect x="{x - 3}" y="{top - 3}" width="{TILE + 6}" height="{rows_h + 6}" rx="4" '
            f'fill="#fff4d6" stroke="{INK}" stroke-width="1" stroke-dasharray="3 2"/>'
        )

    for r, (party, label) in enumerate(zip(parties, labels, strict=True)):
        y = top + r * (TILE + GAP)
        body.append(
            f"<g>{tooltip(party)}" + text(left - 12, y + TILE / 2 + 4, label, size=12, anchor="end") + "</g>"
        )
        confidences = {s.sdg: s.confidence for s in sdgs.partners[party]}
        for number in range(1, 18):
            x = left + (number - 1) * (TILE + GAP)
            conf = confidences.get(number, 0.0)
            fill = confidence_fill(conf)
            is_shared = number in shared
            state = " (shared by all)" if is_shared else ""
            tip = f"{party} — {sdg_name(number)}: confidence {percent_text(conf)}{state}"
            stroke = f'stroke="{INK}" stroke-width="2.5"' if is_shared else 'stroke="#ffffff"'
            classes = "tile shared" if is_shared else "tile"
            body.append(
                f'<g class="{classes}" data-sdg="{number}">{tooltip(tip)}'
                f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3" fill="{fill}" {stroke}/>'
                + text(
                    x + TILE / 2,
                    y + TILE / 2 + 5,
                    str(number),
                    size=13,
                    anchor="middle",
                    fill=text_on(fill) if conf > 0 else MUTED,
                    weight="bold" if conf > 0 else "normal",
                )
                + "</g>"
            )

    y = top + rows_h + 26
    body.append(text(16, y, "Confidence:", size=11, fill=MUTED))
    steps = [("none", 0.0), ("<20%", 0.1), ("20%+", 0.3), ("40%+", 0.5), ("60%+", 0.7), ("80%+", 0.9)]
    for k, (name, conf) in enumerate(steps):
        x = 90 + k * 62
        body.append(
            f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{confidence_fill(conf)}" '
            f'stroke="#999999" stroke-width="0.5"/>' + text(x + 18, y, name, size=11, fill=MUTED)
        )
    x = 90 + len(steps) * 62 + 10
    body.append(
        f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="#fff4d6" stroke="{INK}" stroke-width="2"/>'
        + text(x + 20, y, "shared by all", size=11, fill=MUTED)
    )

    lines = [sdg_name(n) for n in sorted(shared)]
    y += 24
    body.append(text(16, y, "Shared: " + ("none" if not lines else ""), size=12, weight="bold"))
    for k, line in enumerate(lines):
        body.append(text(76, y + k * 18, truncate(line, 90), size=12))
    height = y + max(len(lines), 1) * 18
    desc = (
        f"SDGs of {', '.join(parties)} with confidence; shared by all: "
        + (", ".join(str(n) for n in sorted(shared)) or "none")
        + "."
    )
    return svg("sdg-overlap", width, height, "SDG overlap", desc, body)
