"""Culture fit on the Competing Values Framework (Cameron & Quinn): clan, adhocracy, market, hierarchy.

Each partner spreads 100 points over the four culture types. Per type the gap is the absolute
difference in points; a gap of :data:`SIGNIFICANT_GAP` (10) or more is commonly treated as
significant and becomes a ``culture_gap`` conflict naming the type. Severity by size: 10–19
points low, 20 or more medium. Culture gaps are capped at medium: a company and a charity
differing by 30 points on "market" is what cross-sector partnerships normally look like, so a
gap informs the conversation (how decisions and targets will be handled) but never puts a
partnership at risk on its own; the culture component already carries its size into the score.

Component score (0–100): ``100 × max(0, 1 − D / 200)`` with D the sum of the four gaps, on the
full range of D: identical profiles score 100, moving 50 points from one type to another (D = 100)
scores 50, and two profiles with no points in common (D = 200) score 0. The whole range is used
because the typical company–charity difference (about 35 points each on clan and market, D ≈ 80)
is a difference to plan for, not a misfit; the overall score also gives culture a small weight. When every
gap is below 10 the similar cultures are reported as a ``culture`` synergy.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.core.profiles import Profile
from commonground.core.results import (
    Conflict,
    ConflictKind,
    ConflictSeverity,
    CultureView,
    Evidence,
    EvidenceText,
    Synergy,
    SynergyKind,
)

SIGNIFICANT_GAP = 10.0
MAX_TOTAL_GAP = 200.0  # the sum of the four gaps when two profiles share no points
CULTURE_TYPES = ("clan", "adhocracy", "market", "hierarchy")

# Our one-line reading of each type, so a summary says what the gap means in practice.
TYPE_MEANING: dict[str, str] = {
    "clan": "collaboration, people and consensus",
    "adhocracy": "experimenting, risk-taking and new ideas",
    "market": "competition, targets and results",
    "hierarchy": "procedures, control and predictability",
}


def gap_severity(gap: float) -> ConflictSeverity:
    """Severity of a culture gap in points: ≥20 medium (the cap, see the module docstring), else low."""
    if gap >= 20:
        return ConflictSeverity.MEDIUM
    return ConflictSeverity.LOW


@dataclass(frozen=True)
class CultureAssessment:
    """What the culture analysis contributes to a pair result."""

    component: float | None
    view: CultureView | None
    conflicts: list[Conflict]
    synergies: list[Synergy]


def compare_culture(a: Profile, b: Profile) -> CultureAssessment:
    """Per-type gaps, component score, significant-gap conflicts and the chart view of two partners."""
    if a.culture is None or b.culture is None:
        profiles = {p.name: p.culture.as_dict() for p in (a, b) if p.culture is not None}
        view = CultureView(profiles=profiles, gaps={}) if profiles else None
        return CultureAssessment(None, view, [], [])
    pa, pb = a.culture.as_dict(), b.culture.as_dict()
    gaps = {t: round(abs(pa[t] - pb[t]), 1) for t in CULTURE_TYPES}
    total = sum(gaps.values())
    component = round(100.0 * max(0.0, 1.0 - total / MAX_TOTAL_GAP), 1)
    significant = {t: g for t, g in gaps.items() if g >= SIGNIFICANT_GAP}
    view = CultureView(profiles={a.name: pa, b.name: pb}, gaps=significant)
    profile_text = [
        EvidenceText(party=p.name, field="culture", text=_describe(prof)) for p, prof in ((a, pa), (b, pb))
    ]
    conflicts: list[Conflict] = []
    for t in sorted(significant, key=lambda k: (-significant[k], CULTURE_TYPES.index(k))):
        gap = significant[t]
        higher, lower = (a, b) if pa[t] > pb[t] else (b, a)
        conflicts.append(
            Conflict(
                kind=ConflictKind.CULTURE_GAP,
                severity=gap_severity(gap),
                parties=[a.name, b.name],
                summary=(
                    f"Cultures differ on {t} ({TYPE_MEANING[t]}): {higher.name} puts "
                    f"{gap:g} points more weight on it than {lower.name}"
                ),
                evidence=Evidence(
                    texts=profile_text,
                    rule="culture.cvf_gap",
                    detail=(
                        f"{t}: {pa[t]:g} vs {pb[t]:g} points; "
                        f"a gap of {SIGNIFICANT_GAP:g} or more is significant"
                    ),
                ),
            )
        )
    synergies: list[Synergy] = []
    if not significant:
        synergies.append(
            Synergy(
                kind=SynergyKind.CULTURE,
                parties=[a.name, b.name],
                summary="Both partners describe similar cultures (every type within 10 points)",
                evidence=Evidence(
                    texts=profile_text, rule="culture.cvf_similar", detail=f"total gap {total:g} points"
                ),
            )
        )
    return CultureAssessment(component, view, conflicts, synergies)


def _describe(profile: dict[str, float]) -> str:
    return ", ".join(f"{t} {profile[t]:g}" for t in CULTURE_TYPES)
