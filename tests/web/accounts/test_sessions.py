"""Security finding F16: a sign-in ends after 2 hours idle or 12 hours in all, and over HTTPS the cookies
carry the __Host- prefix (tests/web/test_settings.py::test_https_cookies_take_the_host_prefix)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from commonground.web.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def _age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN_AT}[key]] = now - ago
    session.save()


def _is_signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:account")).status_code == 200


def test_the_defaults_are_two_hours_idle_and_twelve_in_all() -> None:
    assert (settings.SESSION_IDLE_SECONDS, settings.SESSION_ABSOLUTE_SECONDS) == (2 * 3600, 12 * 3600)
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_SECONDS


def test_a_session_idle_for_two_hours_is_signed_out(member: Any, client_for: Any) -> None:
    client = client_for(member)
    assert _is_signed_in(client)
    _age_session(client, signed_in=3600, last_seen=2 * 3600 - 60)
    assert _is_signed_in(client)  # a request just in time keeps it going
    _age_session(client, last_seen=2 * 3600 + 1)
    response = client.get(reverse("accounts:account"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:sign_in"))
    assert "signed out after 120 minutes without activity" in response.content.decode()
    assert not _is_signed_in(client)


def test_a_busy_session_still_ends_twelve_hours_after_sign_in(member: Any, client_for: Any) -> None:
    client = client_for(member)
    _age_session(client, signed_in=12 * 3600 - 60, last_seen=10)
    assert _is_signed_in(client)
    _age_session(client, signed_in=12 * 3600 + 1, last_seen=10)
    assert not _is_signed_in(client)
