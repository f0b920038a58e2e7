"""Email squatting: typing someone else's address neither blocks its owner nor reveals that it is in use.

Several accounts may hold the same *unverified* address; the first to verify it keeps it and the
others lose their claim (their address is cleared and they are told when they sign in). Password reset
mails only verified addresses.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from commonground.web.accounts.selectors import email_is_verified

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
VERIFY_LINK = re.compile(r"http://testserver(/accounts/email/verify/[^/\s]+/)")
VICTIM = "vera@example.org"


def _sign_up(username: str, email: str) -> tuple[Client, Any, str]:
    """Sign up in a fresh browser; the client, the response and the welcome message."""
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("accounts:sign_up"),
            {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
        )
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    return client, response, message


def _last_mail_to(address: str) -> Any:
    sent = [m for m in mail.outbox if m.to == [address]]
    assert sent, f"no mail to {address}"
    return sent[-1]


def _verify_link(address: str) -> str:
    found = VERIFY_LINK.search(_last_mail_to(address).body)
    assert found, _last_mail_to(address).body
    return found.group(1)


def test_sign_up_says_the_same_whether_or_not_the_address_is_in_use(make_user: Any) -> None:
    make_user("vera", email=VICTIM)  # verified
    make_user("ulla", email="ulla@example.org", verified=False)
    answers = []
    for username, email in [("s1", VICTIM), ("s2", "ulla@example.org"), ("s3", "fresh@example.org")]:
        _, response, message = _sign_up(username, email)
        assert response.status_code == 302
        assert get_user_model().objects.filter(username=username).exists()
        answers.append((response["Location"], message.replace(email, "X")))
    assert answers[0] == answers[1] == answers[2]


def test_sign_up_with_a_verified_address_mails_its_owner_a_notice_not_a_link(make_user: Any) -> None:
    vera = make_user("vera", email=VICTIM)
    _sign_up("sly", VICTIM)
    notice = _last_mail_to(VICTIM)
    assert VERIFY_LINK.search(notice.body) is None
    assert "already belongs to" in notice.body
    assert email_is_verified(user=vera)


def test_an_unverified_claim_does_not_block_the_owner_who_verifies_first() -> None:
    _sign_up("sly", VICTIM)
    sly_link = _verify_link(VICTIM)
    vera_client, response, _ = _sign_up("vera", VICTIM)  # the real owner is not turned away
    assert response.status_code == 302
    assert vera_client.post(_verify_link(VICTIM)).status_code == 302
    users = get_user_model().objects
    vera, sly = users.get(username="vera"), users.get(username="sly")
    assert email_is_verified(user=vera)
    # The squatter lost the claim: address cleared, its link dead.
    assert sly.email == ""
    assert not email_is_verified(user=sly)
    assert Client().post(sly_link).status_code == 400
    sly.refresh_from_db()
    assert sly.email == ""
    assert not email_is_verified(user=sly)
    assert vera.email == VICTIM


def test_the_account_that_lost_its_address_is_told_when_it_signs_in() -> None:
    _sign_up("sly", VICTIM)
    vera_client, _, _ = _sign_up("vera", VICTIM)
    vera_client.post(_verify_link(VICTIM))
    response = Client().post(reverse("accounts:sign_in"), {"username": "sly", "password": PASSWORD})
    assert response.status_code == 302
    told = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "verified by another account" in told
    # Adding an address of their own ends the notice.
    client = Client()
    client.post(reverse("accounts:sign_in"), {"username": "sly", "password": PASSWORD})
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("accounts:account"),
            {"first_name": "", "last_name": "", "email": "sly@example.org", "current_password": PASSWORD},
        )
    again = Client().post(reverse("accounts:sign_in"), {"username": "sly", "password": PASSWORD})
    assert "verified by another account" not in " ".join(str(m) for m in get_messages(again.wsgi_request))


def test_account_page_accepts_an_address_in_use_without_saying_so(make_user: Any, client_for: Any) -> None:
    make_user("vera", email=VICTIM)
    sly = make_user("sly", email="sly@example.org", password=PASSWORD)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(sly).post(
            reverse("accounts:account"),
            {"first_name": "", "last_name": "", "email": VICTIM, "current_password": PASSWORD},
        )
    assert response.status_code == 302
    sly.refresh_from_db()
    assert sly.email == VICTIM
    assert not email_is_verified(user=sly)
    assert VERIFY_LINK.search(_last_mail_to(VICTIM).body) is None


def test_password_reset_mails_only_a_verified_address(make_user: Any) -> None:
    make_user("sly", email=VICTIM, password=PASSWORD, verified=False)
    unverified = Client().post(reverse("accounts:password_reset"), {"email": VICTIM})
    assert mail.outbox == []
    vera = make_user("vera", email=VICTIM, password=PASSWORD)
    verified = Client().post(reverse("accounts:password_reset"), {"email": VICTIM})
    assert unverified.status_code == verified.status_code == 302
    assert unverified["Location"] == verified["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [VICTIM]
    assert vera.get_username() in mail.outbox[0].body
    assert "sly" not in mail.outbox[0].body


def test_the_database_holds_at_most_one_verified_account_per_address(make_user: Any) -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from commonground.web.accounts.models import EmailVerification

    make_user("vera", email=VICTIM)
    sly = make_user("sly", email=VICTIM.upper(), verified=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailVerification.objects.create(user=sly, email=VICTIM.upper(), email_verified_at=timezone.now())
