"""Security finding F5: signing in with two-factor sign-in (accounts/mfa_sign_in.py): the password, then a
code, and nothing reachable in between; replays, recovery codes, lock-out and a password reset."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from mfa_steps import PASSWORD, code_for, code_step, password_step, signed_in

from commonground.web.accounts import mfa_services
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def totp_now(key: str) -> str:
    """The code an app holding ``key`` shows now."""
    return f"{totp(bytes.fromhex(key)):06d}"


def test_without_two_factor_the_password_signs_in(pia: Any) -> None:
    client = Client()
    response = password_step(client, "pia")
    assert response.status_code == 302
    assert response["Location"] == reverse("home:index")
    assert signed_in(client)


def test_with_two_factor_the_password_leads_to_the_code_then_in(pia: Any, pia_device: Any) -> None:
    client = Client()
    response = password_step(client, "pia", next="/accounts/")
    assert response["Location"] == reverse("accounts:sign_in_code")
    assert not signed_in(client)
    page = client.get(reverse("accounts:sign_in_code"))
    assert "authenticator app" in page.content.decode()
    response = code_step(client, code_for(pia_device))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"  # where the sign-in was going
    assert signed_in(client)


@pytest.mark.parametrize("next_value", ["on", "https://evil.example/"])
def test_after_the_code_a_next_that_is_not_a_page_of_this_site_leads_home(
    pia: Any, pia_device: Any, next_value: str
) -> None:
    client = Client()
    password_step(client, "pia", next=next_value)
    response = code_step(client, code_for(pia_device))
    assert response.status_code == 302
    assert response["Location"] == reverse("home:index")
    assert signed_in(client)


def test_nothing_is_reachable_between_the_password_and_the_code(
    pia: Any, pia_device: Any, harbor_profile: Any, with_mfa: Any
) -> None:
    harbor: Organisation = organisation_services.organisation_create(user=pia, profile=harbor_profile)
    pia.is_staff = pia.is_superuser = True
    pia.save()
    client = Client()
    password_step(client, "pia")
    slug = harbor.slug
    pages = [
        reverse("accounts:account"),
        reverse("accounts:mfa"),
        reverse("accounts:mfa_setup"),
        reverse("accounts:password_change"),
        reverse("organisations:detail", kwargs={"slug": slug}),
        reverse("organisations:members", kwargs={"slug": slug}),
        reverse("organisations:history", kwargs={"slug": slug}),
        reverse("organisations:profile_export", kwargs={"slug": slug, "fmt": "yaml"}),
        reverse("partnerships:list"),
        reverse("partnerships:portfolio", kwargs={"slug": slug}),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign_in")), url
    fragment = client.get(
        reverse("organisations:profile_row", kwargs={"slug": slug, "part": "goals"}),
        {"goals-TOTAL_FORMS": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == 401  # htmx gets the "sign in again" notice, never the fragment
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert "/admin/login/" in admin["Location"] or admin["Location"].startswith(reverse("accounts:sign_in"))
    home = client.get(reverse("home:index")).content.decode()
    assert "Harbor" not in home  # the visitors' landing page, not pia's organisations
    assert client.post(reverse("organisations:new"), {}).status_code == 302
    assert not signed_in(client)
    # The code still completes the sign-in afterwards.
    code_step(client, code_for(pia_device))
    assert client.get(reverse("organisations:detail", kwargs={"slug": slug})).status_code == 200


def test_a_code_cannot_be_used_twice(pia: Any, pia_device: Any) -> None:
    code = code_for(pia_device)
    first = Client()
    password_step(first, "pia")
    code_step(first, code)
    assert signed_in(first)
    # Someone who watched the code being typed tries it within the same 30 seconds.
    second = Client()
    password_step(second, "pia")
    response = code_step(second, code)
    assert response.status_code == 200
    assert "used already" in response.content.decode()
    assert not signed_in(second)


def test_a_code_is_good_for_its_30_seconds_and_one_step_either_side_only(
    pia: Any, pia_device: Any, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # each refused code would otherwise make the device wait
    assert (pia_device.step, pia_device.tolerance) == (30, 1)
    for steps in (-2, 2):  # a minute old, or a minute ahead
        client = Client()
        password_step(client, "pia")
        code_step(client, code_for(pia_device, steps_ahead=steps))
        assert not signed_in(client), steps
    client = Client()
    password_step(client, "pia")
    code_step(client, code_for(pia_device, steps_ahead=-1))  # the app's clock a little behind
    assert signed_in(client)


def test_the_next_code_works_after_a_used_one(pia: Any, pia_device: Any, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the replay above would otherwise make the device wait
    now, next_one = code_for(pia_device), code_for(pia_device, steps_ahead=1)
    client = Client()
    password_step(client, "pia")
    code_step(client, now)
    client.post(reverse("accounts:sign_out"))
    password_step(client, "pia")
    assert code_step(client, now).status_code == 200  # refused: spent
    assert not signed_in(client)
    code_step(client, next_one)  # the app's next code, 30 seconds later
    assert signed_in(client)


def test_a_recovery_code_signs_in_once(pia: Any, pia_device: Any, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    codes = mfa_services.mfa_recovery_codes_regenerate(user=pia)
    client = Client()
    password_step(client, "pia")
    response = code_step(client, codes[3].upper().replace("-", " "))  # typed loosely
    assert signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "9 are left" in page
    client.post(reverse("accounts:sign_out"))
    password_step(client, "pia")
    response = code_step(client, codes[3])
    assert "used already" in response.content.decode()
    assert not signed_in(client)
    code_step(client, codes[4])
    assert signed_in(client)


def test_wrong_codes_count_towards_the_sign_in_lock_out(pia: Any, pia_device: Any, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only axes here; the device's own wait is tested below
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert password_step(client, "pia").status_code == 302
    wrong = f"{(int(code_for(pia_device)) + 1) % 1_000_000:06d}"
    answers = [code_step(client, wrong).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Locked: neither the password nor the right code gets in from this address now.
    assert password_step(client, "pia").status_code == 429
    assert code_step(client, code_for(pia_device)).status_code == 302  # back to the password step
    assert not signed_in(client)
    # Another address is not affected, and a right code clears the count.
    elsewhere = Client(REMOTE_ADDR="198.51.100.4")
    password_step(elsewhere, "pia")
    code_step(elsewhere, code_for(pia_device))
    assert signed_in(elsewhere)


def test_after_a_wrong_code_the_device_makes_every_guesser_wait(
    pia: Any, pia_device: Any, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after one wrong code (1 s by default): no race here
    first = Client(REMOTE_ADDR="203.0.113.20")
    password_step(first, "pia")
    wrong = f"{(int(code_for(pia_device)) + 1) % 1_000_000:06d}"
    code_step(first, wrong)
    # From another address at once, even the right code waits (guesses spread over addresses).
    second = Client(REMOTE_ADDR="203.0.113.21")
    password_step(second, "pia")
    response = code_step(second, code_for(pia_device))
    assert re.search(r"Too many wrong codes: wait (5\d|60) seconds", response.content.decode())
    assert not signed_in(second)
    pia_device.refresh_from_db()
    assert pia_device.throttling_failure_count == 1


def test_a_recovery_code_works_while_the_device_makes_guessers_wait(
    pia: Any, pia_device: Any, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    codes = mfa_services.mfa_recovery_codes_regenerate(user=pia)
    attacker = Client(REMOTE_ADDR="203.0.113.30")
    password_step(attacker, "pia")
    code_step(attacker, f"{(int(code_for(pia_device)) + 1) % 1_000_000:06d}")
    owner = Client(REMOTE_ADDR="198.51.100.30")
    password_step(owner, "pia")
    code_step(owner, codes[0])
    assert signed_in(owner)


def test_wrong_codes_never_lock_the_owner_out_for_long(pia: Any, pia_device: Any) -> None:
    # 25 wrong codes would mean a wait of 2**24 seconds (half a year) in django-otp; ours stops at 512.
    pia_device.throttling_failure_count = 25
    pia_device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=600)
    pia_device.save()
    client = Client()
    password_step(client, "pia")
    code_step(client, code_for(pia_device))
    assert signed_in(client)


def test_turning_two_factor_on_again_cannot_replace_the_authenticator(pia: Any, pia_device: Any) -> None:
    key = mfa_services.setup_key_new()
    with pytest.raises(mfa_services.MfaError, match="already on"):
        mfa_services.mfa_enable(user=pia, key=key, code=totp_now(key), password=PASSWORD)
    assert pia_device.__class__.objects.filter(user=pia).count() == 1


def test_the_code_step_waits_only_a_few_minutes(pia: Any, pia_device: Any, settings: Any) -> None:
    client = Client()
    password_step(client, "pia")
    settings.MFA_SIGN_IN_SECONDS = 0
    response = code_step(client, code_for(pia_device))
    assert response["Location"] == reverse("accounts:sign_in")
    assert not signed_in(client)


def test_a_password_reset_does_not_skip_the_code(pia: Any, pia_device: Any) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "pia@example.org"})
    link = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert link is not None
    form = client.get(link.group(0).split("testserver", 1)[1], follow=True)
    new_password = "a new and long passphrase"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    assert not signed_in(client)  # the reset signs no one in
    assert password_step(client, "pia", new_password)["Location"] == reverse("accounts:sign_in_code")
    assert not signed_in(client)
    code_step(client, code_for(pia_device))
    assert signed_in(client)
    assert new_password != PASSWORD


def test_the_code_page_without_a_password_first_sends_back(pia_device: Any) -> None:
    response = Client().get(reverse("accounts:sign_in_code"))
    assert response["Location"] == reverse("accounts:sign_in")
    assert settings.MFA_SIGN_IN_SECONDS == 300
