"""No internal codes on any page or download a person reads: people's words everywhere, codes in JSON only.

Walks the pages of a realistic assessment (the real engine on real-sounding profiles, with many
findings) and its HTML downloads, reads their visible text as a person or a screen reader gets it
(chart labels, titles and descriptions included; markup, styles and attribute values left out) and
fails on anything shaped like a code: ``at_risk``, ``red_line.semantic``, ``goals[4]``,
``unhealthy_food->nutrition``, ``fossil_fuels``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.core.profiles import Profile
from commonground.core.results import AssessmentResult
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.organisations import services as organisation_services
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[3] / "src" / "commonground" / "web" / "demo_profiles"
CODES = re.compile(
    r"\b[a-z_]+\.[a-z_]+\b(?<!\.org)(?<!\.html)(?<!\.json)(?<!\.pdf)"  # dotted rule ids: red_line.semantic
    r"|\b[a-z]+(?:_[a-z0-9]+)+\b"  # snake_case ids: at_risk, fossil_fuels, manage_closely, sector_map
    r"|\b[a-z_]+\[\d+\]"  # indexed fields: goals[4], red_lines[0]
    r"|\w+->\w+"  # data rows: tobacco->health
)


class _VisibleText(HTMLParser):
    """The text a person reads or a screen reader announces; scripts, styles and the head left out."""

    HIDDEN = frozenset({"script", "style", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        self._title = tag == "title"
        for name, value in attrs:
            if name in ("title", "aria-label", "alt", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden -= 1
        self._title = False

    def handle_data(self, data: str) -> None:
        if not self._hidden or self._title:
            self.parts.append(data)


def _codes_in(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return sorted({match.group(0) for match in CODES.finditer(text)})


@pytest.fixture
def realistic(partnership: Partnership, organisation: Any, store_snapshot: Any) -> AssessmentSnapshot:
    """Meadowgate Supermarkets × Riverside Community Food Bank from the demo profiles, run by the engine."""
    from commonground.core.assessment import assess_profiles

    names = ("meadowgate-supermarkets.yaml", "riverside-food-bank.yaml")
    profiles = [Profile.model_validate_json(_yaml_as_json(DEMO / name)) for name in names]
    result: AssessmentResult = assess_profiles(profiles, name=partnership.name)
    versions = [
        {"organisation_id": organisation.pk, "name": p.name, "version": 1, "fingerprint": p.fingerprint()}
        for p in profiles
    ]
    snapshot: AssessmentSnapshot = store_snapshot(
        partnership, result.model_dump(mode="json"), profile_versions=versions
    )
    return snapshot


def _yaml_as_json(path: Path) -> str:
    import json

    import yaml

    return json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_no_page_or_download_of_an_assessment_shows_an_internal_code(
    member_client: Client,
    member: Any,
    organisation: Any,
    partnership: Partnership,
    partner_organisation: Any,
    realistic: AssessmentSnapshot,
    engine_result: dict[str, Any],
    fake_assess: Any,
) -> None:
    # A second, real run of the workspace's own partners, then a profile change: the list, the compare
    # page and the stale banner have something to show too.
    run = member_client.post(reverse("assessments:run", kwargs={"pk": partnership.pk}))
    assert run.status_code == 302
    latest = AssessmentSnapshot.objects.filter(partnership=partnership).latest("created_at", "pk")
    document = partner_organisation.get_profile().to_document()
    document["goals"] = [*document["goals"], {"text": "Sponsor the school sports day"}]
    organisation_services.profile_update(
        organisation=partner_organisation,
        profile=Profile.model_validate(document),
        expected_version=partner_organisation.version,
        user=partner_organisation.memberships.first().user,
    )
    pk = partnership.pk
    urls = [
        reverse("home:index"),  # the latest verdict of each partnership
        reverse("partnerships:portfolio", kwargs={"slug": organisation.slug}),
        reverse("partnerships:detail", kwargs={"pk": pk}),
        reverse("assessments:list", kwargs={"pk": pk}),
        reverse("assessments:compare", kwargs={"pk": pk}),
    ]
    for snapshot in (realistic, latest):
        kwargs = {"pk": pk, "snapshot_id": snapshot.pk}
        urls.append(reverse("assessments:detail", kwargs=kwargs))
        for fmt in ("html", "summary"):
            urls.append(reverse("assessments:download", kwargs={**kwargs, "fmt": fmt}))
    found: dict[str, list[str]] = {}
    for url in urls:
        response = member_client.get(url)
        assert response.status_code == 200, url
        codes = _codes_in(response.content.decode())
        if codes:
            found[url] = codes
    assert found == {}
    # The walk reads what it should: the same check finds the codes when they are there.
    assert _codes_in("<p>Verdict at_risk, rule <code>red_line.semantic</code> on goals[4]</p>") == [
        "at_risk",
        "goals[4]",
        "red_line.semantic",
    ]
    assert _codes_in("<svg><text>tobacco->health</text><title>fossil_fuels</title></svg>") == [
        "fossil_fuels",
        "tobacco->health",
    ]
    # The JSON keeps its codes: it is the contract.
    json_url = reverse("assessments:download", kwargs={"pk": pk, "snapshot_id": realistic.pk, "fmt": "json"})
    assert '"verdict": "' in member_client.get(json_url).content.decode()
    assert PartnershipMember.objects.filter(partnership=partnership, state=MemberState.ACTIVE).count() == 2


def test_partnership_pages_show_the_verdict_in_words_on_its_badge(
    member_client: Client, partnership: Partnership
) -> None:
    AssessmentSnapshot.objects.create(
        partnership=partnership, result={}, score=46.5, verdict="at_risk", open_conflicts=2
    )
    # The site's verdict label (site.css .verdict-<code>, text at WCAG AA contrast) with the words in it.
    badge = '<span class="verdict verdict-at_risk">At risk</span>'
    detail = member_client.get(reverse("partnerships:detail", kwargs={"pk": partnership.pk})).content.decode()
    assert badge in detail
    assert "Score 47/100" in detail
    listing = member_client.get(reverse("assessments:list", kwargs={"pk": partnership.pk})).content.decode()
    assert f"<td>47</td>\n    <td>{badge}</td>" in listing
