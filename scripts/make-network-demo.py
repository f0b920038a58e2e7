"""Write examples/network-riverside.yaml: a fictional coalition of 30 organisations, two survey rounds.

The shape is planned, the answers are drawn with a fixed seed, so running it again gives the same
file. Planned: a backbone organisation as the hub; topic clusters (food, housing, health, work and
learning); a rural cluster that reaches the rest only through one network (the single point of
failure); three organisations nobody works with in the first round; between the rounds some ties
start, some end, and trust in the hub dips. Every organisation that answers says "we do not work with
them" (``not_working_with``) about each one it does not rate, except that about half of the ties one
side leaves out are skipped (not answered) rather than denied: those are not perception gaps.

    python scripts/make-network-demo.py            # rewrites the example
"""

from __future__ import annotations

import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "examples" / "network-riverside.yaml"

ORGANISATIONS = [
    ("hub", "Riverside Together (backbone)", "backbone"),
    ("food-bank", "Riverside Community Food Bank", "nonprofit"),
    ("kitchens", "Eastside Community Kitchens", "community_group"),
    ("urban-farm", "Millrace Urban Farm", "social_enterprise"),
    ("school-meals", "City School Meals Service", "public_body"),
    ("grocery-coop", "Northbank Grocery Co-operative", "cooperative"),
    ("housing-assoc", "Riverside Homes Housing Association", "nonprofit"),
    ("tenants", "Riverside Tenants' Union", "community_group"),
    ("shelter", "Harbour Night Shelter", "nonprofit"),
    ("legal-aid", "Riverside Legal Advice Centre", "nonprofit"),
    ("public-health", "City Public Health Team", "public_body"),
    ("clinic", "Westgate Community Clinic", "public_body"),
    ("mind-well", "MindWell Riverside", "nonprofit"),
    ("hospital", "Riverside Hospitals Trust", "public_body"),
    ("college", "Riverside College", "public_body"),
    ("adult-learning", "Second Chance Adult Learning", "nonprofit"),
    ("jobs-hub", "Riverside Jobs Hub", "public_body"),
    ("employers", "Riverside Employers' Forum", "business_network"),
    ("youth-club", "Canal Street Youth Club", "community_group"),
    ("valley-network", "Upper Valley Rural Network", "nonprofit"),
    ("village-halls", "Valley Village Halls Trust", "community_group"),
    ("farmers-coop", "Upper Valley Farmers' Co-operative", "cooperative"),
    ("rural-transport", "Valley Community Transport", "social_enterprise"),
    ("mobile-library", "Valley Mobile Library", "public_body"),
    ("libraries", "Riverside Libraries", "public_body"),
    ("faith-council", "Riverside Faith Council", "community_group"),
    ("environment", "Riverbank Environmental Trust", "nonprofit"),
    ("arts-centre", "Old Mill Arts Centre", "nonprofit"),
    ("credit-union", "Riverside Credit Union", "cooperative"),
    ("refugee-welcome", "Riverside Refugee Welcome", "community_group"),
]

# (a, b, working level) of round 1; the rural cluster meets the rest only through valley-network.
TIES_1 = [
    *[("hub", o, 3) for o in ("food-bank", "kitchens", "school-meals", "housing-assoc", "tenants")],
    ("hub", "shelter", 3),
    *[("hub", o, 3) for o in ("public-health", "clinic", "mind-well", "hospital", "college", "jobs-hub")],
    *[("hub", o, 2) for o in ("employers", "youth-club", "libraries", "faith-council", "environment")],
    ("hub", "valley-network", 2),
    ("hub", "grocery-coop", 2),
    ("hub", "legal-aid", 2),
    ("hub", "adult-learning", 2),
    ("food-bank", "kitchens", 4),
    ("food-bank", "urban-farm", 3),
    ("food-bank", "grocery-coop", 3),
    ("kitchens", "school-meals", 2),
    ("urban-farm", "school-meals", 2),
    ("urban-farm", "environment", 3),
    ("housing-assoc", "tenants", 2),
    ("housing-assoc", "shelter", 3),
    ("shelter", "legal-aid", 3),
    ("tenants", "legal-aid", 3),
    ("shelter", "mind-well", 3),
    ("public-health", "clinic", 4),
    ("public-health", "hospital", 3),
    ("clinic", "mind-well", 3),
    ("hospital", "clinic", 2),
    ("public-health", "valley-network", 2),
    ("college", "adult-learning", 3),
    ("college", "jobs-hub", 3),
    ("jobs-hub", "employers", 3),
    ("adult-learning", "libraries", 3),
    ("youth-club", "college", 2),
    ("youth-club", "faith-council", 2),
    ("faith-council", "food-bank", 3),
    ("food-bank", "shelter", 3),
    ("school-meals", "public-health", 2),
    ("valley-network", "village-halls", 3),
    ("valley-network", "farmers-coop", 3),
    ("valley-network", "rural-transport", 4),
    ("valley-network", "mobile-library", 2),
    ("village-halls", "rural-transport", 3),
    ("farmers-coop", "village-halls", 2),
    ("mobile-library", "village-halls", 2),
]
# Round 2: the hub's ties to the employers and the environmental trust end, so each of them then hangs
# on one organisation (the jobs hub, the urban farm): two new single points of failure.
LOST = {("hospital", "clinic"), ("youth-club", "faith-council"), ("hub", "environment"), ("hub", "employers")}
NEW = [
    ("refugee-welcome", "legal-aid", 3),
    ("refugee-welcome", "hub", 2),
    ("refugee-welcome", "adult-learning", 2),
    ("college", "urban-farm", 2),
    ("grocery-coop", "kitchens", 2),
]
NOT_RESPONDING = {"2025-spring": ["mobile-library", "credit-union"], "2026-spring": ["arts-centre"]}
# How far the coalition trusts each (1–4 baseline); others start at 3.
TRUST = {"hub": 3.6, "hospital": 2.3, "employers": 2.4, "valley-network": 3.5, "public-health": 3.2}
VALUE = {"hub": 3.7, "hospital": 3.4, "public-health": 3.5, "employers": 2.6, "youth-club": 2.2}
# Ties where the two sides see things very differently (round 1): the first rates high, the second low.
GAPS = {("hospital", "public-health"), ("employers", "jobs-hub")}


def _score(rng: random.Random, base: float) -> int:
    return max(1, min(4, round(base + rng.gauss(0, 0.3))))


def _rating(rng: random.Random, by: str, about: str, level: int, round_no: int, gap: bool) -> str:
    """One rating as a line of flow-style YAML."""
    trust = TRUST.get(about, 3.0) - (0.5 if about == "hub" and round_no == 2 else 0.0)
    value = VALUE.get(about, 2.9) + (0.3 if round_no == 2 else 0.0)
    if gap:
        trust, value, level = 1.2, 1.5, 1
    given = max(1, min(4, level + rng.choice((-1, 0, 0, 0, 0, 1))))
    frequency = max(1, min(4, level + rng.choice((-1, 0, 0, 1))))
    power, involvement, resources = (_score(rng, value) for _ in range(3))
    reliable, mission, open_ = (_score(rng, trust) for _ in range(3))
    return (
        f"      - {{by: {by}, about: {about}, level: {given}, frequency: {frequency}, "
        f"value: {{power: {power}, involvement: {involvement}, resources: {resources}}}, "
        f"trust: {{reliable: {reliable}, mission: {mission}, open: {open_}}}}}"
    )


def _ratings(
    rng: random.Random, skip_rng: random.Random, ties: list[tuple[str, str, int]], label: str, round_no: int
) -> tuple[list[str], dict[str, list[str]]]:
    """The round's rating lines, and each answering organisation's "we do not work with them" list."""
    silent = set(NOT_RESPONDING[label])
    lines = []
    rated: set[tuple[str, str]] = set()
    skipped: set[tuple[str, str]] = set()
    for a, b, level in ties:
        reported = False
        for by, about in ((a, b), (b, a)):
            # Most ties are reported by both sides; a few by one only: that side either says it does
            # not work with the other (a one-sided gap) or skips it (not answered). skip_rng is separate
            # so that the ratings stay those of the first version of this file.
            if by in silent or (reported and rng.random() < 0.12):
                if by not in silent and skip_rng.random() < 0.5:
                    skipped.add((by, about))
                continue
            reported = True
            rated.add((by, about))
            gap = round_no == 1 and (about, by) in GAPS
            lines.append(_rating(rng, by, about, level, round_no, gap))
    ids = [i for i, _, _ in ORGANISATIONS]
    no_ties = {
        by: [about for about in ids if about != by and (by, about) not in rated | skipped]
        for by in ids
        if by not in silent
    }
    return lines, no_ties


def main() -> None:
    rng = random.Random(20260312)
    skip_rng = random.Random(20260512)
    ties_2 = [t for t in TIES_1 if (t[0], t[1]) not in LOST] + NEW
    out = [
        "# A fictional coalition of 30 organisations and two rounds of its network survey.",
        "# Written by scripts/make-network-demo.py (seeded); try:",
        "#   commonground network examples/network-riverside.yaml --compare 2025-spring",
        "# Each rating is one organisation's answer about another it works with (docs/methods.md):",
        "# level 1-4 (acquainted, helping, coordinating, joint), frequency 1-4 (yearly ... weekly),",
        "# value (power, involvement, resources) and trust (reliable, mission, open), each 1-4.",
        '# not_working_with: each organisation\'s explicit "we do not work with them" answers; a pair',
        "# named neither there nor in a rating is not answered (skipped), which is not a perception gap.",
        "kind: network-survey",
        "version: 1",
        "coalition: Riverside Together",
        "organisations:",
        *[f'  - {{id: {i}, name: "{n}", kind: {k}}}' for i, n, k in ORGANISATIONS],
        "rounds:",
    ]
    for round_no, (label, date, ties) in enumerate(
        (("2025-spring", "2025-04-15", TIES_1), ("2026-spring", "2026-04-20", ties_2)), start=1
    ):
        out += [f"  - label: {label}", f"    date: {date}"]
        out.append(f"    not_responding: [{', '.join(NOT_RESPONDING[label])}]")
        lines, no_ties = _ratings(rng, skip_rng, ties, label, round_no)
        out.append("    ratings:")
        out += lines
        out.append("    not_working_with:")
        out += [f"      {by}: [{', '.join(others)}]" for by, others in no_ties.items()]
    OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
