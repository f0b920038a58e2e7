"""Two-factor sign-in in a real browser: set up an authenticator from the account page (the secret typed
from the page, as a phone without a camera would), keep the recovery codes, sign out, and sign in with
the password and then a code. The codes are computed as an authenticator app does (django-otp's TOTP)."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PASSWORD = "a long browser-test passphrase"  # conftest's sign-up password


def test_set_up_two_factor_then_sign_in_with_a_code(person: Any, screenshots: Path) -> None:
    mina = person("mina")
    mina.sign_up()
    page = mina.page
    page.goto("/accounts/")
    expect(page.get_by_text("Two-factor sign-in is off")).to_be_visible()
    page.get_by_role("link", name="set it up").click()
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code of the set-up link")).to_be_visible()
    secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret)
    page.screenshot(path=screenshots / "60-mfa-set-up.png", full_page=True)

    page.get_by_label("Code from the app").fill(f"{totp(key):06d}")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them").click()
    expect(page.get_by_text("Two-factor sign-in is on")).to_be_visible()
    assert any("Two-factor sign-in is on for your Common Ground account" in m for m in mina.mails())

    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(mina.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in: your code")
    page.goto("/accounts/")  # between the two steps the account is not reachable
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next="))
    page.goto("/accounts/sign-in/code/")
    # The code that turned it on is spent; the app's next one (30 s later, within the allowed drift) works.
    page.get_by_label("Code").fill(f"{totp(key, drift=1):06d}")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/accounts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    page.screenshot(path=screenshots / "61-mfa-signed-in.png", full_page=True)
    assert mina.console_errors == []
