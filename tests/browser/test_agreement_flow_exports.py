"""Agreement downloads and a table import in a real browser, on the demo workspace: a partner's admin
downloads the document and a table, imports a commitment (preview, then confirm) and sees it applied.

The demo's partnership has a signed agreement; should it have none (an older demo), this test starts it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from demo_people import demo_partnership, signed_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_partner_downloads_the_agreement_and_imports_a_commitment(browser: Any, demo_site: Any) -> None:
    context, page, errors = signed_in(browser, demo_site, "demo-bright-start")
    try:
        partnership = demo_partnership(page)
        page.goto(f"{partnership}agreement/")
        start = page.get_by_role("button", name="Start the agreement")
        if start.count():  # the other agreement flow may have started it already
            start.click()
            page.wait_for_load_state()
        page.get_by_role("link", name="Downloads, tables and imports").click()
        expect(page.get_by_role("heading", name=re.compile("agreement downloads"))).to_be_visible()

        document = context.request.get(f"{partnership}agreement/document.pdf")
        assert document.ok
        assert document.body().startswith(b"%PDF-")
        agreement = yaml.safe_load(context.request.get(f"{partnership}agreement/download/").text())
        partner = agreement["who"]["partners"][0]["id"]

        page.get_by_role("link", name="Import commitments").click()
        header = "id,by,kind,description,value,due\n"
        row = header + f"browser-vans,{partner},in_kind,Two vans for deliveries,30000,2027-06-30\n"
        page.set_input_files(
            "#id_file", files=[{"name": "c.csv", "mimeType": "text/csv", "buffer": row.encode()}]
        )
        page.get_by_role("button", name="Preview the import").click()
        page.wait_for_load_state()
        expect(page.locator("#import-preview")).to_contain_text("1 row: 1 new, 0 replacing")
        page.get_by_role("button", name="Import 1 row").click()
        page.wait_for_load_state()
        expect(page.get_by_text("Imported 1 row of commitments from c.csv.")).to_be_visible()
        table = context.request.get(f"{partnership}agreement/tables/commitments.csv").text()
        assert "browser-vans" in table
        assert errors == []
    finally:
        context.close()
