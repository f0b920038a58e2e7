"""Security finding F5: two-factor sign-in on the account page (accounts/mfa_views.py, mfa_services.py):
setting up an authenticator, recovery codes shown once and stored hashed, turning it off, the emails."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from mfa_steps import PASSWORD, code_for, code_step, password_step, signed_in

from commonground.web.accounts.models import RecoveryCode

pytestmark = pytest.mark.django_db


def _secret_key(page: str) -> bytes:
    """The secret as the set-up page writes it for typing (base32, in groups), as bytes."""
    found = re.search(r'<code class="mfa-secret">([A-Z2-7 ]+)</code>', page)
    assert found is not None
    return base64.b32decode(found.group(1).replace(" ", ""))


def _codes_in(response: Any) -> list[str]:
    """The recovery codes a page shows."""
    return re.findall(r"<li><code>([a-z2-9-]+)</code></li>", response.content.decode())


def _turn_on(client: Client) -> tuple[bytes, Any]:
    page = client.get(reverse("accounts:mfa_setup")).content.decode()
    key = _secret_key(page)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("accounts:mfa_setup"), {"code": f"{totp(key):06d}", "password": PASSWORD}
        )
    return key, response


def test_set_up_shows_the_secret_as_text_and_qr_and_stores_nothing_yet(pia: Any, client_for: Any) -> None:
    client = client_for(pia)
    page = client.get(reverse("accounts:mfa_setup")).content.decode()
    assert len(_secret_key(page)) == 20
    assert 'src="data:image/svg+xml' in page  # the QR code, an image the CSP allows
    # Reloading keeps the same secret (the app may have scanned it already).
    assert _secret_key(client.get(reverse("accounts:mfa_setup")).content.decode()) == _secret_key(page)
    assert TOTPDevice.objects.count() == 0
    assert "is <strong>off</strong>" in client.get(reverse("accounts:account")).content.decode()


def test_a_wrong_code_or_password_does_not_turn_it_on(pia: Any, client_for: Any) -> None:
    client = client_for(pia)
    key = _secret_key(client.get(reverse("accounts:mfa_setup")).content.decode())
    wrong = f"{(totp(key) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:mfa_setup"), {"code": wrong, "password": PASSWORD})
    assert "does not match" in response.content.decode()
    response = client.post(reverse("accounts:mfa_setup"), {"code": f"{totp(key):06d}", "password": "nope"})
    assert "not your password" in response.content.decode()
    assert TOTPDevice.objects.count() == 0


def test_turning_it_on_shows_ten_codes_once_stores_only_their_hashes_and_tells_the_address(
    pia: Any, client_for: Any
) -> None:
    client = client_for(pia)
    elsewhere = client_for(pia)
    key, response = _turn_on(client)
    assert response.status_code == 200
    codes = _codes_in(response)
    assert len(codes) == 10 == len(set(codes))
    assert all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){6}", code) for code in codes)
    stored = set(RecoveryCode.objects.filter(user=pia).values_list("code_hash", flat=True))
    assert stored == {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}
    assert not any(code in str(stored) for code in codes)
    device = TOTPDevice.objects.get(user=pia)
    assert device.confirmed
    assert device.bin_key == key
    [notice] = mail.outbox
    assert notice.to == ["pia@example.org"]
    assert notice.subject == "Two-factor sign-in is on for your Common Ground account"
    # This session stays; every other one ends (it never gave a code).
    assert client.get(reverse("accounts:account")).status_code == 200
    assert elsewhere.get(reverse("accounts:account"))["Location"].startswith(reverse("accounts:sign_in"))
    overview = client.get(reverse("accounts:mfa")).content.decode()
    assert "is <strong>on</strong>" in overview
    assert "<strong>10</strong> unused recovery codes" in overview
    assert not any(code in overview for code in codes)  # never shown again


def test_the_code_that_turned_it_on_cannot_sign_in(pia: Any, client_for: Any) -> None:
    key, _ = _turn_on(client_for(pia))
    client = Client()
    password_step(client, "pia")
    code_step(client, f"{totp(key):06d}")
    assert not signed_in(client)


def test_new_recovery_codes_need_the_password_and_replace_the_old(
    pia: Any, pia_device: Any, client_for: Any
) -> None:
    client = client_for(pia)
    url = reverse("accounts:mfa_recovery_codes")
    assert client.post(url, {"password": "nope"})["Location"] == reverse("accounts:mfa")
    assert RecoveryCode.objects.count() == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        first, second = (_codes_in(client.post(url, {"password": PASSWORD})) for _ in range(2))
    assert len(first) == len(second) == 10
    assert not set(first) & set(second)
    assert [m.subject for m in mail.outbox] == ["New recovery codes for your Common Ground account"] * 2
    signing_in = Client()
    password_step(signing_in, "pia")
    assert "used already" in code_step(signing_in, first[0]).content.decode()  # an old one: gone


def test_turning_it_off_needs_the_password_and_a_current_code(
    pia: Any, pia_device: Any, client_for: Any, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client, elsewhere = client_for(pia), client_for(pia)
    url = reverse("accounts:mfa_disable")
    client.post(url, {"password": "nope", "code": code_for(pia_device)})
    wrong = f"{(int(code_for(pia_device)) + 1) % 1_000_000:06d}"
    client.post(url, {"password": PASSWORD, "code": wrong})
    assert TOTPDevice.objects.filter(user=pia).exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"password": PASSWORD, "code": code_for(pia_device)})
    assert response["Location"] == reverse("accounts:mfa")
    assert not TOTPDevice.objects.filter(user=pia).exists()
    assert mail.outbox[-1].subject == "Two-factor sign-in is off for your Common Ground account"
    assert client.get(reverse("accounts:account")).status_code == 200
    assert elsewhere.get(reverse("accounts:account")).status_code == 302
    fresh = Client()
    password_step(fresh, "pia")
    assert signed_in(fresh)  # the password alone again


def test_an_unverified_address_is_not_mailed(make_user: Any, client_for: Any) -> None:
    quinn = make_user("quinn", email="quinn@example.org", password=PASSWORD, verified=False)
    _, response = _turn_on(client_for(quinn))
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=quinn, confirmed=True).exists()
    assert mail.outbox == []  # an unverified address may be someone else's mailbox


def test_recovery_codes_carry_at_least_128_random_bits() -> None:
    # ASVS 5.0 V11.5.1 (128 bits for secrets nobody may guess), so a plain SHA-256 stores them (V6.5.2).
    from math import log2

    from commonground.web.accounts.mfa_services import recovery_code_new

    codes = {recovery_code_new() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        raw = code.replace("-", "")
        assert len(raw) * log2(31) >= 128
        assert not set(raw) & set("01ilo")  # nothing to misread when copied from paper
