"""Accessibility and phones, in a real browser on the demo workspace: axe-core finds no serious or
critical problem on the main pages, and at 390 px (a phone) no page scrolls sideways, even with a
200-letter organisation name and an Arabic one in the navigation.

axe-core is vendored (tests/browser/vendor, see its README): no network, and its checksum is
checked before it runs. It is evaluated through Playwright, which the pages' 'self'-only
Content-Security-Policy does not govern.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SHA256 = "66a8aaa95a8b044a7fd74a5435873bf04ff65a1ca75567c921b7509742085a14"  # axe-core 4.12.1
BLOCKING = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_NAME = "Northfield" + "Community" * 21  # 199 letters, no space to break at
ARABIC_NAME = "جمعية الأمل الخيرية"


@pytest.fixture(scope="module")
def axe_script() -> str:
    """The vendored axe-core, after checking it is the published file."""
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, (
        "tests/browser/vendor/axe.min.js is not axe-core 4.12.1"
    )
    return data.decode("utf-8")


def _sign_in(page: Any, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture(scope="module")
def pages(browser: Any, demo_site: Any) -> dict[str, str]:
    """The main pages of the demo (name -> path), after adding two organisations with difficult names."""
    context = browser.new_context(base_url=demo_site.url, viewport=DESKTOP)
    page = context.new_page()
    _sign_in(page, demo_site.passwords["demo"])
    for name, mission in ((LONG_NAME, "A very long name."), (ARABIC_NAME, "مساعدة الأسر المحتاجة في الحي.")):
        page.goto("/o/new/")
        page.locator("#id_name").fill(name)
        page.locator("#id_mission").fill(mission)
        page.get_by_role("button", name="Create").click()
        page.wait_for_load_state()
    page.goto("/")
    partnership = page.locator("main .summary h3 a").first.get_attribute("href")
    organisation = page.locator("main .card h3 a", has_text="Riverside").first.get_attribute("href")
    page.goto(partnership)
    assessment = next(
        href
        for href in page.eval_on_selector_all(
            "main a[href*='/assessments/']", "links => links.map(a => a.pathname)"
        )
        if re.fullmatch(r"/partnerships/\d+/assessments/\d+/", href)
    )
    page.goto(f"{partnership}conflicts/")
    conflict = page.locator("main #conflicts h3 a").first.get_attribute("href")
    page.goto(f"{partnership}checkins/")
    answer = page.get_by_role("link", name="Answer now").first.get_attribute("href")
    results = page.get_by_role("link", name=re.compile("^Results")).first.get_attribute("href")
    page.goto("/partnerships/")
    page.locator("main").get_by_role("link", name="Riverside Together").click()
    page.locator("nav.org-nav").get_by_role("link", name="Network").click()
    network = page.url
    network_round = page.get_by_role("link", name="2026-spring").get_attribute("href")
    context.close()
    return {
        "home": "/",
        "organisation": organisation,
        "profile editor": f"{organisation}profile/edit/",
        "partnerships": "/partnerships/",
        "partnership": partnership,
        "assessment": assessment,
        "stakeholder register": f"{partnership}stakeholders/",
        # The demo partnership's signed agreement and its tabs.
        "agreement": f"{partnership}agreement/",
        "agreement roles": f"{partnership}agreement/roles/",
        "agreement commitments": f"{partnership}agreement/commitments/",
        "agreement KPIs": f"{partnership}agreement/kpis/",
        "agreement decisions": f"{partnership}agreement/decisions/",
        "agreement equity": f"{partnership}agreement/equity/",
        "agreement downloads": f"{partnership}agreement/downloads/",
        # The demo's conflict log, an issue in it (with its timeline and forms) and raising a new one.
        "conflict log": f"{partnership}conflicts/",
        "conflict": conflict,
        "raise an issue": f"{partnership}conflicts/new/",
        # The demo's check-ins: the tab, this month's answer form, a closed month's results.
        "check-ins": f"{partnership}checkins/",
        "check-in answer form": answer,
        "check-in results": results,
        # The demo coalition's network tab and a closed round's results (figures, picture, tables).
        "network": network,
        "network results": network_round,
        # The account page (details, email settings, your sessions, organisations).
        "account": "/accounts/",
        # Two-factor sign-in on the account: its state, and setting up an app (secret and QR code).
        "two-factor sign-in": "/accounts/two-factor/",
        "two-factor set-up": "/accounts/two-factor/set-up/",
    }


@pytest.fixture
def visitor(browser: Any, demo_site: Any) -> Iterator[Any]:
    """Make a browser page of someone signed out, at a viewport size."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int]) -> Any:
        context = browser.new_context(base_url=demo_site.url, viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo_user(visitor: Any, demo_site: Any) -> Any:
    """Make a browser page of the demo account, signed in, at a viewport size."""

    def make(viewport: dict[str, int]) -> Any:
        page = visitor(viewport)
        _sign_in(page, demo_site.passwords["demo"])
        return page

    return make


def _blocking_violations(page: Any, axe_script: str) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    page.evaluate(axe_script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_main_pages_have_no_serious_or_critical_accessibility_problem(
    visitor: Any, demo_user: Any, pages: dict[str, str], axe_script: str, viewport: dict[str, int]
) -> None:
    found: dict[str, list[str]] = {}
    landing = visitor(viewport)
    landing.goto("/")
    expect(landing.get_by_role("heading", level=1)).to_be_visible()
    found["landing"] = _blocking_violations(landing, axe_script)
    page = demo_user(viewport)
    for name, path in pages.items():
        page.goto(path)
        found[name] = _blocking_violations(page, axe_script)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_no_main_page_scrolls_sideways_on_a_phone(
    visitor: Any, demo_user: Any, pages: dict[str, str], screenshots: Path
) -> None:
    widths: dict[str, tuple[int, int]] = {}
    landing = visitor(PHONE)
    landing.goto("/")
    widths["landing"] = landing.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    landing.screenshot(path=screenshots / "phone-landing.png", full_page=True)
    page = demo_user(PHONE)
    for name, path in pages.items():
        page.goto(path)
        widths[name] = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        page.screenshot(path=screenshots / f"phone-{name.replace(' ', '-')}.png", full_page=True)
    assert {name: w for name, w in widths.items() if w[0] > w[1]} == {}


def test_on_a_phone_the_navigation_is_a_menu_that_opens(demo_user: Any) -> None:
    page = demo_user(PHONE)
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Partnerships", exact=True)).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Partnerships", exact=True)).to_be_visible()
    page.locator("summary", has_text="Organisations").click()
    long_link = page.locator(".nav-dropdown a", has_text="NorthfieldCommunity")
    expect(long_link).to_be_visible()
    assert long_link.get_attribute("title") == LONG_NAME  # cut with an ellipsis on screen, whole here
    box = long_link.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]


def test_charts_keep_a_legible_size_on_a_phone_and_scroll_in_their_box(
    demo_user: Any, pages: dict[str, str]
) -> None:
    page = demo_user(PHONE)
    page.goto(pages["assessment"])
    charts = page.locator("figure.chart")
    assert charts.count() >= 4
    for index in range(charts.count()):
        figure = charts.nth(index)
        figure.scroll_into_view_if_needed()
        # The chart is drawn at its own width (its 11-12 px text stays that size); the figure scrolls.
        drawn, shown = figure.evaluate(
            "f => [Number(f.querySelector('svg').getAttribute('width')),"
            " f.querySelector('svg').getBoundingClientRect().width]"
        )
        assert shown == pytest.approx(drawn, abs=1), f"chart {index} is scaled to {shown} of {drawn} px"
        assert figure.evaluate("f => f.getBoundingClientRect().right") <= PHONE["width"]
