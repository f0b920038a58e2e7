"""ASVS V7.4.5: site administrators end one person's, several people's or everyone's sessions."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from commonground.web.accounts.models import AccountSession

pytestmark = pytest.mark.django_db


def _signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:account")).status_code == 200


@pytest.fixture
def operator_client(make_user: Any, with_mfa: Any, client_for: Any) -> Client:
    """A site administrator (with the two-factor sign-in the admin requires)."""
    operator = make_user("sam-staff", is_staff=True, is_superuser=True)
    with_mfa(operator)
    return client_for(operator)


def _end_sessions(client: Client, *users: Any) -> Any:
    return client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_sessions", "_selected_action": [user.pk for user in users]},
        follow=True,
    )


def test_the_admin_ends_every_session_of_the_chosen_people_and_no_one_else_s(
    operator_client: Client, member: Any, outsider: Any, owner: Any, client_for: Any
) -> None:
    member_laptop, member_phone = client_for(member), client_for(member)
    outsider_laptop, owner_laptop = client_for(outsider), client_for(owner)
    response = _end_sessions(operator_client, member, outsider)
    assert "Ended 3 sessions of 2 users: they are signed out at their next page." in response.content.decode()
    assert not _signed_in(member_laptop)
    assert not _signed_in(member_phone)
    assert not _signed_in(outsider_laptop)
    assert _signed_in(owner_laptop)
    assert _signed_in(operator_client)
    # They can sign in again: ending sessions is not deactivating.
    assert _signed_in(client_for(member))
    response = _end_sessions(operator_client, owner)
    assert "Ended 1 session of 1 user:" in response.content.decode()


def test_only_site_administrators_reach_the_action(member: Any, outsider: Any, client_for: Any) -> None:
    outsider_laptop = client_for(outsider)
    for client in (client_for(member), Client()):
        response = client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "end_sessions", "_selected_action": [outsider.pk]},
        )
        assert response.status_code == 302
        assert "/login/" in response["Location"] or reverse("accounts:sign_in") in response["Location"]
    assert _signed_in(outsider_laptop)


def test_the_command_ends_everyone_s_sessions_and_says_how_many(
    member: Any, outsider: Any, owner: Any, client_for: Any
) -> None:
    clients = [client_for(member), client_for(member), client_for(outsider), client_for(owner)]
    visitor = Client()
    visitor.get(reverse("accounts:sign_in"))  # a visitor's session (a CSRF-less page may make none)
    out = StringIO()
    call_command("end_all_sessions", stdout=out)
    assert out.getvalue().startswith("Ended 4 sessions: everyone must sign in again.")
    assert not any(_signed_in(client) for client in clients)
    assert AccountSession.objects.filter(user__isnull=False).count() == 0
    out = StringIO()
    call_command("end_all_sessions", stdout=out)
    assert out.getvalue().startswith("Ended 0 sessions:")
