"""Your sessions, in a real browser: a laptop and a phone signed in as one person; the phone's page marks
itself, neither page scrolls sideways, and the laptop signs the phone out, whose next page is sign-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from demo_people import signed_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def test_a_laptop_signs_the_phone_out_from_your_sessions(
    browser: Any, demo_site: Any, screenshots: Path
) -> None:
    # Not "demo": the accessibility tests sign it in many times over.
    username = next(name for name in sorted(demo_site.passwords) if name != "demo")
    _, laptop, laptop_errors = signed_in(
        browser, demo_site, username, viewport={"width": 1280, "height": 900}
    )
    _, phone, phone_errors = signed_in(
        browser, demo_site, username, viewport={"width": 390, "height": 844}, user_agent=IPHONE
    )
    try:
        phone.goto("/accounts/#sessions")
        mine = phone.locator("li.current-session")
        expect(mine).to_contain_text("Safari on iPhone")
        expect(mine.get_by_role("button")).to_have_count(0)
        widths = phone.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        phone.screenshot(path=screenshots / "phone-your-sessions.png", full_page=True)

        laptop.goto("/accounts/#sessions")
        widths = laptop.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        laptop.screenshot(path=screenshots / "desktop-your-sessions.png", full_page=True)
        row = laptop.locator("li.session", has_text="Safari on iPhone")
        row.get_by_role("button", name="Sign out this session").click()
        expect(laptop.get_by_text("That session is signed out")).to_be_visible()
        expect(laptop.locator("li.session", has_text="Safari on iPhone")).to_have_count(0)

        phone.goto("/accounts/")
        expect(phone).to_have_url(f"{demo_site.url}/accounts/sign-in/?next=/accounts/")
        laptop.goto("/accounts/")
        expect(laptop.get_by_role("heading", name="Your sessions")).to_be_visible()
        assert laptop_errors == []
        assert phone_errors == []
    finally:
        laptop.context.close()
        phone.context.close()
