"""Thin views for partnerships: authorise (through the access layer), bind a form, call a service."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commonground.web.access import Action, org_scoped, partnership_scoped, role_allows, signed_in
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.agreements.selectors import agreement_find
from commonground.web.assessments.selectors import snapshot_latest
from commonground.web.organisations.selectors import OrgAccess, organisation_list_for_user
from commonground.web.partnerships import proposal_selectors, selectors, services
from commonground.web.partnerships.forms import DescriptionForm, InitiativeForm, PartnershipForm, ScoreForm
from commonground.web.partnerships.invitation_selectors import invitation_list_for_user
from commonground.web.partnerships.invitation_views import invitation_panel
from commonground.web.partnerships.models import FORMER_STATES, MemberState
from commonground.web.partnerships.portfolio_rows import rendered_rows
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError


def _errors(request: HttpRequest, form: object) -> None:
    for name, errors in form.errors.items():  # type: ignore[attr-defined]
        label = "" if name == "__all__" else f"{name.replace('_', ' ').capitalize()}: "
        messages.error(request, label + " ".join(str(error) for error in errors))


def _stale_message(what: str, exc: StaleEditError) -> str:
    """What an edit form says when someone saved ``what`` first (nothing of this save was kept)."""
    return exc.changed_meanwhile(what, then="look at the current version and apply them again")


def _detail(access: PartnershipAccess) -> HttpResponseBase:
    return redirect("partnerships:detail", pk=access.partnership.pk)


@signed_in
def partnership_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The partnerships of the user's organisations, open invitations, and facilitator places."""
    memberships = list(organisation_list_for_user(user=request.user))
    organisation_ids = [membership.organisation_id for membership in memberships]
    managed = [m.organisation_id for m in memberships if role_allows(m.role, Action.MANAGE)]
    partnerships = selectors.partnership_list_for_organisations(organisation_ids=organisation_ids)
    invitations = invitation_list_for_user(user=request.user)
    facilitations = list(selectors.facilitation_list_for_user(user=request.user))
    return render(
        request,
        "partnerships/list.html",
        {
            "partnerships": partnerships,
            "invitations": invitations,
            "facilitations": facilitations,
            "managed_memberships": [m for m in memberships if m.organisation_id in managed],
            # Proposals one of the user's organisations must answer, and partnerships they left or were
            # removed from (each with a link to its record).
            "awaiting": proposal_selectors.proposals_awaiting(user=request.user, organisation_ids=managed),
            "former_places": proposal_selectors.former_places(organisation_ids=organisation_ids),
        },
    )


@org_scoped(Action.VIEW)
def portfolio(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    """The organisation's partnerships with the figures of each one's latest assessment, a page at a time."""
    portfolio = selectors.portfolio_page(access=access, page_number=request.GET.get("page"))
    return render(
        request,
        "partnerships/portfolio.html",
        {
            "access": access,
            "organisation": access.organisation,
            "rows": rendered_rows(portfolio.rows),
            "page": portfolio.page,
            "page_links": list(portfolio.page.paginator.get_elided_page_range(portfolio.page.number)),
        },
    )


@org_scoped(Action.MANAGE)
@require_http_methods(["GET", "POST"])
def partnership_new(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponseBase:
    """Start a partnership for the organisation (its admins); ``?name=&description=`` prefill it."""
    # "Invite to a partnership" from the find-partners page arrives here with the hit's name filled in.
    prefill = {field: request.GET.get(field, "") for field in ("name", "description")}
    form = PartnershipForm(request.POST or None, initial=prefill)
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


@partnership_scoped(Action.VIEW)
def partnership_detail(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The shared partnership page: partners, facilitators, initiatives, latest assessment."""
    members = list(selectors.member_list(access=access))
    context = {
        "access": access,
        "partnership": access.partnership,
        "active": [m for m in members if m.state == MemberState.ACTIVE],
        "former": [m for m in members if m.state in (*FORMER_STATES, MemberState.DECLINED)],
        "facilitators": list(selectors.facilitator_list(access=access)),
        "latest": snapshot_latest(access=access),
        "agreement": agreement_find(access=access),
        **invitation_panel(access),
        "leavable": [
            m
            for m in members
            if m.state == MemberState.ACTIVE and access.can_in(m.organisation_id, Action.MANAGE)
        ],
        "open_proposals": [p for p in proposal_selectors.proposal_list(access=access) if p.is_open],
    }
    return render(request, "partnerships/detail.html", context)


@partnership_scoped(Action.MANAGE)
@require_http_methods(["GET", "POST"])
def partnership_edit(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Settings: re-describe the partnership (a stale save is refused with who changed it); renaming,
    closing and leaving are linked from here (renaming and closing are proposals)."""
    partnership = access.partnership
    initial = {"description": partnership.description, "version": partnership.version}
    form = DescriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                access=access,
                description=form.cleaned_data["description"],
                expected_version=form.cleaned_data["version"] or 0,
                user=request.user,
            )
        except StaleEditError as exc:
            form.add_error(None, _stale_message("partnership", exc))
        else:
            messages.success(request, "Saved.")
            return _detail(access)
    return render(
        request, "partnerships/edit.html", {"access": access, "partnership": partnership, "form": form}
    )


@partnership_scoped(Action.MANAGE)
@require_POST
def facilitator_remove(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, facilitator_id: int
) -> HttpResponseBase:
    """End a facilitator's place."""
    facilitator = selectors.facilitator_get(access=access, facilitator_id=facilitator_id)
    try:
        services.facilitator_remove(access=access, facilitator=facilitator, user=request.user)
        messages.success(request, "The facilitator is removed.")
    except services.PartnershipError as exc:
        messages.error(request, str(exc))
    return _detail(access)


# --- initiatives ----------------------------------------------------------------------------------


@partnership_scoped(Action.VIEW)
def initiative_list(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
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


@partnership_scoped(Action.EDIT)
@require_POST
def initiative_new(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
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


@partnership_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def initiative_edit(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, initiative_id: int
) -> HttpResponseBase:
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
        except StaleEditError as exc:
            form.add_error(None, _stale_message("initiative", exc))
        else:
            messages.success(request, "Saved.")
            return redirect("partnerships:initiatives", pk=access.partnership.pk)
    return render(
        request,
        "partnerships/initiative_edit.html",
        {"access": access, "partnership": access.partnership, "initiative": initiative, "form": form},
    )


@partnership_scoped(Action.EDIT)
@require_POST
def initiative_delete(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, initiative_id: int
) -> HttpResponseBase:
    """Withdraw an initiative (restorable from the history)."""
    initiative = selectors.initiative_get(access=access, initiative_id=initiative_id)
    services.initiative_delete(access=access, initiative=initiative, user=request.user)
    messages.success(request, f"“{initiative.name}” is withdrawn.")
    return redirect("partnerships:initiatives", pk=access.partnership.pk)


@partnership_scoped(Action.EDIT)
@require_POST
def initiative_score(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, initiative_id: int
) -> HttpResponseBase:
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


@partnership_scoped(Action.VIEW)
def history(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Every recorded change to the shared material: who, when, what."""
    versions = list(selectors.history_versions(access=access)[:200])
    return render(
        request,
        "partnerships/history.html",
        {"access": access, "partnership": access.partnership, "versions": versions},
    )


@partnership_scoped(Action.MANAGE)
@require_POST
def history_restore(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, version_id: int
) -> HttpResponseBase:
    """Make an earlier version of the shared material current again (recorded as a new change)."""
    version = selectors.history_version_get(access=access, version_id=version_id)
    services.history_restore(access=access, version=version, user=request.user)
    messages.success(request, "The earlier version is restored; the change is in the history.")
    return redirect("partnerships:history", pk=access.partnership.pk)
