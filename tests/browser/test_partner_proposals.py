"""Partners as equals, in a real browser: B proposes to remove C, A confirms by typing C's name, and C
keeps a read-only record of the partnership (and no longer sees the partnership itself).

One server and one Chromium for the session (see conftest.py); the people here sign up themselves.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REASON = "Riverside has not come to a meeting since spring and does not answer our emails."


def _organisation(someone: Any, name: str) -> None:
    page = someone.page
    page.goto("/o/new/")
    page.locator("#id_name").fill(name)
    page.locator("#id_kind").select_option("nonprofit")
    page.locator("#id_mission").fill(f"{name} helps the people of Northfield.")
    page.get_by_role("button", name="Create").click()
    page.wait_for_load_state()


def _join(founder: Any, partnership_path: str, invitee: Any, name: str) -> None:
    """The founder emails an invitation to ``invitee``; the invitee opens the mailed link and accepts it for
    their organisation ``name``."""
    page = founder.page
    page.goto(partnership_path)
    page.get_by_role("textbox", name="Email address of someone at the organisation").fill(invitee.email)
    page.get_by_role("button", name="Send the invitation").first.click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"Invitation emailed to {invitee.email}.")).to_be_visible()
    invitee.page.goto(invitee.mailed_link("/partnerships/join/"))
    invitee.page.get_by_role("radio", name=name).check()
    invitee.page.get_by_role("button", name="Accept and join").click()
    invitee.page.wait_for_load_state()
    expect(invitee.page.locator("#partners-heading + ul")).to_contain_text(name)


def _mails_to(server_log: Path, address: str) -> list[str]:
    """Subjects of the mails the console backend printed for ``address``."""
    text = server_log.read_text(encoding="utf-8", errors="replace")
    mails = re.sub(r"\n[ \t]+", " ", text).split("-" * 79)  # unfold long header lines
    return [
        line.removeprefix("Subject: ")
        for mail in mails
        if f"To: {address}" in mail
        for line in mail.splitlines()
        if line.startswith("Subject: ")
    ]


def test_b_proposes_removing_c_a_confirms_and_c_keeps_a_read_only_record(
    person: Any, screenshots: Path, server_data_dir: Path
) -> None:
    ana, ben, cal = person("ana"), person("ben"), person("cal")
    for someone in (ana, ben, cal):
        someone.sign_up()
    _organisation(ana, "Northfield Youth Trust")
    _organisation(ben, "Northfield City FC")
    _organisation(cal, "Riverside Food Bank")
    ana.page.goto("/partnerships/")
    ana.page.get_by_role("link", name="Start a partnership for Northfield Youth Trust").click()
    ana.page.locator("#id_name").fill("Northfield together")
    ana.page.get_by_role("button", name="Start").click()
    ana.page.wait_for_load_state()
    partnership_path = "/" + ana.page.url.split("/", 3)[3]
    _join(ana, partnership_path, ben, "Northfield City FC")
    _join(ana, partnership_path, cal, "Riverside Food Bank")

    # B (the club) proposes to take C (the food bank) out; nothing happens to C yet.
    page = ben.page
    page.goto(partnership_path)
    page.get_by_role("link", name="Propose removing Riverside Food Bank").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("propose removing Riverside Food Bank")
    page.get_by_label("Your reason").fill(REASON)
    page.screenshot(path=screenshots / "40-propose-removal.png", full_page=True)
    page.get_by_role("button", name="Propose").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Proposed. Every partner's admins are emailed")).to_be_visible()
    expect(page.get_by_role("cell", name="Not answered yet")).to_be_visible()
    cal.page.goto(partnership_path)
    expect(cal.page.get_by_role("heading", name="Open proposals")).to_be_visible()

    # A (the founder) finds it among the proposals waiting for an answer and confirms, typing C's name.
    page = ana.page
    page.goto("/partnerships/")
    page.get_by_role("link", name="Northfield City FC proposes to remove Riverside Food Bank").click()
    page.get_by_label("To confirm, type “Riverside Food Bank”").fill("Riverside")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    expect(page.get_by_text("To confirm, type “Riverside Food Bank” exactly.")).to_be_visible()
    page.get_by_label("To confirm, type “Riverside Food Bank”").fill("Riverside Food Bank")
    page.get_by_label("Comment (optional)").fill("Agreed, with regret.")
    page.screenshot(path=screenshots / "41-confirm-removal.png", full_page=True)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Confirmed, and carried")).to_be_visible()
    expect(page.locator(".note strong")).to_have_text("Carried.")

    # C no longer sees the partnership, but its list says when it was removed and links its record.
    page = cal.page
    response = page.goto(partnership_path)
    assert response is not None
    assert response.status == 404
    page.goto("/partnerships/")
    today = time.strftime("%Y-%m-%d", time.gmtime())
    expect(page.locator("#former-heading + ul")).to_contain_text(f"Riverside Food Bank removed on {today}")
    page.get_by_role("link", name="Northfield together").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northfield together: your record")
    expect(page.get_by_text(f"Removed on {today}.")).to_be_visible()
    expect(page.get_by_text(REASON).first).to_be_visible()
    expect(page.get_by_role("cell", name="Agreed, with regret.")).to_be_visible()
    # Read only: no form on the record but the sign-out button.
    assert page.locator("main form").count() == 0
    page.screenshot(path=screenshots / "42-removed-partner-record.png", full_page=True)
    page.get_by_role("link", name="Northfield City FC proposed to remove Riverside Food Bank").click()
    expect(page.get_by_text("Your record of Northfield together")).to_be_visible()
    assert page.locator("main form").count() == 0

    # Everyone was emailed: C at the proposal and at the outcome.
    subjects = _mails_to(server_data_dir / "server.log", cal.email)
    proposed = "Northfield City FC proposes to remove Riverside Food Bank from the partnership"
    assert f"Northfield together: {proposed}" in subjects
    assert "Northfield together: Riverside Food Bank is removed from the partnership" in subjects
    assert ana.console_errors + ben.console_errors == []
    assert all("404 (Not Found)" in error for error in cal.console_errors)  # only the 404 asked for above
