"""Stakeholder analysis: Mendelow's power–interest grid and Mitchell, Agle & Wood's (1997) salience.

Merging: the two partners' stakeholders with the same name (ignoring case) or a near-synonym
(cosine similarity of the bare names ≥ :data:`STAKEHOLDER_MATCH_THRESHOLD`, calibrated on
``tests/data/stakeholder_pairs.csv``; "Parents" ≈ "Families", "Employees" ≈ "Staff") become one
view named both; power and interest are the mean of the partners' 1–5 ratings.

Mendelow grid: on the 1–5 scale "high" means **above 3** (a 3 is the midpoint and counts as low).
High power & high interest → manage_closely; high power only → keep_satisfied; high interest only
→ keep_informed; neither → monitor.

Salience (Mitchell, Agle & Wood 1997): the *power* attribute is power ≥ 4 (the same line as
"high" on the grid for whole-number ratings); *legitimacy* and *urgency* hold when either partner
says so. Salience is the number of attributes: power only → dormant, legitimacy only →
discretionary, urgency only → demanding, power+legitimacy → dominant, power+urgency → dangerous,
legitimacy+urgency → dependent, all three → definitive, none → non_stakeholder.

Findings: a stakeholder both partners name is a ``stakeholder`` synergy unless their stances
differ; one partner marking it supportive and the other opposed is a ``stakeholder`` conflict
(high when the stakeholder has high power, else medium); an opposed stakeholder with power ≥ 4
is a medium conflict on its own (the partnership inherits that opposition).

Component (0–100, null when neither partner lists stakeholders): ``60 + 40 × overlap`` where
overlap is the importance-weighted share of stakeholders both partners name (importance = mean of
power and interest), minus 25 per opposite-stance stakeholder and 10 per other high-power
opposed one, floored at 0. Different stakeholders are not bad in themselves, hence the base of 60.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from commonground.core.profiles import Profile, Stakeholder, Stance
from commonground.core.results import (
    Conflict,
    ConflictKind,
    ConflictSeverity,
    Evidence,
    EvidenceText,
    Quadrant,
    SalienceClass,
    StakeholderView,
    Synergy,
    SynergyKind,
)
from commonground.core.semantics.engines import EmbeddingEngine
from commonground.core.values import name_similarity, one_to_one_matches

STAKEHOLDER_MATCH_THRESHOLD = 0.70
HIGH_ABOVE = 3.0  # grid: "high" is strictly above the midpoint of the 1–5 scale
POWER_ATTRIBUTE_MIN = 4.0

STRATEGIES: dict[str, str] = {
    "manage_closely": "Key player: involve them in decisions and consult them early and often.",
    "keep_satisfied": "Keep satisfied: meet their needs and consult on matters that affect them.",
    "keep_informed": "Keep informed: tell them what is happening and listen to their concerns.",
    "monitor": "Monitor: watch for changes in their power or interest; keep effort light.",
}

_SALIENCE: dict[tuple[bool, bool, bool], SalienceClass] = {
    (False, False, False): "non_stakeholder",
    (True, False, False): "dormant",
    (False, True, False): "discretionary",
    (False, False, True): "demanding",
    (True, True, False): "dominant",
    (True, False, True): "dangerous",
    (False, True, True): "dependent",
    (True, True, True): "definitive",
}


_ATTRIBUTES: dict[SalienceClass, tuple[bool, bool, bool]] = {cls: key for key, cls in _SALIENCE.items()}


def salience_attributes(salience_class: SalienceClass) -> tuple[bool, bool, bool]:
    """Power, legitimacy and urgency of a salience class (each class names exactly one combination)."""
    return _ATTRIBUTES[salience_class]


def quadrant(power: float, interest: float) -> Quadrant:
    """Mendelow quadrant for power and interest on the 1–5 scale (high = above 3)."""
    high_power, high_interest = power > HIGH_ABOVE, interest > HIGH_ABOVE
    if high_power and high_interest:
        return "manage_closely"
    if high_power:
        return "keep_satisfied"
    if high_interest:
        return "keep_informed"
    return "monitor"


def salience(power: float, legitimacy: bool, urgency: bool) -> tuple[SalienceClass, int]:
    """Mitchell, Agle & Wood class and salience (number of attributes); power attribute = power ≥ 4."""
    attributes = (power >= POWER_ATTRIBUTE_MIN, legitimacy, urgency)
    return _SALIENCE[attributes], sum(attributes)


@dataclass(frozen=True)
class StakeholderAssessment:
    """What the stakeholder analysis contributes to a pair result."""

    component: float | None
    views: list[StakeholderView]
    conflicts: list[Conflict]
    synergies: list[Synergy]


@dataclass(frozen=True)
class _Entry:
    party: str
    index: int
    stakeholder: Stakeholder


def _view(name: str, entries: list[_Entry]) -> StakeholderView:
    power = round(sum(e.stakeholder.power for e in entries) / len(entries), 2)
    interest = round(sum(e.stakeholder.interest for e in entries) / len(entries), 2)
    legitimacy = any(e.stakeholder.legitimacy for e in entries)
    urgency = any(e.stakeholder.urgency for e in entries)
    cls, count = salience(power, legitimacy, urgency)
    q = quadrant(power, interest)
    return StakeholderView(
        name=name,
        parties=[e.party for e in entries],
        power=power,
        interest=interest,
        quadrant=q,
        strategy=STRATEGIES[q],
        salience_class=cls,
        salience=count,
        stances={e.party: e.stakeholder.stance.value for e in entries if e.stakeholder.stance is not None},
    )


def _texts(entries: list[_Entry]) -> list[EvidenceText]:
    out = []
    for e in entries:
        s = e.stakeholder
        stance = f", {s.stance.value}" if s.stance is not None else ""
        text = f"{s.name} (power {s.power}, interest {s.interest}{stance})"
        out.append(EvidenceText(party=e.party, field=f"stakeholders[{e.index}]", text=text))
    return out


def _plain_name(name: str) -> str:
    """A name compared without case, punctuation or a leading "the"."""
    words = re.findall(r"\w+", name.casefold())
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def partner_named_as_stakeholder(conflict: Conflict, profiles: Sequence[Profile]) -> bool:
    """Whether a stakeholder conflict is about one of ``profiles``, which is inside the partnership.

    A pair of a coalition sees the other partners as outsiders; the coalition does not.
    """
    if conflict.kind is not ConflictKind.STAKEHOLDER:
        return False
    by_name = {p.name: p for p in profiles}
    partners = {_plain_name(p.name) for p in profiles}
    for text in conflict.evidence.texts:
        found = re.fullmatch(r"stakeholders\[(\d+)\]", text.field)
        owner = by_name.get(text.party)
        named = owner.stakeholders if owner is not None else []
        index = int(found.group(1)) if found else len(named)
        if index < len(named) and _plain_name(named[index].name) in partners:
            return True
    return False


def _groups(
    profiles: Sequence[Profile], engine: EmbeddingEngine
) -> list[tuple[str, list[_Entry], float | None]]:
    """Merge stakeholders across partners, matching each partner's names one-to-one to earlier groups."""
    groups: list[tuple[str, list[_Entry], float | None]] = []
    # A partner is inside the partnership, never its outside stakeholder: a partner named in another
    # partner's register would otherwise "oppose" or "support" the partnership it belongs to.
    partners = {_plain_name(p.name) for p in profiles}
    for profile in profiles:
        if not profile.stakeholders:
            continue
        anchors = [entries[0].stakeholder.name for _, entries, _ in groups]
        names = [s.name for s in profile.stakeholders]
        sims = name_similarity(names, anchors, engine=engine, template=None)
        # A group takes at most one stakeholder per partner: mask groups this partner is already in.
        for g, (_, entries, _) in enumerate(groups):
            if any(e.party == profile.name for e in entries):
                sims[:, g] = -1.0
        matched = {i: (g, sim) for i, g, sim in one_to_one_matches(sims, STAKEHOLDER_MATCH_THRESHOLD)}
        for i, stakeholder in enumerate(profile.stakeholders):
            if _plain_name(stakeholder.name) in partners:
                continue
            entry = _Entry(profile.name, i, stakeholder)
            if i in matched:
                g, sim = matched[i]
                name, entries, low = groups[g]
                if all(e.stakeholder.name.casefold() != stakeholder.name.casefold() for e in entries):
                    name = f"{name} / {stakeholder.name}"
                groups[g] = (name, [*entries, entry], sim if low is None else min(low, sim))
            else:
                groups.append((stakeholder.name, [entry], None))
    return groups


def merge_stakeholders(profiles: Sequence[Profile], *, engine: EmbeddingEngine) -> list[StakeholderView]:
    """Every partner's stakeholders merged by name or near-synonym, most salient first."""
    views = [_view(name, entries) for name, entries, _ in _groups(profiles, engine)]
    views.sort(key=lambda v: (-v.salience, -(v.power + v.interest), v.name.casefold()))
    return views


def compare_stakeholders(a: Profile, b: Profile, *, engine: EmbeddingEngine) -> StakeholderAssessment:
    """Merge two partners' stakeholders, place them on both grids, and find shared and contested ones."""
    if not a.stakeholders and not b.stakeholders:
        return StakeholderAssessment(None, [], [], [])
    groups = _groups([a, b], engine)
    views: list[StakeholderView] = []
    conflicts: list[Conflict] = []
    synergies: list[Synergy] = []
    shared_importance = total_importance = 0.0
    divergent = lone_opposed = 0
    for name, entries, similarity in groups:
        view = _view(name, entries)
        views.append(view)
        importance = (view.power + view.interest) / 2.0
        total_importance += importance
        stances = {e.stakeholder.stance for e in entries}
        evidence_sim = round(similarity, 3) if similarity is not None else None
        if len(entries) == 2:
            shared_importance += importance
            if {Stance.SUPPORTIVE, Stance.OPPOSED} <= stances:
                divergent += 1
                supporter = next(e.party for e in entries if e.stakeholder.stance is Stance.SUPPORTIVE)
                opponent = next(e.party for e in entries if e.stakeholder.stance is Stance.OPPOSED)
                conflicts.append(
                    Conflict(
                        kind=ConflictKind.STAKEHOLDER,
                        severity=ConflictSeverity.HIGH
                        if view.power > HIGH_ABOVE
                        else ConflictSeverity.MEDIUM,
                        parties=[a.name, b.name],
                        summary=f"{name} supports {supporter} but opposes {opponent}",
                        evidence=Evidence(
                            texts=_texts(entries),
                            rule="stakeholder.opposite_stances",
                            similarity=evidence_sim,
                            detail=(
                                f"power {view.power:g}, interest {view.interest:g} "
                                f"({view.quadrant.replace('_', ' ')})"
                            ),
                        ),
                    )
                )
                continue
            synergies.append(
                Synergy(
                    kind=SynergyKind.STAKEHOLDER,
                    parties=[a.name, b.name],
                    summary=f"Both partners answer to {name} ({view.quadrant.replace('_', ' ')})",
                    evidence=Evidence(
                        texts=_texts(entries), rule="stakeholder.shared", similarity=evidence_sim
                    ),
                )
            )
        opposed_strong = [
            e
            for e in entries
            if e.stakeholder.stance is Stance.OPPOSED and e.stakeholder.power >= POWER_ATTRIBUTE_MIN
        ]
        if opposed_strong:
            lone_opposed += 1
            owners = " and ".join(e.party for e in opposed_strong)
            conflicts.append(
                Conflict(
                    kind=ConflictKind.STAKEHOLDER,
                    severity=ConflictSeverity.MEDIUM,
                    parties=[a.name, b.name],
                    summary=(
                        f"{name}, a powerful stakeholder, opposes {owners}; "
                        "the partnership may inherit that opposition"
                    ),
                    evidence=Evidence(
                        texts=_texts(entries), rule="stakeholder.powerful_opponent", similarity=evidence_sim
                    ),
                )
            )
    overlap = shared_importance / total_importance if total_importance else 0.0
    component = round(max(0.0, 60.0 + 40.0 * overlap - 25.0 * divergent - 10.0 * lone_opposed), 1)
    views.sort(key=lambda v: (-v.salience, -(v.power + v.interest), v.name.casefold()))
    return StakeholderAssessment(component, views, conflicts, synergies)


def shared_stakeholders(profiles: Sequence[Profile], *, engine: EmbeddingEngine) -> list[str]:
    """Names of the stakeholders every partner names (or a near-synonym of), most salient first."""
    return [v.name for v in merge_stakeholders(profiles, engine=engine) if len(v.parties) == len(profiles)]
