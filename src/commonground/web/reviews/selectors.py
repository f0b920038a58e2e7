"""Permission-scoped reads of reviews, the stage chosen and the exit plan, each from the scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.reviews.models import ExitPlan, GoalReview, ReviewState, StageChoice


def review_list(*, access: PartnershipAccess) -> QuerySet[GoalReview]:
    """The partnership's reviews, newest first, with who opened and closed them."""
    return GoalReview.objects.filter(partnership=access.partnership).select_related("opened_by", "closed_by")


def review_get(*, access: PartnershipAccess, review_id: int) -> GoalReview:
    """One review of this partnership with both assessments it compares (404 otherwise)."""
    review = (
        GoalReview.objects.filter(partnership=access.partnership, pk=review_id)
        .select_related("snapshot", "previous_snapshot", "opened_by", "closed_by")
        .first()
    )
    if review is None:
        raise Http404("No such review")
    return review


def review_open_find(*, access: PartnershipAccess) -> GoalReview | None:
    """The open review, if there is one."""
    return GoalReview.objects.filter(partnership=access.partnership, state=ReviewState.OPEN).first()


def exit_plan_find(*, access: PartnershipAccess) -> ExitPlan | None:
    """The exit plan, active or called off, if the partners made one."""
    return ExitPlan.objects.filter(partnership=access.partnership).first()


def stage_choice_find(*, access: PartnershipAccess) -> StageChoice | None:
    """The stage the partners set themselves, if they did."""
    return StageChoice.objects.filter(partnership=access.partnership).first()
