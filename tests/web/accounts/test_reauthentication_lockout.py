"""A stolen session cannot guess the password on the pages that ask for it again (email change, password
change, two-factor on and off, new recovery codes, a new API token): each wrong password counts towards
the sign-in lock-out, and once locked not even the right password is taken there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonground.web.accounts.models import RecoveryCode
from commonground.web.api.models import AccessToken

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new and long passphrase"

# Each page that asks for the password again: (URL name, whether the account has two-factor sign-in on,
# the form it posts with a given password).
PAGES: dict[str, tuple[str, bool, Callable[[str, str], dict[str, str]]]] = {
    "email change": (
        "accounts:account", False,
        lambda password, code: {"first_name": "", "last_name": "", "email": "attacker@evil.example",
                                "current_password": password},
    ),
    "password change": (
        "accounts:password_change", False,
        lambda password, code: {"old_password": password, "new_password1": NEW_PASSWORD,
                                "new_password2": NEW_PASSWORD},
    ),
    "two-factor on": (
        "accounts:mfa_setup", False, lambda password, code: {"password": password, "code": "123456"}
    ),
    "two-factor off": (
        "accounts:mfa_disable", True, lambda password, code: {"password": password, "code": code}
    ),
    "recovery codes": ("accounts:mfa_recovery_codes", True, lambda password, code: {"password": password}),
    "API token": (
        "api:tokens", False,
        lambda password, code: {"name": "mine now", "scope": "write", "valid_days": "365",
                                "password": password, "code": code},
    ),
}  # fmt: skip


def _account_state(user: Any) -> tuple[Any, ...]:
    user.refresh_from_db()
    return (
        user.email,
        user.password,
        TOTPDevice.objects.filter(user=user, confirmed=True).count(),
        # The project's own recovery codes (django-otp's static-token plugin is not installed).
        sorted(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True)),
        AccessToken.objects.filter(user=user).count(),
    )


def _sign_in(address: str) -> int:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("accounts:sign_in"), {"username": "victim", "password": PASSWORD})
    return int(response.status_code)


@pytest.mark.parametrize("page", list(PAGES))
def test_wrong_passwords_there_count_towards_the_sign_in_lock_out(
    page: str, make_user: Any, with_mfa: Any, client_for: Any
) -> None:
    url_name, two_factor, form = PAGES[page]
    victim = make_user("victim", email="victim@example.org", password=PASSWORD)
    device = with_mfa(victim) if two_factor else None
    hijacked: Client = client_for(victim)  # the session cookie is all the attacker holds
    hijacked.defaults["REMOTE_ADDR"] = "203.0.113.66"
    before = _account_state(victim)
    url = reverse(url_name)

    answers = [
        hijacked.post(url, form(f"guess {i}", "")).status_code for i in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert 429 not in answers[:-1]
    assert answers[-1] == 429
    assert "Too many" in hijacked.post(url, form("another guess", "")).content.decode()

    # Locked: even the right password (and a right code) is not taken, and nothing has changed.
    code = f"{totp(device.bin_key):06d}" if device is not None else ""
    assert hijacked.post(url, form(PASSWORD, code)).status_code == 429
    assert _account_state(victim) == before
    # As after wrong passwords on the sign-in page: that address is paused, others are not.
    assert _sign_in("203.0.113.66") == 429
    assert _sign_in("198.51.100.9") == 302


def test_a_right_password_before_the_limit_still_works(make_user: Any, client_for: Any) -> None:
    victim = make_user("victim", email="victim@example.org", password=PASSWORD)
    client = client_for(victim)
    form = PAGES["email change"][2]
    for typo in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("accounts:account"), form(f"typo {typo}", "")).status_code == 200
    assert client.post(reverse("accounts:account"), form(PASSWORD, "")).status_code == 302
    victim.refresh_from_db()
    assert victim.email == "attacker@evil.example"


def test_the_kept_failures_hold_none_of_the_passwords_typed(make_user: Any, client_for: Any) -> None:
    victim = make_user("victim", password=PASSWORD)
    client = client_for(victim)
    client.post(reverse("accounts:password_change"), PAGES["password change"][2]("Wrong-Secret-1", ""))
    client.post(reverse("accounts:account"), PAGES["email change"][2]("Wrong-Secret-2", ""))
    attempt = AccessAttempt.objects.get(username="victim")
    assert attempt.failures_since_start == 2
    assert "Wrong-Secret" not in attempt.post_data
    assert NEW_PASSWORD not in attempt.post_data
