"""Every verdict label reads at WCAG AA: text contrast of at least 4.5:1, computed from the colours the
stylesheets and the gauge chart actually use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commonground.core.results import Verdict
from commonground.reports.charts import score_gauge

SRC = Path(__file__).resolve().parents[2] / "src" / "commonground"
STYLESHEETS = sorted([*SRC.glob("web/**/static/**/*.css"), SRC / "reports" / "report.css"])
AA_TEXT = 4.5
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of a #rgb or #rrggbb colour (WCAG 2.x)."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two colours."""
    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _declarations(body: str, variables: dict[str, str]) -> dict[str, str]:
    found = {}
    for declaration in body.split(";"):
        name, _, value = declaration.partition(":")
        value = value.strip()
        variable = re.fullmatch(r"var\((--[\w-]+)\)", value)
        found[name.strip()] = variables.get(variable.group(1), value) if variable else value
    return found


def verdict_rules() -> list[tuple[str, str, str, str]]:
    """(stylesheet, selector, text colour, background colour) of every rule styling a verdict label."""
    rules = []
    for sheet in STYLESHEETS:
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        variables = {}
        for selector, body in RULE.findall(css):
            if selector.strip() == ":root":
                variables |= {k: v for k, v in _declarations(body, {}).items() if k.startswith("--")}
        for selector, body in RULE.findall(css):
            if "verdict" not in selector:
                continue
            declared = _declarations(body, variables)
            colour = declared.get("color")
            background = declared.get("background") or declared.get("background-color") or "#ffffff"
            if colour:
                rules.append((sheet.name, selector.strip(), colour, background))
    return rules


def test_the_stylesheets_style_each_verdict() -> None:
    selectors = " ".join(selector for _, selector, _, _ in verdict_rules())
    for verdict in Verdict:
        assert f".verdict-{verdict.value}" in selectors


@pytest.mark.parametrize(("sheet", "selector", "colour", "background"), verdict_rules())
def test_verdict_label_text_contrast_is_at_least_aa(
    sheet: str, selector: str, colour: str, background: str
) -> None:
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", colour), (sheet, selector, colour)
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", background), (sheet, selector, background)
    ratio = contrast(colour, background)
    assert ratio >= AA_TEXT, f"{sheet} {selector}: {colour} on {background} is {ratio:.2f}:1"


@pytest.mark.parametrize("verdict", list(Verdict))
def test_the_gauge_writes_each_verdict_at_aa_contrast_on_white(verdict: Verdict) -> None:
    svg = score_gauge(50.0, verdict)
    word = {"aligned": "Aligned", "workable": "Workable", "at_risk": "At risk", "blocked": "Blocked"}[
        verdict.value
    ]
    [fill] = re.findall(rf'<text [^>]*fill="(#[0-9a-fA-F]{{6}})"[^>]*>{word}</text>', svg)
    assert contrast(fill, "#ffffff") >= AA_TEXT, (
        f"{word}: {fill} on white is {contrast(fill, '#ffffff'):.2f}:1"
    )


def test_contrast_matches_known_pairs() -> None:
    """The formula itself: black on white is 21:1, and the old amber label was far below AA."""
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#E69F00", "#ffffff") == pytest.approx(2.25, abs=0.01)
