"""Find partners in a real browser: a directory loaded by the site's administrators, a filter, and
"invite to a partnership" from a hit, which starts the partnership and ends in an emailed invitation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_filtered_hit_is_invited_to_a_partnership(directory_person: Any, screenshots: Path) -> None:
    rosa = directory_person("rosa")
    rosa.sign_up()
    page = rosa.page
    page.goto("/o/new/")
    page.locator("#id_name").fill("Northfield Reading Circle")
    page.locator("#id_kind").select_option("nonprofit")
    page.locator("#id_mission").fill("Help adults and children in Northfield learn to read and love books.")
    page.get_by_role("button", name="Create").click()
    # Opening the page ranks the directory at once; the first ranking loads the model (slow under load).
    page.get_by_role("link", name="Find partners", exact=True).click(timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Northfield Reading Circle: find partners")
    # Unfiltered, the directory's up-to-date index ranks it, and one quiet line says so.
    expect(page.locator(".search-mode")).to_have_text(re.compile("^Approximate search: "), timeout=60_000)
    page.get_by_label("Country").fill("GB")
    page.get_by_role("button", name="Find partners").click()
    hits = page.locator("ol.hits > li.hit")
    expect(hits.first).to_be_visible(timeout=60_000)  # the first query loads the model
    # Two of the six are in Great Britain: too few for the index, so the exact search ran.
    expect(page.locator(".search-mode")).to_have_text(
        "Exact search: the country filter keeps 33% of the directory, too few for the approximate index."
    )
    # The filter holds: every hit is in Great Britain, and an organisation elsewhere is not listed.
    for text in hits.all_inner_texts():
        assert re.search(r"· GB\b", text), text
    expect(page.get_by_role("heading", name=re.compile("Greenfold Seed Cooperative"))).to_have_count(0)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=screenshots / f"70-find-partners-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1200, "height": 900})

    page.get_by_role("link", name="Invite Harbourlight Literacy Trust to a partnership").click()
    expect(page.locator("#id_name")).to_have_value("Partnership with Harbourlight Literacy Trust")
    expect(page.locator("#id_description")).to_contain_text("was found with Find partners")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership with Harbourlight Literacy Trust")

    contact = "office@harbourlight.example.org"
    page.get_by_role("textbox", name="Email address of someone at the organisation").fill(contact)
    page.get_by_role("button", name="Send the invitation").first.click()
    expect(page.get_by_text(f"Invitation emailed to {contact}.")).to_be_visible()
    expect(page.locator("#invitations-heading + ul")).to_contain_text("pending")
    mails = Path(rosa.server_log).read_text(encoding="utf-8", errors="replace")
    assert f"To: {contact}" in mails
    page.screenshot(path=screenshots / "71-invited-from-find-partners.png", full_page=True)
    assert rosa.console_errors == []
