"""Goals × goals interactions on the seven-point scale of Nilsson, Griggs & Visbeck (2016).

−3 cancelling, −2 counteracting, −1 constraining, 0 consistent, +1 enabling, +2 reinforcing,
+3 indivisible. Two goals are scored from three readings of their texts:

1. the sector map: a goal that pushes a sensitive sector (e.g. "grow oil and gas output")
   against a goal in a mission area that sector works against (e.g. climate) is a tension whose
   strength follows the data row's severity, one point worse when the other goal directly opposes
   that same sector ("cut emissions to net zero");
2. direct opposition: two goals about the same thing that pull opposite ways ("introduce a soda
   tax" / "oppose the soda tax"; "build more city-centre parking" / "halve car journeys into the
   city centre"), on the scale mirrored from agreement: −1, −2, −3 as the topic similarity reaches
   the enabling, reinforcing and indivisible thresholds. The topic similarity is the larger of the
   goals' own similarity and that of their objects with the direction words and figures taken out
   (:func:`~commonground.core.semantics.polarity.goal_object`), because "build" and "halve" pull
   two goals about the same parking apart in meaning;
3. agreement: goals about the same thing pulling the same way reinforce each other; goals in the
   same mission area enable each other.

Every cell stays in the matrix, but the tensions that rest on the same sector-map row and the
same goal of one partner (the goal that pushes the sector) are one underlying issue: they fold
into ONE conflict, at the worst of their severities, listing every goal of the other partner in
its evidence. Direct oppositions (rule 2) stay one conflict per pair of goals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from commonground.core.results import (
    INTERACTION_LABELS,
    Conflict,
    ConflictKind,
    ConflictSeverity,
    Evidence,
    EvidenceText,
    GoalCell,
    GoalMatrix,
    GoalRef,
    Synergy,
    SynergyKind,
)
from commonground.core.semantics.cues import lexicon_groups
from commonground.core.semantics.engines import Matrix
from commonground.core.semantics.interaction_model import GoalTraits, InteractionModel, pair_features
from commonground.core.semantics.measures import measure_object, measure_stance
from commonground.core.semantics.polarity import goal_object
from commonground.core.semantics.sector_map import SectorConflictRow, load_sector_map
from commonground.core.semantics.sectors import TOPIC_THRESHOLD, TextReading
from commonground.core.wording import possessive

# Calibrated on the calibration split of tests/data/conflict_cases.yaml.
DIRECT_TENSION = 0.62  # opposite stances at least this similar are about the same thing
INDIVISIBLE = 0.80  # same stance, at least this similar: one cannot be met without the other
REINFORCING = 0.62  # same stance, at least this similar: progress on one helps the other
ENABLING = 0.50  # same stance, at least this similar (or a shared mission area): one helps the other
SYNERGY_FINDING = 2  # cells at or above this become Synergy(kind="goal")
# The goal-interaction model's probability for its sign at which the pair counts as counteracting
# (−2) or reinforcing (+2) rather than only constraining (−1) or enabling (+1). A declared choice:
# the model was trained on the sign, not the strength.
STRONG_SIGN = 0.75
# Named in the reason of every sign the goal-interaction model gives on its own (not one the rules
# also gave), so a reader of a cell, or of the evaluation, can tell those apart.
MODEL_REASON = "goal-interaction model"
# The version of how the goal matrix scores a pair (these rules and thresholds), recorded in every
# result's engine.rules_version. 2026.2: a same aim only the model sees is +1, as a tension only it
# sees is -1 (2026.1 gave it +2, a synergy, at p >= STRONG_SIGN).
GOAL_RULES_VERSION = "2026.2"


# Everyday activities whose many names embeddings keep apart ("car parks" and "driving" score
# 0.19 with the shipped model): two opposed goals whose objects both name one family are about the
# same activity. Each family is a handful of plain words, not a sensitive sector.
ACTIVITY_FAMILIES: dict[str, frozenset[str]] = lexicon_groups("activity_families")

_TENSION_SEVERITY = {-3: ConflictSeverity.HIGH, -2: ConflictSeverity.MEDIUM, -1: ConflictSeverity.LOW}


@dataclass(frozen=True)
class GoalInput:
    """One goal as the matrix sees it: its reference, its field name, reading and embedding."""

    ref: GoalRef
    field: str
    reading: TextReading
    vector: Matrix
    object_vector: Matrix | None = None  # embedding of the goal without its direction words
    traits: GoalTraits | None = None  # what the goal-interaction model reads of it, when it ships


@dataclass(frozen=True)
class Interaction:
    """A scored pair of goals and, when the sector map decided it, the row used."""

    score: int
    similarity: float
    reason: str
    row: SectorConflictRow | None = None


def _sector_tension(pusher: TextReading, other: TextReading) -> tuple[int, SectorConflictRow, str] | None:
    """Worst sector-map tension between a pro-sector goal and a goal in an area it works against."""
    smap = load_sector_map()
    worst: tuple[int, SectorConflictRow, str] | None = None
    for match in pusher.sectors:
        for area in other.areas:
            row = smap.row(match.sector, area.area)
            if row is None:
                continue
            score = -2 if row.severity == "high" else -1
            # The other goal fights this very sector, so each undoes the other's progress.
            fights = other.polarity.role == "against" and any(
                t.sector == match.sector and t.similarity >= TOPIC_THRESHOLD for t in other.topics
            )
            if fights:
                score -= 1
            sector_name = smap.sector(match.sector).name
            area_name = smap.area(area.area).name
            reason = f"one goal pushes {sector_name.lower()}, which works against {area_name.lower()}" + (
                ", and the other goal works directly against that sector" if fights else ""
            )
            if worst is None or (score, row.id) < (worst[0], worst[1].id):
                worst = (score, row, reason)
    return worst


def _opposed(a: TextReading, b: TextReading) -> bool:
    roles = {a.polarity.role, b.polarity.role}
    # "Reduce obesity" (against a harm) and "improve diets" (for a good) pull the same way, so
    # opposite roles only clash when both or neither name a harm.
    return roles == {"for", "against"} and a.polarity.harm == b.polarity.harm


def shared_activity(a: str, b: str) -> str | None:
    """The activity family both goals' objects name (direction words stripped), if any."""
    words_a, words_b = set(goal_object(a).split()), set(goal_object(b).split())
    for family in sorted(ACTIVITY_FAMILIES):
        members = ACTIVITY_FAMILIES[family]
        if words_a & members and words_b & members:
            return family
    return None


def _measure_clash(a: str, b: str, topic: float) -> Interaction | None:
    """Two goals acting on one measure opposite ways: one puts it in force, one holds it back.

    "See the Clean Air Zone enforced in full" and "win a postponement and an exemption from the
    Clean Air Zone charges" name the same scheme; each undoes the other's progress on it, so the
    clash is read from the words they share as well as from their meaning: −3 when the measure is
    named in two or more of the same words or the topics are close (``DIRECT_TENSION``), −2 when
    they only share one word and are related (``ENABLING``).
    """
    sa, sb = measure_stance(a), measure_stance(b)
    if sa is None or sb is None or sa == sb:
        return None
    shared = set(measure_object(a).split()) & set(measure_object(b).split())
    if len(shared) >= 2 or topic >= DIRECT_TENSION:
        score = -3
    elif shared and topic >= ENABLING:
        score = -2
    else:
        return None
    named = f" ({' '.join(sorted(shared))})" if shared else ""
    return Interaction(
        score, topic, f"one goal puts a measure in force and the other holds the same measure back{named}"
    )


def score_goals(
    a: TextReading,
    va: Matrix,
    b: TextReading,
    vb: Matrix,
    objects: tuple[Matrix, Matrix] | None = None,
    model_probs: Sequence[float] | None = None,
    model: InteractionModel | None = None,
) -> Interaction:
    """Score how goal ``a`` and goal ``b`` interact on the −3…+3 scale.

    ``objects`` are the embeddings of the two goals without their direction words; when given,
    their similarity can stand in for the goals' own when the goals pull opposite ways.
    ``model_probs`` are the goal-interaction model's probabilities of a negative, zero and positive
    interaction; when given, they decide every pair the curated rules (sector map, measures) leave.
    """
    similarity = float(np.clip(float(va @ vb), -1.0, 1.0))
    tensions = [t for t in (_sector_tension(a, b), _sector_tension(b, a)) if t is not None]
    if tensions:
        score, row, reason = min(tensions, key=lambda t: (t[0], t[1].id))
        return Interaction(max(score, -3), similarity, reason, row)
    topic = similarity
    if objects is not None:
        topic = max(topic, float(np.clip(float(objects[0] @ objects[1]), -1.0, 1.0)))
    clash = _measure_clash(a.text, b.text, topic)
    if clash is not None:
        return clash
    by_rules = _similarity_rules(a, b, similarity, topic)
    if model_probs is None or model is None:
        return by_rules
    return _with_model(by_rules, model_probs, model, similarity, topic)


def _similarity_rules(a: TextReading, b: TextReading, similarity: float, topic: float) -> Interaction:
    """Opposite roles on one topic pull apart; the same direction on close topics pull together."""
    if _opposed(a, b):
        if topic >= DIRECT_TENSION:
            score = -3 if topic >= INDIVISIBLE else -2
            return Interaction(score, topic, "both goals are about the same thing but pull opposite ways")
        family = shared_activity(a.text, b.text)
        if family is not None:
            # "More car-park spaces" against "cycling instead of driving": the same activity,
            # named in words the embedding keeps apart; counteracting, as for a close topic.
            return Interaction(-2, topic, f"both goals are about {family} but pull opposite ways")
        if topic >= ENABLING:
            return Interaction(-1, topic, "the goals pull opposite ways on related topics")
        return Interaction(0, similarity, "the goals pull different ways on loosely related topics")
    shared = sorted({x.area for x in a.areas} & {y.area for y in b.areas})
    if similarity >= INDIVISIBLE:
        return Interaction(3, similarity, "the goals pursue the same outcome in the same direction")
    if similarity >= REINFORCING:
        return Interaction(2, similarity, "the goals pursue closely related outcomes in the same direction")
    if similarity >= ENABLING or shared:
        smap = load_sector_map()
        where = f" (both serve {', '.join(smap.area(a).name.lower() for a in shared)})" if shared else ""
        return Interaction(1, similarity, f"progress on one goal helps the other{where}")
    return Interaction(0, similarity, "the goals neither help nor hinder each other")


def _with_model(
    by_rules: Interaction, probs: Sequence[float], model: InteractionModel, similarity: float, topic: float
) -> Interaction:
    """Combine the similarity rules with the goal-interaction model's reading of the pair.

    The model decides a sign only when it is sure (its thresholds). A sign it alone gives is mild
    either way: −1 (constraining) or +1 (enabling). It reads the pair as a whole and can be wrong
    with confidence: on goals two real partners hold, it reads most pairs of worthy goals as one aim
    ("grow oil production" and "free drinking water in schools", p = 1.00), and a false synergy
    inflates the score as a false tension deflates it. So only a sign the rules also give keeps the
    rules' strength (and a same aim the rules call +1 becomes +2 when the model is sure). Where it is
    sure the goals serve the same ends, it still overrules a tension the rules read from opposite
    wording ("cut sugar" and "halve obesity" are one aim).
    """
    negative, _, positive = (float(p) for p in probs)
    if negative >= model.negative_threshold and negative >= positive:
        if by_rules.score < 0:
            return by_rules
        return Interaction(
            -1, topic, f"the goals may pull against each other ({MODEL_REASON}, p={negative:.2f})"
        )
    if positive >= model.positive_threshold:
        if by_rules.score > 0:
            return by_rules if by_rules.score >= 2 or positive < STRONG_SIGN else replace(by_rules, score=2)
        return Interaction(1, similarity, f"the goals serve the same ends ({MODEL_REASON}, p={positive:.2f})")
    return by_rules


def _pair_probabilities(
    rows: Sequence[GoalInput], columns: Sequence[GoalInput], model: InteractionModel | None
) -> Matrix | None:
    """The model's probabilities for every (row, column) pair, as a (rows, columns, 3) array."""
    if model is None or not rows or not columns:
        return None
    if any(g.traits is None for g in (*rows, *columns)):
        return None
    left = [r.traits for r in rows for _ in columns]
    right = [c.traits for _ in rows for c in columns]
    probs = model.probabilities(pair_features(left, right))  # type: ignore[arg-type]
    out: Matrix = probs.reshape(len(rows), len(columns), 3)
    return out


def _cell(interaction: Interaction) -> GoalCell:
    relation = "synergy" if interaction.score >= 1 else "tension" if interaction.score <= -1 else "neutral"
    return GoalCell(
        score=interaction.score,
        label=INTERACTION_LABELS[interaction.score],
        relation=relation,
        similarity=round(interaction.similarity, 4),
        reason=interaction.reason,
    )


def _folded_tension(group: list[tuple[GoalInput, GoalInput, Interaction]]) -> Conflict:
    """One conflict for every tension that rests on one sector row and one partner's pushing goal."""
    first_r, first_c, first = group[0]
    row = first.row
    assert row is not None
    pusher = first_r if any(m.sector == row.sector for m in first_r.reading.sectors) else first_c
    others: list[tuple[GoalInput, Interaction]] = [(c if r is pusher else r, i) for r, c, i in group]
    worst = min(i.score for _, i in others)
    label = INTERACTION_LABELS[worst]
    other_party = others[0][0].ref.party
    quoted = ", ".join(f'"{g.ref.text}"' for g, _ in others)
    plural = "goals" if len(others) > 1 else "goal"
    texts = [EvidenceText(party=pusher.ref.party, field=pusher.field, text=pusher.ref.text)]
    texts += [EvidenceText(party=g.ref.party, field=g.field, text=g.ref.text) for g, _ in others]
    detail = "; ".join(
        f'"{g.ref.text}": score {i.score:+d} ({INTERACTION_LABELS[i.score]}): {i.reason}' for g, i in others
    )
    return Conflict(
        kind=ConflictKind.GOAL_TENSION,
        severity=_TENSION_SEVERITY[worst],
        # Row partner first, as in the matrix.
        parties=[first_r.ref.party, first_c.ref.party],
        summary=f'{possessive(pusher.ref.party)} goal "{pusher.ref.text}" is {label} with '
        f"{possessive(other_party)} {plural} {quoted}",
        evidence=Evidence(
            texts=texts,
            rule="goal_interaction",
            data_row=row.id,
            source=row.source,
            similarity=round(max(i.similarity for _, i in others), 4),
            detail=detail,
        ),
    )


def goal_interactions(
    rows: Sequence[GoalInput], columns: Sequence[GoalInput], *, model: InteractionModel | None = None
) -> tuple[GoalMatrix, list[Conflict], list[Synergy]]:
    """The goals × goals matrix, plus a conflict per tension and a synergy per strong synergy."""
    probabilities = _pair_probabilities(rows, columns, model)
    cells: list[list[GoalCell | None]] = []
    conflicts: list[Conflict] = []
    synergies: list[Synergy] = []
    folded: dict[tuple[str, str, str], list[tuple[GoalInput, GoalInput, Interaction]]] = {}
    for i, r in enumerate(rows):
        line: list[GoalCell | None] = []
        for j, c in enumerate(columns):
            objects = (
                (r.object_vector, c.object_vector)
                if r.object_vector is not None and c.object_vector is not None
                else None
            )
            probs = probabilities[i, j] if probabilities is not None else None
            interaction = score_goals(r.reading, r.vector, c.reading, c.vector, objects, probs, model)
            line.append(_cell(interaction))
            texts = [
                EvidenceText(party=r.ref.party, field=r.field, text=r.ref.text),
                EvidenceText(party=c.ref.party, field=c.field, text=c.ref.text),
            ]
            label = INTERACTION_LABELS[interaction.score]
            evidence = Evidence(
                texts=texts,
                rule="goal_interaction",
                data_row=interaction.row.id if interaction.row else None,
                source=interaction.row.source if interaction.row else None,
                similarity=round(interaction.similarity, 4),
                detail=f"score {interaction.score:+d} ({label}): {interaction.reason}",
            )
            parties = [r.ref.party, c.ref.party]
            if interaction.score <= -1 and interaction.row is not None:
                pusher = r if any(m.sector == interaction.row.sector for m in r.reading.sectors) else c
                key = (interaction.row.id, pusher.ref.party, pusher.ref.id)
                folded.setdefault(key, []).append((r, c, interaction))
            elif interaction.score <= -1:
                conflicts.append(
                    Conflict(
                        kind=ConflictKind.GOAL_TENSION,
                        severity=_TENSION_SEVERITY[interaction.score],
                        parties=parties,
                        summary=f'{possessive(r.ref.party)} goal "{r.ref.text}" is {label} with '
                        f'{possessive(c.ref.party)} goal "{c.ref.text}"',
                        evidence=evidence,
                    )
                )
            elif interaction.score >= SYNERGY_FINDING:
                synergies.append(
                    Synergy(
                        kind=SynergyKind.GOAL,
                        parties=parties,
                        summary=f'{possessive(r.ref.party)} goal "{r.ref.text}" and '
                        f'{possessive(c.ref.party)} goal "{c.ref.text}" are {label}',
                        evidence=evidence,
                    )
                )
        cells.append(line)
    conflicts += [_folded_tension(group) for _, group in sorted(folded.items())]
    matrix = GoalMatrix(rows=[r.ref for r in rows], columns=[c.ref for c in columns], cells=cells)
    return matrix, conflicts, synergies
