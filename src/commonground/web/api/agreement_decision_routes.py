"""/api/v1/partnerships/{id}/agreement/decisions: the proposals put to the partners, their votes and
objections, and their outcomes, as the decisions tab and a decision's page show and take them, through
the agreements app's forms (``decision_forms``), selectors (``decision_selectors``) and services
(``decision_services``).

Anyone who sees the agreement reads them (a partner's objection or block is its vote: its position,
reason and ``resolved``). A proposal is put by a partner's members for their partner, or by a facilitator
with any partner; a vote is cast, and an objection or block resolved or withdrawn, by a partner's
representatives (its admins and owners) for that partner only, never by a facilitator; the outcome is
recorded by the partners' members once the rule has decided. Voting again replaces the partner's position
(its last vote counts); a vote or a resolution on a decision that closed or whose outcome is recorded is
409, as is a resolution with no open objection, an outcome while the rule has not decided or a second
outcome: the page refuses each above its form. None changes the agreement's version or its sign-off, and
none takes If-Match: a decision has no edit version, and each refuses under the decision's row lock what
its state no longer allows."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Status

from commonground.web.access import Action, refuse
from commonground.web.agreements import decision_selectors, decision_services, record_selectors, selectors
from commonground.web.agreements.decision_forms import OutcomeForm, ProposalForm, ResolveForm, VoteForm
from commonground.web.agreements.decision_selectors import DecisionRow
from commonground.web.agreements.models import Agreement, Decision
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
    OutcomeIn,
    ResolveIn,
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
    return DecisionDetailOut(
        **shown, can_vote_for=[vote.partner.id for vote in page.votes if vote.may_vote],
        can_resolve_for=[vote.partner.id for vote in page.votes if vote.may_resolve],
        can_record_outcome=page.may_record_outcome,
    )  # fmt: skip


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
    """One decision as its page shows it, with what you may do on it now: the partners you may vote for
    (``can_vote_for``), those whose open objection you may resolve (``can_resolve_for``), and whether you
    may record its outcome (``can_record_outcome``); 404 for an id the agreement does not have."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    agreement = selectors.agreement_get(access=access)
    out = _detail(access, agreement, decision_id)
    response["ETag"] = view_etag("decision", agreement.pk, out)
    return out


def _decision_row(access: PartnershipAccess, decision_id: str) -> tuple[Agreement, Decision]:
    """The agreement and one of its stored decisions, as the page's writes find it: 404 for any other id
    (one the agreement's own text holds is read only)."""
    agreement = selectors.agreement_get(access=access)
    row = decision_selectors.decision_row(agreement=agreement, slug=decision_id)
    if row is None:
        raise Http404
    return agreement, row


def _represented(
    access: PartnershipAccess, decision_id: str, partner: str, *, what: str, act: str
) -> tuple[Agreement, Decision]:
    """The agreement and the decision a representative acts on for ``partner``: 404 for an unknown
    decision, 422 for a partner the agreement lacks, 403 when the user does not represent it."""
    agreement, row = _decision_row(access, decision_id)
    terms = record_selectors.agreement_terms(agreement)
    if partner not in terms.partner_ids():
        raise ApiError(
            422, f"The {what} is not valid; nothing was saved.",
            problems=[("body.payload.partner", "Name one of the agreement's partners by its id.")],
        )  # fmt: skip
    if not decision_services.may_vote_for(access, agreement, partner):
        name = terms.partner_name(partner)
        raise ApiError(403, f"Only the representatives of {name} (its admins and owners) {act}.")
    return agreement, row


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
    agreement, row = _represented(access, decision_id, payload.partner, what="vote", act="vote for it")
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


@router.post(
    "/{partnership_id}/agreement/decisions/{decision_id}/resolve",
    response={200: DecisionDetailOut, **errors(400, 403, 409)},
    summary="Mark a partner's objection or block resolved or withdrawn",
)
def objection_resolve(
    request: HttpRequest, partnership_id: Id, decision_id: FormatId, payload: ResolveIn
) -> DecisionDetailOut:
    """Mark one partner's open objection or block (``partner``: its id) resolved, the proposal having
    been amended, or withdrawn, as the decision page's button does: its representatives only (its admins
    and owners; 403 for anyone else, a facilitator included). A partner the agreement lacks is 422; 409
    when the partner has no open objection (none given, or resolved already) or the decision closed or
    its outcome is recorded. Answers the decision as it now stands: the vote shows ``resolved``."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.MANAGE)
    agreement, row = _represented(
        access, decision_id, payload.partner, what="resolution", act="resolve its objections"
    )
    form = valid_form(ResolveForm(payload.model_dump(mode="json")), what="resolution")
    try:
        decision_services.objection_resolve(
            access=access, agreement=agreement, decision=row, partner_id=form.cleaned_data["partner"],
            user=request_token(request).user,
        )  # fmt: skip
    except RecordError as exc:
        raise record_refused(exc, what="resolution") from None
    return _detail(access, agreement, decision_id)


@router.post(
    "/{partnership_id}/agreement/decisions/{decision_id}/outcome",
    response={200: DecisionDetailOut, **errors(400, 403, 409)},
    summary="Record a decided proposal's outcome statement",
)
def decision_outcome_record(
    request: HttpRequest, partnership_id: Id, decision_id: FormatId, payload: OutcomeIn
) -> DecisionDetailOut:
    """Write the outcome statement (``outcome``) and, optionally, when to review it (``review_date``,
    after today) once the rule has decided, as the decision page's form does: the partners' members who
    may edit (403 for a viewer and a facilitator). An empty statement or a review date not in the future
    is 422 naming the field; 409 while the rule has not decided, or once an outcome is recorded (voting
    ends with it). Answers the decision as it now stands, in the log."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    agreement, row = _decision_row(access, decision_id)
    form = valid_form(OutcomeForm(payload.model_dump(mode="json")), what="outcome")
    try:
        decision_services.decision_outcome_record(
            access=access, agreement=agreement, decision=row, outcome=form.cleaned_data["outcome"],
            review_date=form.cleaned_data["review_date"], user=request_token(request).user,
        )  # fmt: skip
    except RecordError as exc:
        raise record_refused(exc, what="outcome") from None
    return _detail(access, agreement, decision_id)
