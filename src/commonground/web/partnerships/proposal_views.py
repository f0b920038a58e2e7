"""Thin views for what partners decide together and for partners that went: proposing to remove a
partner, rename or close the partnership; answering and withdrawing proposals; leaving; and a former
partner's read-only record of the partnership."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commonground.web.access import Action, partnership_scoped, scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.assessments.presentation import snapshot_body
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships import proposal_selectors as selectors
from commonground.web.partnerships import services
from commonground.web.partnerships.models import (
    MemberState,
    PartnershipMember,
    Proposal,
    ProposalKind,
    ProposalState,
)
from commonground.web.partnerships.proposal_forms import (
    LeaveForm,
    ProposalAnswerForm,
    ProposalForm,
    RenameProposalForm,
)
from commonground.web.partnerships.proposal_selectors import (
    FormerPartnerAccess,
    ProposalAccess,
    proposal_access,
    record_access,
)
from commonground.web.partnerships.selectors import PartnershipAccess, member_get

TEMPLATES = "partnerships/proposals/"


def _base_url(request: HttpRequest) -> str:
    """This site's address as the request names it (a checked host), for links in emails."""
    return request.build_absolute_uri("/").rstrip("/")


def _managed(access: PartnershipAccess, *, excluding: int | None = None) -> list[Organisation]:
    """The user's active partner organisations they administer (optionally without one)."""
    ids = [
        org_id
        for org_id in access.organisation_ids
        if access.can_in(org_id, Action.MANAGE) and org_id != excluding
    ]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


def _to_proposal(proposal: Proposal) -> HttpResponseBase:
    return redirect("partnerships:proposal", pk=proposal.partnership_id, proposal_id=proposal.pk)


def _propose(
    request: AuthenticatedHttpRequest,
    access: PartnershipAccess,
    *,
    kind: ProposalKind,
    subject: PartnershipMember | None = None,
    refusal: str = "",
) -> HttpResponseBase:
    """The proposal form of ``kind``; on a valid POST, the proposal (or the page again with why not)."""
    organisations = _managed(access, excluding=subject.organisation_id if subject else None)
    form_class = RenameProposalForm if kind == ProposalKind.RENAME else ProposalForm
    form = form_class(request.POST or None, organisations=organisations)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            proposal = services.proposal_create(
                access=access,
                kind=kind,
                organisation_id=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
                subject=subject,
                new_name=form.cleaned_data.get("new_name", ""),
                user=request.user,
                base_url=_base_url(request),
            )
        except services.PartnershipError as exc:
            form.add_error(None, str(exc))
        else:
            if proposal.state == ProposalState.CARRIED:
                messages.success(
                    request, f"Carried at once, with no other partner to ask: {proposal.action}."
                )
            else:
                messages.success(
                    request,
                    "Proposed. Every partner's admins are emailed; it happens only once every other partner "
                    "confirms it.",
                )
            return _to_proposal(proposal)
    context = {
        "access": access,
        "partnership": access.partnership,
        "form": form,
        "kind": kind,
        "subject": subject,
        "refusal": refusal,
        "valid_days": settings.PROPOSAL_VALID_DAYS,
    }
    return render(request, TEMPLATES + "propose.html", context)


@partnership_scoped(Action.MANAGE)
@require_http_methods(["GET", "POST"])
def propose_remove(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, member_id: int
) -> HttpResponseBase:
    """Propose to take another partner out; the other partners confirm it."""
    member = member_get(access=access, member_id=member_id)
    if member.state != MemberState.ACTIVE:
        messages.error(request, f"{member.organisation.name} is not an active partner.")
        return redirect("partnerships:detail", pk=access.partnership.pk)
    already = selectors.open_removal_of(access=access, member=member)
    if already is not None:
        messages.info(request, f"Removing {member.organisation.name} is already proposed: answer it here.")
        return _to_proposal(already)
    refusal = ""
    if member.organisation_id in access.organisation_ids:
        refusal = "This is your own organisation: to take it out, leave the partnership."
    elif len(selectors.active_partner_ids(partnership=access.partnership)) <= 2:
        refusal = (
            f"With two partners, neither can put the other out: no other partner could confirm removing "
            f"{member.organisation.name}. Your organisation can leave the partnership instead, or you can "
            "propose to close it."
        )
    return _propose(request, access, kind=ProposalKind.REMOVE, subject=member, refusal=refusal)


@partnership_scoped(Action.MANAGE)
@require_http_methods(["GET", "POST"])
def propose_rename(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Propose a new name for the partnership; the other partners confirm it."""
    return _propose(request, access, kind=ProposalKind.RENAME)


@partnership_scoped(Action.MANAGE)
@require_http_methods(["GET", "POST"])
def propose_close(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Propose to close the partnership (kept read only as a record); the other partners confirm it."""
    return _propose(request, access, kind=ProposalKind.CLOSE)


@partnership_scoped(Action.VIEW)
def proposal_list(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Every proposal of the partnership, open ones first, with who answered what."""
    proposals = selectors.proposal_list(access=access)
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "access": access,
            "partnership": access.partnership,
            "open": [proposal for proposal in proposals if proposal.is_open],
            "decided": [proposal for proposal in proposals if not proposal.is_open],
        },
    )


@scoped(Action.VIEW, resolve=proposal_access, consumes=("pk", "proposal_id"))
def proposal_detail(request: AuthenticatedHttpRequest, access: ProposalAccess) -> HttpResponse:
    """One proposal: what, why, every answer; the answer form for partners still to answer."""
    proposal = access.proposal
    partnership_access = access.partnership_access
    answerable = (
        selectors.answerable_organisations(access=partnership_access, proposal=proposal)
        if partnership_access is not None
        else []
    )
    can_withdraw = (
        partnership_access is not None
        and proposal.is_open
        and proposal.proposer_id is not None
        and partnership_access.can_in(proposal.proposer_id, Action.MANAGE)
    )
    form = (
        ProposalAnswerForm(organisations=answerable, confirmation=proposal.confirmation_text)
        if answerable
        else None
    )
    return render(
        request,
        TEMPLATES + "detail.html",
        {
            "access": partnership_access,
            "former": partnership_access is None,
            "partnership": proposal.partnership,
            "proposal": proposal,
            "answers": selectors.proposal_answers(proposal),
            "form": form,
            "can_withdraw": can_withdraw,
        },
    )


@partnership_scoped(Action.MANAGE)
@require_POST
def proposal_answer(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, proposal_id: int
) -> HttpResponseBase:
    """Confirm or decline a proposal for one of the user's organisations."""
    proposal = selectors.proposal_get(access=access, proposal_id=proposal_id)
    answerable = selectors.answerable_organisations(access=access, proposal=proposal)
    form = ProposalAnswerForm(request.POST, organisations=answerable, confirmation=proposal.confirmation_text)
    if proposal.state == ProposalState.OPEN and not proposal.is_open:
        # Past its expiry but not marked yet: mark it now (and tell everyone) rather than carry it.
        services.proposals_expire(partnership=access.partnership, base_url=_base_url(request))
        messages.error(request, "This proposal has expired: nothing changed.")
    elif not answerable:
        messages.error(request, "None of your organisations has this proposal to answer.")
    elif form.is_valid():
        confirm = form.cleaned_data["answer"] == "confirm"
        try:
            proposal = services.proposal_answer(
                access=access,
                proposal=proposal,
                organisation_id=form.cleaned_data["organisation"],
                confirm=confirm,
                typed_confirmation=form.cleaned_data["typed_confirmation"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                base_url=_base_url(request),
            )
        except services.PartnershipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _answered_message(proposal, confirm=confirm))
    else:
        messages.error(request, "Choose to confirm or decline.")
    return _to_proposal(proposal)


def _answered_message(proposal: Proposal, *, confirm: bool) -> str:
    if not confirm:
        return "Declined: the proposal is ended and nothing changes. Every partner is emailed."
    if proposal.state == ProposalState.CARRIED:
        return f"Confirmed, and carried: every other partner agreed to {proposal.action}."
    return "Confirmed. It is carried once every other partner confirms too."


@partnership_scoped(Action.MANAGE)
@require_POST
def proposal_withdraw(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, proposal_id: int
) -> HttpResponseBase:
    """The proposing organisation takes its proposal back."""
    proposal = selectors.proposal_get(access=access, proposal_id=proposal_id)
    try:
        services.proposal_withdraw(
            access=access, proposal=proposal, user=request.user, base_url=_base_url(request)
        )
    except services.PartnershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The proposal is withdrawn; every partner is emailed.")
    return _to_proposal(proposal)


@partnership_scoped(Action.MANAGE)
@require_http_methods(["GET", "POST"])
def leave(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Take one of the user's organisations out of the partnership, typing its name to confirm."""
    organisations = _managed(access)
    form = LeaveForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_leave(
                access=access,
                organisation_id=form.cleaned_data["organisation"],
                typed_confirmation=form.cleaned_data["typed_confirmation"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                base_url=_base_url(request),
            )
        except services.PartnershipError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{member.organisation.name} has left {access.partnership.name}. Every partner is emailed; "
                "its record of the partnership stays readable below.",
            )
            return redirect("partnerships:list")
    return render(
        request,
        TEMPLATES + "leave.html",
        {"access": access, "partnership": access.partnership, "form": form, "organisations": organisations},
    )


def _rejoined(request: HttpRequest, access: PartnershipAccess) -> None:
    """Say, on the page a rejoined partner's record link leads to, that its organisation is back."""
    for member in selectors.rejoined_places(access=access):
        messages.info(
            request,
            f"{member.organisation.name} rejoined {access.partnership.name} on "
            f"{member.responded_at or member.invited_at:%Y-%m-%d}: it is a partner again, so its record is "
            "the partnership itself. The proposals about it stay listed here, with every reason and answer.",
        )


@scoped(Action.VIEW, resolve=record_access, consumes=("pk",))
def record(
    request: AuthenticatedHttpRequest, access: FormerPartnerAccess | PartnershipAccess
) -> HttpResponseBase:
    """A former partner's read-only record: how it went, the proposals about it, what it contributed.
    Once its organisation has rejoined, the partnership's proposals (its removal among them)."""
    if isinstance(access, PartnershipAccess):
        _rejoined(request, access)
        return redirect("partnerships:proposals", pk=access.partnership.pk)
    return render(
        request,
        TEMPLATES + "record.html",
        {
            "access": access,
            "partnership": access.partnership,
            "records": selectors.former_records(access=access),
        },
    )


@scoped(Action.VIEW, resolve=record_access, consumes=("pk",))
def record_assessment(
    request: AuthenticatedHttpRequest, access: FormerPartnerAccess | PartnershipAccess, snapshot_id: int
) -> HttpResponseBase:
    """An assessment that read a former partner's profile, read only (once it has rejoined, the
    partnership's own page of that assessment)."""
    if isinstance(access, PartnershipAccess):
        _rejoined(request, access)
        return redirect("assessments:detail", pk=access.partnership.pk, snapshot_id=snapshot_id)
    snapshot = selectors.former_snapshot_get(access=access, snapshot_id=snapshot_id)
    return render(
        request,
        TEMPLATES + "record_assessment.html",
        {
            "access": access,
            "partnership": access.partnership,
            "snapshot": snapshot,
            "body": snapshot_body(snapshot),
        },
    )
