"""The questions partners should settle before they sign, most important first.

Wording follows interest-based negotiation (Fisher & Ury, *Getting to Yes*): each question asks
what need or concern lies behind a position and what options could meet both sides' interests,
rather than asking who gives way. Every underlying issue yields one specific question quoting its
texts: conflicts resting on the same sensitive sector between the same partners (a red line, the
sector row, goals pushing it) share one question, as do goal tensions against the same goal;
order is by severity (blockers, then high, medium, low), then by kind in the order red line,
sensitive sector, goal tension, stakeholder, orientation, value gap, culture gap. General
questions follow: one-sided initiatives, then inputs nobody gave (culture, values, stakeholders,
orientation, goals), so the partners know what the assessment could not see.
"""

from __future__ import annotations

from collections.abc import Sequence

from commonground.core.profiles import Profile
from commonground.core.results import Conflict, ConflictKind, InitiativeView, Question
from commonground.core.wording import possessive

_SECTOR_KINDS = frozenset({ConflictKind.RED_LINE, ConflictKind.SENSITIVE_SECTOR, ConflictKind.GOAL_TENSION})

KIND_ORDER: tuple[ConflictKind, ...] = (
    ConflictKind.RED_LINE,
    ConflictKind.SENSITIVE_SECTOR,
    ConflictKind.GOAL_TENSION,
    ConflictKind.STAKEHOLDER,
    ConflictKind.ORIENTATION,
    ConflictKind.VALUE_GAP,
    ConflictKind.CULTURE_GAP,
)


def _quote(conflict: Conflict, index: int) -> str | None:
    texts = conflict.evidence.texts
    if index >= len(texts):
        return None
    t = texts[index]
    return f"{t.party}: “{t.text}”"


def _first_party_text(conflict: Conflict, party: str) -> str | None:
    return next((t.text for t in conflict.evidence.texts if t.party == party), None)


def _conflict_question(conflict: Conflict) -> str:
    first, second = _quote(conflict, 0), _quote(conflict, 1)
    both = " and ".join(q for q in (first, second) if q) or conflict.summary
    kind = conflict.kind
    if kind is ConflictKind.RED_LINE:
        return (
            f"{conflict.summary} ({both}). What interest does this line protect — reputation, "
            "beneficiaries, funders' trust? Is there a form of working together that fully respects it, "
            "or is this a reason not to partner?"
        )
    if kind is ConflictKind.SENSITIVE_SECTOR:
        return (
            f"{conflict.summary} ({both}). What does each partner need to protect its credibility, "
            "and which safeguards (ring-fenced funds, no branding, an exit clause) would meet those needs?"
        )
    if kind is ConflictKind.GOAL_TENSION:
        return (
            f"These goals pull against each other: {both}. What need lies behind each goal, and can "
            "the joint work be scoped so that neither partner works against the other's aim?"
        )
    if kind is ConflictKind.STAKEHOLDER:
        return (
            f"{conflict.summary} ({both}). What does this stakeholder care about, and how will the "
            "partners engage them so that one partner's relationship does not damage the other's?"
        )
    if kind is ConflictKind.ORIENTATION:
        return (
            f"{conflict.summary}. What does each partner need from the partnership — income, impact, "
            "both — and how will decisions be made when profit and purpose point different ways?"
        )
    # Value and culture gaps are grouped (see _grouped_question); this covers a lone culture gap.
    return (
        f"{conflict.summary}. Where will this difference show up (decisions, deadlines, reporting), "
        "and what ways of working would both partners accept?"
    )


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _grouped_question(group: list[Conflict]) -> str:
    """One question for several value gaps of one partner, or several culture gaps of one pair."""
    first = group[0]
    if first.kind is ConflictKind.VALUE_GAP:
        owner = first.parties[0]
        values = list(dict.fromkeys(_first_party_text(c, owner) or c.summary for c in group))
        others = list(dict.fromkeys(p for c in group for p in c.parties[1:]))
        quoted = _and([f"“{v}”" for v in values])
        one = len(values) == 1
        lack = (
            f"{others[0]} names nothing close" if len(others) == 1 else f"not all of {_and(others)} name them"
        )
        return (
            f"{quoted} {'is' if one else 'are'} among {possessive(owner)} top values, and {lack}. "
            f"What {'does it' if one else 'do they'} mean in day-to-day practice for {owner}, and what would "
            f"{_and(others)} need to do to honour {'it' if one else 'them'} in the joint work?"
        )
    if len(group) == 1:
        return _conflict_question(first)
    details = [(c.evidence.detail or c.summary).split(";")[0] for c in group]
    return (
        f"{_and(first.parties)} weigh the culture types differently ({'; '.join(details)}). Where will "
        "these differences show up (decisions, deadlines, reporting), and what ways of working would "
        "both partners accept?"
    )


def _general_questions(
    profiles: Sequence[Profile], initiatives: Sequence[InitiativeView]
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for view in initiatives:
        if view.one_sided:
            leader = max(view.economic_value, key=lambda p: (view.economic_value[p], p))
            out.append(
                (
                    f"The initiative “{view.name}” benefits {leader} economically much more than the others. "
                    "What does each partner need to get out of it, and how will costs, credit and gains "
                    "be shared?",
                    "A one-sided initiative tends to breed resentment later.",
                )
            )
    names = [p.name for p in profiles]
    pair = "neither partner" if len(profiles) == 2 else "no partner"

    def missing(label: str, absent: list[str], prompt: str) -> None:
        if not absent:
            return
        if len(absent) == len(names):
            reason = f"{pair.capitalize()} described {label}, so it was not assessed."
        else:
            reason = f"{' and '.join(absent)} did not describe {label}, so it was only partly assessed."
        out.append((prompt, reason))

    missing(
        "its culture",
        [p.name for p in profiles if p.culture is None],
        "How does each partner make decisions, take risks and measure success day to day?",
    )
    missing(
        "its values",
        [p.name for p in profiles if not p.values],
        "Which values must the partnership never compromise, and what does each look like in practice?",
    )
    missing(
        "its stakeholders",
        [p.name for p in profiles if not p.stakeholders],
        "Who can make or break this partnership — funders, regulators, communities — "
        "and where does each stand?",
    )
    missing(
        "where it sits between profit and purpose",
        [p.name for p in profiles if p.orientation is None],
        "What does each partner need financially from the partnership, "
        "and what impact does each need to show?",
    )
    missing(
        "its goals",
        [p.name for p in profiles if not p.goals],
        "What concrete results does each partner want from working together, and by when?",
    )
    return out


def build_questions(
    conflicts: Sequence[Conflict], profiles: Sequence[Profile], initiatives: Sequence[InitiativeView] = ()
) -> list[Question]:
    """Ranked questions: one per conflict (worst first, texts quoted), then general ones."""
    ordered = sorted(
        conflicts,
        key=lambda c: (c.severity.rank, KIND_ORDER.index(c.kind), c.parties, c.summary),
    )
    # Group value gaps by the partner holding the value, and culture gaps by pair, so a long list
    # of small gaps becomes a few questions; a group sits where its worst member would.
    groups: dict[tuple[str, ...], list[Conflict]] = {}
    for conflict in ordered:
        if conflict.kind is ConflictKind.VALUE_GAP:
            key: tuple[str, ...] = ("value_gap", conflict.parties[0])
        elif conflict.kind is ConflictKind.CULTURE_GAP:
            key = ("culture_gap", *sorted(conflict.parties))
        elif conflict.kind in _SECTOR_KINDS and conflict.evidence.data_row:
            # One issue, one question: the red line, the sector row and the goals that push the
            # same sector between the same partners are asked about once, at the worst of them.
            key = ("sector", conflict.evidence.data_row.split("->")[0], *sorted(conflict.parties))
        elif conflict.kind is ConflictKind.GOAL_TENSION and conflict.evidence.texts:
            # Several goals clashing with one goal of the other partner: one question about that goal.
            first = conflict.evidence.texts[0]
            key = ("goal", first.party, first.text, *sorted(conflict.parties))
        else:
            key = ("one", conflict.model_dump_json())
        groups.setdefault(key, []).append(conflict)
    drafts: list[tuple[str, str, ConflictKind | str]] = []
    for key, group in groups.items():
        worst = group[0]
        reason = f"{worst.severity.value.capitalize()} {worst.kind.words}: {worst.summary}"
        if len(group) > 1:
            reason += f" (and {len(group) - 1} more)"
        text = _conflict_question(worst) if key[0] in ("one", "sector", "goal") else _grouped_question(group)
        drafts.append((text, reason, worst.kind))
    drafts.extend((text, reason, "general") for text, reason in _general_questions(profiles, initiatives))
    seen: set[str] = set()
    questions: list[Question] = []
    for text, reason, about in drafts:
        if text in seen:
            continue
        seen.add(text)
        questions.append(
            Question(
                text=text,
                reason=reason,
                priority=len(questions) + 1,
                about=about if isinstance(about, ConflictKind) else "general",
            )
        )
    return questions
