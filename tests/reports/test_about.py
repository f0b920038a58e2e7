"""The date and profile versions of an assessment, and file names that say what a download is."""

from __future__ import annotations

import hashlib
from datetime import date

from commonground.core.results import AssessmentResult
from commonground.reports import render
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


def _coalition(count: int) -> About:
    return About(DAY, tuple(ProfileUsed(f"Member {n:03d}", None, f"{n:016x}") for n in range(count)))


def test_a_coalitions_line_gives_the_count_and_one_combined_hash_instead_of_every_hash() -> None:
    about = _coalition(200)
    combined = hashlib.sha256("\n".join(sorted(p.fingerprint for p in about.profiles)).encode()).hexdigest()
    assert (
        about.line
        == f"Assessed on 5 December 2026 from 200 profiles (combined content hash {combined[:16]})."
    )
    assert not about.listed_in_full
    # The same profiles in another order are the same set; one profile changed is another set.
    assert About(DAY, about.profiles[::-1]).combined_hash == about.combined_hash
    changed = About(DAY, (*about.profiles[:-1], ProfileUsed("Member 199", None, "ffffffffffffffff")))
    assert changed.combined_hash != about.combined_hash
    # Up to five, each profile is still named in the line.
    five = _coalition(5)
    assert five.listed_in_full
    assert five.line.count("profile with content hash") == 5


def test_text_and_html_list_every_profile_once_below_a_short_header(three_party: AssessmentResult) -> None:
    about = _coalition(30)
    text = render(three_party, "text", about=about)
    assert isinstance(text, str)
    header = text.split("\n\n", 1)[0]
    assert f"from 30 profiles (combined content hash {about.combined_hash})" in " ".join(header.split())
    assert "0000000000000001" not in header
    assert f"Profiles used (30; combined content hash {about.combined_hash})" in text
    page = render(three_party, "html", about=about)
    assert isinstance(page, str)
    assert '<details class="profiles-used"><summary>The 30 profiles used</summary>' in page
    for profile in about.profiles:
        assert text.count(profile.label) == 1
        assert page.count(f"<li>{profile.label}</li>") == 1
    # The JSON contract is the engine's result alone, the same with or without the profiles used.
    assert render(three_party, "json", about=about) == render(three_party, "json")
    # Two partners: the line names both, and nothing is listed again at the end.
    two = About(DAY, about.profiles[:2])
    assert "Profiles used" not in str(render(three_party, "text", about=two))
    assert "profiles-used" not in str(render(three_party, "html", about=two))
