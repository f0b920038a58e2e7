"""Shared value of proposed joint initiatives (Porter & Kramer 2011).

Porter and Kramer name three levels at which a business creates shared value: reconceiving
products and markets, redefining productivity in the value chain, and enabling local cluster
development. Each initiative may state its level.

The 2×2 is our own choice, not theirs: each initiative is placed, for each partner, on social
value (1–5) × that partner's economic value (1–5), "high" meaning **3 or more** on either axis:
high/high → shared_value, high social only → social_only, high economic only → economic_only,
neither → low_value. A partner with no economic value stated is placed at 1 and the note says so.

An initiative is *one-sided* when the economic values of two partners differ by
:data:`ONE_SIDED_DIFFERENCE` (2) or more: the benefit goes mainly to one partner, which tends to
breed resentment. An initiative in the shared_value quadrant for every partner is an
``initiative`` synergy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from commonground.core.profiles import Initiative
from commonground.core.results import (
    Evidence,
    EvidenceText,
    InitiativeView,
    SharedValueQuadrant,
    Synergy,
    SynergyKind,
)

HIGH_FROM = 3
ONE_SIDED_DIFFERENCE = 2
UNSTATED_ECONOMIC_VALUE = 1

LEVEL_NAMES = {
    "products_and_markets": "products and markets",
    "value_chain": "value-chain productivity",
    "local_clusters": "local clusters",
}


def place(social: int, economic: int) -> SharedValueQuadrant:
    """Quadrant of one initiative for one partner; high means 3 or more on the 1–5 scale."""
    if social >= HIGH_FROM and economic >= HIGH_FROM:
        return "shared_value"
    if social >= HIGH_FROM:
        return "social_only"
    if economic >= HIGH_FROM:
        return "economic_only"
    return "low_value"


@dataclass(frozen=True)
class InitiativeAssessment:
    """Initiative views and the synergies they yield."""

    views: list[InitiativeView]
    synergies: list[Synergy]


def assess_initiatives(initiatives: Sequence[Initiative], partners: Sequence[str]) -> InitiativeAssessment:
    """Place each initiative on social × economic value for each of ``partners`` and flag one-sided ones."""
    views: list[InitiativeView] = []
    synergies: list[Synergy] = []
    for k, initiative in enumerate(initiatives):
        unstated = [p for p in partners if p not in initiative.economic_value]
        economic = {p: initiative.economic_value.get(p, UNSTATED_ECONOMIC_VALUE) for p in partners}
        quadrants = {p: place(initiative.social_value, economic[p]) for p in partners}
        spread = max(economic.values()) - min(economic.values()) if economic else 0
        one_sided = spread >= ONE_SIDED_DIFFERENCE
        notes: list[str] = []
        if one_sided:
            top = max(partners, key=lambda p: (economic[p], -list(partners).index(p)))
            low = min(partners, key=lambda p: (economic[p], list(partners).index(p)))
            notes.append(
                f"Warning: the economic benefit goes mainly to {top} ({economic[top]} of 5 against "
                f"{economic[low]} for {low}); agree how costs and gains are shared."
            )
        if unstated:
            notes.append(f"No economic value stated for {', '.join(unstated)}; placed at 1.")
        if all(q == "shared_value" for q in quadrants.values()):
            notes.append("Shared value for every partner.")
            synergies.append(
                Synergy(
                    kind=SynergyKind.INITIATIVE,
                    parties=list(partners),
                    summary=(
                        f"Initiative '{initiative.name}' creates social value "
                        "and economic value for every partner"
                    ),
                    evidence=Evidence(
                        texts=[
                            EvidenceText(
                                party=p, field=f"initiatives[{k}].economic_value", text=str(economic[p])
                            )
                            for p in partners
                        ],
                        rule="initiative.shared_value",
                        detail=f"social value {initiative.social_value} of 5; high means {HIGH_FROM} or more",
                    ),
                )
            )
        if initiative.level is not None:
            notes.append(f"Level: {LEVEL_NAMES[initiative.level]}.")
        views.append(
            InitiativeView(
                name=initiative.name,
                level=initiative.level,
                social_value=initiative.social_value,
                economic_value=economic,
                quadrant=quadrants,
                one_sided=one_sided,
                note=" ".join(notes),
            )
        )
    return InitiativeAssessment(views, synergies)
