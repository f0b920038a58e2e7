"""Thin views of the decisions: the list and proposing, one decision, voting, resolving an objection and
recording the outcome. Each authorises through the access layer, binds a form, calls a service, renders."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from commonground.web.access import Action, partnership_scoped, refuse
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.agreements import decision_selectors, decision_services, selectors
from commonground.web.agreements.decision_forms import OutcomeForm, ProposalForm, ResolveForm, VoteForm
from commonground.web.agreements.models import Agreement, Decision
from commonground.web.agreements.record_services import RecordError
from commonground.web.agreements.tracking_views import add_record_error, context
from commonground.web.partnerships.selectors import PartnershipAccess


def _list_response(
    request: AuthenticatedHttpRequest,
    access: PartnershipAccess,
    agreement: Agreement,
    form: ProposalForm | None,
) -> HttpResponse:
    page = decision_selectors.decisions_page(access=access, agreement=agreement)
    if form is None:
        form = ProposalForm(partners=page.document.who.partners, proposers=page.proposers)
    return render(request, "agreements/decisions.html", context(access, agreement, page=page, form=form))


@partnership_scoped(Action.VIEW)
@require_GET
def decisions(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Open proposals, the decision log, the rule and each partner's voting power; the form to propose."""
    agreement = selectors.agreement_get(access=access)
    return _list_response(request, access, agreement, None)


@partnership_scoped(Action.VIEW)
@require_POST
def propose(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Put a proposal to the partners: a partner's members for it, a facilitator with a partner."""
    if not (access.facilitator or access.can(Action.EDIT)):
        raise refuse(request, access, Action.EDIT)
    agreement = selectors.agreement_get(access=access)
    page = decision_selectors.decisions_page(access=access, agreement=agreement)
    form = ProposalForm(request.POST, partners=page.document.who.partners, proposers=page.proposers)
    if form.is_valid():
        try:
            decision = decision_services.decision_propose(
                access=access, agreement=agreement, partner_id=form.cleaned_data["partner"],
                title=form.cleaned_data["title"], proposal=form.cleaned_data["proposal"],
                closes=form.cleaned_data["closes"], rule=form.cleaned_data["rule"], user=request.user,
            )  # fmt: skip
        except RecordError as exc:
            add_record_error(form, exc)
        else:
            messages.success(request, f"“{decision.title}” is put to the partners.")
            return redirect("agreements:decision", pk=access.partnership.pk, decision_id=decision.slug)
    return _list_response(request, access, agreement, form)


def _decision_row(access: PartnershipAccess, decision_id: str) -> tuple[Agreement, Decision]:
    """The partnership's agreement and one of its decisions by id; 404 when either is missing."""
    agreement = selectors.agreement_get(access=access)
    row = agreement.decisions.filter(slug=decision_id).first()
    if row is None:
        raise Http404
    return agreement, row


def _decision_response(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, agreement: Agreement, slug: str,
    bound: forms.Form | None = None,
) -> HttpResponse:  # fmt: skip
    page = decision_selectors.decision_page(access=access, agreement=agreement, slug=slug)
    if page is None:
        raise Http404
    outcome_form = bound if isinstance(bound, OutcomeForm) else OutcomeForm()
    page_context = context(access, agreement, page=page, bound=bound, outcome_form=outcome_form)
    return render(request, "agreements/decision.html", page_context)


@partnership_scoped(Action.VIEW)
@require_GET
def decision(request: AuthenticatedHttpRequest, access: PartnershipAccess, decision_id: str) -> HttpResponse:
    """One decision: the proposal, each partner's position, the outcome under its rule, voting power."""
    agreement = selectors.agreement_get(access=access)
    return _decision_response(request, access, agreement, decision_id)


@partnership_scoped(Action.MANAGE)
@require_POST
def vote(request: AuthenticatedHttpRequest, access: PartnershipAccess, decision_id: str) -> HttpResponseBase:
    """A partner's representative gives (or changes) its position; the partner's last vote counts."""
    agreement, row = _decision_row(access, decision_id)
    form = VoteForm(request.POST, positions=decision_selectors.vote_choices(agreement, row))
    if form.is_valid():
        try:
            decision_services.vote_cast(
                access=access, agreement=agreement, decision=row, partner_id=form.cleaned_data["partner"],
                position=form.cleaned_data["position"], reason=form.cleaned_data["reason"], user=request.user,
            )  # fmt: skip
        except RecordError as exc:
            add_record_error(form, exc)
        else:
            messages.success(request, "Your partner's position is recorded.")
            return redirect("agreements:decision", pk=access.partnership.pk, decision_id=decision_id)
    return _decision_response(request, access, agreement, decision_id, form)


@partnership_scoped(Action.MANAGE)
@require_POST
def objection_resolve(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, decision_id: str
) -> HttpResponseBase:
    """A partner's representative marks its objection resolved (the proposal was amended) or withdrawn."""
    agreement, row = _decision_row(access, decision_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            decision_services.objection_resolve(
                access=access, agreement=agreement, decision=row, partner_id=form.cleaned_data["partner"],
                user=request.user,
            )  # fmt: skip
        except RecordError as exc:
            add_record_error(form, exc)
        else:
            messages.success(request, "The objection is marked resolved.")
            return redirect("agreements:decision", pk=access.partnership.pk, decision_id=decision_id)
    else:
        form.add_error(None, "Choose the partner whose objection is resolved, on the decision's page.")
    return _decision_response(request, access, agreement, decision_id, form)


@partnership_scoped(Action.EDIT)
@require_POST
def outcome(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, decision_id: str
) -> HttpResponseBase:
    """Write the outcome statement and review date once the rule has decided (partners' members)."""
    agreement, row = _decision_row(access, decision_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            decision_services.decision_outcome_record(
                access=access, agreement=agreement, decision=row, outcome=form.cleaned_data["outcome"],
                review_date=form.cleaned_data["review_date"], user=request.user,
            )  # fmt: skip
        except RecordError as exc:
            add_record_error(form, exc)
        else:
            messages.success(request, "The outcome is in the decision log.")
            return redirect("agreements:decision", pk=access.partnership.pk, decision_id=decision_id)
    return _decision_response(request, access, agreement, decision_id, form)
