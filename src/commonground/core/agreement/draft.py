"""A first draft of an agreement from an assessment: what the partners already share, and what is open.

The draft is for people to edit, never an agreement: its state is ``draft`` and every section says
honestly how far it is (WHO and WHY partly written, WHAT only where initiatives were proposed, HOW
not at all). Each drafted item names in ``source`` where it came from, so partners can check it.

Our choices, stated here so they can be argued with:

- A **shared objective** is a pair of goals, one from each of two partners, that help each other
  (score +1 or more on the goals matrix) *and* are about the same thing (cosine similarity at least
  :data:`SHARED_GOAL_SIMILARITY`); goals that merely help each other stay each partner's own. Each goal
  is paired at most once, closest pairs first.
- Each SDG every partner contributes to, and that no shared goal already names, becomes a shared
  objective of its own.
- Values every partner holds become principles; every question to settle first and every red line
  of every partner becomes an open item, so that no red line is lost on the way to signing.
- Proposed initiatives become workstreams without tasks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from commonground.core.agreement.models import Agreement, OpenItem, OpenItemKind
from commonground.core.agreement.parts import SectionStatus
from commonground.core.agreement.what import What, Workstream
from commonground.core.agreement.who import Partner, Who
from commonground.core.agreement.why import Objective, PartnerObjective, Principle, Why
from commonground.core.profiles import Goal, Partnership, Profile
from commonground.core.results import AssessmentResult, GoalCell, GoalRef
from commonground.core.semantics.sdgs import sdg_title

SHARED_GOAL_SIMILARITY = 0.35
_ID_LENGTH = 64
_TEXT_LENGTH = 4000
_SOURCE_LENGTH = 500
_NAME_LENGTH = 200


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def slug(name: str, taken: Iterable[str] = ()) -> str:
    """An id from a name ("Riverside Food Bank" → ``riverside-food-bank``), not one of ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[: _ID_LENGTH - 4].strip("-") or "partner"
    used = set(taken)
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _partner_ids(partnership: Partnership) -> dict[str, str]:
    ids: dict[str, str] = {}
    for profile in partnership.partners:
        ids[profile.name] = slug(profile.name, ids.values())
    return ids


def _goal(profiles: dict[str, Profile], ref: GoalRef) -> Goal | None:
    profile = profiles.get(ref.party)
    if profile is None:
        return None
    return dict(zip(profile.goal_ids(), profile.goals, strict=True)).get(ref.id)


def _shared_goal_pairs(result: AssessmentResult) -> list[tuple[GoalRef, GoalRef, GoalCell]]:
    """Pairs of goals of different partners that help each other and mean nearly the same, closest first."""
    matrix = result.goal_matrix
    candidates: list[tuple[GoalRef, GoalRef, GoalCell]] = []
    for row, cells in zip(matrix.rows, matrix.cells, strict=True):
        for column, cell in zip(matrix.columns, cells, strict=True):
            if cell is None or row.party == column.party:
                continue
            if cell.score >= 1 and cell.similarity >= SHARED_GOAL_SIMILARITY:
                candidates.append((row, column, cell))
    # Closest first; ties in a fixed order so the same assessment gives the same draft.
    candidates.sort(key=lambda c: (-c[2].similarity, c[0].party, c[0].id, c[1].party, c[1].id))
    used: set[tuple[str, str]] = set()
    pairs = []
    for row, column, cell in candidates:
        keys = {(row.party, row.id), (column.party, column.id)}
        if keys & used:
            continue
        used |= keys
        pairs.append((row, column, cell))
    return pairs


def _objectives(
    partnership: Partnership, result: AssessmentResult, ids: dict[str, str]
) -> tuple[list[Objective], list[PartnerObjective]]:
    profiles = {p.name: p for p in partnership.partners}
    shared: list[Objective] = []
    paired: set[tuple[str, str]] = set()
    for number, (row, column, cell) in enumerate(_shared_goal_pairs(result), start=1):
        goals = [g for g in (_goal(profiles, row), _goal(profiles, column)) if g is not None]
        sdgs = sorted({sdg for goal in goals for sdg in goal.sdgs or []})
        paired |= {(row.party, row.id), (column.party, column.id)}
        shared.append(
            Objective(
                id=f"shared-{number}",
                text=_clip(f"{row.text}; {column.text}", _TEXT_LENGTH),
                sdgs=sdgs,
                source=_clip(
                    f"shared goal: {row.party} {row.id} × {column.party} {column.id} "
                    f"({cell.label}, similarity {cell.similarity:.2f})",
                    _SOURCE_LENGTH,
                ),
            )
        )
    covered = {sdg for objective in shared for sdg in objective.sdgs}
    for sdg in result.shared.sdgs:
        if sdg in covered:
            continue
        shared.append(
            Objective(
                id=f"sdg-{sdg}",
                text=f"Contribute together to SDG {sdg}: {sdg_title(sdg)}",
                sdgs=[sdg],
                source=f"shared SDG: every partner's mission or goals map to SDG {sdg}",
            )
        )
    own: list[PartnerObjective] = []
    for profile in partnership.partners:
        for goal_id, goal in zip(profile.goal_ids(), profile.goals, strict=True):
            if (profile.name, goal_id) in paired:
                continue
            own.append(
                PartnerObjective(
                    partner=ids[profile.name],
                    text=_clip(goal.text, _TEXT_LENGTH),
                    source=_clip(
                        f"goal {goal_id} of {profile.name} ({goal.priority.value} priority)", _SOURCE_LENGTH
                    ),
                )
            )
    return shared, own


def _principles(result: AssessmentResult) -> list[Principle]:
    comparisons = {v.value: v for v in result.values}
    principles = []
    for value in result.shared.values:
        comparison = comparisons.get(value)
        held = ""
        if comparison is not None:
            held = " × ".join(
                f"{party} {(comparison.closest.get(party) or value)!r} (weight {weight:g})"
                for party, weight in comparison.weights.items()
            )
        principles.append(
            Principle(
                text=_clip(value, _TEXT_LENGTH),
                source=_clip(f"shared value: {held or 'held by every partner'}", _SOURCE_LENGTH),
            )
        )
    return principles


def _open_items(partnership: Partnership, result: AssessmentResult, ids: dict[str, str]) -> list[OpenItem]:
    items = [
        OpenItem(
            text=_clip(question.text, _TEXT_LENGTH),
            kind=OpenItemKind.QUESTION,
            source=_clip(
                f"question to settle first no. {question.priority}: {question.reason}", _SOURCE_LENGTH
            ),
        )
        for question in sorted(result.questions, key=lambda q: q.priority)
    ]
    for profile in partnership.partners:
        for index, red_line in enumerate(profile.red_lines):
            items.append(
                OpenItem(
                    text=_clip(red_line.text, _TEXT_LENGTH),
                    kind=OpenItemKind.RED_LINE,
                    partner=ids[profile.name],
                    source=_clip(
                        f"red line of {profile.name} ({red_line.severity.value}), red_lines[{index}]",
                        _SOURCE_LENGTH,
                    ),
                )
            )
    return items


def _workstreams(partnership: Partnership) -> list[Workstream]:
    taken: list[str] = []
    workstreams = []
    for initiative in partnership.initiatives:
        taken.append(slug(initiative.name, taken))
        description = initiative.description or f"Proposed initiative {initiative.name!r}."
        workstreams.append(
            Workstream(
                id=taken[-1],
                name=_clip(initiative.name, _NAME_LENGTH),
                description=_clip(description, _TEXT_LENGTH),
            )
        )
    return workstreams


def draft_agreement(partnership: Partnership, result: AssessmentResult) -> Agreement:
    """A first draft of the partners' agreement from their assessment (pure; state ``draft``)."""
    ids = _partner_ids(partnership)
    shared, own = _objectives(partnership, result, ids)
    principles = _principles(result)
    workstreams = _workstreams(partnership)
    return Agreement(
        title=_clip(partnership.title, _NAME_LENGTH),
        state="draft",
        who=Who(
            # Partners are named; their representatives are for the partners to add.
            status=SectionStatus.PARTIALLY,
            partners=[Partner(id=ids[p.name], name=p.name) for p in partnership.partners],
        ),
        why=Why(
            status=SectionStatus.PARTIALLY if shared or own or principles else SectionStatus.NOT_IN_PLACE,
            shared_objectives=shared,
            partner_objectives=own,
            principles=principles,
        ),
        what=What(
            status=SectionStatus.PARTIALLY if workstreams else SectionStatus.NOT_IN_PLACE,
            workstreams=workstreams,
        ),
        open_items=_open_items(partnership, result, ids),
    )
