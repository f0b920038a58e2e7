"""Signing in as one of the demo's people, in a browser context of their own that records console errors."""

from __future__ import annotations

import re
from typing import Any


def signed_in(browser: Any, demo_site: Any, username: str, **options: Any) -> tuple[Any, Any, list[str]]:
    """(context, page, errors) for ``username`` signed in on the demo site; close the context after.
    ``options`` go to the browser context (a viewport other than 1200 x 900, a User-Agent)."""
    options = {"viewport": {"width": 1200, "height": 900}, **options}
    context = browser.new_context(base_url=demo_site.url, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo_site.passwords[username])
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return context, page, errors


def demo_partnership(page: Any) -> str:
    """The path of the demo partnership (``/partnerships/<pk>/``), read from the signed-in person's list."""
    page.goto("/partnerships/")
    return next(
        href
        for href in page.eval_on_selector_all("main a", "links => links.map(a => a.pathname)")
        if re.fullmatch(r"/partnerships/\d+/", href)
    )
