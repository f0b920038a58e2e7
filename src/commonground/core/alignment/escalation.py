"""Conflicts between partners: how far one has escalated, who handles it next, and by when.

Three pieces, each a pure function of facts the workspace records about a conflict entry:

- **Stage estimate** (:func:`estimate_stage`): a rough place on Glasl's nine stages of escalation,
  grouped in three levels (1–3 both sides can still win, 4–6 one side wins at the other's cost, 7–9
  both lose), with the kind of third-party help each level needs. It is an estimate from observable
  facts (severity, an overdue acknowledgement, rejected resolutions, repeats, the rung reached, the
  approaches the sides chose, a threat to leave), never a diagnosis; every point it adds is a reason
  shown beside it. Without a threat to leave it stays within the first two levels: nothing the log
  records shows the deliberate harm of stages 7–9 except such a threat.
- **Escalation rule** (:func:`escalation_step`): one rung up the agreement's dispute ladder (leads →
  senior leaders → facilitated dialogue or mediation → arbitration or exit) when a resolution is
  rejected, an acknowledgement is overdue, severity is high, or related entries repeat within
  :data:`REPEAT_WINDOW_DAYS` days. Without an agreement (or a ladder in it) :data:`DEFAULT_LADDER`.
- **Acknowledgement deadline** (:func:`acknowledge_by`): the other side answers within
  :data:`ACKNOWLEDGE_DAYS` days, by severity.

Sources are cited in docs/methods.md ("Conflicts"); all wording here is ours.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from commonground.core.agreement.how import DisputeStep, LadderStep
from commonground.core.agreement.models import Agreement

REPEAT_WINDOW_DAYS = 90


class Severity(StrEnum):
    """How much a conflict hurts the partnership, as the person raising it judges."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


# Days the other side has to acknowledge an entry: the worse it is, the sooner someone answers.
ACKNOWLEDGE_DAYS: dict[Severity, int] = {Severity.HIGH: 2, Severity.MEDIUM: 5, Severity.LOW: 10}


def acknowledge_by(raised_on: datetime.date, severity: Severity) -> datetime.date:
    """The last day on which the other side acknowledges an entry raised on ``raised_on``."""
    return raised_on + datetime.timedelta(days=ACKNOWLEDGE_DAYS[severity])


# --- Thomas–Kilmann -----------------------------------------------------------------------------


class Approach(StrEnum):
    """The five ways of handling a conflict in the Thomas–Kilmann model."""

    COLLABORATING = "collaborating"
    COMPROMISING = "compromising"
    ACCOMMODATING = "accommodating"
    COMPETING = "competing"
    AVOIDING = "avoiding"


APPROACH_WORDS: dict[Approach, str] = {
    Approach.COLLABORATING: "Work it through together until both sides' concerns are fully met.",
    Approach.COMPROMISING: "Each side gives up part of what it wanted to settle quickly in the middle.",
    Approach.ACCOMMODATING: "Set your own concern aside so that the other side's is met.",
    Approach.COMPETING: "Press for your own position, even at the other side's expense.",
    Approach.AVOIDING: "Leave the issue alone for now: neither side's concern is taken up.",
}


# --- Glasl --------------------------------------------------------------------------------------


class Level(IntEnum):
    """Glasl's three levels of escalation."""

    WIN_WIN = 1  # stages 1–3
    WIN_LOSE = 2  # stages 4–6
    LOSE_LOSE = 3  # stages 7–9


@dataclass(frozen=True)
class Intervention:
    """The kind of third-party help a level needs, in a word and a sentence."""

    kind: str
    description: str


LEVEL_WORDS: dict[Level, str] = {
    Level.WIN_WIN: "both can still win",
    Level.WIN_LOSE: "one wins, the other loses",
    Level.LOSE_LOSE: "both lose",
}

INTERVENTIONS: dict[Level, Intervention] = {
    Level.WIN_WIN: Intervention(
        "facilitation or moderation",
        "The partners can still sort it out themselves; a neutral person who keeps the conversation "
        "fair and on the issue helps.",
    ),
    Level.WIN_LOSE: Intervention(
        "process consultation or mediation",
        "Trust is damaged and each side defends its face; a mediator the partners accept works on the "
        "relationship as well as the issue.",
    ),
    Level.LOSE_LOSE: Intervention(
        "arbitration or power intervention",
        "Talking no longer helps; someone with authority (an arbitrator, the boards, a funder) decides "
        "or stops the damage, and an orderly exit is an option.",
    ),
}


@dataclass(frozen=True)
class Stage:
    """One of Glasl's nine stages, named and described in our words."""

    number: int
    name: str
    description: str

    @property
    def level(self) -> Level:
        """The level the stage belongs to (stages 1–3, 4–6, 7–9)."""
        return Level((self.number - 1) // 3 + 1)


STAGES: tuple[Stage, ...] = (
    Stage(1, "Hardening", "Views harden and meet, but both sides still believe talking will settle it."),
    Stage(2, "Debate", "Arguments turn into point scoring; each side argues to win, not to understand."),
    Stage(3, "Actions, not words", "One side acts on its own and stops waiting for the other to agree."),
    Stage(4, "Images and coalitions", "Each side builds a picture of the other and looks for allies."),
    Stage(5, "Loss of face", "Trust breaks: one side exposes or shames the other in front of others."),
    Stage(6, "Threats", "Demands come with threats (to leave, to withhold, to go public)."),
    Stage(7, "Limited harm", "Each side sets out to hurt the other, accepting some harm to itself."),
    Stage(8, "Breaking the other", "The aim becomes to break the other side's ability to act."),
    Stage(9, "Together into the abyss", "Destroying the other matters more than surviving oneself."),
)


@dataclass(frozen=True)
class ConflictFacts:
    """What the log records about one entry, as the stage estimate reads it."""

    severity: Severity
    days_overdue: int = 0  # days past the acknowledgement deadline without an answer (0: not overdue)
    rejected_resolutions: int = 0
    related_repeats: int = 0  # earlier related entries raised within REPEAT_WINDOW_DAYS
    rung: LadderStep = LadderStep.LEADS
    approaches: tuple[Approach, ...] = ()  # what each side chose, where it chose
    exit_threatened: bool = False


@dataclass(frozen=True)
class StageEstimate:
    """The estimated stage, its level, the help that level needs and why."""

    stage: Stage
    reasons: tuple[str, ...]

    @property
    def level(self) -> Level:
        """Glasl's level of the stage."""
        return self.stage.level

    @property
    def intervention(self) -> Intervention:
        """The kind of third-party help the level needs."""
        return INTERVENTIONS[self.level]


_SEVERITY_POINTS = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}
# Reaching a rung says something already happened: an entry at mediation went past two rungs.
_RUNG_FLOOR = {
    LadderStep.LEADS: 1,
    LadderStep.SENIOR_LEADERS: 2,
    LadderStep.MEDIATION: 3,
    LadderStep.ARBITRATION_OR_EXIT: 4,
}
_WITHOUT_THREAT_MAX = 5  # stages 6–9 need a threat on record (see the module docstring)
_THREAT_FLOOR = 6
LONG_OVERDUE_DAYS = 14


def _plural(n: int, word: str, words: str = "") -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _points(facts: ConflictFacts) -> tuple[int, list[str]]:
    """Points above stage 1, with a reason for each point added."""
    points, reasons = 0, []
    if severity := _SEVERITY_POINTS[facts.severity]:
        points += severity
        reasons.append(f"severity {facts.severity.value} (+{severity})")
    if facts.days_overdue > 0:
        late = 2 if facts.days_overdue >= LONG_OVERDUE_DAYS else 1
        points += late
        reasons.append(f"acknowledgement {_plural(facts.days_overdue, 'day')} overdue (+{late})")
    if facts.rejected_resolutions > 0:
        rejected = min(facts.rejected_resolutions, 3)
        points += rejected
        reasons.append(f"{_plural(facts.rejected_resolutions, 'resolution')} rejected (+{rejected})")
    if facts.related_repeats > 0:
        repeats = min(facts.related_repeats, 2)
        points += repeats
        reasons.append(
            f"{_plural(facts.related_repeats, 'related entry', 'related entries')} in the last "
            f"{REPEAT_WINDOW_DAYS} days (+{repeats})"
        )
    hard = [a for a in facts.approaches if a in (Approach.COMPETING, Approach.AVOIDING)]
    if hard:
        words = " and ".join(sorted({a.value for a in hard}))
        points += min(len(hard), 2)
        reasons.append(f"a side chose {words} (+{min(len(hard), 2)})")
    return points, reasons


def estimate_stage(facts: ConflictFacts) -> StageEstimate:
    """Estimate Glasl's stage from the log's facts; the reasons say what moved it (see the module)."""
    points, reasons = _points(facts)
    number = 1 + points
    floor = _RUNG_FLOOR[facts.rung]
    if number < floor:
        reasons.append(f"already at the {facts.rung.value.replace('_', ' ')} rung (at least stage {floor})")
        number = floor
    if facts.exit_threatened:
        reasons.append(f"a side threatened to leave (at least stage {_THREAT_FLOOR})")
        number = max(number, _THREAT_FLOOR)
    elif number > _WITHOUT_THREAT_MAX:
        reasons.append(f"no threat on record (at most stage {_WITHOUT_THREAT_MAX})")
        number = _WITHOUT_THREAT_MAX
    number = min(number, len(STAGES))
    if not reasons:
        reasons.append("nothing on record beyond the entry itself")
    return StageEstimate(stage=STAGES[number - 1], reasons=tuple(reasons))


# --- the dispute ladder -------------------------------------------------------------------------


class Trigger(StrEnum):
    """What moves an entry one rung up the ladder."""

    REJECTED = "rejected"  # the raiser rejected a proposed resolution
    OVERDUE = "overdue"  # the acknowledgement (or the rung's time) ran out
    HIGH_SEVERITY = "high_severity"  # raised as high severity
    REPEATED = "repeated"  # a related entry was raised within REPEAT_WINDOW_DAYS


TRIGGER_WORDS: dict[Trigger, str] = {
    Trigger.REJECTED: "the proposed resolution was rejected",
    Trigger.OVERDUE: "the answer is overdue",
    Trigger.HIGH_SEVERITY: "it was raised as high severity",
    Trigger.REPEATED: f"a related entry was raised within {REPEAT_WINDOW_DAYS} days",
}

RUNG_WORDS: dict[LadderStep, str] = {
    LadderStep.LEADS: "The partners' leads",
    LadderStep.SENIOR_LEADERS: "Senior leaders",
    LadderStep.MEDIATION: "Facilitated dialogue or mediation",
    LadderStep.ARBITRATION_OR_EXIT: "Arbitration or exit",
}

# Days each rung may take before the next, when the partners agreed no ladder.
DEFAULT_LADDER: tuple[DisputeStep, ...] = (
    DisputeStep(step=LadderStep.LEADS, days=14),
    DisputeStep(step=LadderStep.SENIOR_LEADERS, days=21),
    DisputeStep(step=LadderStep.MEDIATION, days=45),
    DisputeStep(step=LadderStep.ARBITRATION_OR_EXIT, days=60),
)


def ladder_of(agreement: Agreement | None) -> tuple[DisputeStep, ...]:
    """The agreement's dispute ladder in rung order, or :data:`DEFAULT_LADDER` when there is none."""
    if agreement is None or not agreement.how.dispute_resolution.ladder:
        return DEFAULT_LADDER
    order = list(LadderStep)
    return tuple(sorted(agreement.how.dispute_resolution.ladder, key=lambda rung: order.index(rung.step)))


def rung_on(ladder: Sequence[DisputeStep], rung: LadderStep) -> DisputeStep:
    """The ladder's step for ``rung``; a rung the ladder skips borrows the default's days."""
    found = next((step for step in ladder if step.step == rung), None)
    return found or next(step for step in DEFAULT_LADDER if step.step == rung)


@dataclass(frozen=True)
class Escalation:
    """A move one rung up: from where, to which step of the ladder, and why."""

    from_rung: LadderStep
    to: DisputeStep
    triggers: tuple[Trigger, ...]

    @property
    def reason(self) -> str:
        """Why, in words."""
        return "; ".join(TRIGGER_WORDS[trigger] for trigger in self.triggers)


def escalation_step(
    *, ladder: Sequence[DisputeStep], rung: LadderStep, triggers: Iterable[Trigger]
) -> Escalation | None:
    """One rung up ``ladder`` from ``rung`` when any trigger applies (several still move one rung);
    None without a trigger or at the top. A rung the ladder skips is skipped here too."""
    fired = tuple(sorted(set(triggers), key=list(Trigger).index))
    if not fired:
        return None
    order = list(LadderStep)
    above = [step for step in ladder if order.index(step.step) > order.index(rung)]
    if not above:
        return None
    return Escalation(from_rung=rung, to=min(above, key=lambda step: order.index(step.step)), triggers=fired)


def first_rung(ladder: Sequence[DisputeStep]) -> LadderStep:
    """Where a new entry starts: the ladder's lowest rung."""
    order = list(LadderStep)
    return min((step.step for step in ladder), key=order.index, default=LadderStep.LEADS)


def is_repeat(*, raised_on: datetime.date, earlier_on: datetime.date) -> bool:
    """Whether an earlier related entry counts as a repeat of one raised on ``raised_on``."""
    return datetime.timedelta(0) <= raised_on - earlier_on <= datetime.timedelta(days=REPEAT_WINDOW_DAYS)


def triggers_from(facts: ConflictFacts) -> tuple[Trigger, ...]:
    """The triggers the facts hold (the workspace fires each when it happens, once per entry)."""
    fired = (
        (Trigger.REJECTED, facts.rejected_resolutions > 0),
        (Trigger.OVERDUE, facts.days_overdue > 0),
        (Trigger.HIGH_SEVERITY, facts.severity is Severity.HIGH),
        (Trigger.REPEATED, facts.related_repeats > 0),
    )
    return tuple(trigger for trigger, on in fired if on)
