"""Measure the engine's judgement on labelled sets, so that nobody has to take it on faith.

Each function takes the items of one labelled set (as loaded from its YAML file) and runs them
through the same entry points a user's assessment goes through: sector attribution through
:func:`read_by_sentence` (as a profile's statements are read), red lines, goal pairs and
partnerships through :func:`assess`. The figures they return are what ``bench/engine_eval.py``
prints and what the holdout tests guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from commonground.core.assessment import assess
from commonground.core.interactions import MODEL_REASON
from commonground.core.profiles import Partnership
from commonground.core.results import AssessmentResult, ConflictKind, ConflictSeverity, Verdict
from commonground.core.semantics.engines import EmbeddingEngine, Matrix, get_engine
from commonground.core.semantics.sectors import TextReading
from commonground.core.semantics.sentences import read_by_sentence

__all__ = [
    "GoalFigures",
    "PartnershipFigures",
    "RedLineFigures",
    "SectorFigures",
    "SignAgreement",
    "goal_pair_figures",
    "partnership_figures",
    "ranking_auc",
    "red_line_figures",
    "sector_figures",
    "sign_agreement",
]

# A red line counts as crossed when the engine reports a breach at medium or above; "low" is the
# note it gives for a past tie, which is not a breach.
_CROSSING = {ConflictSeverity.BLOCKER, ConflictSeverity.HIGH, ConflictSeverity.MEDIUM}
# The filler mission of a partner whose labelled text is an activity, goal or sector line: it must
# say nothing, so that the labelled text alone decides.
_FILLER_MISSION = "An organisation."


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


@dataclass(frozen=True)
class SectorFigures:
    """Precision and recall of sector attribution over one labelled set of sentences."""

    items: int
    true_positive: int  # labelled in sector S, attributed to S
    false_positive: int  # attributed to a sector the label does not give
    false_negative: int  # labelled in a sector, not attributed to it
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of attributions that name the labelled sector."""
        return _ratio(self.true_positive, self.true_positive + self.false_positive)

    @property
    def recall(self) -> float:
        """Share of labelled sector sentences attributed to their sector."""
        return _ratio(self.true_positive, self.true_positive + self.false_negative)


# Reads statements as the engine does; a benchmark may pass another reading to compare with it.
Reader = Callable[..., list[TextReading]]


def sector_figures(
    items: Sequence[Mapping[str, Any]],
    *,
    engine: EmbeddingEngine | None = None,
    read: Reader = read_by_sentence,
) -> SectorFigures:
    """Sector attribution of each item's ``text`` against its ``sector`` label (a sector id or "none")."""
    engine = engine or get_engine()
    texts = [str(item["text"]) for item in items]
    vectors: Matrix = engine.embed(texts)
    tp = fp = fn = 0
    errors: list[str] = []
    for item, reading in zip(items, read(texts, vectors, engine=engine), strict=True):
        label = str(item["sector"])
        got = {m.sector for m in reading.sectors}
        if label != "none" and label in got:
            tp += 1
        elif label != "none":
            fn += 1
            errors.append(f"missed {label}: {item['text']}")
        wrong = got - {label}
        if wrong:
            fp += 1
            errors.append(f"false {'/'.join(sorted(wrong))} (label {label}): {item['text']}")
    return SectorFigures(len(items), tp, fp, fn, errors)


def _partner(name: str, text: str, field_name: str) -> dict[str, Any]:
    profile: dict[str, Any] = {"name": name, "kind": "other", "mission": _FILLER_MISSION}
    if field_name == "mission":
        profile["mission"] = text
    elif field_name == "goal":
        profile["goals"] = [text]
    elif field_name == "sector":
        profile["sector"] = text
    else:
        profile["activities"] = [text]
    return profile


@dataclass(frozen=True)
class RedLineFigures:
    """Error rates of red-line checks over labelled red line x partner text pairs."""

    crossed: int
    not_crossed: int
    missed: int  # crossed pairs without a breach
    missed_named: int  # ...of which the partner text names the ruled-out thing in plain words
    false_crossings: int  # not-crossed pairs reported as a breach
    errors: list[str] = field(default_factory=list)

    @property
    def miss_rate(self) -> float:
        """Share of crossed pairs the engine did not report."""
        return _ratio(self.missed, self.crossed)

    @property
    def false_crossing_rate(self) -> float:
        """Share of pairs that do not cross which the engine reported as crossed."""
        return _ratio(self.false_crossings, self.not_crossed)


def _breached(result: AssessmentResult) -> bool:
    return any(c.kind == ConflictKind.RED_LINE and c.severity in _CROSSING for c in result.conflicts)


def red_line_figures(
    items: Sequence[Mapping[str, Any]], *, engine: EmbeddingEngine | None = None
) -> RedLineFigures:
    """Check each item's ``red_line`` against its ``partner_text`` as the named profile field."""
    engine = engine or get_engine()
    crossed = not_crossed = missed = missed_named = false = 0
    errors: list[str] = []
    for item in items:
        owner = {
            "name": "Owner",
            "kind": "nonprofit",
            "mission": _FILLER_MISSION,
            "red_lines": [{"text": str(item["red_line"]), "severity": "absolute"}],
        }
        partner = _partner("Partner", str(item["partner_text"]), str(item.get("partner_field", "activity")))
        result = assess(
            Partnership.model_validate({"name": "pair", "partners": [owner, partner]}), engine=engine
        )
        breach = _breached(result)
        if item["crossed"]:
            crossed += 1
            if not breach:
                missed += 1
                missed_named += bool(item.get("names_it", True))
                errors.append(f"missed [{item['id']}]: {item['red_line']} <- {item['partner_text']}")
        else:
            not_crossed += 1
            if breach:
                false += 1
                errors.append(f"false [{item['id']}]: {item['red_line']} <- {item['partner_text']}")
    return RedLineFigures(crossed, not_crossed, missed, missed_named, false, errors)


@dataclass(frozen=True)
class GoalFigures:
    """How often the goal matrix gives a labelled goal pair the right sign."""

    items: int
    right_sign: int
    exact: int
    by_sign: dict[str, tuple[int, int]]  # "negative"/"zero"/"positive" -> (right, of)
    errors: list[str] = field(default_factory=list)
    # Labelled sign -> (tensions, same-aim calls) the goal-interaction model made on its own.
    by_model: dict[str, tuple[int, int]] = field(default_factory=dict)
    # The matrix's score of each item, in the items' order: to compare with another labeller's scores.
    scores: list[int] = field(default_factory=list)

    @property
    def sign_accuracy(self) -> float:
        """Share of pairs whose score has the labelled sign (negative, zero or positive)."""
        return _ratio(self.right_sign, self.items)


def _sign(score: int) -> str:
    return "negative" if score < 0 else "positive" if score > 0 else "zero"


def goal_pair_figures(
    items: Sequence[Mapping[str, Any]], *, engine: EmbeddingEngine | None = None
) -> GoalFigures:
    """Score each item's ``goal_a`` against ``goal_b`` and compare with its ``score`` label."""
    engine = engine or get_engine()
    right = exact = 0
    by_sign: dict[str, list[int]] = {"negative": [0, 0], "zero": [0, 0], "positive": [0, 0]}
    by_model: dict[str, list[int]] = {"negative": [0, 0], "zero": [0, 0], "positive": [0, 0]}
    errors: list[str] = []
    scores: list[int] = []
    for item in items:
        a = {"name": "A", "kind": "other", "mission": _FILLER_MISSION, "goals": [str(item["goal_a"])]}
        b = {"name": "B", "kind": "other", "mission": _FILLER_MISSION, "goals": [str(item["goal_b"])]}
        result = assess(Partnership.model_validate({"name": "pair", "partners": [a, b]}), engine=engine)
        cell = result.goal_matrix.cells[0][0]
        got = cell.score if cell is not None else 0
        scores.append(got)
        want = int(item["score"])
        ok = _sign(got) == _sign(want)
        right += ok
        exact += got == want
        by_sign[_sign(want)][1] += 1
        by_sign[_sign(want)][0] += ok
        # The model's own signs are never zero: a tension (-1) or the same aim (+1 or +2).
        if cell is not None and MODEL_REASON in cell.reason:
            by_model[_sign(want)][0 if got < 0 else 1] += 1
        if not ok:
            errors.append(f"[{item['id']}] want {want:+d} got {got:+d}: {item['goal_a']} | {item['goal_b']}")
    return GoalFigures(
        len(items),
        right,
        exact,
        {k: (v[0], v[1]) for k, v in by_sign.items()},
        errors,
        {k: (v[0], v[1]) for k, v in by_model.items()},
        scores,
    )


@dataclass(frozen=True)
class SignAgreement:
    """How often two sets of scores of the same items have the same sign, and Cohen's kappa."""

    agree: int
    items: int
    kappa: float | None  # None when chance agreement is total (both gave every item one sign)


def sign_agreement(first: Sequence[int], second: Sequence[int]) -> SignAgreement:
    """Agreement on the sign (negative, zero, positive) of paired scores, with Cohen's kappa."""
    if len(first) != len(second):
        raise ValueError(f"{len(first)} scores against {len(second)}: the two must score the same items")
    a, b = [_sign(x) for x in first], [_sign(x) for x in second]
    n = len(a)
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    if n == 0:
        return SignAgreement(0, 0, None)
    # Chance agreement: the two labellers' sign shares multiplied, as Cohen (1960) defines it.
    chance = sum(a.count(s) * b.count(s) for s in ("negative", "zero", "positive")) / (n * n)
    kappa = None if chance == 1 else (agree / n - chance) / (1 - chance)
    return SignAgreement(agree, n, kappa)


@dataclass(frozen=True)
class PartnershipFigures:
    """Verdicts and findings of labelled partnership cases."""

    cases: int
    within_band: int
    exact: int
    expected_found: int  # expected conflict kinds found
    expected_total: int
    forbidden_seen: int  # cases showing a conflict kind they forbid
    sdgs_found: int  # expected SDGs found among the partner's SDGs
    sdgs_total: int
    errors: list[str] = field(default_factory=list)
    # The three figures: clashes (cases labelled at risk or blocked) given their verdict or
    # a worse one; partnerships that worked (aligned or workable) flagged at risk or worse; and how
    # well the score ranks every good case above every bad one (ROC AUC, ties count half).
    clashes: int = 0
    clashes_caught: int = 0
    worked: int = 0
    false_alarms: int = 0
    auc: float | None = None


_SEVERITY = {v: i for i, v in enumerate(Verdict)}
_CLASH = {Verdict.AT_RISK, Verdict.BLOCKED}
_VERDICTS = {v.value for v in Verdict}


def ranking_auc(good: Sequence[float], bad: Sequence[float]) -> float | None:
    """Chance that a good case scores above a bad one (ties half): the ROC AUC of the score."""
    if not good or not bad:
        return None
    wins = sum((g > b) + 0.5 * (g == b) for g in good for b in bad)
    return wins / (len(good) * len(bad))


def _profile_of(partner: Mapping[str, Any]) -> dict[str, Any]:
    # Evaluation keys are not part of the profile format.
    return {k: v for k, v in partner.items() if not k.startswith("expect_")}


def partnership_figures(
    cases: Iterable[Mapping[str, Any]], *, engine: EmbeddingEngine | None = None
) -> PartnershipFigures:
    """Assess each case and compare verdict, conflict kinds and SDGs with its labels."""
    engine = engine or get_engine()
    n = within = exact = found = total = forbidden = sdg_found = sdg_total = 0
    errors: list[str] = []
    good_scores: list[float] = []
    bad_scores: list[float] = []
    caught = alarms = 0
    for case in cases:
        n += 1
        if case["expected"] not in _VERDICTS:
            raise ValueError(
                f"[{case['id']}] expected verdict {case['expected']!r} is not one of {sorted(_VERDICTS)}"
            )
        partnership = Partnership.model_validate(
            {"name": case["id"], "partners": [_profile_of(p) for p in case["partners"]]}
        )
        result = assess(partnership, engine=engine)
        verdict = result.verdict.value
        band = [case["expected"], *(case.get("acceptable") or [])]
        within += verdict in band
        exact += verdict == case["expected"]
        wanted = Verdict(case["expected"])
        if wanted in _CLASH:
            bad_scores.append(result.score)
            caught += _SEVERITY[result.verdict] >= _SEVERITY[wanted]
        else:
            good_scores.append(result.score)
            alarms += result.verdict in _CLASH
        kinds = {c.kind.value for c in result.conflicts if c.severity != ConflictSeverity.LOW}
        expected = set(case.get("expect_conflicts") or [])
        found += len(expected & kinds)
        total += len(expected)
        bad = set(case.get("forbid_conflicts") or []) & kinds
        forbidden += bool(bad)
        missing = expected - kinds
        for partner in case["partners"]:
            want = {int(s) for s in partner.get("expect_sdgs") or []}
            got = {s.sdg for s in result.sdgs.partners.get(partner["name"], [])}
            sdg_total += len(want)
            sdg_found += len(want & got)
            if want - got:
                errors.append(f"[{case['id']}] {partner['name']}: SDGs {sorted(want - got)} not found")
        if verdict not in band or missing or bad:
            errors.append(
                f"[{case['id']}] expected {case['expected']} got {verdict} ({result.score:.1f})"
                + (f"; missing {sorted(missing)}" if missing else "")
                + (f"; forbidden {sorted(bad)}" if bad else "")
            )
    return PartnershipFigures(
        n,
        within,
        exact,
        found,
        total,
        forbidden,
        sdg_found,
        sdg_total,
        errors,
        clashes=len(bad_scores),
        clashes_caught=caught,
        worked=len(good_scores),
        false_alarms=alarms,
        auc=ranking_auc(good_scores, bad_scores),
    )
