"""Every URL pattern against every persona, with the expected answer written out for each.

Personas (columns of ``EXPECTED``): ``anon`` (not signed in), ``outsider`` (owns an unrelated
organisation), ``viewer`` and ``member`` of Harbor, ``admin`` of Harbor, ``partner_admin`` (admin of
Meadow, Harbor's partner) and ``facilitator`` (of the partnership, no organisation).

URL kwargs come from fixture objects: ``slug`` is Harbor's, ``pk`` the Harbor × Meadow partnership,
``invite_id`` a pending invitation to that partnership emailed to the outsider's address (so the
outsider sees that invitation and nothing else of the partnership; ``partnerships:join`` opens it by its
token), ``entry_id`` a stakeholder entry that does not exist (scope is checked first), ``conflict_id`` an
issue raised by Harbor's member and acknowledged by Meadow's admin. Each (URL,
persona) runs on a fresh database; a refused request (anonymous redirect, 403, 404, 405) must leave
every table's row count unchanged.

A new URL fails ``test_every_url_has_an_expectation`` until it gets a row here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from agreement_terms import put_terms
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from reversion.models import Version
from url_walk import our_urls

from commonground.web.accounts.models import MailGroup
from commonground.web.accounts.services import unsubscribe_token
from commonground.web.agreements import services as agreement_services
from commonground.web.agreements.models import Decision
from commonground.web.api.models import TokenScope
from commonground.web.api.services import token_create
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.checkins.models import ActionItem, Checkin, CheckinState
from commonground.web.conflicts import services as conflict_services
from commonground.web.networks.models import NetworkRound, RoundState
from commonground.web.organisations.models import Invitation, Membership, Organisation
from commonground.web.partnerships.models import (
    Facilitator,
    Initiative,
    Partnership,
    PartnershipInvitation,
    PartnershipMember,
    Proposal,
    ProposalKind,
)
from commonground.web.partnerships.selectors import partnership_access_for
from commonground.web.reviews.models import GoalDecision, GoalReview

INVITATION_TOKEN = "persona-walk-invitation-token"

PERSONAS = ("anon", "outsider", "viewer", "member", "admin", "partner_admin", "facilitator")

# name: (method, answers in PERSONAS order). "login" = redirect to sign-in.
EXPECTED: dict[str, tuple[str, str]] = {
    # accounts
    "accounts:sign_up": ("GET", "200 302 302 302 302 302 302"),
    "accounts:sign_in": ("GET", "200 302 302 302 302 302 302"),
    # The second sign-in step: with no password typed first it sends back to the first.
    "accounts:sign_in_code": ("GET", "login 302 302 302 302 302 302"),
    # Two-factor sign-in on the account; new codes and turning off need the password (POSTed empty here).
    "accounts:mfa": ("GET", "login 200 200 200 200 200 200"),
    "accounts:mfa_setup": ("GET", "login 200 200 200 200 200 200"),
    "accounts:mfa_recovery_codes": ("POST", "login 302 302 302 302 302 302"),
    "accounts:mfa_disable": ("POST", "login 302 302 302 302 302 302"),
    "accounts:sign_out": ("POST", "login 302 302 302 302 302 302"),
    # "Your sessions": posted empty (no session named), so each person's answer ends nothing.
    "accounts:session_end": ("POST", "login 302 302 302 302 302 302"),
    "accounts:sessions_end_others": ("POST", "login 302 302 302 302 302 302"),
    "accounts:account": ("GET", "login 200 200 200 200 200 200"),
    "accounts:password_change": ("GET", "login 200 200 200 200 200 200"),
    "accounts:password_change_done": ("GET", "login 200 200 200 200 200 200"),
    "accounts:password_reset": ("GET", "200 200 200 200 200 200 200"),
    "accounts:password_reset_sent": ("GET", "200 200 200 200 200 200 200"),
    # A valid reset link redirects to its set-password page.
    "accounts:password_reset_confirm": ("GET", "302 302 302 302 302 302 302"),
    "accounts:password_reset_complete": ("GET", "200 200 200 200 200 200 200"),
    # Every persona is already verified, so "send the link again" only says so.
    "accounts:verification_resend": ("POST", "login 302 302 302 302 302 302"),
    # The mailed link shows a confirm button to anyone (checked on POST; the token here is not real).
    "accounts:verify_email": ("GET", "200 200 200 200 200 200 200"),
    # Email settings (a form on the account page); the one-click unsubscribe link in each agreement email
    # (a real token for the owner here) shows a button to anyone holding it and changes nothing on GET.
    "accounts:mail_preferences": ("POST", "login 302 302 302 302 302 302"),
    "accounts:unsubscribe": ("GET", "200 200 200 200 200 200 200"),
    ":invitation_accept": ("GET", "200 200 200 200 200 200 200"),
    # home: the landing page for visitors, what needs you for everyone signed in
    "home:index": ("GET", "200 200 200 200 200 200 200"),
    # organisations (Harbor's slug)
    "organisations:new": ("GET", "login 200 200 200 200 200 200"),
    "organisations:invitation_send_link": ("POST", "login 302 302 302 302 302 302"),
    "organisations:detail": ("GET", "login 404 200 200 200 404 404"),
    "organisations:delete": ("GET", "login 404 403 403 403 404 404"),
    "organisations:members": ("GET", "login 404 200 200 200 404 404"),
    "organisations:member_role": ("POST", "login 404 403 403 302 404 404"),
    "organisations:member_remove": ("POST", "login 404 403 403 302 404 404"),
    "organisations:leave": ("POST", "login 404 302 302 302 404 404"),
    # Whether owners need two-factor sign-in: owners only (none of these personas owns Harbor).
    "organisations:mfa_requirement": ("POST", "login 404 403 403 403 404 404"),
    "organisations:invitation_new": ("POST", "login 404 403 403 302 404 404"),
    "organisations:invitation_revoke": ("POST", "login 404 403 403 302 404 404"),
    "organisations:profile_edit": ("GET", "login 404 403 200 200 404 404"),
    "organisations:suggest_sdgs": ("GET", "login 404 403 200 200 404 404"),
    "organisations:profile_row": ("GET", "login 404 403 200 200 404 404"),
    "organisations:goal_sdg_suggestions": ("GET", "login 404 200 200 200 404 404"),
    "organisations:goal_sdgs_accept": ("POST", "login 404 403 302 302 404 404"),
    "organisations:profile_import": ("GET", "login 404 403 200 200 404 404"),
    "organisations:profile_export": ("GET", "login 404 200 200 200 404 404"),
    "organisations:history": ("GET", "login 404 200 200 200 404 404"),
    "organisations:restore": ("POST", "login 404 403 302 302 404 404"),
    # partnerships
    "partnerships:portfolio": ("GET", "login 404 200 200 200 404 404"),
    "partnerships:new": ("GET", "login 404 403 403 200 404 404"),
    # Find partners (no directory loaded here: the page says how to load one); members who may edit.
    "discovery:find_partners": ("GET", "login 404 403 200 200 404 404"),
    "partnerships:list": ("GET", "login 200 200 200 200 200 200"),
    # invite_id: an invitation emailed to the outsider's verified address; only that address reaches it by id.
    "partnerships:invitation": ("GET", "login 200 404 404 404 404 404"),
    # The emailed link (that invitation's real token) shows the invitation to anyone holding it; only an
    # account with the invited address can accept (tests/web/partnerships/test_invitations.py).
    "partnerships:join": ("GET", "200 200 200 200 200 200 200"),
    "partnerships:detail": ("GET", "login 404 200 200 200 200 200"),
    "partnerships:edit": ("GET", "login 404 403 403 200 200 403"),
    "partnerships:member_invite": ("POST", "login 404 403 403 302 302 403"),
    # Leaving asks for the organisation's name typed (a page), then acts on POST.
    "partnerships:leave": ("GET", "login 404 403 403 200 200 403"),
    "partnerships:facilitator_invite": ("POST", "login 404 403 403 302 302 403"),
    "partnerships:facilitator_remove": ("POST", "login 404 403 403 302 302 403"),
    "partnerships:invitation_revoke": ("POST", "login 404 403 403 302 302 403"),
    "partnerships:initiatives": ("GET", "login 404 200 200 200 200 200"),
    "partnerships:initiative_new": ("POST", "login 404 403 302 302 302 403"),
    "partnerships:initiative_edit": ("GET", "login 404 403 200 200 200 403"),
    "partnerships:initiative_delete": ("POST", "login 404 403 302 302 302 403"),
    "partnerships:initiative_score": ("POST", "login 404 403 302 302 302 403"),
    "partnerships:history": ("GET", "login 404 200 200 200 200 200"),
    "partnerships:restore": ("POST", "login 404 403 403 302 302 403"),
    # Proposals between partners (``proposal_id``: Meadow proposes a new name; Harbor is asked to answer).
    "partnerships:proposals": ("GET", "login 404 200 200 200 200 200"),
    "partnerships:proposal": ("GET", "login 404 200 200 200 200 200"),
    "partnerships:propose_rename": ("GET", "login 404 403 403 200 200 403"),
    "partnerships:propose_close": ("GET", "login 404 403 403 200 200 403"),
    # Removing Meadow: a page saying why not (two partners; Meadow's own admin is told to leave).
    "partnerships:propose_remove": ("GET", "login 404 403 403 200 200 403"),
    # An empty answer or withdrawal is refused with a message; only admins of a partner get that far.
    "partnerships:proposal_answer": ("POST", "login 404 403 403 302 302 403"),
    "partnerships:proposal_withdraw": ("POST", "login 404 403 403 302 302 403"),
    # A former partner's record: none of these personas' organisations left or was removed
    # (tests/web/partnerships/test_proposals.py walks these URLs as a removed partner).
    "partnerships:record": ("GET", "login 404 404 404 404 404 404"),
    "partnerships:record_assessment": ("GET", "login 404 404 404 404 404 404"),
    # assessments
    "assessments:list": ("GET", "login 404 200 200 200 200 200"),
    "assessments:run": ("POST", "login 404 403 302 302 302 403"),
    "assessments:compare": ("GET", "login 404 302 302 302 302 302"),
    "assessments:detail": ("GET", "login 404 200 200 200 200 200"),
    "assessments:download": ("GET", "login 404 200 200 200 200 200"),
    # stakeholders (register built on the partnership scope; entry_id does not exist)
    "stakeholders:register": ("GET", "login 404 200 200 200 200 200"),
    "stakeholders:entry_new": ("POST", "login 404 403 422 422 422 403"),
    "stakeholders:partner_row": ("GET", "login 404 200 200 200 200 200"),
    "stakeholders:partner_edit": ("GET", "login 404 403 200 200 200 403"),
    "stakeholders:entry_row": ("GET", "login 404 404 404 404 404 404"),
    "stakeholders:entry_edit": ("GET", "login 404 403 404 404 404 403"),
    "stakeholders:entry_delete": ("POST", "login 404 403 404 404 404 403"),
    "health:page": ("GET", "login 404 200 200 200 200 200"),
    "health:report": ("GET", "login 404 200 200 200 200 200"),
    "reviews:list": ("GET", "login 404 200 200 200 200 200"),
    "reviews:new": ("POST", "login 404 403 302 302 302 403"),  # one is open already: said, not run
    "reviews:stage": ("POST", "login 404 403 302 302 302 403"),
    "reviews:exit": ("POST", "login 404 403 400 400 400 403"),
    "reviews:exit_cancel": ("POST", "login 404 403 302 302 302 403"),
    "reviews:detail": ("GET", "login 404 200 200 200 200 200"),
    "reviews:decide": ("POST", "login 404 403 400 400 400 403"),
    "reviews:close": ("POST", "login 404 403 302 302 302 403"),  # undecided goals: said, not closed
    # the agreement (started by Harbor's admin; part_key "why"). Empty posts are refused with a message.
    "agreements:detail": ("GET", "login 404 200 200 200 200 200"),
    "agreements:start": ("POST", "login 404 403 302 302 302 403"),
    "agreements:part_edit": ("GET", "login 404 403 200 200 200 403"),
    "agreements:contribution": ("POST", "login 404 403 302 302 302 403"),
    # Only a partner organisation's admins and owners sign; a facilitator comments but never signs.
    "agreements:sign": ("POST", "login 404 403 403 302 302 403"),
    # A partner's member asks the partners that have not signed to sign (emails; once a day).
    "agreements:signoff_request": ("POST", "login 404 403 302 302 302 403"),
    "agreements:comment": ("POST", "login 404 403 302 302 302 302"),
    "agreements:versions": ("GET", "login 404 200 200 200 200 200"),
    "agreements:diff": ("GET", "login 404 200 200 200 200 200"),
    "agreements:download": ("GET", "login 404 200 200 200 200 200"),
    # The tabs (kpi_id "meals" reported by Harbor, commitment_id "cook" owed by Harbor to the
    # partnership, decision_id an open proposal). Records: members enter readings and deliveries, a
    # facilitator proposes but never votes; representatives (admins, owners) vote. Empty posts are
    # answered with the form and a message on each field, nothing saved.
    "agreements:roles": ("GET", "login 404 200 200 200 200 200"),
    "agreements:commitments": ("GET", "login 404 200 200 200 200 200"),
    "agreements:delivery_add": ("GET", "login 404 403 200 200 200 403"),
    "agreements:kpis": ("GET", "login 404 200 200 200 200 200"),
    "agreements:kpi": ("GET", "login 404 200 200 200 200 200"),
    "agreements:measurement_add": ("POST", "login 404 403 200 200 200 403"),
    "agreements:decisions": ("GET", "login 404 200 200 200 200 200"),
    "agreements:propose": ("POST", "login 404 403 200 200 200 200"),
    "agreements:decision": ("GET", "login 404 200 200 200 200 200"),
    "agreements:vote": ("POST", "login 404 403 403 200 200 403"),
    "agreements:objection_resolve": ("POST", "login 404 403 403 200 200 403"),
    "agreements:decision_outcome": ("POST", "login 404 403 200 200 200 403"),
    "agreements:equity": ("GET", "login 404 200 200 200 200 200"),
    # Downloads (document, tables, calendar) for everyone who sees the agreement; imports only for members
    # who may edit it. An empty confirmation is refused with a message (nothing is imported).
    "agreements:exports": ("GET", "login 404 200 200 200 200 200"),
    "agreements:document": ("GET", "login 404 200 200 200 200 200"),
    "agreements:table_download": ("GET", "login 404 200 200 200 200 200"),
    "agreements:calendar": ("GET", "login 404 200 200 200 200 200"),
    "agreements:table_import": ("GET", "login 404 403 200 200 200 403"),
    "agreements:table_import_confirm": ("POST", "login 404 403 302 302 302 403"),
    # The conflict log (conflict_id: an issue Harbor's member raised and Meadow's admin acknowledged).
    # Only the other side acknowledges, only the raiser answers, only facilitators keep notes; empty
    # posts are refused with a message (302), nothing saved.
    "conflicts:list": ("GET", "login 404 200 200 200 200 200"),
    "conflicts:new": ("GET", "login 404 403 200 200 200 403"),
    "conflicts:detail": ("GET", "login 404 200 200 200 200 200"),
    "conflicts:acknowledge": ("POST", "login 404 403 403 403 302 403"),
    "conflicts:message": ("POST", "login 404 403 302 302 302 302"),
    "conflicts:propose": ("GET", "login 404 403 200 200 200 403"),
    "conflicts:answer": ("POST", "login 404 403 302 403 403 403"),
    "conflicts:note": ("POST", "login 404 403 403 403 403 302"),
    # Check-ins (``checkin_id``: an open pulse check-in; the export reads a closed one). Everyone who
    # reaches the partnership sees them; the people of a partner (any role) answer, a facilitator never;
    # admins and owners set the schedule and open or close by hand; members keep the action items. Empty
    # posts are refused with a message, nothing saved. No URL shows an answer.
    "checkins:index": ("GET", "login 404 200 200 200 200 200"),
    "checkins:schedule": ("GET", "login 404 403 403 200 200 403"),
    "checkins:open": ("POST", "login 404 403 403 302 302 403"),
    "checkins:calendar": ("GET", "login 404 200 200 200 200 200"),
    "checkins:action_add": ("POST", "login 404 403 302 302 302 403"),
    "checkins:action_status": ("POST", "login 404 403 302 302 302 403"),
    "checkins:detail": ("GET", "login 404 200 200 200 200 200"),
    "checkins:answer": ("GET", "login 404 200 200 200 200 403"),
    "checkins:close": ("POST", "login 404 403 403 302 302 403"),
    "checkins:export": ("GET", "login 404 200 200 200 200 200"),
    # The network survey (``round_id``: an open round of Harbor and Meadow; the export reads a closed one;
    # ``by_id`` Harbor answering about ``about_id`` Meadow). Everyone who reaches the partnership sees the
    # rounds; only Harbor's members and admins answer for Harbor (its viewer reads, Meadow and the
    # facilitator are refused); admins and owners of a partner open and close. An empty open is answered
    # with the form and its errors (400), nothing saved.
    "networks:index": ("GET", "login 404 200 200 200 200 200"),
    "networks:open": ("POST", "login 404 403 403 400 400 403"),
    "networks:round": ("GET", "login 404 200 200 200 200 200"),
    "networks:answer": ("GET", "login 404 403 200 200 403 403"),
    "networks:close": ("POST", "login 404 403 403 302 302 403"),
    "networks:export": ("GET", "login 404 200 200 200 200 200"),
    "networks:report_pdf": ("GET", "login 404 200 200 200 200 200"),
    # API tokens (token_id: one of the viewer's tokens; anyone else's is 404) in the account area.
    "api:tokens": ("GET", "login 200 200 200 200 200 200"),
    "api:token_revoke": ("POST", "login 404 302 404 404 404 404"),
    # The API answers only an access token: a session cookie alone gets 401 from every operation, whatever
    # the persona (tests/web/api/ walks the same operations with each persona's token). Its OpenAPI
    # document is public; its empty root is not found.
    "api-v1:openapi-json": ("GET", "200 200 200 200 200 200 200"),
    "api-v1:api-root": ("GET", "404 404 404 404 404 404 404"),
    "api-v1:organisation_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:organisation_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:profile_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:profile_replace": ("PUT", "401 401 401 401 401 401 401"),
    "api-v1:partnership_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:partnership_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:assessment_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:assessment_run": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:assessment_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:assessment_result": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:stakeholder_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:stakeholder_add": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:stakeholder_rerate": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:stakeholder_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:stakeholder_update": ("PUT", "401 401 401 401 401 401 401"),
    "api-v1:stakeholder_delete": ("DELETE", "401 401 401 401 401 401 401"),
    "api-v1:initiative_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:initiative_create": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:initiative_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:initiative_update": ("PUT", "401 401 401 401 401 401 401"),
    "api-v1:initiative_delete": ("DELETE", "401 401 401 401 401 401 401"),
    "api-v1:initiative_score": ("PUT", "401 401 401 401 401 401 401"),
    "api-v1:agreement_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:commitment_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:kpi_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:checkin_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:checkin_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:checkin_open": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:checkin_close": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:response_submit": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:action_item_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:action_item_add": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:action_item_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:action_item_status": ("PUT", "401 401 401 401 401 401 401"),
    "api-v1:section_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:section_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:section_update": ("PUT", "401 401 401 401 401 401 401"),
    "api-v1:signature_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:signature_add": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:comment_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:comment_add": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:contribution_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:contribution_update": ("PUT", "401 401 401 401 401 401 401"),
    "api-v1:schedule_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:schedule_update": ("PUT", "401 401 401 401 401 401 401"),
    "api-v1:reading_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:reading_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:reading_add": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:delivery_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:delivery_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:delivery_add": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:decision_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:decision_get": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:decision_propose": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:vote_cast": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:objection_resolve": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:decision_outcome_record": ("POST", "401 401 401 401 401 401 401"),
    "api-v1:network_round_list": ("GET", "401 401 401 401 401 401 401"),
    "api-v1:network_round_close": ("POST", "401 401 401 401 401 401 401"),
}


def test_every_url_has_an_expectation() -> None:
    walked = {route.qualified_name for route in our_urls()}
    missing = sorted(walked - set(EXPECTED))
    assert missing == [], f"add a row to EXPECTED in {__file__} for: {missing}"
    assert sorted(set(EXPECTED) - walked) == []
    assert all(len(answers.split()) == len(PERSONAS) for _, answers in EXPECTED.values())


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def world(
    organisation: Organisation,
    owner: Any,
    viewer: Any,
    member: Any,
    org_admin: Any,
    outsider: Any,
    other_organisation: Organisation,
    partner_organisation: Organisation,
    partner_admin: Any,
    partnership: Partnership,
    initiative: Initiative,
    facilitator: Any,
    make_user: Callable[..., Any],
    engine_result: dict[str, Any],
    fake_assess: Any,
) -> dict[str, Any]:
    """Every object a URL kwarg can name, and the users of the personas."""
    import reversion

    with reversion.create_revision():
        reversion.add_to_revision(partnership)
    invitation = PartnershipInvitation.objects.create(
        partnership=partnership,
        email=outsider.email,
        token_hash=PartnershipInvitation.hash_token(INVITATION_TOKEN),
        inviting_organisation=organisation,
        invited_by=org_admin,
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    snapshot = AssessmentSnapshot.objects.create(
        partnership=partnership, result=engine_result, score=50, verdict="workable", open_conflicts=1
    )
    proposal = Proposal.objects.create(
        partnership=partnership,
        kind=ProposalKind.RENAME,
        proposer=partner_admin.memberships.get().organisation,
        proposer_name="Meadow Grocers",
        proposed_by=partner_admin,
        old_name=partnership.name,
        new_name="Lunches for all",
        reason="Shorter.",
        expires_at=timezone.now() + timezone.timedelta(days=14),
    )
    agreement = agreement_services.agreement_start(
        access=partnership_access_for(user=org_admin, partnership_id=partnership.pk), user=org_admin
    )
    put_terms(agreement)
    decision = Decision.objects.create(
        agreement=agreement, slug="fund-a-cook", title="Fund a cook", proposed_by=organisation.slug,
        proposer_name="owner", opened=timezone.localdate(),
        closes=timezone.localdate() + timezone.timedelta(days=14),
    )  # fmt: skip
    review = GoalReview.objects.create(partnership=partnership, opened_by=org_admin, snapshot=snapshot)
    goal = GoalDecision.objects.create(review=review, position=1, text="Cut sugar in school meals")
    conflict = conflict_services.conflict_raise(
        access=partnership_access_for(user=member, partnership_id=partnership.pk), user=member,
        organisation_id=organisation.pk, title="Fruit", description="Missing.", category="resources",
        severity="low",
    )  # fmt: skip
    conflict_services.conflict_acknowledge(
        access=partnership_access_for(user=partner_admin, partnership_id=partnership.pk), user=partner_admin,
        entry=conflict, expected_version=conflict.version,
    )  # fmt: skip
    open_checkin = Checkin.objects.create(
        partnership=partnership, item_set="pulse", opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + timezone.timedelta(days=9),
    )  # fmt: skip
    closed_checkin = Checkin.objects.create(
        partnership=partnership, item_set="pulse", state=CheckinState.CLOSED,
        opens_on=timezone.localdate() - timezone.timedelta(days=40),
        closes_on=timezone.localdate() - timezone.timedelta(days=30),
        results={"checkins": [], "partners": [], "items": [], "cells": []},
    )  # fmt: skip
    action = ActionItem.objects.create(partnership=partnership, text="Share the minutes sooner.")
    meadow = partner_organisation
    asked = [{"id": str(org.pk), "name": org.name} for org in (organisation, meadow)]
    open_round = NetworkRound.objects.create(
        partnership=partnership, label="2026-autumn", date=timezone.localdate(), organisations=asked
    )
    closed_round = NetworkRound.objects.create(
        partnership=partnership, label="2026-spring", organisations=asked, state=RoundState.CLOSED,
        date=timezone.localdate() - timezone.timedelta(days=180), closed_at=timezone.now(),
    )  # fmt: skip
    org_invitation = Invitation.objects.create(
        email="new@example.org",
        organisation=organisation,
        role="member",
        token_hash="0" * 64,
        invited_by=owner,
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    viewer_token, _ = token_create(user=viewer, name="Reports", scope=TokenScope.READ, valid_days=7)
    kwargs = {
        "slug": organisation.slug,
        "pk": partnership.pk,
        "membership_id": Membership.objects.get(user=viewer).pk,
        "invitation_id": org_invitation.pk,
        "part": "goals",
        "token": "not-a-real-token",
        "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
        "invite_id": invitation.pk,
        "member_id": PartnershipMember.objects.get(
            partnership=partnership, organisation__name="Meadow Grocers"
        ).pk,
        "facilitator_id": Facilitator.objects.get(user=facilitator).pk,
        "initiative_id": initiative.pk,
        "snapshot_id": snapshot.pk,
        "entry_id": 999_999,
        "proposal_id": proposal.pk,
        "part_key": "why",
        "kpi_id": "meals",
        "commitment_id": "cook",
        "decision_id": decision.slug,
        "review_id": review.pk,
        "goal_id": goal.pk,
        "conflict_id": conflict.pk,
        "checkin_id": open_checkin.pk,
        "action_id": action.pk,
        "token_id": viewer_token.pk,
        "partnership_id": partnership.pk,
        "assessment_id": snapshot.pk,
        "round_id": open_round.pk,
        "by_id": organisation.pk,
        "about_id": meadow.pk,
        "partner_id": "harbor",  # a partner's id in the agreement (the API's contributions)
        "reading_id": 999_999,  # the API's records: unknown ids (no token gets past 401 anyway)
        "delivery_id": 999_999,
    }
    per_route = {
        "organisations:profile_export": {"fmt": "yaml"},
        "organisations:goal_sdgs_accept": {"goal_number": 1},
        "organisations:restore": {"version_id": Version.objects.get_for_object(organisation).first().pk},
        "partnerships:restore": {"version_id": Version.objects.get_for_object(partnership).first().pk},
        "assessments:download": {"fmt": "json"},
        "accounts:password_reset_confirm": {"token": default_token_generator.make_token(owner)},
        "accounts:unsubscribe": {"token": unsubscribe_token(user=owner, group=MailGroup.REMINDERS)},
        "partnerships:join": {"token": INVITATION_TOKEN},
        "agreements:document": {"fmt": "html"},
        "health:report": {"fmt": "html"},
        "agreements:table_download": {"table": "kpis", "fmt": "xlsx"},
        "agreements:table_import": {"table": "measurements"},
        "agreements:table_import_confirm": {"table": "measurements"},
        "checkins:export": {"checkin_id": closed_checkin.pk, "fmt": "csv"},
        "networks:export": {"round_id": closed_round.pk, "fmt": "csv"},
        "networks:report_pdf": {"round_id": closed_round.pk},
    }
    queries = {
        "organisations:profile_row": {"goals-TOTAL_FORMS": "1"},
        "stakeholders:partner_row": {"name": "Parents"},
        "stakeholders:partner_edit": {"name": "Parents"},
    }
    users = {
        "anon": None,
        "outsider": outsider,
        "viewer": viewer,
        "member": member,
        "admin": org_admin,
        "partner_admin": partner_admin,
        "facilitator": facilitator,
    }
    return {"kwargs": kwargs, "per_route": per_route, "queries": queries, "users": users}


CASES = [(name, persona) for name in EXPECTED for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_url_persona(
    name: str, persona: str, world: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    routes = {route.qualified_name: route.route for route in our_urls()}
    if name not in routes:
        pytest.fail(f"{name} is in EXPECTED but no longer routed")
    wanted = set(re.findall(r"<(?:\w+:)?(\w+)>", routes[name]))
    values = world["kwargs"] | world["per_route"].get(name, {})
    url = reverse(name.lstrip(":"), kwargs={key: values[key] for key in wanted})
    user = world["users"][persona]
    client = client_for(user) if user is not None else Client()
    method, answers = EXPECTED[name]
    expected = answers.split()[PERSONAS.index(persona)]
    before = _row_counts()
    query = world["queries"].get(name, {})
    if method in ("PUT", "DELETE"):
        response = client.generic(method, url)
    else:
        response = client.post(url) if method == "POST" else client.get(url, query)
    if expected == "login":
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(reverse("accounts:sign_in")), response["Location"]
    else:
        assert response.status_code == int(expected), (url, response.status_code)
    if expected == "login" or response.status_code in (401, 403, 404, 405):
        assert _row_counts() == before, url
