"""Accessibility and phones, in a real browser on the demo workspace: axe-core finds no serious or
critical problem on the main pages, and at 390 px (a phone) no page scrolls sideways, even with a
200-letter organisation name and an Arabic one in the navigation; wide tables scroll in their own box.

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
from playwright.sync_api import TimeoutError as PlaywrightTimeout
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
        "assessments": f"{partnership}assessments/",
        "proposals": f"{partnership}proposals/",
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


# Pages of the demo partnership with wide tables (decisions, KPIs, commitments, the lists).
TABLE_PAGES = (
    "agreement decisions",
    "agreement KPIs",
    "agreement commitments",
    "agreement roles",
    "assessments",
    "proposals",
    "stakeholder register",
    "network",
    "network results",
)
# Blank below what a row shows on a phone's first screen (its off-screen cells make it taller): five
# lines at most. With squeezed columns the demo's rows left up to 282 px blank (the decision log's
# 202 px); laid out wide, at most 90 px (a commitment's long text).
MAX_BLANK_PX = 120

# For each row of a table, at its box's scroll 0: how far the row reaches below the lowest text of
# the cells that are in view (cells scrolled out to the right are what made rows tall and blank).
ROW_BLANKS = """table => {
  const box = table.closest('.table-scroll') || table.parentElement;
  box.scrollLeft = 0;
  const seen = box.getBoundingClientRect();
  return [...table.rows].map(row => {
    let lowest = row.getBoundingClientRect().top;
    for (const cell of row.cells) {
      const place = cell.getBoundingClientRect();
      if (place.left >= seen.right || !cell.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(cell);
      lowest = Math.max(lowest, range.getBoundingClientRect().bottom);
    }
    return Math.round(row.getBoundingClientRect().bottom - lowest);
  });
}"""

# The cell is wholly inside the window and inside every box that clips it, and nothing covers it.
IN_VIEW = """cell => {
  const place = cell.getBoundingClientRect();
  let clip = {left: 0, right: window.innerWidth, top: 0, bottom: window.innerHeight};
  for (let box = cell.parentElement; box; box = box.parentElement) {
    if (getComputedStyle(box).overflowX === 'visible') continue;
    const b = box.getBoundingClientRect();
    clip = {left: Math.max(clip.left, b.left), right: Math.min(clip.right, b.right),
            top: Math.max(clip.top, b.top), bottom: Math.min(clip.bottom, b.bottom)};
  }
  const inside = place.left >= clip.left - 1 && place.right <= clip.right + 1
    && place.top >= clip.top - 1 && place.bottom <= clip.bottom + 1;
  const hit = document.elementFromPoint((place.left + place.right) / 2, (place.top + place.bottom) / 2);
  return inside && !!hit && cell.contains(hit);
}"""


def test_wide_tables_scroll_in_their_box_on_a_phone_and_leave_no_blank(
    demo_user: Any, pages: dict[str, str]
) -> None:
    page = demo_user(PHONE)
    problems: dict[str, list[str]] = {}
    tables_seen = scrolling = 0
    for name in TABLE_PAGES:
        page.goto(pages[name])
        found = problems.setdefault(name, [])
        width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > window:
            found.append(f"the page scrolls sideways ({width} > {window} px)")
        tables = page.locator("main table")
        for index in range(tables.count()):
            table = tables.nth(index)
            tables_seen += 1
            blanks = table.evaluate(ROW_BLANKS)
            if max(blanks) > MAX_BLANK_PX:
                found.append(f"table {index}: a row is {max(blanks)} px blank below what it shows")
            last_heading = table.locator("tr").first.locator("th, td").last
            last_heading.scroll_into_view_if_needed()
            if not last_heading.evaluate(IN_VIEW):
                found.append(f"table {index}: its last column heading cannot be scrolled into view")
            box = table.locator("xpath=..")
            if box.evaluate("b => b.scrollWidth > b.clientWidth + 1"):
                scrolling += 1
                # Keyboard users reach the hidden columns too; sighted users are told there are more.
                box.evaluate("b => { b.scrollLeft = 0; }")
                box.focus()
                page.keyboard.press("ArrowRight")
                try:  # the browser may scroll smoothly: give it a moment
                    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle(), timeout=2000)
                except PlaywrightTimeout:
                    found.append(f"table {index}: its box does not scroll with the keyboard")
                cue = box.evaluate("b => getComputedStyle(b, '::before').content")
                if "sideways" not in cue:
                    found.append(f"table {index}: no visible cue that it scrolls sideways ({cue})")
    failing = [f"{name}: {problem}" for name, found in problems.items() for problem in found]
    assert not failing, "\n".join(failing)
    # The demo's tables were all there, and wide ones among them (17 and 12 when this was written).
    assert tables_seen >= 12
    assert scrolling >= 8


def test_on_a_phone_the_decision_log_is_followed_by_the_propose_form_without_a_gap(
    demo_user: Any, pages: dict[str, str], screenshots: Path
) -> None:
    page = demo_user(PHONE)
    page.goto(pages["agreement decisions"])
    log = page.locator("section[aria-labelledby='log-heading'] table")
    expect(log.locator("tbody tr")).not_to_have_count(0)
    # From the lowest text the log shows on screen to the next heading: margins, not a blank screen.
    lowest = log.evaluate(
        """table => { const box = table.parentElement; box.scrollLeft = 0;
        const seen = box.getBoundingClientRect(); let lowest = 0;
        for (const cell of table.querySelectorAll('th, td')) {
          if (cell.getBoundingClientRect().left >= seen.right || !cell.textContent.trim()) continue;
          const range = document.createRange(); range.selectNodeContents(cell);
          lowest = Math.max(lowest, range.getBoundingClientRect().bottom + window.scrollY);
        } return lowest; }"""
    )
    heading = page.get_by_role("heading", name="Propose", level=2)
    top = heading.evaluate("h => h.getBoundingClientRect().top + window.scrollY")
    assert top - lowest <= 150, f"{top - lowest:.0f} px between the decision log and the Propose heading"
    page.screenshot(path=screenshots / "phone-agreement-decisions-tables.png", full_page=True)


def test_a_phone_keeps_its_place_in_a_wide_table_when_only_the_height_changes(
    demo_user: Any, pages: dict[str, str]
) -> None:
    """The address bar hiding or a keyboard opening resizes the window; the table stays where it was."""
    page = demo_user(PHONE)
    page.goto(pages["agreement decisions"])
    box = page.locator("section[aria-labelledby='log-heading'] .table-scroll")
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")  # scrolled to the last column
    before = box.evaluate("b => b.scrollLeft")
    assert before > 0
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"] - 90})
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    page.wait_for_timeout(200)
    assert box.evaluate("b => b.scrollLeft") == before
    page.set_viewport_size({"width": 340, "height": PHONE["height"]})  # a narrower window is measured again
    page.wait_for_timeout(200)
    assert "scrolls-sideways" in (box.get_attribute("class") or "")
