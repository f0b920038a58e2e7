"""Sign-up, sign-in, sign-out, password reset, Argon2 hashing, lock-out and the security log."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

PASSWORD = "correct horse battery staple"


@pytest.fixture
def alice(make_user: Any) -> Any:
    """A user with a real (Argon2-hashed) password."""
    return make_user("alice", email="alice@example.org", password=PASSWORD)


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:sign_in"), {"username": username, "password": password})


@pytest.mark.django_db
def test_sign_up_signs_in_and_hashes_with_argon2(client: Client) -> None:
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "newbie", "email": "Newbie@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "newbie@example.org"
    assert user.password.startswith("argon2$")
    assert client.get(reverse("home:index")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_value", "lands_on"),
    [
        ("/accounts/", "/accounts/"),  # a page of this site: followed
        ("on", None),  # a bare word once read as a view name: a server error after the account was made
        ("https://evil.example/", None),  # another site
        ("//evil.example/", None),  # another site without its scheme
    ],
)
def test_sign_up_goes_on_to_a_page_of_this_site_and_nowhere_else(
    client: Client, next_value: str, lands_on: str | None
) -> None:
    response = client.post(
        f"{reverse('accounts:sign_up')}?next={next_value}",
        {"username": "newbie", "email": "newbie@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == (lands_on or reverse("home:index"))
    assert get_user_model().objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_sign_up_errors_name_the_field(client: Client, alice: Any) -> None:
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "bob", "email": "not-an-address", "password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors
    assert "password2" in form.errors
    # An address in use by another account is not an error: that would say it is registered
    # (test_email_squatting.py).
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "bob", "email": alice.email, "password1": "short", "password2": "short"},
    )
    assert list(response.context["form"].errors) == ["password2"]
    assert not get_user_model().objects.filter(username="bob").exists()


def test_sign_in_and_out_are_logged_without_password(
    client: Client, alice: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="commonground.security"):
        assert _sign_in(client, "alice", "wrong password").status_code == 200
        response = _sign_in(client, "alice", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("home:index")
        assert client.post(reverse("accounts:sign_out")).status_code == 302
    lines = [record.getMessage() for record in caplog.records]
    assert any("event=sign_in_failed" in line and "username='alice'" in line for line in lines)
    assert any("event=sign_in user=alice" in line and "ip=127.0.0.1" in line for line in lines)
    assert any("event=sign_out user=alice" in line for line in lines)
    assert not any(PASSWORD in line or "wrong password" in line for line in lines)
    signed_out = client.get(reverse("home:index"))  # the landing page for visitors
    assert signed_out.status_code == 200
    assert "Sign out" not in signed_out.content.decode()


def test_five_failures_lock_the_account_from_that_address(client: Client, alice: Any) -> None:
    for _ in range(5):
        _sign_in(client, "alice", "nope")
    response = _sign_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    # Another address is not locked out (lock-out is by username and address).
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert _sign_in(other, "alice", PASSWORD).status_code == 302


def test_password_reset_by_email(client: Client, alice: Any) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    new_password = "a new and long passphrase"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    assert _sign_in(Client(), "alice", new_password).status_code == 302
    # The link works only once.
    assert client.get(path, follow=True).context["validlink"] is False


def test_reset_for_unknown_email_sends_nothing_and_says_the_same(client: Client, alice: Any) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_account_page_updates_details(client_for: Any, member: Any, organisation: Any) -> None:
    client = client_for(member)
    response = client.get(reverse("accounts:account"))
    assert organisation.name in response.content.decode()
    response = client.post(
        reverse("accounts:account"), {"first_name": "Mia", "last_name": "M", "email": member.email}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.first_name == "Mia"


def test_account_page_shows_each_optional_email_as_set_from_one_query(client_for: Any, member: Any) -> None:
    client = client_for(member)
    client.post(reverse("accounts:mail_preferences"), {"decisions": "on"})
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:account")).content.decode()
    assert re.search(r'<input[^>]*name="decisions"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="reminders"[^>]*checked', page)
    assert sum("accounts_mailpreference" in query["sql"] for query in queries.captured_queries) == 1


def test_security_log_times_are_utc() -> None:
    from commonground.web.audit import UtcFormatter

    record = logging.LogRecord("commonground.security", logging.INFO, __file__, 1, "event=x", None, None)
    record.created, record.msecs = 0.0, 5.0
    assert UtcFormatter("%(asctime)s %(message)s").format(record) == "1970-01-01T00:00:00.005Z event=x"


@pytest.mark.django_db
def test_sign_up_attempts_from_one_network_address_are_limited(alice: Any) -> None:
    """Security finding F15: a taken username is named at sign-up (people sign in by it, at once), so the
    number of refused tries one address gets bounds finding out which usernames exist; sign-ups that
    succeed (a workshop in one office) do not count."""
    from commonground.web.throttles import SIGN_UP_PER_NETWORK_ADDRESS

    prober = Client(REMOTE_ADDR="203.0.113.9")
    data = {"email": "p@example.org", "password1": "short", "password2": "short"}
    answers = [
        prober.post(reverse("accounts:sign_up"), {**data, "username": f"guess{n}"}).status_code
        for n in range(SIGN_UP_PER_NETWORK_ADDRESS.count)
    ]
    assert answers == [200] * SIGN_UP_PER_NETWORK_ADDRESS.count
    refused = prober.post(reverse("accounts:sign_up"), {**data, "username": "alice"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many sign-up attempts came from your network" in page
    assert "already exists" not in page
    other = Client(REMOTE_ADDR="198.51.100.3")
    assert other.post(reverse("accounts:sign_up"), {**data, "username": "alice"}).status_code == 200
    good = {"email": "w@example.org", "password1": PASSWORD, "password2": PASSWORD}
    for n in range(SIGN_UP_PER_NETWORK_ADDRESS.count + 1):
        workshop = Client(REMOTE_ADDR="192.0.2.44")
        assert workshop.post(reverse("accounts:sign_up"), {**good, "username": f"w{n}"}).status_code == 302
