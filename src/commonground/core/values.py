"""Values congruence: how far two partners hold the same values with the same priority.

Effective weight of a value (0–5): the stated ``weight`` when given, else ``max(1, 5 − position)``
with position 0 for the first value, so list order decides priority when no weight is written.

Near-synonyms ("Integrity" ≈ "Honesty", "Transparency" ≈ "Openness") count as the same value.
Two value names match when their *value similarity* reaches :data:`VALUE_MATCH_THRESHOLD`; the
similarity is the mean cosine of two embeddings per name: the bare name, and the name inside a
short carrier sentence (:data:`VALUE_TEMPLATE`), which pulls single words towards their sense as a
value. The threshold was calibrated on the labelled pairs in ``tests/data/value_pairs.csv``.
Identical names (ignoring case) always match with similarity 1. Matching is one-to-one, greedy by
descending similarity, so one value never stands in for two.

Component score (0–100): for each partner, coverage = Σ wᵢ·aᵢ / Σ wᵢ over its values, where aᵢ
is 0 for an unmatched value and ``1 − |wᵢ − wⱼ| / 8`` when matched to the other's value j (holding
a value at priority 5 against 1 keeps half the credit). The component is 100 × the mean of the
two coverages, so identical lists score 100.

Conflicts and synergies look at each partner's *top values*: its first :data:`TOP_N` by effective
weight. An unmatched top value is a ``value_gap`` (severity medium at weight 5, else low: a
missing value is a conversation to have, not a reason to stop); a matched pair that is top for
both partners is a ``value`` synergy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from commonground.core.profiles import Profile, Value
from commonground.core.results import (
    Conflict,
    ConflictKind,
    ConflictSeverity,
    Evidence,
    EvidenceText,
    Synergy,
    SynergyKind,
    ValueComparison,
)
from commonground.core.semantics.engines import EmbeddingEngine

VALUE_MATCH_THRESHOLD = 0.50
VALUE_TEMPLATE = "{}: a principle that guides how we work."
TOP_N = 3

FloatMatrix = npt.NDArray[np.float64]


def effective_weights(values: Sequence[Value]) -> list[float]:
    """Each value's weight 0–5: stated weight, else 5 minus its position (at least 1)."""
    return [float(v.weight) if v.weight is not None else float(max(1, 5 - i)) for i, v in enumerate(values)]


def top_indices(values: Sequence[Value], n: int = TOP_N) -> list[int]:
    """Positions of the ``n`` most important values (higher weight first, then list order)."""
    weights = effective_weights(values)
    return sorted(range(len(values)), key=lambda i: (-weights[i], i))[:n]


def name_similarity(
    a: Sequence[str], b: Sequence[str], *, engine: EmbeddingEngine, template: str | None = VALUE_TEMPLATE
) -> FloatMatrix:
    """Cosine similarity of every name in ``a`` to every name in ``b`` (identical names → 1)."""
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float64)
    texts = [*a, *b]
    if template is not None:
        texts += [template.format(t) for t in texts]
    # One call for both sides and both forms: the engine batches and caches.
    vectors = engine.embed(texts).astype(np.float64)
    na, nb = len(a), len(b)
    sims = vectors[:na] @ vectors[na : na + nb].T
    if template is not None:
        offset = na + nb
        sims = (sims + vectors[offset : offset + na] @ vectors[offset + na :].T) / 2.0
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if x.casefold() == y.casefold():
                sims[i, j] = 1.0
    # Rounding keeps results byte-identical across BLAS builds that differ in the last bits.
    return np.round(np.clip(sims, -1.0, 1.0), 4).astype(np.float64)


def one_to_one_matches(sims: FloatMatrix, threshold: float) -> list[tuple[int, int, float]]:
    """Greedy one-to-one pairs (i, j, similarity) with similarity ≥ threshold, best first."""
    candidates = [
        (float(sims[i, j]), i, j)
        for i in range(sims.shape[0])
        for j in range(sims.shape[1])
        if sims[i, j] >= threshold
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_i: set[int] = set()
    used_j: set[int] = set()
    out: list[tuple[int, int, float]] = []
    for sim, i, j in candidates:
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        out.append((i, j, sim))
    return out


@dataclass(frozen=True)
class ValuesAssessment:
    """Everything the values analysis contributes to a pair result."""

    component: float | None
    rows: list[ValueComparison]
    conflicts: list[Conflict]
    synergies: list[Synergy]


def _evidence_text(party: str, index: int, value: Value) -> EvidenceText:
    text = value.name if value.description is None else f"{value.name}: {value.description}"
    return EvidenceText(party=party, field=f"values[{index}]", text=text)


def compare_values(a: Profile, b: Profile, *, engine: EmbeddingEngine) -> ValuesAssessment:
    """Values congruence of two partners: chart rows, 0–100 component, gaps and shared values."""
    if not a.values and not b.values:
        return ValuesAssessment(None, [], [], [])
    wa, wb = effective_weights(a.values), effective_weights(b.values)
    names_a, names_b = [v.name for v in a.values], [v.name for v in b.values]
    sims = name_similarity(names_a, names_b, engine=engine)
    matches = one_to_one_matches(sims, VALUE_MATCH_THRESHOLD)
    match_of_a = {i: (j, s) for i, j, s in matches}
    match_of_b = {j: (i, s) for i, j, s in matches}

    rows = value_rows([a, b], engine=engine)

    component: float | None = None
    if a.values and b.values:

        def coverage(
            weights: list[float], other: list[float], matched: dict[int, tuple[int, float]]
        ) -> float:
            credit = 0.0
            for i, w in enumerate(weights):
                if i in matched:
                    credit += w * (1.0 - abs(w - other[matched[i][0]]) / 8.0)
            return credit / sum(weights)

        component = round(100.0 * (coverage(wa, wb, match_of_a) + coverage(wb, wa, match_of_b)) / 2.0, 1)

    conflicts: list[Conflict] = []
    synergies: list[Synergy] = []
    if a.values and b.values:
        top_a, top_b = set(top_indices(a.values)), set(top_indices(b.values))
        for i, j, sim in matches:
            if i in top_a and j in top_b:
                same = names_a[i].casefold() == names_b[j].casefold()
                label = f"'{names_a[i]}'" if same else f"'{names_a[i]}' and '{names_b[j]}'"
                synergies.append(
                    Synergy(
                        kind=SynergyKind.VALUE,
                        parties=[a.name, b.name],
                        summary=f"Both partners put {label} among their top values",
                        evidence=Evidence(
                            texts=[
                                _evidence_text(a.name, i, a.values[i]),
                                _evidence_text(b.name, j, b.values[j]),
                            ],
                            rule="value.shared_top",
                            similarity=round(sim, 3),
                        ),
                    )
                )
        for owner, other, top, matched, weights, owner_sims in (
            (a, b, top_a, match_of_a, wa, sims),
            (b, a, top_b, match_of_b, wb, sims.T),
        ):
            for i in sorted(top, key=lambda k: (-weights[k], k)):
                if i in matched:
                    continue
                nearest = int(np.argmax(owner_sims[i]))
                best = float(owner_sims[i, nearest])
                severity = ConflictSeverity.MEDIUM if weights[i] >= 5 else ConflictSeverity.LOW
                conflicts.append(
                    Conflict(
                        kind=ConflictKind.VALUE_GAP,
                        severity=severity,
                        parties=[owner.name, other.name],
                        summary=(
                            f"{owner.name} ranks '{owner.values[i].name}' among its top values; "
                            f"{other.name} names nothing close to it"
                        ),
                        evidence=Evidence(
                            texts=[_evidence_text(owner.name, i, owner.values[i])],
                            rule="value.unmatched_top",
                            similarity=round(best, 3),
                            detail=(
                                f"weight {weights[i]:g} of 5; nearest value of {other.name} is "
                                f"'{other.values[nearest].name}' (similarity {best:.2f}, "
                                f"match needs {VALUE_MATCH_THRESHOLD:.2f})"
                            ),
                        ),
                    )
                )
    return ValuesAssessment(component, rows, conflicts, synergies)


def value_rows(profiles: Sequence[Profile], *, engine: EmbeddingEngine) -> list[ValueComparison]:
    """One chart row per value, near-synonyms merged across partners; heaviest first."""
    # Each row: its label (first name seen) and, per partner, (own value name, effective weight).
    rows: list[tuple[str, dict[str, tuple[str, float]]]] = []
    for profile in profiles:
        if not profile.values:
            continue
        names = [v.name for v in profile.values]
        sims = name_similarity(names, [label for label, _ in rows], engine=engine)
        matched = {i: g for i, g, _ in one_to_one_matches(sims, VALUE_MATCH_THRESHOLD)}
        for i, weight in enumerate(effective_weights(profile.values)):
            if i in matched:
                rows[matched[i]][1][profile.name] = (names[i], weight)
            else:
                rows.append((names[i], {profile.name: (names[i], weight)}))
    out = [
        ValueComparison(
            value=label,
            weights={p.name: held[p.name][1] if p.name in held else 0.0 for p in profiles},
            closest={p.name: held[p.name][0] if p.name in held else None for p in profiles},
        )
        for label, held in rows
    ]
    out.sort(key=lambda r: (-sum(r.weights.values()), r.value.casefold()))
    return out


def shared_values(profiles: Sequence[Profile], *, engine: EmbeddingEngine) -> list[str]:
    """Values every partner holds (or a near-synonym of), heaviest first, named as first written."""
    return [
        r.value for r in value_rows(profiles, engine=engine) if all(r.weights[p.name] > 0 for p in profiles)
    ]
