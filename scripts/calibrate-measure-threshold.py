"""Choose READER_MEASURE_THRESHOLD and DOMAIN_THRESHOLD: when two measures count as the same.

    PYTHONPATH=src .venv/bin/python scripts/calibrate-measure-threshold.py

Pairs every training red line about holding a measure back (lobbying against, delaying, weakening)
with every training text that holds a measure back: the texts written for that red line are the same
measure (positives), those written for a red line on an unrelated measure are not (negatives; a
red line is given a theme by its words, and related themes are left out). Prints, for MiniLM within
one language at RED_LINE_THRESHOLD and for reader thresholds, how many of each match. The shipped
threshold is the lowest reader threshold that adds no negative to MiniLM's.

Then the policy areas (core/semantics/measure_domains.py): a pair whose names are far apart still
matches when the partner's text is in the red line's area (or a narrower one), both placed with at
least DOMAIN_THRESHOLD. The shipped threshold is the lowest that adds no negative to the name rules.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import yaml

from commonground.core.red_lines import READER_MEASURE_THRESHOLD, RED_LINE_THRESHOLD
from commonground.core.semantics.engines import MULTILINGUAL_ENGINE, get_engine
from commonground.core.semantics.languages import detect_language
from commonground.core.semantics.measure_domains import DOMAIN_THRESHOLD, closest_domains, domains_covered
from commonground.core.semantics.measures import measure_object, measure_parts, measure_stance
from commonground.core.semantics.polarity import red_line_topic

ROOT = Path(__file__).resolve().parent.parent
THEMES = {
    "air": r"clean.air|emission|antipollution",
    "environment": r"environmental rules",
    "health taxes": r"health taxes|sugar taxes",
    "tobacco": r"tobacco control",
    "climate": r"Klimaschutz",
    "wages": r"minimum wage",
    "pesticides": r"pesticide",
    "plastics": r"plastic packaging",
    "rents": r"tenant|loyers",
    "supply chains": r"Lieferketten",
}
# "Environmental rules" covers the themes of air, climate, pesticides and plastics.
BROADER = {"environment": {"air", "climate", "pesticides", "plastics"}}


def _theme(red_line: str) -> str | None:
    return next((name for name, pattern in THEMES.items() if re.search(pattern, red_line, re.I)), None)


def _related(a: str, b: str) -> bool:
    return a == b or b in BROADER.get(a, set()) or a in BROADER.get(b, set())


def main() -> None:
    """Print matched positives and negatives per threshold."""
    items = []
    for path in sorted((ROOT / "training").glob("red_line_pairs*.yaml")):
        items += yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    minilm, reader = get_engine(), get_engine(MULTILINGUAL_ENGINE)
    red_lines = {
        r: (theme, topic)
        for it in items
        if (theme := _theme(r := it["red_line"])) is not None
        and measure_stance(topic := red_line_topic(r)) == -1
    }
    texts = [
        it
        for it in items
        if it["crossed"] and it["red_line"] in red_lines and measure_stance(it["partner_text"]) == -1
    ]
    # (MiniLM, reader, policy-area cosine: the lower of the two sides', or -1 for other areas)
    positives: list[tuple[float, float, float]] = []
    negatives: list[tuple[float, float, float]] = []
    (*topic_areas,) = closest_domains([t for _, t in red_lines.values()], reader=reader)
    area_of_red_line = dict(zip(red_lines, topic_areas, strict=True))
    text_areas = closest_domains([it["partner_text"] for it in texts], reader=reader)
    for red_line, (theme, topic) in red_lines.items():
        # As the engine does: the red line's measure by its whole name, the partner's by its
        # whole name and, for a list of acts, each one's own.
        names = [measure_object(topic)]
        (whole,) = minilm.embed([topic])
        named, by_reader = minilm.embed(names), reader.embed(names)
        line_area, line_cos = area_of_red_line[red_line]
        for item, (text_area, text_cos) in zip(texts, text_areas, strict=True):
            text = item["partner_text"]
            others = [measure_object(text), *measure_parts(text)]
            (v_text,) = minilm.embed([text])
            v_names, r_names = minilm.embed(others), reader.embed(others)
            same_language = detect_language(red_line)[0] == detect_language(text)[0]
            pair = (
                max(float(v_text @ whole), float((v_names @ named.T).max())) if same_language else 0.0,
                float((r_names @ by_reader.T).max()),
                min(line_cos, text_cos) if text_area in domains_covered(line_area) else -1.0,
            )
            if item["red_line"] == red_line:
                positives.append(pair)
            elif not _related(theme, red_lines[item["red_line"]][0]):
                negatives.append(pair)
    print(
        f"{len(red_lines)} red lines, {len(positives)} same-measure pairs,"
        f" {len(negatives)} other-measure pairs"
    )
    # The rule: just above the reader's best cosine among the other-measure pairs MiniLM leaves alone.
    left = [p[1] for p in negatives if p[0] < RED_LINE_THRESHOLD]
    rule = math.floor(max(left) * 100 + 1) / 100
    print(f"lowest reader threshold adding no other-measure match: {rule:.2f} (best cosine {max(left):.3f})")
    for reader_threshold in (1.1, 0.5, 0.45, 0.42, 0.4, 0.38, 0.35):
        hit = [p for p in positives if p[0] >= RED_LINE_THRESHOLD or p[1] >= reader_threshold]
        false = [p for p in negatives if p[0] >= RED_LINE_THRESHOLD or p[1] >= reader_threshold]
        label = "off" if reader_threshold > 1 else f"{reader_threshold:.2f}"
        print(
            f"reader {label:>4}: same measure matched {len(hit):3}/{len(positives)}"
            f"  other measure {len(false):3}/{len(negatives)}"
        )
    # The policy areas, beside the shipped name rules.
    by_names = [p for p in negatives if p[0] < RED_LINE_THRESHOLD and p[1] < READER_MEASURE_THRESHOLD]
    same_area = [p[2] for p in by_names if p[2] >= 0]
    area_rule = math.floor(max(same_area) * 100 + 1) / 100 if same_area else 0.0
    print(
        f"lowest area threshold adding no other-measure match: {area_rule:.2f}"
        f" (shipped {DOMAIN_THRESHOLD:.2f})"
    )
    for area_threshold in (1.1, 0.5, 0.45, 0.4, 0.36, 0.33, 0.3):

        def matched(p: tuple[float, float, float], t: float = area_threshold) -> bool:
            return p[0] >= RED_LINE_THRESHOLD or p[1] >= READER_MEASURE_THRESHOLD or p[2] >= t

        label = "off" if area_threshold > 1 else f"{area_threshold:.2f}"
        print(
            f"areas  {label:>4}: same measure matched {sum(map(matched, positives)):3}/{len(positives)}"
            f"  other measure {sum(map(matched, negatives)):3}/{len(negatives)}"
        )


if __name__ == "__main__":
    main()
