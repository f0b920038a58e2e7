"""ASVS V7.5.2: people see their own sessions on the account page (browser, when signed in, last seen,
this one marked) and sign out one or all of the others; never anyone else's."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from mfa_steps import PASSWORD, password_step

from commonground.web.accounts.models import AccountSession
from commonground.web.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def _browser(user_agent: str, username: str = "pia") -> Client:
    """A browser with this User-Agent, signed in through the form."""
    client = Client(HTTP_USER_AGENT=user_agent)
    assert password_step(client, username).status_code == 302
    return client


def _signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:account")).status_code == 200


def _handles(html: str) -> list[str]:
    return re.findall(r'name="session" value="([0-9a-f]+)"', html)


def _sessions_section(html: str) -> str:
    return html.split('id="sessions"', 1)[1].split("</section>", 1)[0]


def test_the_account_page_lists_your_sessions_with_this_one_marked(pia: Any) -> None:
    laptop, phone = _browser(FIREFOX), _browser(PHONE)
    section = _sessions_section(laptop.get(reverse("accounts:account")).content.decode())
    assert "Firefox on Windows</strong> — <strong>this session</strong>" in section
    assert "Safari on iPhone" in section
    assert section.count("Signed in ") == 2
    assert "last seen now" in section  # this one
    assert len(_handles(section)) == 1  # a button for the phone only: this one signs out at the top
    assert "Sign out all other sessions" in section
    key = laptop.cookies["sessionid"].value
    assert key not in section
    assert phone.cookies["sessionid"].value not in section
    on_the_phone = _sessions_section(phone.get(reverse("accounts:account")).content.decode())
    assert "Safari on iPhone</strong> — <strong>this session</strong>" in on_the_phone


def test_signing_out_another_session_signs_that_browser_out_at_its_next_request(pia: Any) -> None:
    laptop, phone = _browser(FIREFOX), _browser(PHONE)
    [phone_handle] = _handles(laptop.get(reverse("accounts:account")).content.decode())
    response = laptop.post(reverse("accounts:session_end"), {"session": phone_handle}, follow=True)
    assert "That session is signed out" in response.content.decode()
    assert _signed_in(laptop)
    answer = phone.get(reverse("accounts:account"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:sign_in"))
    listed = _sessions_section(laptop.get(reverse("accounts:account")).content.decode())
    assert "Safari on iPhone" not in listed


def test_sign_out_all_other_sessions_keeps_only_this_one(pia: Any) -> None:
    laptop, phone, tablet = _browser(FIREFOX), _browser(PHONE), _browser("")
    response = laptop.post(reverse("accounts:sessions_end_others"), follow=True)
    assert "Signed out 2 other sessions." in response.content.decode()
    assert _signed_in(laptop)
    assert not _signed_in(phone)
    assert not _signed_in(tablet)
    response = laptop.post(reverse("accounts:sessions_end_others"), follow=True)
    assert "No other session was signed in." in response.content.decode()


def test_nobody_sees_or_ends_another_person_s_sessions(pia: Any, make_user: Any) -> None:
    make_user("quinn", password=PASSWORD)
    pia_phone, pia_laptop = _browser(PHONE), _browser(FIREFOX)
    quinn = _browser(FIREFOX, "quinn")
    pia_handles = _handles(pia_laptop.get(reverse("accounts:account")).content.decode())
    section = _sessions_section(quinn.get(reverse("accounts:account")).content.decode())
    assert "Safari on iPhone" not in section
    assert _handles(section) == []
    rows = AccountSession.objects.count()
    # Quinn (signed in) and a visitor post Pia's handles: nothing ends.
    response = quinn.post(reverse("accounts:session_end"), {"session": pia_handles[0]}, follow=True)
    assert "That session had already ended." in response.content.decode()
    quinn.post(reverse("accounts:sessions_end_others"))
    visitor = Client()
    answer = visitor.post(reverse("accounts:session_end"), {"session": pia_handles[0]})
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:sign_in"))
    assert visitor.post(reverse("accounts:sessions_end_others")).status_code == 302
    assert AccountSession.objects.count() == rows
    assert _signed_in(pia_phone)
    assert _signed_in(pia_laptop)
    assert _signed_in(quinn)


def test_this_session_cannot_be_ended_by_its_handle_and_a_get_changes_nothing(pia: Any) -> None:
    laptop = _browser(FIREFOX)
    own = AccountSession.objects.get(session_key=laptop.cookies["sessionid"].value).handle
    assert laptop.get(reverse("accounts:session_end")).status_code == 405
    assert laptop.get(reverse("accounts:sessions_end_others")).status_code == 405
    laptop.post(reverse("accounts:session_end"), {"session": own})
    assert _signed_in(laptop)


def test_ended_idle_and_password_stale_sessions_are_not_listed(pia: Any) -> None:
    laptop, idle, expired, before_password = _browser(FIREFOX), _browser(PHONE), _browser(""), _browser("")
    session = idle.session
    session[LAST_SEEN_AT] = time.time() - 2 * 3600 - 1
    session.save()
    AccountSession.objects.filter(session_key=expired.cookies["sessionid"].value).update(
        expire_date="2000-01-01T00:00:00Z"
    )
    section = _sessions_section(laptop.get(reverse("accounts:account")).content.decode())
    assert section.count("Signed in ") == 2  # the laptop and the one signed in before the password change
    new_password = "another long passphrase here"
    laptop.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    section = _sessions_section(laptop.get(reverse("accounts:account")).content.decode())
    assert section.count("Signed in ") == 1  # only this one: the others are signed out
    assert "Sign out all other sessions" not in section
    assert not _signed_in(before_password)


def test_a_hostile_user_agent_is_shown_escaped_and_cut(pia: Any) -> None:
    hostile = "<script>alert(1)</script>" + "x" * 1000
    _browser(hostile)
    laptop = _browser(FIREFOX)
    section = _sessions_section(laptop.get(reverse("accounts:account")).content.decode())
    assert "<script>alert(1)" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" + "x" * 34 + "…" in section
    assert "x" * 40 not in section


def test_the_account_page_costs_the_same_queries_with_one_session_or_many(
    pia: Any, django_assert_num_queries: Any
) -> None:
    laptop = _browser(FIREFOX)
    laptop.get(reverse("accounts:account"))
    # Session, user, organisations, email verified, email claim, two-factor, mail settings, sessions.
    with django_assert_num_queries(8):
        assert laptop.get(reverse("accounts:account")).status_code == 200
    for _ in range(5):
        _browser(PHONE)
    with django_assert_num_queries(8):
        html = laptop.get(reverse("accounts:account")).content.decode()
    assert _sessions_section(html).count("Signed in ") == 6


def test_clearsessions_removes_expired_idle_and_too_old_sessions_and_keeps_live_ones(pia: Any) -> None:
    live, idle, too_old, expired = _browser(FIREFOX), _browser(PHONE), _browser(""), _browser("")
    for client, key, age in ((idle, LAST_SEEN_AT, 2 * 3600 + 1), (too_old, SIGNED_IN_AT, 12 * 3600 + 1)):
        session = client.session
        session[key] = time.time() - age
        session.save()
    AccountSession.objects.filter(session_key=expired.cookies["sessionid"].value).update(
        expire_date="2000-01-01T00:00:00Z"
    )
    assert AccountSession.objects.count() == 4

    call_command("clearsessions")

    assert list(AccountSession.objects.values_list("session_key", flat=True)) == [
        live.cookies["sessionid"].value
    ]
    assert _signed_in(live)
