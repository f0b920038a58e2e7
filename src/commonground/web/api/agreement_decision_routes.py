"""/api/v1/partnerships/{id}/agreement/decisions: the proposals put to the partners and their votes, as
the decisions tab and a decision's page show and take them, through the agreements app's forms
(``decision_forms``), selectors (``decision_selectors``) and services (``decision_services``).

Anyone who sees the agreement reads them. A proposal is put by a partner's members for their partner, or
by a facilitator with any partner; a vote is cast by a partner's representatives (its admins and owners)
for that partner only, never by a facilitator. Voting again replaces the partner's position (its last
vote counts); a vote on a decision that closed or whose outcome is recorded is 409, as the page refuses
it. Neither changes the agreement's version or its sign-off."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Status

from commonground.web.access import Action, refuse
from commonground.web.agreements import decision_selectors, decision_services, record_selectors, selectors
from commonground.web.agreements.decision_forms import ProposalForm, VoteForm
from commonground.web.agreements.decision_selectors import DecisionRow
from commonground.web.agreements.models import Agreement
from commonground.web.agreements.record_services import RecordError
from commonground.web.api.agreement_record_routes import record_refused
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError, problems_from_form, valid_form
from commonground.web.api.locking import view_etag
from commonground.web.api.record_schemas import (
    DecisionDetailOut,
    DecisionIn,
    DecisionList,
    DecisionOut,
    FormatId,
    VoteIn,
)
from commonground.web.api.schemas import DEFAULT_LIMIT, Id, Limit, Offset, errors
from commonground.web.api.scopes import partnership_scope
from commonground.web.partnerships.selectors import PartnershipAccess

router = Router(tags=["agreement decisions"])


def _decision(row: DecisionRow) -> DecisionOut:
    terms, result = row.terms, row.result
    return DecisionOut(
        id=terms.id, title=terms.title, proposal=terms.proposal, proposed_by=terms.proposed_by,
        proposer=row.proposed_by, opened=terms.opened, closes=terms.closes, rule=result.rule,
        rule_is_own=result.rule_is_own, votes=list(terms.votes), status=result.outcome,
        voting_open=decision_selectors.is_voting_open(row.row), outcome=terms.outcome,
        review_date=terms.review_date,
    )  # fmt: skip


def _detail(access: PartnershipAccess, agreement: Agreement, slug: str) -> DecisionDetailOut:
    """One decision as its page shows it to this user; 404 when the agreement has no such decision."""
    page = decision_selectors.decision_page(access=access, agreement=agreement, slug=slug)
    if page is None:
        raise Http404
    shown = _decision(page.decision).model_dump()
    return DecisionDetailOut(**shown, can_vote_for=[vote.partner.id for vote in page.votes if vote.may_vote])


@router.get(
    "/{partnership_id}/agreement/decisions",
    response={200: DecisionList, **errors()},
    summary="The agreement's decisions: open proposals, then the decision log",
)
def decision_list(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> DecisionList:  # fmt: skip
    """Open proposals first, then the decided ones, as the decisions tab lists them (paged), each with
    its votes and where it stands under its rule today."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    agreement = selectors.agreement_get(access=access)
    page = decision_selectors.decisions_page(access=access, agreement=agreement)
    rows = [*page.open, *page.log]
    items = [_decision(row) for row in rows[offset : offset + limit]]
    out = DecisionList(items=items, count=len(rows), limit=limit, offset=offset)
    response["ETag"] = view_etag("decisions", agreement.pk, out)
    return out


@router.get(
    "/{partnership_id}/agreement/decisions/{decision_id}",
    response={200: DecisionDetailOut, **errors()},
    summary="One decision and its votes",
)
def decision_get(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, decision_id: FormatId
) -> DecisionDetailOut:
    """One decision as its page shows it, with the partners you may vote for now (``can_vote_for``);
    404 for an id the agreement does not have."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    agreement = selectors.agreement_get(access=access)
    out = _detail(access, agreement, decision_id)
    response["ETag"] = view_etag("decision", agreement.pk, out)
    return out


def _proposal_form(payload: DecisionIn, page: decision_selectors.DecisionsPage) -> ProposalForm:
    """The decisions tab's form bound to the body; 422 naming each bad field (a weight as
    ``weights.<partner id>``)."""
    partners = page.document.who.partners
    unknown = sorted(set(payload.weights or {}) - {p.id for p in partners})
    if unknown:
        raise ApiError(
            422, "The proposal is not valid; nothing was saved.",
            problems=[(f"body.payload.weights.{key}", "Not a partner of the agreement.") for key in unknown],
        )  # fmt: skip
    data = payload.model_dump(mode="json", exclude={"weights"}, exclude_none=True)
    data |= {f"weight_{key}": value for key, value in (payload.weights or {}).items()}
    form = ProposalForm(data, partners=partners, proposers=page.proposers)
    if not form.is_valid():
        problems = [
            (path.replace("body.payload.weight_", "body.payload.weights.", 1), message)
            for path, message in problems_from_form(form, prefix="body.payload")
        ]
        raise ApiError(422, "The proposal is not valid; nothing was saved.", problems=problems)
    return form


@router.post(
    "/{partnership_id}/agreement/decisions",
    response={201: DecisionDetailOut, **errors(400, 403, 409)},
    summary="Put a proposal to the partners",
)
def decision_propose(
    request: HttpRequest, partnership_id: Id, payload: DecisionIn
) -> Status[DecisionDetailOut]:
    """Open a decision for one partner (``partner``: its id), as the decisions tab's form does: a
    partner's members for their own partner (403 for another's), a facilitator with any partner; the
    partners are told by email. Each bad field is 422 with its path (a title already in the log, a
    closing date past or more than a year away, a rule that does not fit); 409 when the log is full."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW, writes=True)
    if not (access.facilitator or access.can(Action.EDIT)):
        raise refuse(request, access, Action.EDIT)
    agreement = selectors.agreement_get(access=access)
    page = decision_selectors.decisions_page(access=access, agreement=agreement)
    partner_ids = page.document.partner_ids()
    if payload.partner in partner_ids and payload.partner not in {p.id for p in page.proposers}:
        name = page.document.partner_name(payload.partner)
        raise ApiError(403, f"Only the members of {name} propose for it.")
    form = _proposal_form(payload, page)
    try:
        decision = decision_services.decision_propose(
            access=access, agreement=agreement, partner_id=form.cleaned_data["partner"],
            title=form.cleaned_data["title"], proposal=form.cleaned_data["proposal"],
            closes=form.cleaned_data["closes"], rule=form.cleaned_data["rule"],
            user=request_token(request).user,
        )  # fmt: skip
    except RecordError as exc:
        raise record_refused(exc, what="proposal") from None
    return Status(201, _detail(access, agreement, decision.slug))


@router.post(
    "/{partnership_id}/agreement/decisions/{decision_id}/votes",
    response={200: DecisionDetailOut, **errors(400, 403, 409)},
    summary="Cast or change a partner's vote on a decision",
)
def vote_cast(
    request: HttpRequest, partnership_id: Id, decision_id: FormatId, payload: VoteIn
) -> DecisionDetailOut:
    """Give one partner's position (``partner``: its id), as the decision page's form does: its
    representatives only (its admins and owners; 403 for anyone else, a facilitator included). Voting
    again replaces the partner's position. A position the rule does not offer, or an objection or block
    without its reason, is 422 naming the field; a decision that closed or whose outcome is recorded is
    409. Answers the decision as it now stands."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.MANAGE)
    agreement = selectors.agreement_get(access=access)
    row = decision_selectors.decision_row(agreement=agreement, slug=decision_id)
    if row is None:
        raise Http404
    terms = record_selectors.agreement_terms(agreement)
    if payload.partner not in terms.partner_ids():
        raise ApiError(
            422, "The vote is not valid; nothing was saved.",
            problems=[("body.payload.partner", "Name one of the agreement's partners by its id.")],
        )  # fmt: skip
    if not decision_services.may_vote_for(access, agreement, payload.partner):
        name = terms.partner_name(payload.partner)
        raise ApiError(403, f"Only the representatives of {name} (its admins and owners) vote for it.")
    form = valid_form(
        VoteForm(payload.model_dump(mode="json"), positions=decision_selectors.vote_choices(agreement, row)),
        what="vote",
    )
    try:
        decision_services.vote_cast(
            access=access, agreement=agreement, decision=row, partner_id=form.cleaned_data["partner"],
            position=form.cleaned_data["position"], reason=form.cleaned_data["reason"],
            user=request_token(request).user,
        )  # fmt: skip
    except RecordError as exc:
        raise record_refused(exc, what="vote") from None
    return _detail(access, agreement, decision_id)
