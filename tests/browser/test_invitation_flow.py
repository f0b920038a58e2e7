"""From scratch in a real browser: two new people, two organisations, an invitation by email to an address
with no account, sign-up from the emailed link, accept, a first assessment, and both see the partnership.

Every step a person takes (a page they open, a form they send) is counted: at most 10 each. The emails
are read from the server's log, where the console backend prints them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MAX_STEPS = 10
PASSWORD = "a long browser-test passphrase"


def test_from_scratch_two_people_join_a_partnership_by_email_in_at_most_ten_steps_each(
    person: Any, screenshots: Path
) -> None:
    amina, kai = person("amina"), person("kai")
    steps: Counter[str] = Counter()

    # Amina signs up and verifies her address (sign-up, open the mailed link, confirm).
    amina.sign_up()
    steps["amina"] += 3
    page = amina.page
    page.goto("/o/new/")
    steps["amina"] += 1
    page.locator("#id_name").fill("Northfield Youth Trust")
    page.locator("#id_kind").select_option("nonprofit")
    page.locator("#id_mission").fill("Get more teenagers in Northfield doing weekly sport.")
    page.get_by_role("button", name="Create").click()
    steps["amina"] += 1
    page.goto("/partnerships/")
    steps["amina"] += 1
    page.get_by_role("link", name="Start a partnership for Northfield Youth Trust").click()
    steps["amina"] += 1
    page.locator("#id_name").fill("Sport for all")
    page.locator("#id_description").fill("Football for every child in Northfield.")
    page.get_by_role("button", name="Start").click()
    steps["amina"] += 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Sport for all")
    # Kai has no account: nothing on the page may say so (the same answer for any address).
    page.get_by_role("textbox", name="Email address of someone at the organisation").fill(kai.email)
    page.get_by_role("button", name="Send the invitation").first.click()
    steps["amina"] += 1
    expect(page.get_by_text(f"Invitation emailed to {kai.email}.")).to_be_visible()
    expect(page.locator("#invitations-heading + ul")).to_contain_text("pending")
    page.screenshot(path=screenshots / "20-invitation-sent.png", full_page=True)

    # Kai opens the emailed link, signs up from it, comes back, creates his club and accepts.
    kai.page.goto(kai.mailed_link("/partnerships/join/"))
    steps["kai"] += 1
    expect(kai.page.get_by_role("heading", level=1)).to_have_text("Join the partnership “Sport for all”?")
    expect(kai.page.get_by_text("Northfield Youth Trust invites your organisation")).to_be_visible()
    kai.page.screenshot(path=screenshots / "21-invitation-anonymous.png", full_page=True)
    kai.page.get_by_role("link", name="Create an account").click()
    steps["kai"] += 1
    expect(kai.page.get_by_label("Email")).to_have_value(kai.email)
    kai.page.get_by_label("Username").fill(kai.username)
    kai.page.locator("#id_password1").fill(PASSWORD)
    kai.page.locator("#id_password2").fill(PASSWORD)
    kai.page.get_by_role("button", name="Create account").click()
    steps["kai"] += 1
    expect(kai.page.get_by_role("heading", level=1)).to_have_text("Join the partnership “Sport for all”?")
    kai.page.get_by_label("Name").fill("Northfield City Football Club")
    kai.page.get_by_label("Kind").select_option("company")
    kai.page.get_by_label("Mission").fill("Football for the whole city, from under-7s to the first team.")
    kai.page.screenshot(path=screenshots / "22-invitation-accept.png", full_page=True)
    kai.page.get_by_role("button", name="Accept and join").click()
    steps["kai"] += 1
    expect(kai.page.get_by_role("heading", level=1)).to_have_text("Sport for all")
    partners = kai.page.locator("#partners-heading + ul")
    expect(partners).to_contain_text("Northfield Youth Trust")
    expect(partners).to_contain_text("Northfield City Football Club")

    # Kai runs the first assessment.
    # The first assessment of the session loads the engine's model in the server: give it time.
    kai.page.get_by_role("button", name="Run a new assessment").click(timeout=90_000)
    steps["kai"] += 1
    expect(kai.page.locator(".assessment-score")).to_contain_text("Compatibility", timeout=30_000)

    # Amina is emailed that Kai's club joined; its link opens the partnership with both and the assessment.
    page.goto(amina.mailed_link("/partnerships/"))
    steps["amina"] += 1
    expect(page.locator("#partners-heading + ul")).to_contain_text("Northfield City Football Club")
    expect(page.locator("#latest-heading + p")).to_contain_text("Score")
    expect(page.locator("#invitations-heading + ul")).to_contain_text("Northfield City Football Club joined")
    page.screenshot(path=screenshots / "23-inviter-sees-partner.png", full_page=True)
    assert any("Northfield City Football Club accepted your invitation" in mail for mail in amina.mails())

    assert steps["amina"] <= MAX_STEPS, steps
    assert steps["kai"] <= MAX_STEPS, steps
    assert amina.console_errors + kai.console_errors == []
