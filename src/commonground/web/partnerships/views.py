"""Thin views for partnerships: authorise (through the access layer), bind a form, call a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commonground.web.access import Action, org_scoped, scoped, signed_in
from commonground.web.assessments.selectors import snapshot_latest
from commonground.web.organisations.selectors import OrgAccess, organisation_list_for_user
from commonground.web.partnerships import selectors, services
from commonground.web.partnerships.forms import (
    AnswerForm,
    FacilitatorInviteForm,
    InitiativeForm,
    LeaveForm,
    MemberInviteForm,
    PartnershipForm,
    ScoreForm,
)
from commonground.web.partnerships.models import Facilitator, MemberState, PartnershipMember
from commonground.web.partnerships.selectors import (
    FacilitationAccess,
    PartnershipAccess,
    PartnershipInvitationAccess,
    facilitation_access,
    partnership_access,
    partnership_invitation_access,
)

PK = ("pk",)
# What answering an invitation yields: the organisation's member row or the facilitator place.
_Answered = TypeVar("_Answered", PartnershipMember, Facilitator)


def _errors(request: HttpRequest, form: object) -> None:
    for name, errors in form.errors.items():  # type: ignore[attr-defined]
        label = "" if name == "__all__" else f"{name.replace('_', ' ').capitalize()}: "
        messages.error(request, label + " ".join(str(error) for error in errors))


def _detail(access: PartnershipAccess) -> HttpResponseBase:
    return redirect("partnerships:detail", pk=access.partnership.pk)


@signed_in
def partnership_list(request: HttpRequest) -> HttpResponse:
    """The partnerships of the user's organisations, open invitations, and facilitator places."""
    memberships = list(organisation_list_for_user(user=request.user))
    organisation_ids = [membership.organisation_id for membership in memberships]
    managed = [m.organisation_id for m in memberships if m.role in ("owner", "admin")]
    partnerships = selectors.partnership_list_for_organisations(organisation_ids=organisation_ids)
    invitations = selectors.invitation_list_for_organisations(organisation_ids=managed)
    facilitations = list(selectors.facilitation_list_for_user(user=request.user))
    return render(
        request,
        "partnerships/list.html",
        {
            "partnerships": partnerships,
            "invitations": invitations,
            "facilitations": facilitations,
            "managed_memberships": [m for m in memberships if m.organisation_id in managed],
        },
    )


@org_scoped(Action.VIEW)
def portfolio(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    """The organisation's partnerships with the figures of each one's latest assessment, a page at a time."""
    invitations = list(selectors.invitation_list_for_organisation(access=access)) if access.can_manage else []
    portfolio = selectors.portfolio_page(access=access, page_number=request.GET.get("page"))
    return render(
        request,
        "partnerships/portfolio.html",
        {
            "access": access,
            "organisation": access.organisation,
            "rows": portfolio.rows,
            "page": portfolio.page,
            "page_links": list(portfolio.page.paginator.get_elided_page_range(portfolio.page.number)),
            "invitations": invitations,
        },
    )


@org_scoped(Action.MANAGE)
@require_http_methods(["GET", "POST"])
def partnership_new(request: HttpRequest, access: OrgAccess) -> HttpResponseBase:
    """Start a partnership for the organisation (its admins)."""
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partnership = services.partnership_create(
            org_access=access,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            user=request.user,
        )
        messages.success(request, f"{partnership.name} is started. Invite the other organisations below.")
        return redirect("partnerships:detail", pk=partnership.pk)
    return render(
        request,
        "partnerships/new.html",
        {"access": access, "organisation": access.organisation, "form": form},
    )


@scoped(Action.VIEW, resolve=partnership_access, consumes=PK)
def partnership_detail(request: HttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The shared partnership page: partners, facilitators, initiatives, latest assessment."""
    members = list(selectors.member_list(access=access))
    context = {
        "access": access,
        "partnership": access.partnership,
        "active": [m for m in members if m.state == MemberState.ACTIVE],
        "invited": [m for m in members if m.state == MemberState.INVITED],
        "former": [m for m in members if m.state in (MemberState.LEFT, MemberState.DECLINED)],
        "facilitators": list(selectors.facilitator_list(access=access)),
        "latest": snapshot_latest(access=access),
        "invite_form": MemberInviteForm() if access.can_manage else None,
        "facilitator_form": FacilitatorInviteForm() if access.can_manage else None,
        "leavable": [
            m
            for m in members
            if m.state == MemberState.ACTIVE and access.can_in(m.organisation_id, Action.MANAGE)
        ],
    }
    return render(request, "partnerships/detail.html", context)


@scoped(Action.MANAGE, resolve=partnership_access, consumes=PK)
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Rename or re-describe the partnership; a stale save is refused with who changed it."""
    partnership = access.partnership
    initial = {
        "name": partnership.name,
        "description": partnership.description,
        "version": partnership.version,
    }
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                access=access,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                expected_version=form.cleaned_data["version"] or 0,
                user=request.user,
            )
        except services.StaleEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return _detail(access)
    return render(
        request, "partnerships/edit.html", {"access": access, "partnership": partnership, "form": form}
    )


@scoped(Action.MANAGE, resolve=partnership_access, consumes=PK)
@require_POST
def member_invite(request: HttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Invite an organisation through one of its admins' email (choosing among theirs if several)."""
    form = MemberInviteForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return _detail(access)
    try:
        member = services.member_invite(
            access=access,
            email=form.cleaned_data["email"],
            organisation_id=form.cleaned_data.get("organisation") or None,
            user=request.user,
        )
    except services.ChooseOrganisation as exc:
        form = MemberInviteForm(
            initial={"email": form.cleaned_data["email"]},
            options=[(organisation.pk, organisation.name) for organisation in exc.options],
        )
        return render(
            request,
            "partnerships/invite_choose.html",
            {"access": access, "partnership": access.partnership, "form": form, "message": str(exc)},
        )
    except services.PartnershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{member.organisation.name} is invited; its admins can now accept.")
    return _detail(access)


@scoped(Action.MANAGE, resolve=partnership_access, consumes=PK)
@require_POST
def member_remove(request: HttpRequest, access: PartnershipAccess, member_id: int) -> HttpResponseBase:
    """Remove a partner organisation or withdraw its invitation."""
    member = selectors.member_get(access=access, member_id=member_id)
    try:
        services.member_remove(access=access, member=member, user=request.user)
        messages.success(request, f"{member.organisation.name} is no longer part of the partnership.")
    except services.PartnershipError as exc:
        messages.error(request, str(exc))
    return _detail(access)


@scoped(Action.MANAGE, resolve=partnership_access, consumes=PK)
@require_POST
def member_leave(request: HttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Take one of the caller's organisations out of the partnership."""
    form = LeaveForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return _detail(access)
    try:
        member = services.member_leave(
            access=access, organisation_id=form.cleaned_data["organisation"], user=request.user
        )
    except services.PartnershipError as exc:
        messages.error(request, str(exc))
        return _detail(access)
    messages.success(request, f"{member.organisation.name} has left {access.partnership.name}.")
    return redirect("partnerships:list")


@scoped(Action.MANAGE, resolve=partnership_access, consumes=PK)
@require_POST
def facilitator_invite(request: HttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Invite a neutral facilitator by email."""
    form = FacilitatorInviteForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return _detail(access)
    try:
        facilitator = services.facilitator_invite(
            access=access, email=form.cleaned_data["email"], user=request.user
        )
        messages.success(request, f"{facilitator.user.get_username()} is invited to facilitate.")
    except services.PartnershipError as exc:
        messages.error(request, str(exc))
    return _detail(access)


@scoped(Action.MANAGE, resolve=partnership_access, consumes=PK)
@require_POST
def facilitator_remove(
    request: HttpRequest, access: PartnershipAccess, facilitator_id: int
) -> HttpResponseBase:
    """End a facilitator's place."""
    facilitator = selectors.facilitator_get(access=access, facilitator_id=facilitator_id)
    try:
        services.facilitator_remove(access=access, facilitator=facilitator, user=request.user)
        messages.success(request, "The facilitator is removed.")
    except services.PartnershipError as exc:
        messages.error(request, str(exc))
    return _detail(access)


def _invitation_answer(
    request: HttpRequest,
    *,
    respond: Callable[[bool], _Answered],
    joined: Callable[[_Answered], str],
    template: str,
    context: dict[str, Any],
) -> HttpResponseBase:
    """Show an invitation with accept/decline; on an answer call ``respond`` and go where it leads."""
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            answered = respond(accept)
        except services.PartnershipError as exc:
            messages.error(request, str(exc))
            return redirect("partnerships:list")
        if accept:
            messages.success(request, joined(answered))
            return redirect("partnerships:detail", pk=answered.partnership_id)
        messages.success(request, "The invitation is declined.")
        return redirect("partnerships:list")
    return render(request, template, {**context, "form": form})


@scoped(Action.MANAGE, resolve=partnership_invitation_access, consumes=("invite_id",))
@require_http_methods(["GET", "POST"])
def invitation_answer(request: HttpRequest, access: PartnershipInvitationAccess) -> HttpResponseBase:
    """An invited organisation's admins see the invitation (only) and accept or decline it."""
    return _invitation_answer(
        request,
        respond=lambda accept: services.invitation_respond(
            invitation=access, accept=accept, user=request.user
        ),
        joined=lambda member: f"{member.organisation.name} has joined {member.partnership.name}.",
        template="partnerships/invitation.html",
        context={"invitation": access.member},
    )


@scoped(Action.VIEW, resolve=facilitation_access, consumes=("facilitation_id",))
@require_http_methods(["GET", "POST"])
def facilitation_answer(request: HttpRequest, access: FacilitationAccess) -> HttpResponseBase:
    """The invited facilitator accepts or declines."""
    return _invitation_answer(
        request,
        respond=lambda accept: services.facilitation_respond(
            facilitation=access, accept=accept, user=request.user
        ),
        joined=lambda facilitator: f"You now facilitate {facilitator.partnership.name}.",
        template="partnerships/facilitation.html",
        context={"facilitator": access.facilitator},
    )


# --- initiatives ----------------------------------------------------------------------------------


@scoped(Action.VIEW, resolve=partnership_access, consumes=PK)
def initiative_list(request: HttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Proposed joint initiatives with each partner's economic value; score forms for own partners."""
    initiatives = selectors.initiative_list(access=access)
    own = [
        m.organisation
        for m in selectors.member_list(access=access)
        if access.can_in(m.organisation_id, Action.EDIT)
    ]
    rows = []
    for initiative in initiatives:
        scores = {score.organisation_id: score.economic_value for score in initiative.scores.all()}
        rows.append(
            {
                "initiative": initiative,
                "scores": list(initiative.scores.all()),
                "forms": [
                    (organisation, ScoreForm(initial={"organisation": organisation.pk,
                                                      "economic_value": scores.get(organisation.pk, 3)}))
                    for organisation in own
                ],
            }
        )  # fmt: skip
    return render(
        request,
        "partnerships/initiatives.html",
        {
            "access": access,
            "partnership": access.partnership,
            "rows": rows,
            "form": InitiativeForm() if access.can_edit else None,
        },
    )


@scoped(Action.EDIT, resolve=partnership_access, consumes=PK)
@require_POST
def initiative_new(request: HttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Propose an initiative."""
    form = InitiativeForm(request.POST)
    if form.is_valid():
        initiative = services.initiative_create(
            access=access,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            level=form.cleaned_data["level"],
            social_value=form.cleaned_data["social_value"],
            user=request.user,
        )
        messages.success(request, f"“{initiative.name}” is proposed; each partner can now score it.")
    else:
        _errors(request, form)
    return redirect("partnerships:initiatives", pk=access.partnership.pk)


@scoped(Action.EDIT, resolve=partnership_access, consumes=PK)
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, access: PartnershipAccess, initiative_id: int) -> HttpResponseBase:
    """Edit an initiative; a stale save is refused with who changed it."""
    initiative = selectors.initiative_get(access=access, initiative_id=initiative_id)
    initial = {
        "name": initiative.name,
        "description": initiative.description,
        "level": initiative.level,
        "social_value": initiative.social_value,
        "version": initiative.version,
    }
    form = InitiativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                access=access,
                initiative=initiative,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                level=form.cleaned_data["level"],
                social_value=form.cleaned_data["social_value"],
                expected_version=form.cleaned_data["version"] or 0,
                user=request.user,
            )
        except services.StaleEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("partnerships:initiatives", pk=access.partnership.pk)
    return render(
        request,
        "partnerships/initiative_edit.html",
        {"access": access, "partnership": access.partnership, "initiative": initiative, "form": form},
    )


@scoped(Action.EDIT, resolve=partnership_access, consumes=PK)
@require_POST
def initiative_delete(
    request: HttpRequest, access: PartnershipAccess, initiative_id: int
) -> HttpResponseBase:
    """Withdraw an initiative (restorable from the history)."""
    initiative = selectors.initiative_get(access=access, initiative_id=initiative_id)
    services.initiative_delete(access=access, initiative=initiative, user=request.user)
    messages.success(request, f"“{initiative.name}” is withdrawn.")
    return redirect("partnerships:initiatives", pk=access.partnership.pk)


@scoped(Action.EDIT, resolve=partnership_access, consumes=PK)
@require_POST
def initiative_score(request: HttpRequest, access: PartnershipAccess, initiative_id: int) -> HttpResponseBase:
    """Set one's own organisation's economic value of an initiative."""
    initiative = selectors.initiative_get(access=access, initiative_id=initiative_id)
    form = ScoreForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_score_set(
                access=access,
                initiative=initiative,
                organisation_id=form.cleaned_data["organisation"],
                economic_value=form.cleaned_data["economic_value"],
                user=request.user,
            )
            messages.success(request, "Score saved.")
        except services.PartnershipError as exc:
            messages.error(request, str(exc))
    else:
        _errors(request, form)
    return redirect("partnerships:initiatives", pk=access.partnership.pk)


# --- history --------------------------------------------------------------------------------------


@scoped(Action.VIEW, resolve=partnership_access, consumes=PK)
def history(request: HttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Every recorded change to the shared material: who, when, what."""
    versions = list(selectors.history_versions(access=access)[:200])
    return render(
        request,
        "partnerships/history.html",
        {"access": access, "partnership": access.partnership, "versions": versions},
    )


@scoped(Action.MANAGE, resolve=partnership_access, consumes=PK)
@require_POST
def history_restore(request: HttpRequest, access: PartnershipAccess, version_id: int) -> HttpResponseBase:
    """Make an earlier version of the shared material current again (recorded as a new change)."""
    version = selectors.history_version_get(access=access, version_id=version_id)
    services.history_restore(access=access, version=version, user=request.user)
    messages.success(request, "The earlier version is restored; the change is in the history.")
    return redirect("partnerships:history", pk=access.partnership.pk)
