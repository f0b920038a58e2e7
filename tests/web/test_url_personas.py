"""Every URL pattern against every persona, with the expected answer written out for each.

Personas (columns of ``EXPECTED``): ``anon`` (not signed in), ``outsider`` (owns an unrelated
organisation), ``viewer`` and ``member`` of Harbor, ``admin`` of Harbor, ``partner_admin`` (admin of
Meadow, Harbor's partner) and ``facilitator`` (of the partnership, no organisation).

URL kwargs come from fixture objects: ``slug`` is Harbor's, ``pk`` the Harbor × Meadow partnership,
``invite_id`` an open invitation of the outsider's organisation to that partnership (so the outsider
sees that invitation and nothing else of the partnership), ``facilitation_id`` an open facilitator
invitation of someone who is none of the personas, ``entry_id`` a stakeholder entry that does not
exist (scope is checked first). Each (URL, persona) runs on a fresh database; a refused request
(anonymous redirect, 403, 404, 405) must leave every table's row count unchanged.

A new URL fails ``test_every_url_has_an_expectation`` until it gets a row here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from reversion.models import Version

from commonground.web.access import EXEMPT_NAMESPACES
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations.models import Invitation, Membership, Organisation
from commonground.web.partnerships.models import (
    Facilitator,
    Initiative,
    MemberState,
    Partnership,
    PartnershipMember,
)

PERSONAS = ("anon", "outsider", "viewer", "member", "admin", "partner_admin", "facilitator")

# name: (method, answers in PERSONAS order). "login" = redirect to sign-in.
EXPECTED: dict[str, tuple[str, str]] = {
    # accounts
    "accounts:sign_up": ("GET", "200 302 302 302 302 302 302"),
    "accounts:sign_in": ("GET", "200 302 302 302 302 302 302"),
    "accounts:sign_out": ("POST", "login 302 302 302 302 302 302"),
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
    "partnerships:list": ("GET", "login 200 200 200 200 200 200"),
    "partnerships:invitation": ("GET", "login 200 404 404 404 404 404"),
    "partnerships:facilitation": ("GET", "login 404 404 404 404 404 404"),
    "partnerships:detail": ("GET", "login 404 200 200 200 200 200"),
    "partnerships:edit": ("GET", "login 404 403 403 200 200 403"),
    "partnerships:member_invite": ("POST", "login 404 403 403 302 302 403"),
    "partnerships:member_remove": ("POST", "login 404 403 403 302 302 403"),
    "partnerships:leave": ("POST", "login 404 403 403 302 302 403"),
    "partnerships:facilitator_invite": ("POST", "login 404 403 403 302 302 403"),
    "partnerships:facilitator_remove": ("POST", "login 404 403 403 302 302 403"),
    "partnerships:initiatives": ("GET", "login 404 200 200 200 200 200"),
    "partnerships:initiative_new": ("POST", "login 404 403 302 302 302 403"),
    "partnerships:initiative_edit": ("GET", "login 404 403 200 200 200 403"),
    "partnerships:initiative_delete": ("POST", "login 404 403 302 302 302 403"),
    "partnerships:initiative_score": ("POST", "login 404 403 302 302 302 403"),
    "partnerships:history": ("GET", "login 404 200 200 200 200 200"),
    "partnerships:restore": ("POST", "login 404 403 403 302 302 403"),
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
}


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}", prefix + str(entry.pattern)


def _url_names() -> list[tuple[str, str]]:
    return [
        (name, route)
        for name, route in _walk(get_resolver().url_patterns)
        if name.split(":")[0] not in EXEMPT_NAMESPACES
    ]


def test_every_url_has_an_expectation() -> None:
    walked = {name for name, _ in _url_names()}
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
    invitation = PartnershipMember.objects.create(
        partnership=partnership, organisation=other_organisation, state=MemberState.INVITED
    )
    someone = make_user("sol-someone")
    facilitation = Facilitator.objects.create(partnership=partnership, user=someone)
    snapshot = AssessmentSnapshot.objects.create(
        partnership=partnership, result=engine_result, score=50, verdict="workable", open_conflicts=1
    )
    org_invitation = Invitation.objects.create(
        email="new@example.org",
        organisation=organisation,
        role="member",
        token_hash="0" * 64,
        invited_by=owner,
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    kwargs = {
        "slug": organisation.slug,
        "pk": partnership.pk,
        "membership_id": Membership.objects.get(user=viewer).pk,
        "invitation_id": org_invitation.pk,
        "part": "goals",
        "token": "not-a-real-token",
        "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
        "invite_id": invitation.pk,
        "facilitation_id": facilitation.pk,
        "member_id": PartnershipMember.objects.get(
            partnership=partnership, organisation__name="Meadow Grocers"
        ).pk,
        "facilitator_id": Facilitator.objects.get(user=facilitator).pk,
        "initiative_id": initiative.pk,
        "snapshot_id": snapshot.pk,
        "entry_id": 999_999,
    }
    per_route = {
        "organisations:profile_export": {"fmt": "yaml"},
        "organisations:goal_sdgs_accept": {"goal_number": 1},
        "organisations:restore": {"version_id": Version.objects.get_for_object(organisation).first().pk},
        "partnerships:restore": {"version_id": Version.objects.get_for_object(partnership).first().pk},
        "assessments:download": {"fmt": "json"},
        "accounts:password_reset_confirm": {"token": default_token_generator.make_token(owner)},
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
    routes = dict(_url_names())
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
    response = client.post(url) if method == "POST" else client.get(url, query)
    if expected == "login":
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(reverse("accounts:sign_in")), response["Location"]
    else:
        assert response.status_code == int(expected), (url, response.status_code)
    if expected == "login" or response.status_code in (403, 404, 405):
        assert _row_counts() == before, url
