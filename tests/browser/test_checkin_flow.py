"""A check-in in a real browser: an admin opens it, five people of one partner and four of the other
answer (on a phone-sized screen for one of them), the admin closes it, and the results page shows the
pooled figure while the partner with fewer than five answers is shown as hidden, never as a number.

The ten people, their two organisations and the partnership are written straight into the server's
database by a small script (signing ten people up through the forms would take minutes on this
machine); each person then uses the site through their own browser context and session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from commonground.core.alignment.items import PULSE

pytestmark = pytest.mark.browser

SEED = """
import json
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from commonground.web.accounts.session_store import SessionStore
from commonground.core.profiles import Profile
from commonground.web.access import Role
from commonground.web.organisations.models import Membership
from commonground.web.organisations.services import organisation_create
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember

User = get_user_model()
sessions, organisations = {}, []
for short, name in (("harbour", "Harbour Clinics"), ("grocer", "Corner Grocers")):
    people = [User.objects.create_user(username=f"{short}-{n}", email=f"{short}-{n}@example.org")
              for n in range(5)]
    profile = Profile.model_validate({"name": name, "kind": "nonprofit", "mission": "Food."})
    organisation = organisation_create(user=people[0], profile=profile)
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=organisation, role=Role.MEMBER) for user in people[1:]]
    )
    organisations.append(organisation)
    for user in people:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.username] = store.session_key
partnership = Partnership.objects.create(name="Lunch Links")
for organisation in organisations:
    PartnershipMember.objects.create(
        partnership=partnership, organisation=organisation, state=MemberState.ACTIVE
    )
print(json.dumps({"partnership": partnership.pk, "sessions": sessions}))
"""


def _seed(data_dir: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        COMMONGROUND_DATA_DIR=str(data_dir),
        COMMONGROUND_SECRET_KEY="browser-tests-not-secret",  # the server's (conftest._serve)
        DJANGO_SETTINGS_MODULE="commonground.web.settings",
    )
    done = subprocess.run([sys.executable, "-c", SEED], env=env, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


class Signed:
    """One person's browser context, signed in by their session cookie."""

    def __init__(self, browser: Any, url: str, session: str, *, width: int = 1200) -> None:
        self.context = browser.new_context(base_url=url, viewport={"width": width, "height": 900})
        self.context.set_default_timeout(15_000)
        self.context.add_cookies([{"name": "sessionid", "value": session, "url": url}])
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))


def _answer(person: Signed, checkins: str, score: str) -> None:
    page = person.page
    page.goto(checkins)
    page.get_by_role("link", name="Answer now").click()
    for item in PULSE.items:
        page.get_by_role("radiogroup", name=item.statement).get_by_label(score).check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("your answer is saved")).to_be_visible()


def test_a_check_in_opened_answered_by_two_partners_and_closed_respects_suppression(
    browser: Any, server_url: str, server_data_dir: Path, screenshots: Path
) -> None:
    seeded = _seed(server_data_dir)
    sessions = seeded["sessions"]
    checkins = f"/partnerships/{seeded['partnership']}/checkins/"
    admin = Signed(browser, server_url, sessions["harbour-0"])
    phone = Signed(browser, server_url, sessions["grocer-1"], width=390)
    people: list[Signed] = [admin, phone]
    try:
        page = admin.page
        page.goto(checkins)
        page.get_by_text("Open a check-in now").click()
        page.get_by_label("Days it stays open").fill("7")
        page.get_by_role("button", name="Open it and invite everyone").click()
        expect(page.get_by_text("everyone is invited")).to_be_visible()

        _answer(admin, checkins, "4 – Agree")
        for n in range(1, 5):
            person = Signed(browser, server_url, sessions[f"harbour-{n}"])
            people.append(person)
            _answer(person, checkins, "4 – Agree")
        _answer(phone, checkins, "2 – Disagree")  # on a 390 px screen
        phone.page.screenshot(path=str(screenshots / "checkin-answered-390.png"), full_page=True)
        for n in (2, 3, 4):  # grocer-0 does not answer: four of Corner Grocers' five
            person = Signed(browser, server_url, sessions[f"grocer-{n}"])
            people.append(person)
            _answer(person, checkins, "2 – Disagree")

        page.goto(checkins)
        expect(page.get_by_text("9 people have answered so far")).to_be_visible()
        page.get_by_role("link", name="Pulse check-in of").click()
        page.get_by_role("button", name="Close it now and freeze the results").click()
        expect(page.get_by_text("results are frozen")).to_be_visible()

        table = page.locator("table.checkin-results")
        header = table.locator("thead th").all_inner_texts()
        assert header[1:3] == ["All partners", "Corner Grocers"]  # partners by name after the pool
        trust = table.locator("tbody tr").first.locator("td").all_inner_texts()
        assert trust[0] == "3.1 (n=9)"  # (5 × 4 + 4 × 2) / 9, pooled
        assert trust[1] == "Hidden: fewer than 5 answered"  # Corner Grocers: four answered
        assert "2.0" not in table.inner_text()  # Corner Grocers' figure appears nowhere
        expect(page.get_by_text("fewer than 5 answered, so no figure is shown")).to_be_visible()

        phone.page.goto(page.url)
        wide = phone.page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"the results page scrolls sideways on a phone ({wide} px)"
        phone.page.screenshot(path=str(screenshots / "checkin-results-390.png"), full_page=True)
        assert [error for person in people for error in person.errors] == []
    finally:
        for person in people:
            person.context.close()
