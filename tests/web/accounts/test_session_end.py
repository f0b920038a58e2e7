"""Sessions: a new key at sign-in, cookies scripts cannot read, sign-out that ends the session on the
server, a deactivated account signed out at once, and a sign-out button on every signed-in page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from commonground.web.accounts.models import AccountSession as Session

PASSWORD = "correct horse battery staple"


@pytest.fixture
def alice(make_user: Any) -> Any:
    """A user with a real password, to sign in through the form."""
    return make_user("alice", password=PASSWORD)


def _sign_in(client: Client) -> Any:
    return client.post(reverse("accounts:sign_in"), {"username": "alice", "password": PASSWORD})


@pytest.mark.django_db
def test_signing_in_issues_a_new_random_session_key_in_a_cookie_scripts_cannot_read(
    client: Client, alice: Any
) -> None:
    client.get(reverse("accounts:sign_in"))
    planted = client.session  # a visitor's session, as an attacker could plant one (session fixation)
    planted["note"] = "visitor"
    planted.save()
    before = planted.session_key
    assert Session.objects.filter(session_key=before).exists()
    response = _sign_in(client)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value != before
    assert len(cookie.value) == 32  # Django: 32 characters of [a-z0-9] from secrets, about 165 bits
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not Session.objects.filter(session_key=before).exists()


@pytest.mark.django_db
def test_signing_out_ends_the_session_on_the_server(client: Client, alice: Any) -> None:
    _sign_in(client)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("accounts:sign_out")).status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = replay.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.django_db
def test_a_deactivated_account_is_signed_out_at_its_next_request(client: Client, alice: Any) -> None:
    _sign_in(client)
    assert client.get(reverse("accounts:account")).status_code == 200
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.django_db
def test_every_signed_in_page_offers_sign_out(member_client: Client, organisation: Any) -> None:
    for url in (
        reverse("home:index"),
        reverse("accounts:account"),
        reverse("accounts:mfa"),
        reverse("organisations:detail", kwargs={"slug": organisation.slug}),
    ):
        html = member_client.get(url).content.decode()
        assert f'action="{reverse("accounts:sign_out")}"' in html, url


@pytest.mark.django_db
def test_sign_out_is_a_post_and_tells_the_browser_to_drop_its_copies(member_client: Client) -> None:
    assert member_client.get(reverse("accounts:sign_out")).status_code == 405
    assert member_client.get(reverse("accounts:account")).status_code == 200  # still signed in
    response = member_client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


@pytest.mark.django_db
def test_the_account_form_changes_only_the_fields_it_offers(member_client: Client, member: Any) -> None:
    data = {
        "first_name": "Mo",
        "last_name": "",
        "email": member.email,
        "is_staff": "on",
        "is_superuser": "on",
    }
    member_client.post(reverse("accounts:account"), data)
    member.refresh_from_db()
    assert member.first_name == "Mo"
    assert not member.is_staff
    assert not member.is_superuser
