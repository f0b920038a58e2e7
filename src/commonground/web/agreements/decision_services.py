"""Writes of the agreement's decisions: propose, vote or object, resolve an objection, record the outcome.

Decisions are records beside the signed terms (``in_force.py``): none of these writes changes the
agreement's version or its sign-off. Who may do what:

- propose: a partner's members, for their partner; a facilitator, for the partner it raises the
  proposal with (recorded as raised by the facilitator);
- vote, object, resolve or withdraw an objection: a partner's representatives, that is the admins and
  owners of its organisation (those who also sign for it), never a facilitator;
- record the outcome statement and review date once the rule has decided: a partner's members.

Votes: one row per partner and decision (a unique constraint), so no partner's vote is ever counted
twice. Voting again replaces the partner's position; concurrent votes queue on the decision's row lock,
so the last one to commit is the one that counts, and every one of them is in the history.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from commonground.core.agreement.decisions import Outcome, decide
from commonground.core.agreement.how import Decision as DecisionTerms
from commonground.core.agreement.how import DecisionRule, Position, RuleKind
from commonground.core.agreement.models import Agreement as AgreementDocument
from commonground.web.access import Action
from commonground.web.accounts.typing import User
from commonground.web.agreements import emails
from commonground.web.agreements.models import Agreement, Decision, Vote
from commonground.web.agreements.record_services import RecordError, may_act_for, record_write, terms_locked
from commonground.web.agreements.selectors import decision_json
from commonground.web.partnerships.selectors import PartnershipAccess

MAX_DECISIONS = 2000  # the agreement format's limit on the decision log
LONGEST_VOTE_DAYS = 366  # a proposal closes within a year of being opened

# The positions each rule offers: a block means something only under consensus, an objection only
# under consent (the core counts either as a no under a voting rule).
POSITIONS: dict[RuleKind, tuple[Position, ...]] = {
    RuleKind.CONSENSUS: (Position.YES, Position.NO, Position.ABSTAIN, Position.BLOCK),
    RuleKind.CONSENT: (Position.YES, Position.ABSTAIN, Position.OBJECT),
}
VOTING = (Position.YES, Position.NO, Position.ABSTAIN)


def positions_for(rule: DecisionRule) -> tuple[Position, ...]:
    """The positions a partner may take under ``rule``."""
    return POSITIONS.get(rule.kind, VOTING)


def decision_rule(terms: AgreementDocument, decision: Decision) -> DecisionRule:
    """The rule a decision is taken under: its own, else the partnership's."""
    return DecisionRule.model_validate(decision.rule) if decision.rule else terms.how.decisions.rule


def _slug(title: str, taken: set[str]) -> str:
    """The decision's id: its title as a slug, or ``decision-<n>`` when the title has no Latin letters."""
    base = slugify(title)[:64].strip("-")
    if base:
        if base in taken:
            raise RecordError(
                "A decision with this title is in the log already; give this one a title of its own.",
                field="title",
            )
        return base
    n = len(taken) + 1
    while f"decision-{n}" in taken:
        n += 1
    return f"decision-{n}"


def decision_propose(
    *, access: PartnershipAccess, agreement: Agreement, partner_id: str, title: str, proposal: str,
    closes: datetime.date, rule: dict[str, Any] | None, user: User,
) -> Decision:  # fmt: skip
    """Put a proposal to the partners, for ``partner_id`` (see the module's docstring for who may)."""
    today = timezone.localdate()
    if closes < today:
        raise RecordError("The closing date has passed; choose today or a later day.", field="closes")
    if closes > today + datetime.timedelta(days=LONGEST_VOTE_DAYS):
        raise RecordError("Choose a closing date within a year.", field="closes")
    with transaction.atomic():
        terms = terms_locked(agreement)  # the agreement's row lock: proposals of one agreement queue here
        if partner_id not in terms.partner_ids():
            raise RecordError("Choose one of the partners.", field="partner")
        if not access.facilitator and not may_act_for(access, agreement, [partner_id]):
            raise RecordError(f"Only the members of {terms.partner_name(partner_id)} propose for it.",
                              field="partner")  # fmt: skip
        if rule is not None:
            rule = DecisionRule.model_validate(rule).model_dump(mode="json", exclude_none=True)
        taken = set(Decision.objects.filter(agreement=agreement).values_list("slug", flat=True))
        taken |= {d.id for d in terms.how.decisions.log}
        taken.add("propose")  # the proposing page's address
        if len(taken) >= MAX_DECISIONS:
            raise RecordError(f"The decision log holds {MAX_DECISIONS} decisions, the most it keeps.")
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    agreement=agreement, slug=_slug(title, taken), title=title.strip(),
                    proposal=proposal.strip(),
                    proposed_by=partner_id, proposer=user, proposer_name=user.get_username(),
                    by_facilitator=access.facilitator, opened=today, closes=closes, rule=rule,
                )  # fmt: skip
        except IntegrityError:
            raise RecordError("Someone proposed a decision with this title just now; give this one its own.",
                              field="title") from None  # fmt: skip
        record_write(access, user=user, comment=f"Proposed “{decision.title}”", row=decision)
        emails.decision_opened(agreement, terms, decision)
    return decision


def _locked_open(agreement: Agreement, decision: Decision) -> Decision:
    """The decision under its row lock, refused when it is closed or its outcome is recorded."""
    locked = Decision.objects.select_for_update().filter(pk=decision.pk, agreement=agreement).first()
    if locked is None:
        raise RecordError("This decision no longer exists.")
    if locked.decided_at is not None:
        raise RecordError("The outcome of this decision is recorded: voting has ended.")
    if locked.closes is not None and locked.closes < timezone.localdate():
        raise RecordError(f"This decision closed on {locked.closes.isoformat()}: voting has ended.")
    return locked


def may_vote_for(access: PartnershipAccess, agreement: Agreement, partner: str) -> bool:
    """Whether the user represents ``partner`` (an admin or owner of its organisation, never a
    facilitator), so votes for it."""
    organisation_id = agreement.partner_organisations.get(partner)
    return (
        organisation_id is not None
        and not access.facilitator
        and access.can_in(int(organisation_id), Action.MANAGE)
    )


def _representative(
    access: PartnershipAccess, agreement: Agreement, terms: AgreementDocument, partner: str
) -> int:
    """The partner's organisation id, when the user may vote for it; else ``RecordError``."""
    if not may_vote_for(access, agreement, partner):
        raise RecordError(
            f"Only the representatives of {terms.partner_name(partner)} (its admins and owners) vote for it."
        )
    return int(agreement.partner_organisations[partner])


def vote_cast(
    *, access: PartnershipAccess, agreement: Agreement, decision: Decision, partner_id: str, position: str,
    reason: str, user: User,
) -> Vote:  # fmt: skip
    """Give (or change) one partner's position on an open decision; a block or an objection needs its
    reason. The partner's one vote row is replaced: its last vote counts."""
    terms = AgreementDocument.model_validate(agreement.document)
    organisation_id = _representative(access, agreement, terms, partner_id)
    rule = decision_rule(terms, decision)
    allowed = positions_for(rule)
    if position not in {p.value for p in allowed}:
        raise RecordError("Choose one of: " + ", ".join(p.value for p in allowed) + ".", field="position")
    if position in (Position.BLOCK, Position.OBJECT) and not reason.strip():
        raise RecordError(
            "Say why: an objection or a block gives its reason, tied to what the partnership is for.",
            field="reason",
        )
    with transaction.atomic():
        locked = _locked_open(agreement, decision)
        vote, _ = Vote.objects.update_or_create(
            decision=locked, partner_id=partner_id,
            defaults={"organisation_id": organisation_id, "position": position, "reason": reason.strip(),
                      "resolved": False, "user": user, "voter_name": user.get_username(),
                      "cast_at": timezone.now()},
        )  # fmt: skip
        name = terms.partner_name(partner_id)
        record_write(access, user=user, comment=f"{name} voted {position} on “{locked.title}”", row=vote)
        emails.decision_closed(agreement, terms, locked)  # when this vote lets the rule decide
    return vote


def objection_resolve(
    *, access: PartnershipAccess, agreement: Agreement, decision: Decision, partner_id: str, user: User
) -> Vote:
    """Mark one partner's objection or block resolved (the proposal was amended) or withdrawn; its
    representatives only."""
    terms = AgreementDocument.model_validate(agreement.document)
    _representative(access, agreement, terms, partner_id)
    with transaction.atomic():
        locked = _locked_open(agreement, decision)
        vote = Vote.objects.select_for_update().filter(decision=locked, partner_id=partner_id).first()
        if vote is None or vote.position not in (Position.OBJECT, Position.BLOCK) or vote.resolved:
            raise RecordError(f"{terms.partner_name(partner_id)} has no open objection to this decision.")
        Vote.objects.filter(pk=vote.pk).update(resolved=True)
        vote.refresh_from_db()
        name = terms.partner_name(partner_id)
        record_write(
            access, user=user, comment=f"{name}'s objection to “{locked.title}” is resolved", row=vote
        )
        emails.decision_closed(agreement, terms, locked)
    return vote


def decision_outcome_record(
    *, access: PartnershipAccess, agreement: Agreement, decision: Decision, outcome: str,
    review_date: datetime.date | None, user: User,
) -> Decision:  # fmt: skip
    """Write the outcome statement (and when to review it) once the rule has decided; partners' members."""
    if access.facilitator or not access.can(Action.EDIT):
        raise RecordError("Only the partners' members record an outcome.")
    if not outcome.strip():
        raise RecordError("Write the outcome statement.", field="outcome")
    if review_date is not None and review_date <= timezone.localdate():
        raise RecordError("A review date lies in the future.", field="review_date")
    with transaction.atomic():
        terms = terms_locked(agreement)
        locked = Decision.objects.select_for_update().filter(pk=decision.pk, agreement=agreement).first()
        if locked is None:
            raise RecordError("This decision no longer exists.")
        if locked.decided_at is not None:
            raise RecordError(f"{locked.decided_by_name} recorded the outcome already; it is below.")
        result = decide(
            DecisionTerms.model_validate(decision_json(locked)), index=0, partners=terms.partner_ids(),
            default_rule=terms.how.decisions.rule, today=timezone.localdate(),
        )  # fmt: skip
        if result.outcome is Outcome.PENDING:
            raise RecordError("The decision is still open: record its outcome once the rule has decided.")
        Decision.objects.filter(pk=locked.pk).update(
            outcome=outcome.strip(), review_date=review_date, decided_at=timezone.now(),
            decided_by_name=user.get_username(),
        )  # fmt: skip
        locked.refresh_from_db()
        record_write(access, user=user, comment=f"Recorded the outcome of “{locked.title}”", row=locked)
        emails.decision_decided(agreement, terms, locked)
    return locked
