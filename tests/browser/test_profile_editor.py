"""The profile editor in a real browser: rows move with Up/Down, the slider and the culture points say
where they stand, character counts show the limits, a suggested SDG is added with one click."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _create(someone: Any, fields: dict[str, str]) -> Any:
    """Sign up and create an organisation (``{"#id_name": ...}``); the editor opens next."""
    someone.sign_up()
    page = someone.page
    page.goto("/o/new/")
    for selector, value in fields.items():
        if selector == "#id_kind":
            page.locator(selector).select_option(value)
        else:
            page.locator(selector).fill(value)
    page.get_by_role("button", name="Create").click()
    page.wait_for_load_state()
    return page


def test_a_profile_filled_in_the_editor_sections(person: Any, screenshots: Path) -> None:
    amina = person("amina")
    page = _create(
        amina,
        {
            "#id_name": "Northfield Youth Trust",
            "#id_location": "Northfield, Birmingham",
            "#id_mission": "Give every young person in Northfield a safe place to play sport.",
        },
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit the profile of Northfield Youth Trust")
    expect(page.get_by_text("Order", exact=True)).to_have_count(0)
    expect(page.get_by_text("Id", exact=True)).to_have_count(0)

    # Two values, then the second moved above the first (in place, without a round trip).
    page.locator("#id_values-0-name").fill("Fair play")
    page.get_by_role("button", name="Add value").click()
    page.locator("#id_values-1-name").fill("Belonging")
    page.get_by_role("button", name="Move value 2 up").click()
    names = page.locator("#rows-values [data-row] input[name$='-name']")
    expect(names.nth(0)).to_have_value("Belonging")
    expect(page.locator("#rows-values [data-row]").first).to_have_attribute("aria-label", "Value 1")

    # The slider says where it stands, and leaving "Not stated" happens by moving it.
    slider = page.locator("#id_profit_purpose")
    expect(page.locator("#id_profit_purpose_unstated")).to_be_checked()
    slider.fill("0.3")
    expect(page.locator("#profit-purpose-value")).to_have_text("30% profit, 70% purpose")
    expect(page.locator("#id_profit_purpose_unstated")).not_to_be_checked()

    # The culture points add up as you type.
    for key, points in (("clan", "50"), ("adhocracy", "25"), ("market", "5")):
        page.locator(f"#id_{key}").fill(points)
    expect(page.locator("#culture-total")).to_have_text("Total: 80 of 100 points (20 still to share)")
    page.locator("#id_hierarchy").fill("20")
    expect(page.locator("#culture-total")).to_have_text("Total: 100 of 100 points")

    # A goal: the count shows the limit, the real SDG model suggests, one click adds it.
    goal = page.locator("#id_goals-0-text")
    goal.click()
    goal.press_sequentially("Get 500 more teenagers doing weekly sport or physical activity by 2027", delay=5)
    expect(page.locator("#id_goals-0-text + .char-count")).to_have_text("70 / 2,000 characters")
    add = page.get_by_role("button", name="Add SDG 3")
    expect(add).to_be_visible(timeout=30_000)
    add.click()
    expect(page.locator("#id_goals-0-sdgs")).to_have_value("3")
    page.screenshot(path=screenshots / "10-profile-editor-filled.png", full_page=True)

    page.get_by_role("button", name="Save profile").last.click()
    page.wait_for_load_state()
    expect(page.get_by_text("The profile is saved.")).to_be_visible()
    values = page.locator("h2:text('Values') + ol > li strong")
    expect(values).to_have_text(["Belonging", "Fair play"])
    expect(page.get_by_text("SDG 3")).to_be_visible()
    expect(page.get_by_text("Purpose-led with commercial aims")).to_be_visible()
    expect(page.locator(".org-descriptor")).to_contain_text("based in Northfield, Birmingham")
    page.screenshot(path=screenshots / "11-profile-after-editor.png", full_page=True)
    assert amina.console_errors == []


def test_every_problem_is_listed_at_once_with_links_to_the_fields(person: Any) -> None:
    kai = person("kai")
    page = _create(
        kai,
        {
            "#id_name": "Northfield City Football Club",
            "#id_kind": "company",
            "#id_mission": "Win matches and bring the community together around football.",
        },
    )
    page.locator("#id_mission").fill("")
    for key in ("clan", "adhocracy", "market", "hierarchy"):
        page.locator(f"#id_{key}").fill("90")
    page.locator("#id_stakeholders-0-name").fill("Season-ticket holders")
    page.get_by_role("button", name="Save profile").last.click()
    page.wait_for_load_state()
    summary = page.locator("#problems")
    expect(summary).to_contain_text("4 things stop the profile from being saved")
    expect(summary).to_contain_text("The mission is required.")
    expect(summary).to_contain_text("The four culture types must add up to 100 points (they add up to 360)")
    expect(summary).to_contain_text("Stakeholder 1, power (1–5): This is required.")
    expect(summary).to_contain_text("Stakeholder 1, interest (1–5): This is required.")
    summary.get_by_role("link", name="Stakeholder 1, power (1–5)").click()
    expect(page.locator("#id_stakeholders-0-power")).to_be_in_viewport()
    # The refused save answers 400 (the browser logs that); nothing else may go wrong.
    assert [error for error in kai.console_errors if "status of 400" not in error] == []
