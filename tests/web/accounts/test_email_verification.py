"""Email verification: a mailed, signed, expiring, single-use link bound to the address it was sent to."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client, TestCase
from django.urls import reverse

from commonground.web.accounts import services
from commonground.web.accounts.selectors import email_is_verified

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
LINK = re.compile(r"http://testserver(/accounts/email/verify/[^/\s]+/)")


def _last_link(to: str) -> str:
    sent = [m for m in mail.outbox if m.to == [to]]
    assert sent, f"no mail to {to}"
    found = LINK.search(sent[-1].body)
    assert found, sent[-1].body
    return found.group(1)


def _sign_up(client: Client, username: str = "newbie", email: str = "newbie@example.org") -> Any:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("accounts:sign_up"),
            {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    return get_user_model().objects.get(username=username)


def _change_email(client: Client, email: str) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("accounts:account"),
            {"first_name": "", "last_name": "", "email": email, "current_password": PASSWORD},
        )
    assert response.status_code == 302


def test_sign_up_mails_a_link_that_verifies_once(client: Client) -> None:
    user = _sign_up(client)
    assert not email_is_verified(user=user)
    assert "not verified" in client.get(reverse("accounts:account")).content.decode()
    link = _last_link("newbie@example.org")
    # Opening the link (or a mail scanner fetching it) changes nothing until the button is pressed.
    assert "Confirm my email address" in Client().get(link).content.decode()
    assert not email_is_verified(user=user)
    response = Client().post(link)  # works from any browser: the link itself is the proof
    assert response.status_code == 302
    assert email_is_verified(user=user)
    again = Client().post(link)
    assert again.status_code == 400
    assert "no longer works" in again.content.decode()
    assert "is verified" in client.get(reverse("accounts:account")).content.decode()


def test_expired_link_is_refused(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    user = _sign_up(client)
    link = _last_link(user.email)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 3 * 24 * 3600 + 5)
    response = client.post(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not email_is_verified(user=user)


def test_tampered_link_is_refused(client: Client) -> None:
    user = _sign_up(client)
    link = _last_link(user.email)
    assert client.post(link.replace("/verify/", "/verify/x")).status_code == 400
    assert not email_is_verified(user=user)


def test_link_for_an_old_email_is_refused_after_a_change(client: Client) -> None:
    user = _sign_up(client)
    old_link = _last_link("newbie@example.org")
    _change_email(client, "newbie@elsewhere.example")
    assert client.post(old_link).status_code == 400
    user.refresh_from_db()
    assert not email_is_verified(user=user)
    assert client.post(_last_link("newbie@elsewhere.example")).status_code == 302
    user.refresh_from_db()
    assert email_is_verified(user=user)
    # Back to the first address: its old link stays dead (only the newest link ever works).
    _change_email(client, "newbie@example.org")
    assert client.post(old_link).status_code == 400


def test_changing_the_email_unverifies_it_and_keeping_it_does_not(make_user: Any, client_for: Any) -> None:
    member = make_user("mia", password=PASSWORD)
    client = client_for(member)
    assert email_is_verified(user=member)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("accounts:account"), {"first_name": "Mia", "last_name": "", "email": member.email}
        )
    member.refresh_from_db()
    assert email_is_verified(user=member)
    assert mail.outbox == []
    _change_email(client, "mia@new.example")
    member.refresh_from_db()
    assert not email_is_verified(user=member)
    assert {m.to[0] for m in mail.outbox} == {"mia@new.example", "mia@example.org"}  # link, notice
    assert "not verified" in client.get(reverse("accounts:account")).content.decode()


def test_resend_mails_a_new_link_and_the_old_one_stops_working(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "RESEND_INTERVAL", timedelta(0))
    user = _sign_up(client)
    first = _last_link(user.email)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(reverse("accounts:verification_resend")).status_code == 302
    second = _last_link(user.email)
    assert second != first
    assert client.post(first).status_code == 400
    assert client.post(second).status_code == 302
    response = client.post(reverse("accounts:verification_resend"), follow=True)
    assert "already verified" in response.content.decode()
    assert len(mail.outbox) == 2


def test_resend_right_after_a_link_was_sent_is_refused_without_mail(client: Client) -> None:
    user = _sign_up(client)
    sent = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("accounts:verification_resend"), follow=True)
    assert "you can ask again in" in response.content.decode()
    assert len(mail.outbox) == sent
    assert _last_link(user.email)  # the first link is still the one that works
