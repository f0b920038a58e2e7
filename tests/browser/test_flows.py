"""The main flows in a real browser: sign up, create and fill a profile, export it, stay private.

One server and one Chromium for the session (see conftest.py); every test signs up its own people.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MISSION = "Improve the health of families in the harbour district through better food at school."
GOAL = "Halve childhood obesity in the county by 2030"


def _create_organisation(owner: Any, name: str, mission: str, kind: str = "nonprofit") -> str:
    """Create an organisation through the form; returns its URL path (/o/<slug>/)."""
    page = owner.page
    page.goto("/o/new/")
    page.locator("#id_name").fill(name)
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_mission").fill(mission)
    page.get_by_role("button", name="Create").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    path = "/" + page.url.split("/", 3)[3]
    return "/".join(path.split("/")[:3]) + "/"


def test_sign_up_create_fill_profile_export_and_stay_private(
    person: Any, screenshots: Path, tmp_path: Path
) -> None:
    owner = person("olivia")
    owner.sign_up()
    page = owner.page
    expect(
        page.get_by_role("link", name="Sign out").or_(page.get_by_role("button", name="Sign out"))
    ).to_be_visible()

    org_path = _create_organisation(owner, "Harbor Health Alliance", MISSION)
    page.screenshot(path=screenshots / "01-organisation-created.png", full_page=True)

    page.goto(f"{org_path}profile/edit/")
    goal = page.locator("#id_goals-0-text")
    goal.click()
    goal.press_sequentially(GOAL, delay=5)
    suggestion = page.locator(".sdg-suggestions").first
    # The real SDG model answers as you type: good health (SDG 3) for an obesity goal.
    expect(suggestion.locator(".sdg-badge").first).to_have_text("3", timeout=30_000)
    page.screenshot(path=screenshots / "02-sdg-suggestion.png", full_page=True)
    page.get_by_role("button", name="Save profile").last.click()
    page.wait_for_load_state()
    expect(page.get_by_text(GOAL).first).to_be_visible()  # (also among the SDG suggestions)
    page.screenshot(path=screenshots / "03-profile-saved.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export YAML").click()
    exported = tmp_path / "export.yaml"
    download_info.value.save_as(exported)
    profile = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert profile["name"] == "Harbor Health Alliance"
    assert profile["mission"] == MISSION
    assert [g["text"] for g in profile["goals"]] == [GOAL]
    assert owner.console_errors == []

    stranger = person("oscar")
    stranger.sign_up()
    for path in (
        org_path,
        f"{org_path}profile/edit/",
        f"{org_path}profile/export.yaml",
        f"{org_path}members/",
    ):
        response = stranger.page.goto(path)
        assert response is not None
        assert response.status == 404, path
    expect(stranger.page.get_by_text("Harbor Health Alliance")).to_have_count(0)
    stranger.page.screenshot(path=screenshots / "04-outsider-404.png", full_page=True)


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _import_profile(someone: Any, org_path: str, example: str) -> None:
    """Replace the organisation's profile with one of the example files, through the import page."""
    page = someone.page
    page.goto(f"{org_path}profile/import/")
    page.locator("input[type=file]").set_input_files(EXAMPLES / example)
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    expect(page.locator(".form-errors")).to_have_count(0)


def test_partners_share_a_partnership_and_its_assessment_charts_and_outsiders_get_404(
    person: Any, screenshots: Path
) -> None:
    owner, partner, stranger = person("hana"), person("ravi"), person("sam")
    for someone in (owner, partner, stranger):
        someone.sign_up()
    org_path = _create_organisation(owner, "Bright Start Child Health Trust", "Child health.")
    _import_profile(owner, org_path, "brightstart-child-health.yaml")
    partner_path = _create_organisation(partner, "Sparkbay Beverages & Snacks", "Drinks.", kind="company")
    _import_profile(partner, partner_path, "sparkbay-beverages.yaml")

    page = owner.page
    page.goto(f"{org_path}partnerships/new/")
    page.locator("#id_name").fill("Healthy school food")
    page.locator("#id_description").fill("Better lunches in every school of the district.")
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Healthy school food")
    partnership_path = "/" + page.url.split("/", 3)[3]

    page.get_by_role("textbox", name="Email address of someone at the organisation").fill(partner.email)
    page.get_by_role("button", name="Send the invitation").first.click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"Invitation emailed to {partner.email}.")).to_be_visible()

    # The partner (address verified) finds the invitation among their partnerships and accepts it for
    # their organisation.
    partner.page.goto("/partnerships/")
    partner.page.get_by_role("link", name="Healthy school food").click()
    partner.page.get_by_role("radio", name="Sparkbay Beverages & Snacks").check()
    partner.page.get_by_role("button", name="Accept and join").click()
    partner.page.wait_for_load_state()
    partner.page.goto(partnership_path)
    expect(partner.page.get_by_role("heading", level=1)).to_have_text("Healthy school food")
    partners = partner.page.locator("#partners-heading + ul")
    expect(partners).to_contain_text("Bright Start Child Health Trust")
    expect(partners).to_contain_text("Sparkbay Beverages & Snacks")

    page.goto(partnership_path)
    # The engine runs inside the request, loading its model on the server's first assessment: on a
    # busy 2-core machine that can take longer than a click's usual wait.
    page.get_by_role("button", name="Run a new assessment").click(timeout=90_000)
    page.wait_for_load_state()
    expect(page.locator(".assessment-score")).to_contain_text("Compatibility", timeout=30_000)
    assessment_path = "/" + page.url.split("/", 3)[3]
    page.screenshot(path=screenshots / "05-assessment-owner-top.png")

    for someone in (owner, partner):
        someone.page.goto(assessment_path)
        # The verdict in one sentence first; the findings and charts are folded under "Details".
        expect(someone.page.locator(".verdict-lead .sentence")).to_contain_text("Next: ")
        expect(someone.page.locator("figure.chart svg").first).not_to_be_visible()
        someone.page.locator("details.assessment-details > summary").click()
        # A sugary-drinks company and a child-health charity: the engine must flag the clash.
        expect(someone.page.locator("#conflicts-heading")).not_to_have_text("Conflicts (0)")
        charts = someone.page.locator("figure.chart svg")
        assert charts.count() >= 4, f"{someone.username} sees {charts.count()} charts"
        for index in range(charts.count()):
            chart = charts.nth(index)
            chart.scroll_into_view_if_needed()
            expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert box is not None
            assert box["width"] > 100, f"chart {index} is {box['width']}px wide"
            assert box["height"] > 50, f"chart {index} is {box['height']}px high"
            if someone is partner:
                chart.screenshot(path=screenshots / f"07-chart-{index}.png")
        expect(someone.page.locator(".assessment-gauge svg")).to_be_visible()
    partner.page.screenshot(path=screenshots / "06-assessment-partner-top.png")

    for path in (partnership_path, assessment_path, f"{partnership_path}assessments/"):
        response = stranger.page.goto(path)
        assert response is not None
        assert response.status == 404, path
    expect(stranger.page.get_by_text("Healthy school food")).to_have_count(0)

    # The partner changes its profile: the assessment says it is out of date, and one click re-runs it.
    changed = yaml.safe_load((EXAMPLES / "sparkbay-beverages.yaml").read_text(encoding="utf-8"))
    changed["goals"].append({"text": "Sponsor a sports day in every primary school"})
    partner.page.goto(f"{partner_path}profile/import/")
    partner.page.locator("input[type=file]").set_input_files(
        {"name": "sparkbay.yaml", "mimeType": "text/yaml", "buffer": yaml.safe_dump(changed).encode()}
    )
    partner.page.get_by_role("button", name="Import").click()
    partner.page.wait_for_load_state()
    page.goto(assessment_path)
    expect(page.locator("#stale")).to_contain_text("Sparkbay Beverages & Snacks' profile changed")
    page.screenshot(path=screenshots / "08-assessment-stale.png")
    page.get_by_role("button", name="Re-run the assessment").click()
    page.wait_for_load_state()
    expect(page.locator(".assessment-score")).to_contain_text("Compatibility", timeout=30_000)
    assert "/" + page.url.split("/", 3)[3] != assessment_path
    expect(page.locator("#stale")).to_have_count(0)

    # (The stranger's console only holds the 404s asked for above.) No console errors at all:
    # in particular no Content-Security-Policy violations from the charts.
    assert owner.console_errors + partner.console_errors == []
