"""Social return on investment after Social Value UK's guide (2012), with a sensitivity range.

For each outcome and each year ``y`` of its ``years``:

    value(y) = quantity × proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution)
               × (1 − drop_off)^(y − 1)

discounted to today's money by dividing by (1 + discount_rate)^y, and summed over years and
outcomes to the present value. The SROI ratio is that present value over the total inputs.

One number hides how much rests on judgement, so we never print it alone: :data:`VARIATIONS` moves
each assumption in turn, for every outcome at once, down and up by a stated amount (shares ±0.10,
clamped to 0–1; proxies and quantities ±20%; the discount rate ±2 points, not below 0), and we
report the lowest and highest ratio these give and the assumption that moves the ratio most. These
amounts are our choice; they are the size of disagreement we see between reasonable estimates.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from commonground.core.agreement.findings import CheckPart, Finding, Level, Table
from commonground.core.agreement.models import Agreement
from commonground.core.agreement.what import Sroi, SroiOutcome
from commonground.core.agreement.wording import money_text, ratio_text


@dataclasses.dataclass(frozen=True)
class Variation:
    """One assumption moved down and up by a stated amount."""

    name: str
    words: str  # how it is moved, for the report
    low: Callable[[Sroi], Sroi]
    high: Callable[[Sroi], Sroi]


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def _each_outcome(field: str, change: Callable[[float], float]) -> Callable[[Sroi], Sroi]:
    def apply(sroi: Sroi) -> Sroi:
        outcomes = [o.model_copy(update={field: change(getattr(o, field))}) for o in sroi.outcomes]
        return sroi.model_copy(update={"outcomes": outcomes})

    return apply


def _share(field: str, name: str) -> Variation:
    # "low" and "high" name the direction of the assumption; for deductions, a higher one lowers the ratio.
    return Variation(
        name,
        "±0.10",
        _each_outcome(field, lambda v: _clamp(v - 0.1)),
        _each_outcome(field, lambda v: _clamp(v + 0.1)),
    )


def _discount(delta: float) -> Callable[[Sroi], Sroi]:
    return lambda s: s.model_copy(update={"discount_rate": min(1.0, max(0.0, s.discount_rate + delta))})


VARIATIONS = (
    _share("deadweight", "deadweight"),
    _share("displacement", "displacement"),
    _share("attribution", "attribution"),
    _share("drop_off", "drop-off"),
    Variation(
        "proxy", "±20%", _each_outcome("proxy", lambda v: v * 0.8), _each_outcome("proxy", lambda v: v * 1.2)
    ),
    Variation(
        "quantity",
        "±20%",
        _each_outcome("quantity", lambda v: v * 0.8),
        _each_outcome("quantity", lambda v: v * 1.2),
    ),
    Variation("discount rate", "±2 points", _discount(-0.02), _discount(0.02)),
)


@dataclasses.dataclass(frozen=True)
class OutcomeValue:
    """One outcome's value per year (undiscounted) and its present value."""

    name: str
    per_year: tuple[float, ...]
    present_value: float


@dataclasses.dataclass(frozen=True)
class SensitivityRow:
    """The ratio with one assumption moved down and up."""

    name: str
    words: str
    ratio_low_assumption: float | None
    ratio_high_assumption: float | None

    @property
    def spread(self) -> float:
        """How far apart the two ratios are (0 when either is missing)."""
        if self.ratio_low_assumption is None or self.ratio_high_assumption is None:
            return 0.0
        return abs(self.ratio_high_assumption - self.ratio_low_assumption)


@dataclasses.dataclass(frozen=True)
class SroiResult:
    """The central ratio, its range, and how each assumption moves it."""

    outcomes: tuple[OutcomeValue, ...]
    present_value: float
    total_inputs: float
    ratio: float | None  # None when the inputs add up to zero
    low: float | None
    high: float | None
    sensitivity: tuple[SensitivityRow, ...]
    most_sensitive: str | None  # the assumption that moves the ratio most


def outcome_value(outcome: SroiOutcome, discount_rate: float) -> OutcomeValue:
    """Value per year after deductions and drop-off, and the discounted sum."""
    net = outcome.quantity * outcome.proxy
    net *= (1 - outcome.deadweight) * (1 - outcome.displacement) * (1 - outcome.attribution)
    per_year = tuple(net * (1 - outcome.drop_off) ** (year - 1) for year in range(1, outcome.years + 1))
    present = sum(v / (1 + discount_rate) ** year for year, v in enumerate(per_year, start=1))
    return OutcomeValue(outcome.name, per_year, present)


def present_value(sroi: Sroi) -> float:
    """The discounted value of every outcome over its years."""
    return sum(outcome_value(o, sroi.discount_rate).present_value for o in sroi.outcomes)


def sroi_ratio(sroi: Sroi) -> float | None:
    """Present value over total inputs (None when there are no inputs in money)."""
    inputs = sum(i.value for i in sroi.inputs)
    return present_value(sroi) / inputs if inputs > 0 else None


def sroi_result(sroi: Sroi) -> SroiResult:
    """The SROI ratio with the range that varying each assumption gives."""
    rows = tuple(
        SensitivityRow(v.name, v.words, sroi_ratio(v.low(sroi)), sroi_ratio(v.high(sroi))) for v in VARIATIONS
    )
    ratio = sroi_ratio(sroi)
    ratios = [
        r for row in rows for r in (row.ratio_low_assumption, row.ratio_high_assumption) if r is not None
    ]
    if ratio is not None:
        ratios.append(ratio)
    widest = max(rows, key=lambda row: row.spread)
    return SroiResult(
        outcomes=tuple(outcome_value(o, sroi.discount_rate) for o in sroi.outcomes),
        present_value=present_value(sroi),
        total_inputs=sum(i.value for i in sroi.inputs),
        ratio=ratio,
        low=min(ratios) if ratios else None,
        high=max(ratios) if ratios else None,
        sensitivity=rows,
        most_sensitive=widest.name if widest.spread > 0 else None,
    )


def _findings(sroi: Sroi, result: SroiResult, currency: str) -> list[Finding]:
    found = []
    if result.ratio is None:
        found.append(
            Finding(
                "what.sroi.inputs",
                Level.PROBLEM,
                "sroi.no_inputs",
                "The inputs add up to nothing, so no ratio can be given; value what each partner puts in.",
            )
        )
        return found
    found.append(
        Finding(
            "what.sroi",
            Level.INFO,
            "sroi.ratio",
            f"Social return between {ratio_text(result.low)} and {ratio_text(result.high)} per 1 invested "
            f"(central {ratio_text(result.ratio)}: {money_text(result.present_value, currency)} of value "
            f"over {money_text(result.total_inputs, currency)} of inputs); it moves most with the "
            f"{result.most_sensitive or 'no single'} assumption.",
        )
    )
    if result.low is not None and result.low < 1 <= result.ratio:
        found.append(
            Finding(
                "what.sroi",
                Level.WARNING,
                "sroi.range_below_one",
                "Within the sensitivity range the value created falls below what is put in: "
                "which assumptions can the partners check?",
            )
        )
    for i, o in enumerate(sroi.outcomes):
        if o.deadweight == 0 and o.displacement == 0 and o.attribution == 0:
            found.append(
                Finding(
                    f"what.sroi.outcomes[{i}]",
                    Level.WARNING,
                    "sroi.no_deductions",
                    f"“{o.name}” claims all of the change for the partnership (no deadweight, displacement "
                    "or attribution): would none of it have happened anyway or through others?",
                )
            )
    return found


def sroi_part(agreement: Agreement, *, today: datetime.date) -> CheckPart:
    """The SROI ratio, its sensitivity range and the value per outcome as a check part."""
    sroi = agreement.what.sroi
    if sroi is None:
        return CheckPart(name="sroi", title="Social return on investment", figures={"present": False})
    result = sroi_result(sroi)
    cur = agreement.currency
    outcomes = Table(
        title="Value per outcome",
        columns=("Outcome", "Years", "Value in year 1", "Present value"),
        rows=tuple(
            (v.name, str(len(v.per_year)), money_text(v.per_year[0], cur), money_text(v.present_value, cur))
            for v in result.outcomes
        ),
    )
    sensitivity = Table(
        title=f"Sensitivity of the ratio (central {ratio_text(result.ratio)})",
        columns=("Assumption", "Varied by", "Ratio with it lower", "Ratio with it higher"),
        rows=tuple(
            (r.name, r.words, ratio_text(r.ratio_low_assumption), ratio_text(r.ratio_high_assumption))
            for r in result.sensitivity
        ),
    )
    figures: dict[str, Any] = {
        "present": True,
        "discount_rate": sroi.discount_rate,
        "present_value": result.present_value,
        "total_inputs": result.total_inputs,
        "ratio": result.ratio,
        "range": {"low": result.low, "high": result.high},
        "most_sensitive": result.most_sensitive,
        "outcomes": [
            {"name": v.name, "per_year": list(v.per_year), "present_value": v.present_value}
            for v in result.outcomes
        ],
        "sensitivity": [
            {
                "assumption": r.name,
                "varied_by": r.words,
                "ratio_with_lower": r.ratio_low_assumption,
                "ratio_with_higher": r.ratio_high_assumption,
            }
            for r in result.sensitivity
        ],
    }
    return CheckPart(
        name="sroi",
        title="Social return on investment",
        findings=tuple(_findings(sroi, result, cur)),
        tables=(outcomes, sensitivity),
        figures=figures,
    )
