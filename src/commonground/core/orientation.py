"""Profit–purpose orientation: how far apart two partners sit between pure purpose (0) and pure profit (1).

Component score: ``100 × (1 − excess)``, where the excess is how far the gap goes beyond what is
typical for the two kinds of organisation (:data:`TYPICAL_POSITION`). A company (typically 0.75)
and a charity (0.05) are expected to sit about 0.7 apart, so a gap of 0.75 between them is an
excess of 0.05 and scores 95; two charities 0.5 apart have an excess of 0.5 and score 50. The gap
is information and a question to settle (who gains what, how surplus is used), and the score only
marks what is unusual for the pair. The typical positions are our own judgement of where each kind
usually describes itself, not measured figures; kind ``other`` has no typical position, so its raw
gap counts in full.
A gap of :data:`CONFLICT_GAP` (0.3) or more is an ``orientation`` conflict: 0.3–0.49 low,
0.5 or more medium. A gap under 0.3 is ordinary between, say, a nonprofit and a social
enterprise. Orientation conflicts are capped at medium: a company (0.7) and a charity (0.05) are
the typical partnership this tool exists for, so even a wide gap informs the conversation (who
gains what, how surplus is used) but never puts the partnership at risk on its own; the
orientation component already carries the gap into the score.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.core.profiles import Kind, Profile
from commonground.core.results import Conflict, ConflictKind, ConflictSeverity, Evidence, EvidenceText

CONFLICT_GAP = 0.3
MEDIUM_GAP = 0.5
# Where each kind of organisation typically sits on the 0 (purpose) … 1 (profit) scale; our judgement.
TYPICAL_POSITION: dict[Kind, float] = {
    Kind.COMMUNITY_GROUP: 0.0,
    Kind.NONPROFIT: 0.05,
    Kind.PUBLIC_AGENCY: 0.1,
    Kind.FUNDER: 0.1,
    Kind.SOCIAL_ENTERPRISE: 0.4,
    Kind.COMPANY: 0.75,
}


def typical_gap(a: Kind, b: Kind) -> float:
    """The profit–purpose gap that is ordinary between two kinds (0 when either kind is ``other``)."""
    if a not in TYPICAL_POSITION or b not in TYPICAL_POSITION:
        return 0.0
    return round(abs(TYPICAL_POSITION[a] - TYPICAL_POSITION[b]), 3)


def gap_severity(gap: float) -> ConflictSeverity | None:
    """Severity of a profit–purpose gap, or None when it is too small to matter."""
    if gap >= MEDIUM_GAP:
        return ConflictSeverity.MEDIUM
    if gap >= CONFLICT_GAP:
        return ConflictSeverity.LOW
    return None


@dataclass(frozen=True)
class OrientationAssessment:
    """What the orientation analysis contributes to a pair result."""

    component: float | None
    gap: float | None
    conflicts: list[Conflict]


def _kind_words(profile: Profile) -> str:
    """The kind of organisation in words, e.g. "community group"."""
    return profile.kind.value.replace("_", " ")


def orientation_words(position: float) -> str:
    """Where a profit–purpose position (0 purpose … 1 profit) stands, in words: "mainly purpose-driven"."""
    if position <= 0.2:
        return "mainly purpose-driven"
    if position < 0.4:
        return "purpose-led with commercial aims"
    if position <= 0.6:
        return "balanced between profit and purpose"
    if position < 0.8:
        return "profit-led with social aims"
    return "mainly profit-driven"


def compare_orientation(a: Profile, b: Profile) -> OrientationAssessment:
    """Profit–purpose gap of two partners, its 0–100 component and a conflict when it is large."""
    if a.orientation is None or b.orientation is None:
        return OrientationAssessment(None, None, [])
    pa, pb = a.orientation.profit_purpose, b.orientation.profit_purpose
    gap = round(abs(pa - pb), 3)
    expected = typical_gap(a.kind, b.kind)
    excess = max(0.0, gap - expected)
    component = round(100.0 * (1.0 - excess), 1)
    severity = gap_severity(gap)
    # A gap no wider than usual for the two kinds is still worth a question, never more than low.
    if severity is not None and excess < CONFLICT_GAP:
        severity = ConflictSeverity.LOW
    conflicts: list[Conflict] = []
    if severity is not None:
        more, less = (a, b) if pa > pb else (b, a)
        conflicts.append(
            Conflict(
                kind=ConflictKind.ORIENTATION,
                severity=severity,
                parties=[a.name, b.name],
                summary=(
                    f"{more.name} is {orientation_words(max(pa, pb))} while {less.name} is "
                    f"{orientation_words(min(pa, pb))} (profit–purpose gap {gap:.2f})"
                ),
                evidence=Evidence(
                    texts=[
                        EvidenceText(party=a.name, field="orientation.profit_purpose", text=f"{pa:g}"),
                        EvidenceText(party=b.name, field="orientation.profit_purpose", text=f"{pb:g}"),
                    ],
                    rule="orientation.gap",
                    detail=(
                        "0 = purely purpose-driven, 1 = purely profit-driven; "
                        f"typical gap for a {_kind_words(a)} and a {_kind_words(b)}: {expected:.2f}; "
                        f"conflict from a gap of {CONFLICT_GAP}"
                    ),
                ),
            )
        )
    return OrientationAssessment(component, gap, conflicts)
