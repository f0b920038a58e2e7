"""The conflict log in a real browser, on the demo workspace: Bright Start raises an issue, Meadowgate
acknowledges it and proposes a resolution, Bright Start rejects it, and both see it one rung up the
agreement's dispute ladder. Also at a phone's width (390 px), the entry's page needs no sideways scroll."""

from __future__ import annotations

from typing import Any

import pytest
from demo_people import demo_partnership, signed_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TITLE = "Who writes the newsletter piece"


def test_an_issue_is_raised_acknowledged_proposed_rejected_and_escalated(
    browser: Any, demo_site: Any
) -> None:
    charity_context, charity, charity_errors = signed_in(browser, demo_site, "demo-bright-start")
    shop_context, shop, shop_errors = signed_in(browser, demo_site, "demo-meadowgate")
    try:
        partnership = demo_partnership(charity)
        charity.goto(partnership)
        charity.get_by_role("link", name="Conflicts").click()
        charity.get_by_role("link", name="Raise an issue").click()
        charity.get_by_label("Title").fill(TITLE)
        charity.get_by_label("What is the issue?").fill(
            "Both of us announced the pilot in our newsletters, differently."
        )
        charity.get_by_label("Category").select_option("roles")
        charity.get_by_label("Severity").select_option("low")
        charity.get_by_role("button", name="Raise it").click()
        charity.wait_for_load_state()
        expect(charity.locator("#conflict-state")).to_contain_text("Raised")
        expect(charity.locator("#conflict-rung")).to_contain_text("The partners' leads")
        issue = charity.url

        shop.goto(issue)
        shop.get_by_role("button", name="Acknowledge for my organisation").click()
        shop.wait_for_load_state()
        expect(shop.locator("#conflict-state")).to_contain_text("Acknowledged")
        shop.get_by_role("link", name="Propose a resolution").click()
        shop.get_by_label("Interests behind the positions").fill(
            "Each of us wants its members to hear it first."
        )
        shop.get_by_label("The resolution you propose").fill("We write it; you read it before it goes out.")
        shop.get_by_role("button", name="Propose").click()
        shop.wait_for_load_state()
        expect(shop.locator("#conflict-state")).to_contain_text("Resolution proposed")

        charity.goto(issue)
        charity.get_by_label("Answer").select_option("reject")
        charity.get_by_label("Why (optional)").fill("We want to write it together.")
        charity.get_by_role("button", name="Send my answer").click()
        charity.wait_for_load_state()
        for page in (charity, shop):
            page.goto(issue)
            expect(page.locator("#conflict-state")).to_contain_text("Escalated")
            expect(page.locator("#conflict-rung")).to_contain_text("Senior leaders")
            expect(page.locator("#conflict-stage")).to_contain_text("Glasl stage")

        charity.set_viewport_size({"width": 390, "height": 844})
        charity.goto(issue)
        assert charity.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert charity_errors + shop_errors == []
    finally:
        charity_context.close()
        shop_context.close()
