"""The network survey in a real browser, on the demo's coalition (Riverside Together, 30 organisations):
the food bank's admin looks at the demo's closed round (the picture, switched to value, and the change
since the round before), opens a new round, answers for the food bank about two organisations, closes
the round, sees its picture and downloads its ties."""

from __future__ import annotations

from typing import Any

import pytest
from demo_people import signed_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DIMENSIONS = (
    "Value: power and influence",
    "Value: level of involvement",
    "Value: resources contributed",
    "Trust: reliable",
    "Trust: in support of the mission",
    "Trust: open to discussion",
)


def test_a_round_opened_answered_and_closed_shows_its_network(browser: Any, demo_site: Any) -> None:
    context, page, errors = signed_in(browser, demo_site, "demo-riverside")
    try:
        page.goto("/partnerships/")
        page.locator("main").get_by_role("link", name="Riverside Together").click()
        page.locator("nav.org-nav").get_by_role("link", name="Network").click()

        page.get_by_role("link", name="2026-spring").click()
        main = page.locator("main")
        expect(main.locator("figure.chart svg")).to_be_visible()
        expect(main).to_contain_text("change since 2025-spring")
        expect(main).to_contain_text("Single points of failure")
        page.get_by_role("link", name="value", exact=True).click()
        expect(main.locator("strong", has_text="value")).to_be_visible()

        page.locator("nav.org-nav").get_by_role("link", name="Network").click()
        page.get_by_text("Open a round").click()
        page.get_by_label("Name of the round").fill("2026-autumn")
        page.get_by_role("button", name="Open the round").click()
        expect(page.get_by_text("The round is open")).to_be_visible()
        expect(page.get_by_role("heading", name="Answers of Riverside Community Food Bank")).to_be_visible()

        page.get_by_role("link", name="Answer about Riverside Together (backbone)").click()
        page.get_by_role("group", name="Do you work with them?").get_by_label(
            "We work with them", exact=True
        ).check()
        page.get_by_role("group", name="How you work together").get_by_label("4 joint").check()
        for name in DIMENSIONS:
            page.get_by_role("group", name=name).get_by_label("4 very much").check()
        page.get_by_role("button", name="Save the answer").click()
        expect(page.get_by_text("Work together: level 4, trust 4/4/4, value 4/4/4")).to_be_visible()

        page.get_by_role("link", name="Answer about Old Mill Arts Centre").click()
        page.get_by_label("We do not work with them").check()
        page.get_by_role("button", name="Save the answer").click()
        expect(page.get_by_text("We do not work with them")).to_be_visible()

        # 1 of 30 organisations answered: closing asks for the box to be ticked first.
        expect(page.get_by_text("Only 1 of 30 organisations has answered so far")).to_be_visible()
        page.get_by_label("Close with the answers of only 1 of 30 organisations").check()
        page.get_by_role("button", name="Close the round and show the results").click()
        expect(page.get_by_text("The round is closed")).to_be_visible()
        expect(main).to_contain_text("30 organisations (1 answered), 1 tie")
        expect(main.locator("figure.chart svg")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Ties (CSV)").click()
        ties = download.value.path().read_text(encoding="utf-8-sig")
        assert "Riverside Together (backbone),Riverside Community Food Bank" in ties or (
            "Riverside Community Food Bank,Riverside Together (backbone)" in ties
        )
        assert errors == []
    finally:
        context.close()
