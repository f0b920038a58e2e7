"""Security finding F6: the mail the site sends on request is limited per address and per account, and an
invitation shows the names people typed as data (quoted, on one line, addresses without links)."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from commonground.web.organisations.models import Invitation, Organisation
from commonground.web.throttles import (
    EMAIL_CHANGE_PER_ACCOUNT,
    INVITATION_PER_ADDRESS,
    PASSWORD_RESET_PER_ADDRESS,
    VERIFICATION_PER_ADDRESS,
    Limit,
    throttle_take,
)

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _to(address: str) -> int:
    return sum(message.to == [address] for message in mail.outbox)


def _post(client: Client, url: str, data: dict[str, str], **extra: Any) -> Any:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data, **extra)


def test_twenty_reset_requests_send_three_mails_and_say_the_same(make_user: Any) -> None:
    make_user("vera", email="vera@example.org", password=PASSWORD)
    answers = {
        _post(Client(), reverse("accounts:password_reset"), {"email": "vera@example.org"})["Location"]
        for _ in range(20)
    }
    assert answers == {reverse("accounts:password_reset_sent")}
    assert _to("vera@example.org") == PASSWORD_RESET_PER_ADDRESS.count == 3


def test_sign_ups_with_one_address_mail_it_three_times_an_hour() -> None:
    for n in range(5):
        response = _post(
            Client(),
            reverse("accounts:sign_up"),
            {
                "username": f"sly{n}",
                "email": "vera@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        assert response.status_code == 302  # every sign-up goes through; only the mail is held back
    assert _to("vera@example.org") == VERIFICATION_PER_ADDRESS.count == 3


def test_email_changes_are_limited_per_account_and_per_address(make_user: Any, client_for: Any) -> None:
    sly = make_user("sly", email="sly@example.org", password=PASSWORD)
    client = client_for(sly)
    answers = []
    for target in ["a@example.org", "b@example.org"] * 5:
        response = _post(
            client,
            reverse("accounts:account"),
            {"first_name": "", "last_name": "", "email": target, "current_password": PASSWORD},
        )
        answers.append(response.status_code)
        if response.status_code == 200:
            assert "times in the last hour: try again later" in response.content.decode()
    # After five changes every further one is refused; sending the address it keeps is no change.
    assert EMAIL_CHANGE_PER_ACCOUNT.count == 5
    assert answers == [302] * 5 + [200, 302] * 2 + [200]
    sly.refresh_from_db()
    assert sly.email == "a@example.org"
    assert _to("a@example.org") <= VERIFICATION_PER_ADDRESS.count
    assert _to("b@example.org") <= VERIFICATION_PER_ADDRESS.count


def _invite(client: Client, organisation: Organisation, email: str) -> Any:
    return _post(
        client,
        reverse("organisations:invitation_new", kwargs={"slug": organisation.slug}),
        {"email": email, "role": "member"},
        follow=True,
    )


def test_fifteen_invitations_to_one_address_send_three(
    owner_client: Client, organisation: Organisation
) -> None:
    pages = [_invite(owner_client, organisation, "tina@example.org").content.decode() for _ in range(15)]
    assert _to("tina@example.org") == INVITATION_PER_ADDRESS.count == 3
    assert Invitation.objects.count() == 3  # a refused invitation is not saved either
    assert all("invitations in the last hour: try again later" in page for page in pages[3:])


def test_an_invitation_shows_the_organisation_name_as_data(
    owner_client: Client, organisation: Organisation
) -> None:
    name = "Grant office\nClaim your grant at https://evil.example/claim or www.evil.example"
    Organisation.objects.filter(pk=organisation.pk).update(name=name)
    _invite(owner_client, organisation, "tina@example.org")
    [message] = mail.outbox
    shown = "“Grant office Claim your grant at https[:]//evil[.]example/claim or www[.]evil[.]example”"
    assert shown in message.subject
    assert shown in message.body
    links = re.findall(r"\b\w+://\S+", message.body)
    assert [link.split("/")[2] for link in links] == ["testserver"]  # only this site's own link


def test_a_used_up_limit_is_logged_without_its_key(caplog: pytest.LogCaptureFixture) -> None:
    limit = Limit("test-limit", 1, 60)
    with caplog.at_level(logging.INFO, logger="commonground.security"):
        assert throttle_take((limit, "someone@example.org")) is None
        assert throttle_take((limit, "someone@example.org")) == limit
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1
    assert "event=throttled" in lines[0]
    assert "limit='test-limit'" in lines[0]
    assert "someone@example.org" not in lines[0]
