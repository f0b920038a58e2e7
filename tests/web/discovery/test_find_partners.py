"""The "find partners" page: who sees it, the ranking with reasons, filters, exclusions, cache, throttle,
which search ranked the directory (its approximate index or the exact scan) and why, the words
beside a low workable score, and which hits the user already knows on this site.

One small directory is built once for the module with the engine's real model (the CLI's build, from
the repository's examples, the JSON Lines and CSV fixtures, plus an organisation with a hostile name),
and the workspace organisation is Bright Start Child Health, whose red line leaves a maker of sugary
drinks out.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import yaml
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from commonground.cli import cli
from commonground.core.directory import approximate
from commonground.core.directory.discovery import Discovery, Filters
from commonground.core.profiles import Profile
from commonground.core.results import Verdict
from commonground.web import throttles
from commonground.web.discovery import first_stage, selectors
from commonground.web.organisations.models import Organisation
from commonground.web.throttles import HOUR, Limit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
DATA = ROOT / "tests" / "data" / "directory"
CSV_MAP = "name=Org,mission=Purpose,country=Country,kind=Type,goals=Goals,sdgs=SDGs"
HOSTILE = "<script>alert('x')</script> Child Nutrition Fund"


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples, the JSON Lines and CSV fixtures and a hostile name, built once (the model is slow)."""
    folder = tmp_path_factory.mktemp("directory")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(
        json.dumps(
            {
                "name": HOSTILE,
                "kind": "nonprofit",
                "mission": "Improve child health and nutrition through school meals and health checks.",
                "country": "GB",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    output = folder / "orgs"
    args = ["directory", "build", EXAMPLES, DATA / "organisations.jsonl", DATA / "organisations.csv", hostile]
    result = CliRunner().invoke(cli, [str(a) for a in [*args, "--map", CSV_MAP, "--output", output]])
    assert result.exit_code == 0, result.output
    return output


@pytest.fixture
def harbor_profile() -> Profile:
    """The workspace organisation searching: Bright Start Child Health Trust (a red line on sugary drinks)."""
    document = yaml.safe_load((EXAMPLES / "brightstart-child-health.yaml").read_text(encoding="utf-8"))
    return Profile.model_validate(document)


@pytest.fixture
def loaded(directory: Path, settings: Any) -> Path:
    """The directory named by the setting, as a site administrator loads it."""
    settings.DISCOVERY_DIRECTORY = str(directory)
    return directory


def page(client: Client, organisation: Organisation, **query: str) -> Any:
    return client.get(reverse("discovery:find_partners", kwargs={"slug": organisation.slug}), query)


def test_without_a_directory_the_page_says_how_an_administrator_loads_one(
    member_client: Client, organisation: Organisation, settings: Any
) -> None:
    settings.DISCOVERY_DIRECTORY = ""
    response = page(member_client, organisation)
    assert response.status_code == 200
    assert "No directory of organisations is loaded" in response.text
    assert "COMMONGROUND_DIRECTORY=DIR" in response.text


def test_a_directory_that_cannot_be_read_is_503_with_a_plain_message(
    member_client: Client, organisation: Organisation, settings: Any, tmp_path: Path
) -> None:
    settings.DISCOVERY_DIRECTORY = str(tmp_path / "nothing-here")
    response = page(member_client, organisation)
    assert response.status_code == 503
    assert "cannot be read just now" in response.text
    assert "nothing-here" not in response.text  # no server paths on the page


def test_the_owner_sees_ranked_partners_with_reasons_and_who_was_left_out(
    owner_client: Client, organisation: Organisation, loaded: Path
) -> None:
    response = page(owner_client, organisation, top="4")
    assert response.status_code == 200
    found = response.context["found"]
    assert len(found.hits) == 4
    assert [h.rank for h in found.hits] == [1, 2, 3, 4]
    assert [h.score for h in found.hits] == sorted((h.score for h in found.hits), reverse=True)
    assert all(h.reasons for h in found.hits)
    text = response.text
    assert "4 of 14 organisations, best first" in text  # 7 examples, 3 JSON Lines, 3 CSV rows, 1 more
    # Scores as every assessment page shows them: whole numbers ("69/100", never "69.1/100").
    for hit in found.hits:
        assert f"({hit.score_shown}/100)" in text
        assert hit.score_shown.isdigit()
        assert abs(int(hit.score_shown) - hit.score) <= 0.5
    assert not re.search(r"\d\.\d/100", text)
    # Its red line against sugary drinks leaves Sparkbay out, with why; itself too.
    assert "Sparkbay Beverages &amp; Snacks" not in {h.name for h in found.hits}
    left_out = {e.name: e for e in found.excluded}
    assert "sugary drinks" in left_out["Sparkbay Beverages & Snacks"].why
    assert "<bdi>Sparkbay Beverages &amp; Snacks</bdi>: left out: works in unhealthy food" in text
    assert "<bdi>Bright Start Child Health Trust</bdi>: left out: this is the organisation searching" in text
    # Invite: the new-partnership form, prefilled with the hit's name (the owner may start one).
    new = reverse("partnerships:new", kwargs={"slug": organisation.slug})
    assert f'href="{new}?name=Partnership+with+' in text
    assert f"Invite <bdi>{escape(found.hits[0].name)}</bdi> to a partnership" in text


def test_hostile_names_are_escaped(owner_client: Client, organisation: Organisation, loaded: Path) -> None:
    response = page(owner_client, organisation, country="GB", top="10")
    assert HOSTILE in {h.name for h in response.context["found"].hits}
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Child Nutrition Fund" in response.text


def test_filters_narrow_the_list(member_client: Client, organisation: Organisation, loaded: Path) -> None:
    response = page(member_client, organisation, country="gb", kind="nonprofit", top="3")
    found = response.context["found"]
    assert found.considered < found.directory_count
    assert found.hits
    assert all(h.country == "GB" and h.kind == "nonprofit" for h in found.hits)
    assert f"that match the filters ({found.directory_count} in the directory)" in response.text
    # A member may not start partnerships: the page says whom to ask instead of linking.
    assert "ask an admin of <bdi>Bright Start Child Health Trust</bdi>" in response.text
    assert "?name=Partnership" not in response.text


def test_a_bad_filter_is_explained_and_nothing_is_ranked(
    member_client: Client, organisation: Organisation, loaded: Path
) -> None:
    response = page(member_client, organisation, country="12")
    assert response.status_code == 200
    assert "Not a country code: 12" in response.text
    assert response.context["found"] is None
    # The directory stores two-letter codes (as `directory build` does): "GBR" would find nobody.
    three = page(member_client, organisation, country="GB, GBR")
    words = "Use the two-letter ISO 3166-1 codes of countries, such as GB or KE."
    assert f"Not a country code: GBR. {words}" in three.text
    assert three.context["found"] is None
    # Two letters no country has are named too, rather than finding nobody.
    made_up = page(member_client, organisation, country="ke zz")
    assert f"Not a country code: zz. {words}" in made_up.text
    assert made_up.context["found"] is None


REVERSED = "Good \u202eWater Trust"  # U+202E: everything after it reads right to left


def test_names_with_a_bidirectional_override_are_isolated_and_cannot_flip_the_page(
    owner: Any, owner_client: Client, loaded: Path
) -> None:
    from commonground.web.organisations import services

    document = yaml.safe_load((EXAMPLES / "riverside-food-bank.yaml").read_text(encoding="utf-8"))
    document["name"] = REVERSED
    reversed_org = services.organisation_create(user=owner, profile=Profile.model_validate(document))
    response = page(owner_client, reversed_org, top="3")
    assert response.status_code == 200
    text = response.text
    # The heading's own name is in <bdi>, so ": find partners" stays where it is.
    assert f"<h1><bdi>{REVERSED}</bdi>: find partners</h1>" in text
    assert f"assessed in full with <bdi>{REVERSED}</bdi>'s current profile" in text
    # So is every organisation of the directory, in its heading and in the list of those left out.
    hits = response.context["found"].hits
    assert hits
    for hit in hits:
        assert f"<h2><bdi>{escape(hit.name)}</bdi> " in text
    for left_out in response.context["found"].excluded:
        assert f"<li><bdi>{escape(left_out.name)}</bdi>: " in text


def test_a_reload_reads_the_cache_and_counts_one_run(
    member_client: Client,
    organisation: Organisation,
    loaded: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    runs: list[int] = []
    real = selectors.discover

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(selectors, "discover", counted)
    # Session, user, the membership with its organisation, the menu's organisations, then the user's
    # organisations and this one's partners (which hits are already on this site, per user): the
    # ranking itself reads no table, computed or cached.
    with django_assert_num_queries(6):
        first = page(member_client, organisation, top="2")
    with django_assert_num_queries(6):
        again = page(member_client, organisation, top="2")
    assert runs == [1]
    assert not first.context["found"].cached
    assert again.context["found"].cached
    assert [h.name for h in again.context["found"].hits] == [h.name for h in first.context["found"].hits]
    # Other filters are a new ranking.
    page(member_client, organisation, top="1")
    assert runs == [1, 1]


def test_a_new_ranking_over_the_hours_budget_is_429(
    member_client: Client, organisation: Organisation, loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttles, "ASSESSMENTS_PER_ACCOUNT", Limit("assessment-account", 0, HOUR))
    response = page(member_client, organisation, top="2")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many assessments: you may run at most 0 an hour" in response.text


def test_viewers_are_refused_and_outsiders_do_not_see_it_exists(
    viewer_client: Client, outsider_client: Client, organisation: Organisation, loaded: Path
) -> None:
    assert page(viewer_client, organisation).status_code == 403
    assert page(outsider_client, organisation).status_code == 404


def test_the_nav_links_the_page_for_members_who_may_edit(
    member_client: Client, viewer_client: Client, organisation: Organisation
) -> None:
    url = reverse("discovery:find_partners", kwargs={"slug": organisation.slug})
    detail = reverse("organisations:detail", kwargs={"slug": organisation.slug})
    assert url in member_client.get(detail).text
    assert url not in viewer_client.get(detail).text


def test_invite_prefills_the_new_partnership_form(
    org_admin_client: Client, organisation: Organisation
) -> None:
    new = reverse("partnerships:new", kwargs={"slug": organisation.slug})
    response = org_admin_client.get(new, {"name": "Partnership with <b>Lantern</b>", "description": "Found."})
    assert 'value="Partnership with &lt;b&gt;Lantern&lt;/b&gt;"' in response.text
    assert "Found.</textarea>" in response.text


# --- Which search ranks the directory: the approximate index when it can be used, else exact. ---


@pytest.fixture(scope="module")
def indexed(directory: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the directory with an up-to-date approximate index, as `directory index` leaves it."""
    target = tmp_path_factory.mktemp("indexed") / "orgs"
    shutil.copytree(directory, target)
    result = CliRunner().invoke(cli, ["directory", "index", "--directory", str(target)])
    assert result.exit_code == 0, result.output
    return target


def search_line(response: Any) -> str:
    """The page's one line on which search ran and why."""
    match = re.search(r'<p class="muted search-mode">([^<]*)</p>', response.text)
    assert match, "no search line on the page"
    return html.unescape(match.group(1))


def test_with_an_up_to_date_index_the_page_ranks_from_it_and_says_so(
    owner_client: Client, organisation: Organisation, indexed: Path, settings: Any
) -> None:
    settings.DISCOVERY_DIRECTORY = str(indexed)
    fast = page(owner_client, organisation, top="5")
    assert fast.context["found"].search_mode == "approximate"
    assert search_line(fast) == first_stage.APPROXIMATE_LINE
    # On 14 organisations the graph is searched whole: the same ranking as the exact search.
    settings.DISCOVERY_APPROXIMATE = False
    exact = page(owner_client, organisation, top="5")
    assert exact.context["found"].search_mode == "exact"
    assert search_line(exact) == "Exact search: approximate search is switched off on this site."
    assert [h.name for h in fast.context["found"].hits] == [h.name for h in exact.context["found"].hits]


def test_a_loose_filter_keeps_the_index_and_a_strict_one_searches_exactly(
    member_client: Client, organisation: Organisation, indexed: Path, settings: Any
) -> None:
    settings.DISCOVERY_DIRECTORY = str(indexed)
    # Seven of the 14 have one of these countries: half the directory, not under it.
    loose = page(member_client, organisation, country="GB, KE, ZA, UG, IN", top="3")
    assert loose.context["found"].considered == 7
    assert loose.context["found"].search_mode == "approximate"
    assert all(h.country for h in loose.context["found"].hits)
    # Three of 14 are in Great Britain: the graph would lose recall, so the exact search answers.
    strict = page(member_client, organisation, country="GB", top="3")
    found = strict.context["found"]
    assert (found.considered, found.directory_count, found.search_mode) == (3, 14, "exact")
    assert search_line(strict) == (
        "Exact search: the country filter keeps 21% of the directory, too few for the approximate index."
    )
    both = page(member_client, organisation, country="GB", kind="nonprofit", top="3")
    assert search_line(both).startswith("Exact search: the filters keep 21% of the directory")


def test_a_stale_index_is_not_used_and_the_page_says_so_quietly(
    member_client: Client,
    organisation: Organisation,
    indexed: Path,
    settings: Any,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = tmp_path / "orgs"
    shutil.copytree(indexed, target)
    removed = CliRunner().invoke(cli, ["directory", "remove", "Copperline Mining plc", "-d", str(target)])
    assert removed.exit_code == 0, removed.output
    settings.DISCOVERY_DIRECTORY = str(target)
    with caplog.at_level(logging.WARNING, logger="commonground.web.discovery.first_stage"):
        response = page(member_client, organisation, top="3")
    assert response.status_code == 200
    assert response.context["found"].search_mode == "exact"
    assert response.context["found"].directory_count == 13
    changed = "Exact search: the directory changed after its approximate index was built."
    assert search_line(response) == changed
    # The administrators learn it from the log, with what to run; the page names no command or path.
    assert "is out of date; rebuild it with `commonground directory index`" in caplog.text
    assert "commonground directory index" not in response.text
    assert str(target) not in response.text


def test_without_an_index_the_page_searches_exactly(
    member_client: Client, organisation: Organisation, loaded: Path
) -> None:
    response = page(member_client, organisation, top="2")
    assert response.context["found"].search_mode == "exact"
    assert search_line(response) == "Exact search: this directory has no approximate index."
    assert response.status_code == 200
    assert 'class="form-errors"' not in response.text  # no alarm: only the quiet line


def test_without_usearch_the_page_searches_exactly(
    member_client: Client,
    organisation: Organisation,
    indexed: Path,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def not_installed() -> Any:
        raise approximate.ApproximateNotInstalled("the approximate index needs usearch: pip install …")

    monkeypatch.setattr(approximate, "_usearch", not_installed)
    settings.DISCOVERY_DIRECTORY = str(indexed)
    with caplog.at_level(logging.WARNING, logger="commonground.web.discovery.first_stage"):
        response = page(member_client, organisation, top="2")
    assert response.status_code == 200
    assert response.context["found"].hits
    assert search_line(response) == "Exact search: approximate search is not installed on this server."
    assert "needs usearch" in caplog.text


def test_the_search_line_for_a_filter_that_empties_the_graphs_candidates_and_tiny_shares() -> None:
    few = Discovery(considered=700, search_mode="exact", search_fallback=approximate.FEW_CANDIDATES)
    assert first_stage.search_line(few, exact_why="", filters=Filters(), directory_count=1000) == (
        "Exact search: too few of the approximate index's nearest organisations pass the filters."
    )
    sdg = Filters(sdgs=frozenset({14}))
    for considered, shown in ((30, "3%"), (3, "under 1%")):
        strict = Discovery(considered=considered, search_fallback=approximate.STRICT_FILTER)
        line = first_stage.search_line(strict, exact_why="", filters=sdg, directory_count=1000)
        assert line.startswith(f"Exact search: the SDG filter keeps {shown} of the directory, too few")


# --- A low score with nothing against it is workable by design: the page says why. ---


def test_a_low_workable_score_is_glossed_in_words_and_an_aligned_one_is_not(
    owner: Any, owner_client: Client, loaded: Path
) -> None:
    from commonground.web.organisations import services

    document = yaml.safe_load((EXAMPLES / "riverside-food-bank.yaml").read_text(encoding="utf-8"))
    riverside = services.organisation_create(user=owner, profile=Profile.model_validate(document))
    response = page(owner_client, riverside, top="14")
    hits = response.context["found"].hits
    low = [h for h in hits if h.verdict is Verdict.WORKABLE and h.score < 40]
    aligned = [h for h in hits if h.verdict is Verdict.ALIGNED]
    assert low
    assert aligned
    for hit in low:
        assert re.fullmatch(
            r"(Little common ground found|(Values|Culture|Stakeholders|Profit–purpose orientation) \d+/100 "
            r"pulls the score down|Penalties for the findings pull the score down)"
            r"( \(mission and goals \d+/100\))?"
            r"(, \d+ differences? to talk over)?, nothing (serious )?against it",
            hit.score_note,
        ), hit.score_note
        assert f'<p class="score-note">{escape(hit.score_note)}</p>' in response.text
        # The verdict beside the score says the fit is weak: never a bare "Workable" next to a low score.
        assert f'verdict-workable">Workable, weak fit</span> <span class="muted">({hit.score_shown}/100)' in (
            response.text
        )
    # From each hit's own figures, not one fixed string.
    assert len({h.score_note for h in low}) > 1
    assert all(h.score_note == "" for h in hits if h not in low)
    assert response.text.count('class="score-note"') == len(low)
    assert response.text.count("Workable, weak fit") == len(low)


# --- Whether a hit is already on this site: said only of the organisations the user already sees here. ---


def _workspace_organisation(user: Any, example: str, *, name: str | None = None) -> Organisation:
    from commonground.web.organisations import services

    document = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    if name is not None:
        document["name"] = name
    return services.organisation_create(user=user, profile=Profile.model_validate(document))


def test_hits_the_user_already_knows_here_say_so_and_no_hit_claims_to_have_no_account(
    owner: Any, owner_client: Client, member_client: Client, organisation: Organisation, loaded: Path,
    make_user: Callable[..., Any],
) -> None:  # fmt: skip
    from commonground.web.organisations.selectors import organisation_access
    from commonground.web.partnerships.models import MemberState, PartnershipMember
    from commonground.web.partnerships.services import partnership_create

    # The owner also runs the food bank here, spelt in capitals as a register would.
    _workspace_organisation(owner, "riverside-food-bank.yaml", name="RIVERSIDE  Community Food Bank")
    # Bright Start works with SunShare in a partnership (SunShare's people have their own accounts).
    sunshare = _workspace_organisation(make_user("sam-sunshare"), "sunshare-energy.yaml")
    partnership = partnership_create(
        org_access=organisation_access(user=owner, slug=organisation.slug),
        name="Warm Schools", description="", user=owner,
    )  # fmt: skip
    PartnershipMember.objects.create(partnership=partnership, organisation=sunshare, state=MemberState.ACTIVE)
    # Clear Horizon has an account too, but nobody here works with it: the page must not tell.
    _workspace_organisation(make_user("cleo-clear"), "clear-horizon-climate.yaml")

    response = page(owner_client, organisation, top="14")
    hits = {h.name: h for h in response.context["found"].hits}
    assert {
        "Riverside Community Food Bank",
        "SunShare Community Energy",
        "Clear Horizon Climate Action",
    } <= set(hits)
    text = response.text
    assert hits["Riverside Community Food Bank"].here == "one of your organisations"
    assert (
        hits["SunShare Community Energy"].here == "Bright Start Child Health Trust's partner in Warm Schools"
    )
    assert "Already on this site: <bdi>one of your organisations</bdi>." in text
    assert (
        "Already on this site: <bdi>Bright Start Child Health Trust&#x27;s partner in Warm Schools</bdi>."
        in text
    )
    assert hits["Clear Horizon Climate Action"].here == ""
    assert text.count('class="here"') == 2
    # No hit claims an account is missing: the site cannot know that of organisations the user does not see.
    assert "no account" not in text
    # The description the invitation link fills in says the same.
    described = {name: parse_qs(hit.invite_query)["description"][0] for name, hit in hits.items()}
    assert described["Riverside Community Food Bank"].endswith(
        "It is already on this site: invite one of its admins by email."
    )
    assert described["Clear Horizon Climate Action"].endswith(". Invite someone from it by email.")
    assert "already on this site" not in described["Clear Horizon Climate Action"]

    # A member of Bright Start sees its partner, but the owner's food bank is not one of the member's.
    member_hits = {h.name: h for h in page(member_client, organisation, top="14").context["found"].hits}
    assert member_hits["SunShare Community Energy"].here == hits["SunShare Community Energy"].here
    assert member_hits["Riverside Community Food Bank"].here == ""
