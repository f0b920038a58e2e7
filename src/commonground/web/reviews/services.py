"""Writes of reviews, the stage and the exit plan: one atomic transaction each, keyword-only.

Opening a review re-runs the assessment on the partners' profiles as they are now (the same engine
run as "Run a new assessment") and lists the shared goals to decide on. Closing it writes keep,
adapt and drop into the agreement as a new version, through the agreement's own service, so the
partners sign the changed goals again and the version history shows what the review changed.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.core.agreement.why import Objective
from commonground.core.alignment.health import Stage
from commonground.web.accounts.typing import User
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.services import (
    AgreementError,
    agreement_document_replace,
    draft_from_snapshot,
)
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.assessments.services import snapshot_create
from commonground.web.partnerships.selectors import PartnershipAccess, active_organisations
from commonground.web.partnerships.services import partnership_touch, shared_material_record
from commonground.web.records import StaleEditError, update_if_current
from commonground.web.reviews.models import (
    Decision,
    ExitKind,
    ExitPlan,
    GoalDecision,
    GoalReview,
    ReviewState,
    StageChoice,
)

__all__ = [
    "ReviewError",
    "StaleEditError",
    "exit_plan_cancel",
    "exit_plan_save",
    "review_close",
    "review_goal_decide",
    "review_open",
    "stage_choose",
]

MAX_TEXT = 2000


class ReviewError(Exception):
    """A write the rules do not allow; the message is shown to the user."""


def _require_edit(access: PartnershipAccess) -> None:
    if not access.can_edit:
        raise ReviewError("Only members of the partner organisations who may edit can do this.")


def _goal_key(objective: Objective) -> str | None:
    """What identifies a drafted goal across assessments: its SDG, or the pair of goals it joins."""
    if objective.id and objective.id.startswith("sdg-"):
        return objective.id
    if objective.source and objective.source.startswith("shared goal:"):
        return objective.source.split(" (", 1)[0]  # drop the similarity, which changes between runs
    return None


def review_open(*, access: PartnershipAccess, user: User) -> GoalReview:
    """Re-run the assessment and open a review of every shared goal (one open review at a time)."""
    _require_edit(access)
    partnership = access.partnership
    if GoalReview.objects.filter(partnership=partnership, state=ReviewState.OPEN).exists():
        raise ReviewError("A review is already open: finish it before starting another.")
    previous = (
        AssessmentSnapshot.objects.filter(partnership=partnership).order_by("-created_at", "-pk").first()
    )
    # The engine run takes seconds; it stores its own snapshot before the review's transaction.
    snapshot = snapshot_create(access=access, user=user)
    drafted, _ = draft_from_snapshot(partnership, active_organisations(partnership=partnership), snapshot)
    today_keys = {key for key in map(_goal_key, drafted.why.shared_objectives) if key}
    agreement = Agreement.objects.filter(partnership=partnership).first()
    if agreement is not None:
        objectives = AgreementDocument.model_validate(agreement.document).why.shared_objectives
    else:
        objectives = drafted.why.shared_objectives
    with transaction.atomic():
        try:
            review = GoalReview.objects.create(
                partnership=partnership, opened_by=user, snapshot=snapshot, previous_snapshot=previous
            )
        except IntegrityError as exc:  # someone opened one in the meantime
            raise ReviewError("A review is already open: finish it before starting another.") from exc
        GoalDecision.objects.bulk_create(
            GoalDecision(
                review=review,
                position=position,
                objective_id=objective.id or "",
                text=objective.text,
                still_shared=(key in today_keys) if (key := _goal_key(objective)) else None,
                updated_by=user,
            )
            for position, objective in enumerate(objectives, start=1)
        )
        partnership_touch(partnership, user=user)
        shared_material_record(partnership, user=user, comment="Opened a review of the shared goals")
    return review


def _open_review(access: PartnershipAccess, review_id: int) -> GoalReview:
    review = (
        GoalReview.objects.select_for_update(of=("self",))
        .filter(partnership=access.partnership, pk=review_id)
        .first()
    )
    if review is None:
        raise ReviewError("That review does not exist.")
    if review.state != ReviewState.OPEN:
        raise ReviewError("That review is closed: its decisions are kept as a record.")
    return review


def review_goal_decide(
    *, access: PartnershipAccess, review_id: int, goal_id: int, decision: str, new_text: str, note: str,
    expected_version: int, user: User,
) -> GoalDecision:  # fmt: skip
    """Record keep, adapt (with the new wording) or drop for one goal of an open review."""
    _require_edit(access)
    if decision not in {Decision.KEEP, Decision.ADAPT, Decision.DROP}:
        raise ReviewError("Choose keep, adapt or drop.")
    new_text, note = new_text.strip(), note.strip()
    if decision == Decision.ADAPT and not new_text:
        raise ReviewError("Say how the goal is adapted: write its new wording.")
    if len(new_text) > MAX_TEXT or len(note) > MAX_TEXT:
        raise ReviewError(f"Keep the wording and the note under {MAX_TEXT} characters each.")
    with transaction.atomic():
        review = _open_review(access, review_id)
        rows = GoalDecision.objects.filter(review=review, pk=goal_id)
        update_if_current(
            rows,
            expected_version=expected_version,
            user=user,
            decision=decision,
            new_text=new_text if decision == Decision.ADAPT else "",
            note=note,
        )
        goal = rows.get()
        partnership_touch(access.partnership, user=user)
        comment = f"Review: {goal.get_decision_display().lower()} a shared goal"
        shared_material_record(access.partnership, user=user, comment=comment, extra=(goal,))
    return goal


def review_close(*, access: PartnershipAccess, review_id: int, user: User) -> GoalReview:
    """Close a review whose goals are all decided; the agreement gets the new goals as a new version."""
    _require_edit(access)
    with transaction.atomic():
        review = _open_review(access, review_id)
        goals = list(review.goals.all())
        undecided = [goal.position for goal in goals if not goal.decision]
        if undecided:
            raise ReviewError(
                "Decide every goal before closing the review: goal "
                + ", ".join(str(n) for n in undecided)
                + (" is" if len(undecided) == 1 else " are")
                + " not decided yet."
            )
        agreement = Agreement.objects.filter(partnership=access.partnership).first()
        if agreement is not None:
            try:
                _write_goals(access, agreement, goals, user=user)
            except AgreementError as exc:  # e.g. a dropped goal that the agreement still refers to
                raise ReviewError(f"The agreement cannot take these goals: {exc}") from exc
            review.agreement_version = Agreement.objects.values_list("version", flat=True).get(
                pk=agreement.pk
            )
        review.state = ReviewState.CLOSED
        review.closed_by = user
        review.closed_at = timezone.now()
        review.save(update_fields=["state", "closed_by", "closed_at", "agreement_version"])
        partnership_touch(access.partnership, user=user)
        shared_material_record(access.partnership, user=user, comment="Closed the review of the shared goals")
    return review


def _write_goals(
    access: PartnershipAccess, agreement: Agreement, goals: list[GoalDecision], *, user: User
) -> None:
    """Apply the decisions to the agreement's shared objectives; goals added since are kept."""
    document = AgreementDocument.model_validate(agreement.document)
    by_id = {goal.objective_id: goal for goal in goals if goal.objective_id}
    by_text = {goal.text: goal for goal in goals if not goal.objective_id}
    objectives = []
    for objective in document.why.shared_objectives:
        goal = by_id.get(objective.id or "") or by_text.get(objective.text)
        if goal is None or goal.decision == Decision.KEEP:
            objectives.append(objective)
        elif goal.decision == Decision.ADAPT:
            objectives.append(objective.model_copy(update={"text": goal.new_text}))
    if objectives == document.why.shared_objectives:
        return  # every goal kept as it was: a signed agreement stays signed
    counts = {
        d: sum(1 for goal in goals if goal.decision == d)
        for d in (Decision.KEEP, Decision.ADAPT, Decision.DROP)
    }
    changed = document.model_copy(
        update={"why": document.why.model_copy(update={"shared_objectives": objectives})}
    )
    agreement_document_replace(
        access=access,
        agreement=agreement,
        document=changed,
        expected_version=agreement.version,
        user=user,
        comment=(
            f"Review of the shared goals: kept {counts[Decision.KEEP]}, adapted {counts[Decision.ADAPT]}, "
            f"dropped {counts[Decision.DROP]}"
        ),
    )


def stage_choose(*, access: PartnershipAccess, stage: str, user: User) -> StageChoice | None:
    """Set the stage of the partnering cycle, or clear it (empty) to follow the facts again."""
    _require_edit(access)
    with transaction.atomic():
        if not stage:
            StageChoice.objects.filter(partnership=access.partnership).delete()
            return None
        try:
            value = Stage(stage)
        except ValueError as exc:
            raise ReviewError("Choose one of the stages of the partnering cycle.") from exc
        choice, _ = StageChoice.objects.update_or_create(
            partnership=access.partnership,
            defaults={"stage": value.value, "chosen_by": user, "chosen_at": timezone.now()},
        )
        partnership_touch(access.partnership, user=user)
    return choice


def exit_plan_save(
    *, access: PartnershipAccess, kind: str, planned_for: datetime.date, shared_work: str,
    expected_version: int | None, user: User,
) -> ExitPlan:  # fmt: skip
    """Plan an exit or hand-over, or change the plan if it is still at ``expected_version``."""
    _require_edit(access)
    if kind not in ExitKind.values:
        raise ReviewError("Choose a hand-over or closing the partnership.")
    shared_work = shared_work.strip()
    if not shared_work:
        raise ReviewError("Say what happens to the shared work, data, funds and people.")
    if len(shared_work) > MAX_TEXT * 2:
        raise ReviewError(f"Keep what happens to the shared work under {MAX_TEXT * 2} characters.")
    fields = {"kind": kind, "planned_for": planned_for, "shared_work": shared_work, "active": True}
    with transaction.atomic():
        rows = ExitPlan.objects.filter(partnership=access.partnership)
        if expected_version is None:
            if rows.exists():
                raise StaleEditError.about(rows.first())
            plan = ExitPlan.objects.create(partnership=access.partnership, updated_by=user, **fields)
        else:
            update_if_current(rows, expected_version=expected_version, user=user, **fields)
            plan = rows.get()
        partnership_touch(access.partnership, user=user)
        comment = f"Planned the partnership's exit for {planned_for.isoformat()}"
        shared_material_record(access.partnership, user=user, comment=comment, extra=(plan,))
    return plan


def exit_plan_cancel(*, access: PartnershipAccess, expected_version: int, user: User) -> ExitPlan:
    """Call off the planned exit (kept as a record, marked inactive)."""
    _require_edit(access)
    with transaction.atomic():
        rows = ExitPlan.objects.filter(partnership=access.partnership)
        update_if_current(rows, expected_version=expected_version, user=user, active=False)
        plan = rows.get()
        partnership_touch(access.partnership, user=user)
        shared_material_record(
            access.partnership, user=user, comment="Called off the planned exit", extra=(plan,)
        )
    return plan
