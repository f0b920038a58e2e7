"""Password rules as a person meets them: long passphrases of any characters, no weak or common
passwords, checked exactly as typed, masked fields that password managers can fill."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

# 70 characters: spaces, accents, a non-Latin script, an emoji and punctuation, and no required classes.
PASSPHRASE = "über die brücke 走る ☂ and then some more words to pass sixty-four chars!"


def _sign_up(client: Client, username: str, password: str) -> Any:
    data = {
        "username": username,
        "email": f"{username}@example.org",
        "password1": password,
        "password2": password,
    }
    return client.post(reverse("accounts:sign_up"), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password", ["short pw", "password123", "1234567890", "qwertyuiop", "CommonGround2026!", "partnership#1"]
)
def test_short_and_common_passwords_are_refused_at_sign_up(client: Client, password: str) -> None:
    response = _sign_up(client, "newbie", password)
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_a_long_passphrase_of_any_characters_works_exactly_as_typed(client: Client) -> None:
    assert len(PASSPHRASE) >= 64
    assert _sign_up(client, "poet", PASSPHRASE).status_code == 302
    client.post(reverse("accounts:sign_out"))
    sign_in = reverse("accounts:sign_in")
    for altered in (PASSPHRASE[:64], PASSPHRASE.upper(), PASSPHRASE + " ", PASSPHRASE.replace("ü", "u")):
        fresh = Client()
        assert fresh.post(sign_in, {"username": "poet", "password": altered}).status_code == 200
    assert Client().post(sign_in, {"username": "poet", "password": PASSPHRASE}).status_code == 302


@pytest.mark.django_db
def test_password_fields_are_masked_and_may_be_pasted_or_filled(member_client: Client) -> None:
    pages = [
        (Client(), reverse("accounts:sign_in")),
        (Client(), reverse("accounts:sign_up")),
        (member_client, reverse("accounts:password_change")),
    ]
    for client, url in pages:
        html = client.get(url).content.decode()
        fields = re.findall(
            r"<input[^>]*name=\"(?:password|password1|password2|old_password|new_password1|new_password2)\"[^>]*>",
            html,
        )
        assert fields, url
        for field in fields:
            assert 'type="password"' in field, field
            assert "onpaste" not in field, field
            assert 'autocomplete="off"' not in field, field


@pytest.mark.django_db
def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(make_user: Any) -> None:
    user = make_user("legacy")
    user.password = make_password(PASSPHRASE, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    response = Client().post(reverse("accounts:sign_in"), {"username": "legacy", "password": PASSPHRASE})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


@pytest.mark.django_db
def test_the_sites_own_words_are_refused_only_when_little_else_is_left(client: Client) -> None:
    response = _sign_up(client, "newbie", "Common-Ground-2026!")
    assert "mostly words about Common Ground" in str(response.context["form"].errors["password2"])
    assert _sign_up(Client(), "writer", "our partners meet on common ground").status_code == 302
