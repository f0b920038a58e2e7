"""The date and profile versions of an assessment, and file names that say what a download is."""

from __future__ import annotations

from datetime import date

from commonground.reports.about import About, ProfileUsed, download_name

DAY = date(2026, 12, 5)


def test_download_names_say_partners_and_date() -> None:
    two = ["Meadowgate Supermarkets", "Riverside Food Bank"]
    assert (
        download_name(two, DAY, "html") == "meadowgate-supermarkets-and-riverside-food-bank-2026-12-05.html"
    )
    assert download_name(two, DAY, "pdf", what="board summary") == (
        "meadowgate-supermarkets-and-riverside-food-bank-2026-12-05-board-summary.pdf"
    )
    # Accents are kept as their letters; names in other scripts leave a readable name, never an empty one.
    assert download_name(["Café Zoë", "Ærø & Co."], DAY, "json") == "cafe-zoe-and-r-co-2026-12-05.json"
    assert download_name(["شركة التبغ", "香烟公司"], DAY, "html") == "partnership-2026-12-05.html"
    long = download_name(["A" * 200, "B"], DAY, "html")
    assert long.endswith("-2026-12-05.html")
    assert len(long) < 100


def test_the_about_line_names_each_profile_version_or_its_content_hash() -> None:
    web = About(DAY, (ProfileUsed("Meadowgate", 3, "ab12"), ProfileUsed("Riverside", 2, "cd34")))
    assert web.line == (
        "Assessed on 5 December 2026 from these profiles: Meadowgate, profile version 3; "
        "Riverside, profile version 2."
    )
    files = About(DAY, (ProfileUsed("Meadowgate", None, "ab12cd34"),))
    assert (
        files.line
        == "Assessed on 5 December 2026 from these profiles: Meadowgate, profile with content hash ab12cd34."
    )
    assert About(DAY, ()).line == "Assessed on 5 December 2026."
