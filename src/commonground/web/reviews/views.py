"""Thin views of reviews, the stage and the exit plan: authorise, bind the form, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from commonground.core.alignment.health import STAGE_WORDS, Stage
from commonground.web.access import Action, partnership_scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.assessments.services import AssessmentError
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError
from commonground.web.reviews import selectors, services
from commonground.web.reviews.forms import ExitPlanForm, GoalDecisionForm, StageForm, VersionForm
from commonground.web.reviews.models import GoalReview, ReviewState


def _list(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, *, exit_form: ExitPlanForm | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    plan = selectors.exit_plan_find(access=access)
    choice = selectors.stage_choice_find(access=access)
    if exit_form is None:
        initial: dict[str, Any] = {"kind": "transition"}
        if plan is not None:
            initial = {"kind": plan.kind, "planned_for": plan.planned_for, "shared_work": plan.shared_work,
                       "version": plan.version}  # fmt: skip
        exit_form = ExitPlanForm(initial=initial)
    context = {
        "access": access,
        "partnership": access.partnership,
        "reviews": selectors.review_list(access=access),
        "open_review": selectors.review_open_find(access=access),
        "plan": plan,
        "exit_form": exit_form,
        "cancel_form": VersionForm(initial={"version": plan.version}) if plan is not None else None,
        "stage_form": StageForm(initial={"stage": choice.stage if choice else ""}),
        "stage_choice": choice,
        "stage_chosen": STAGE_WORDS[Stage(choice.stage)] if choice else "",
    }
    return render(request, "reviews/list.html", context, status=status)


@partnership_scoped(Action.VIEW)
@require_GET
def reviews_page(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Past and open reviews of the shared goals, the stage of the cycle and the exit plan."""
    return _list(request, access)


@partnership_scoped(Action.EDIT)
@require_POST
def review_new(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Re-run the assessment and open a review of the shared goals."""
    try:
        review = services.review_open(access=access, user=request.user)
    except (services.ReviewError, AssessmentError) as exc:
        messages.error(request, str(exc))
        return redirect("reviews:list", pk=access.partnership.pk)
    messages.success(request, "Review opened: the assessment was re-run on the profiles as they are now.")
    return redirect("reviews:detail", pk=access.partnership.pk, review_id=review.pk)


def _detail(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, review: GoalReview, *,
    open_goal: int | None = None, open_form: GoalDecisionForm | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    goals: list[dict[str, Any]] = []
    undecided = 0
    for goal in review.goals.all():
        undecided += not goal.decision
        form = open_form if goal.pk == open_goal else None
        if form is None:
            form = GoalDecisionForm(
                initial={"decision": goal.decision or None, "new_text": goal.new_text, "note": goal.note,
                         "version": goal.version},
                prefix=f"goal-{goal.pk}",
            )  # fmt: skip
        goals.append({"goal": goal, "form": form})
    context = {
        "access": access,
        "partnership": access.partnership,
        "review": review,
        "goals": goals,
        "undecided": undecided,
        "editable": access.can_edit and review.state == ReviewState.OPEN,
    }
    return render(request, "reviews/detail.html", context, status=status)


@partnership_scoped(Action.VIEW)
@require_GET
def review_page(request: AuthenticatedHttpRequest, access: PartnershipAccess, review_id: int) -> HttpResponse:
    """One review: each goal with the decision taken, and the assessment then and now."""
    return _detail(request, access, selectors.review_get(access=access, review_id=review_id))


@partnership_scoped(Action.EDIT)
@require_POST
def goal_decide(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, review_id: int, goal_id: int
) -> HttpResponseBase:
    """Keep, adapt or drop one goal."""
    review = selectors.review_get(access=access, review_id=review_id)
    if review.state != ReviewState.OPEN:
        messages.error(request, "That review is closed: its decisions are kept as a record.")
        return redirect("reviews:detail", pk=access.partnership.pk, review_id=review.pk)
    form = GoalDecisionForm(request.POST, prefix=f"goal-{goal_id}")
    if form.is_valid():
        try:
            services.review_goal_decide(
                access=access, review_id=review.pk, goal_id=goal_id, decision=form.cleaned_data["decision"],
                new_text=form.cleaned_data["new_text"], note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"], user=request.user,
            )  # fmt: skip
        except StaleEditError as exc:
            form.add_error(
                None, exc.changed_meanwhile("goal", then="look at their decision and choose again")
            )
        except services.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            url = reverse("reviews:detail", kwargs={"pk": access.partnership.pk, "review_id": review.pk})
            return redirect(f"{url}#goal-{goal_id}")
    return _detail(request, access, review, open_goal=goal_id, open_form=form, status=400)


@partnership_scoped(Action.EDIT)
@require_POST
def review_close(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, review_id: int
) -> HttpResponseBase:
    """Close the review; the agreement gets the decided goals as a new version."""
    review = selectors.review_get(access=access, review_id=review_id)
    try:
        services.review_close(access=access, review_id=review.pk, user=request.user)
    except (services.ReviewError, StaleEditError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Review closed. Where there is an agreement, its shared goals now say what you decided, "
            "as a new version for every partner to sign.",
        )
    return redirect("reviews:detail", pk=access.partnership.pk, review_id=review.pk)


@partnership_scoped(Action.EDIT)
@require_POST
def stage_set(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Set the stage of the partnering cycle, or follow the facts again."""
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_choose(access=access, stage=form.cleaned_data["stage"], user=request.user)
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Stage saved.")
    else:
        messages.error(request, "Choose one of the stages of the partnering cycle.")
    return redirect("reviews:list", pk=access.partnership.pk)


@partnership_scoped(Action.EDIT)
@require_POST
def exit_save(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Plan an exit or hand-over, or change the plan."""
    form = ExitPlanForm(request.POST)
    if form.is_valid():
        try:
            services.exit_plan_save(
                access=access, kind=form.cleaned_data["kind"], planned_for=form.cleaned_data["planned_for"],
                shared_work=form.cleaned_data["shared_work"], expected_version=form.cleaned_data["version"],
                user=request.user,
            )  # fmt: skip
        except StaleEditError as exc:
            form.add_error(None, exc.changed_meanwhile("exit plan", then="read it again"))
        except services.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Exit plan saved.")
            return redirect("reviews:list", pk=access.partnership.pk)
    return _list(request, access, exit_form=form, status=400)


@partnership_scoped(Action.EDIT)
@require_POST
def exit_cancel(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Call off the planned exit."""
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.exit_plan_cancel(
                access=access, expected_version=form.cleaned_data["version"], user=request.user
            )
        except StaleEditError as exc:
            messages.error(request, exc.changed_meanwhile("exit plan", then="read it again"))
        else:
            messages.success(request, "The planned exit is called off.")
    return redirect("reviews:list", pk=access.partnership.pk)
