"""The agreement in a real browser, on the demo workspace, whose agreement both partners signed: one
partner edits WHY, which reopens sign-off, both partners' admins sign the new version in force, and both
see it signed again. (Starting a draft from the assessment: tests/web/agreements/test_agreement_pages.py.)"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from demo_people import demo_partnership, signed_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VISION = "Every child in the district eats a healthy lunch, and the shop next to the school helps."


def test_two_partners_edit_the_signed_agreement_and_sign_it_again(browser: Any, demo_site: Any) -> None:
    charity_context, charity, charity_errors = signed_in(browser, demo_site, "demo-bright-start")
    shop_context, shop, shop_errors = signed_in(browser, demo_site, "demo-meadowgate")
    try:
        partnership = demo_partnership(charity)
        charity.goto(f"{partnership}agreement/")
        expect(charity.locator("#agreement-state")).to_contain_text("Signed")  # the demo's, by both

        charity.get_by_role("link", name="Edit Why: vision, objectives and principles").click()
        charity.get_by_label("Shared vision").fill(VISION)
        charity.get_by_role("button", name="Save").click()
        charity.wait_for_load_state()
        expect(charity.get_by_text(VISION)).to_be_visible()
        state = charity.locator("#agreement-state")
        expect(state).to_contain_text("Draft")
        expect(state).to_contain_text("Changed since Bright Start Child Health Trust signed version")
        version = re.search(r"Version (\d+),", state.inner_text())
        assert version is not None
        charity.get_by_role(
            "button", name=f"Sign version {version[1]} for Bright Start Child Health Trust"
        ).click()
        charity.wait_for_load_state()
        expect(charity.locator("#agreement-state")).to_contain_text("Draft")

        shop.goto(f"{partnership}agreement/")
        expect(shop.get_by_text(VISION)).to_be_visible()
        shop.get_by_role("button", name=f"Sign version {version[1]} for Meadowgate Supermarkets").click()
        shop.wait_for_load_state()
        for page in (shop, charity):
            page.goto(f"{partnership}agreement/")
            state = page.locator("#agreement-state")
            expect(state).to_contain_text("Signed")
            expect(state).to_contain_text(
                f"Every partner has signed version {version[1]}: the agreement is agreed."
            )
        assert charity_errors + shop_errors == []
    finally:
        charity_context.close()
        shop_context.close()


def _day(n: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def test_a_partner_enters_a_kpi_reading_and_two_partners_vote(browser: Any, demo_site: Any) -> None:
    """After the signing flow (or on its own): a joint KPI is written into WHAT, Bright Start enters a
    reading and sees the status change; Bright Start proposes, both partners vote, both see it passed."""
    charity_context, charity, charity_errors = signed_in(browser, demo_site, "demo-bright-start")
    shop_context, shop, shop_errors = signed_in(browser, demo_site, "demo-meadowgate")
    try:
        partnership = demo_partnership(charity)
        charity.goto(f"{partnership}agreement/")
        start = charity.get_by_role("button", name="Start the agreement")
        if start.count():
            start.click()
            charity.wait_for_load_state()
        charity.goto(f"{partnership}agreement/parts/what/")
        charity.locator("textarea[name=box]").fill(
            "workstreams: []\ncommitments: []\nkpis:\n- id: lunches\n  name: Healthy lunches served\n"
            f"  category: social\n  unit: lunches\n  baseline: {{value: 0, date: '{_day(-100)}'}}\n"
            f"  targets: [{{value: 1000, date: '{_day(100)}'}}]\n"
        )
        charity.get_by_role("button", name="Save").click()
        charity.wait_for_load_state()

        charity.get_by_role("navigation", name="Agreement").get_by_role("link", name="KPIs").click()
        charity.get_by_role("link", name="Healthy lunches served").click()
        status = charity.locator("#kpi-status")
        expect(status).to_contain_text("No data")
        charity.get_by_label("Date of the reading").fill(_day(0))
        charity.locator("#id_value").fill("480")
        charity.get_by_role("button", name="Save the reading").click()
        charity.wait_for_load_state()
        expect(charity.locator("#kpi-status")).to_contain_text("On track")
        expect(charity.locator(".cg-kpi-trend")).to_be_visible()

        charity.get_by_role("navigation", name="Agreement").get_by_role("link", name="Decisions").click()
        charity.get_by_label("Title").fill("Open the kitchen on Saturdays")
        charity.get_by_label("Voting closes on").fill(_day(7))
        charity.get_by_role("button", name="Put it to the partners").click()
        charity.wait_for_load_state()
        decision = charity.url
        charity.get_by_label("Position of Bright Start Child Health Trust").select_option("yes")
        charity.get_by_role("button", name="Vote for Bright Start Child Health Trust").click()
        charity.wait_for_load_state()
        expect(charity.locator("#decision-outcome")).to_contain_text("Pending")

        shop.goto(decision)
        shop.get_by_label("Position of Meadowgate Supermarkets").select_option("yes")
        shop.get_by_role("button", name="Vote for Meadowgate Supermarkets").click()
        shop.wait_for_load_state()
        for page in (shop, charity):
            page.goto(decision)
            expect(page.locator("#decision-outcome")).to_contain_text("Passed")
        assert charity_errors + shop_errors == []
    finally:
        charity_context.close()
        shop_context.close()
