"""Security finding F2: a stolen session alone cannot move the account to another mailbox. Changing the
email or the password needs the current password; the old (verified) address is told of either change;
a password change ends every other session of the account and keeps the one that made it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from commonground.web.accounts.selectors import email_is_verified

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def victim(make_user: Any) -> Any:
    """An account with a real password and a verified address."""
    return make_user("victim", email="victim@example.org", password=PASSWORD)


def _change_email(client: Client, email: str, password: str | None) -> Any:
    data = {"first_name": "", "last_name": "", "email": email}
    if password is not None:
        data["current_password"] = password
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("accounts:account"), data)


def test_an_email_change_needs_the_current_password_and_tells_the_old_address(
    victim: Any, client_for: Any
) -> None:
    hijacked = client_for(victim)  # a session cookie is all the attacker holds
    for password in (None, "", "a guess at the password"):
        response = _change_email(hijacked, "attacker@evil.example", password)
        assert response.status_code == 200
        assert "To change your email address, enter your current password." in response.content.decode()
    victim.refresh_from_db()
    assert victim.email == "victim@example.org"
    assert email_is_verified(user=victim)
    assert mail.outbox == []

    assert _change_email(hijacked, "victim@new.example", PASSWORD).status_code == 302
    victim.refresh_from_db()
    assert victim.email == "victim@new.example"
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"victim@new.example", "victim@example.org"}
    notice = by_address["victim@example.org"]
    assert notice.subject == "The email address of your Common Ground account was changed"
    assert "from victim@example.org to victim@new.example" in notice.body


def test_name_changes_need_no_password(victim: Any, client_for: Any) -> None:
    client = client_for(victim)
    response = client.post(
        reverse("accounts:account"), {"first_name": "Vic", "last_name": "Tim", "email": "Victim@Example.org "}
    )
    assert response.status_code == 302
    victim.refresh_from_db()
    assert (victim.first_name, victim.email) == ("Vic", "victim@example.org")


def test_a_password_change_ends_the_other_sessions_and_tells_the_address(
    victim: Any, client_for: Any
) -> None:
    mine, elsewhere = client_for(victim), client_for(victim)
    assert elsewhere.get(reverse("accounts:account")).status_code == 200
    new_password = "another long passphrase here"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = mine.post(
            reverse("accounts:password_change"),
            {"old_password": "not it", "new_password1": new_password, "new_password2": new_password},
        )
    assert response.status_code == 200  # the current password is asked for (Django's form)
    assert mail.outbox == []
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = mine.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        )
    assert response.status_code == 302
    assert mine.get(reverse("accounts:account")).status_code == 200  # this session stays
    other = elsewhere.get(reverse("accounts:account"))
    assert other.status_code == 302
    assert reverse("accounts:sign_in") in other["Location"]
    [notice] = mail.outbox
    assert notice.to == ["victim@example.org"]
    assert notice.subject == "The password of your Common Ground account was changed"


def test_a_password_reset_tells_the_address(victim: Any) -> None:
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "victim@example.org"})
    link = re.search(r"https?://testserver(\S+)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    new_password = "a brand new passphrase"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
        )
    assert response.status_code == 302
    assert [m.subject for m in mail.outbox[1:]] == ["The password of your Common Ground account was changed"]
