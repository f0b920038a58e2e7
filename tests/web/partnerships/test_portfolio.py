"""The portfolio: an organisation's active partnerships, a page at a time, with each one's latest figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from proposal_fixtures import answer

from commonground.core.profiles import Profile
from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.conflicts import services as conflict_services
from commonground.web.organisations import services as organisation_services
from commonground.web.organisations.models import Organisation
from commonground.web.organisations.selectors import organisation_access
from commonground.web.partnerships.models import MemberState, Partnership, PartnershipMember, Proposal
from commonground.web.partnerships.selectors import PortfolioRow, partnership_access_for, portfolio_page

pytestmark = pytest.mark.django_db

# What the portfolio page costs, whatever the number of rows: session, user, the access check, the
# nav bar, then the portfolio's own three: the count, the page's partnerships with their latest
# figures, the page's partners with their profile versions. Rows are cached as rendered, keyed by all
# they show (partnerships/portfolio_rows.py): when any row is not in the cache and was assessed, two
# more tell which assessments are out of date (stale_snapshot_ids: the snapshots' profile versions,
# the partners' current profiles).
PAGE_QUERIES_WARM = 7
PAGE_QUERIES_COLD = 9
# A row whose partnership has no agreement yet: its three agreement cells.
# The last four columns of a row with no agreement yet and nothing to alert about.
UNTRACKED = ["none yet", "—", "—", "none"]


class _Table(HTMLParser):
    """The rows of the page's table body as the user reads them: each cell's text and the row's link."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._cell = []
        elif self._in_body and tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _table(html: str) -> _Table:
    table = _Table()
    table.feed(html)
    return table


def _portfolio(client: Client, organisation: Organisation, **query: Any) -> str:
    response = client.get(reverse("partnerships:portfolio", kwargs={"slug": organisation.slug}), query)
    assert response.status_code == 200
    return response.content.decode()


def _partnership(name: str, *members: tuple[Organisation, MemberState]) -> Partnership:
    partnership = Partnership.objects.create(name=name)
    for organisation, state in members:
        PartnershipMember.objects.create(partnership=partnership, organisation=organisation, state=state)
    return partnership


def _shared(name: str, *organisations: Organisation) -> Partnership:
    """A partnership of ``organisations``, all active partners."""
    return _partnership(name, *((organisation, MemberState.ACTIVE) for organisation in organisations))


def _org(user: Any, name: str) -> Organisation:
    profile = Profile.model_validate({"name": name, "kind": "company", "mission": "Trades."})
    return organisation_services.organisation_create(user=user, profile=profile)


def _snapshot(partnership: Partnership, *, score: float, conflicts: int = 0, at: datetime) -> None:
    AssessmentSnapshot.objects.create(
        partnership=partnership,
        result={},
        score=score,
        verdict="workable",
        open_conflicts=conflicts,
        created_at=at,
    )


def _assessed_partnerships(count: int, *organisations: Organisation, at: datetime) -> None:
    """Partnerships "Partnership 00" on of ``organisations``, each assessed once at ``at``: the n-th
    scored 50 + n with n open conflicts."""
    for n in range(count):
        _snapshot(_shared(f"Partnership {n:02d}", *organisations), score=50.0 + n, conflicts=n, at=at)


def test_each_partnership_shows_its_latest_assessment(
    owner_client: Client, organisation: Organisation, partner_organisation: Organisation
) -> None:
    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    for n in range(6):
        partnership = _shared(f"Partnership {n}", organisation, partner_organisation)
        _snapshot(partnership, score=40.0, conflicts=9, at=at - timedelta(days=1))
        _snapshot(partnership, score=50.0 + n, conflicts=n, at=at)
    # Two snapshots taken at the same moment: the one stored last is the latest.
    tie = _shared("Tied", organisation)
    _snapshot(tie, score=10.0, conflicts=1, at=at)
    _snapshot(tie, score=20.0, conflicts=2, at=at)

    table = _table(_portfolio(owner_client, organisation))

    partners = "Harbor Health Alliance, Meadow Grocers"
    assert table.rows == [
        *[
            [
                f"Partnership {n}",
                partners,
                str(50 + n),
                "Workable",
                str(n),
                "2026-03-01 09:30",
                *UNTRACKED,
            ]
            for n in range(6)
        ],
        [
            "Tied",
            "Harbor Health Alliance",
            "20",
            "Workable",
            "2",
            "2026-03-01 09:30",
            *UNTRACKED,
        ],
    ]
    ids = Partnership.objects.order_by("name", "pk").values_list("pk", flat=True)
    assert table.links == [reverse("partnerships:detail", kwargs={"pk": pk}) for pk in ids]


def test_scores_are_rounded_half_up_and_unassessed_partnerships_say_so(
    owner_client: Client, organisation: Organisation
) -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    for name, score in (("A", 40.5), ("B", 2.5), ("C", 0.0), ("D", 99.4)):
        _snapshot(_shared(name, organisation), score=score, at=at)
    _shared("E", organisation)

    rows = _table(_portfolio(owner_client, organisation)).rows

    assert [row[2] for row in rows[:4]] == ["41", "3", "0", "99"]
    assert rows[4] == [
        "E",
        "Harbor Health Alliance",
        "—",
        "not assessed",
        "—",
        "—",
        *UNTRACKED,
    ]


def test_verdicts_read_in_words_on_their_badge(owner_client: Client, organisation: Organisation) -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    AssessmentSnapshot.objects.create(
        partnership=_shared("Risky", organisation), result={}, score=30.0, verdict="at_risk", created_at=at
    )
    _shared("Unassessed", organisation)

    html = _portfolio(owner_client, organisation)

    assert '<td><span class="verdict verdict-at_risk">At risk</span></td>' in html
    assert '<td><span class="verdict verdict-none">not assessed</span></td>' in html
    assert [row[3] for row in _table(html).rows] == ["At risk", "not assessed"]


def _versions(*organisations: Organisation) -> list[dict[str, Any]]:
    """The profile versions an assessment of ``organisations`` records, as the run service stores them."""
    return [
        {
            "organisation_id": o.pk,
            "name": o.name,
            "version": o.version,
            "fingerprint": o.get_profile().fingerprint(),
        }
        for o in organisations
    ]


def _edit_profile(organisation: Organisation, user: Any, **changes: str) -> None:
    """Save the organisation's profile with ``changes`` as its editor does (a new profile version)."""
    document = organisation.get_profile().to_document() | changes
    organisation_services.profile_update(
        organisation=organisation,
        profile=Profile.model_validate(document),
        expected_version=organisation.version,
        user=user,
    )


def test_an_assessment_older_than_a_partner_profile_is_marked_out_of_date(
    owner_client: Client, owner: Any, organisation: Organisation, partner_organisation: Organisation
) -> None:
    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    for name in ("Changed since", "Current"):
        AssessmentSnapshot.objects.create(
            partnership=_shared(name, organisation, partner_organisation),
            result={},
            score=50.0,
            verdict="workable",
            created_at=at,
            profile_versions=_versions(organisation, partner_organisation),
        )
    assert [row[5] for row in _table(_portfolio(owner_client, organisation)).rows] == ["2026-03-01 09:30"] * 2

    # Harbor's profile changes: both assessments read the old one.
    _edit_profile(organisation, owner, mission="A different mission.")
    rows = _table(_portfolio(owner_client, organisation)).rows
    assert [row[5] for row in rows] == ["2026-03-01 09:30 · out of date"] * 2

    # A partnership assessed again since is up to date.
    organisation.refresh_from_db()
    AssessmentSnapshot.objects.create(
        partnership=Partnership.objects.get(name="Current"),
        result={},
        score=52.0,
        verdict="workable",
        created_at=at + timedelta(days=1),
        profile_versions=_versions(organisation, partner_organisation),
    )
    rows = _table(_portfolio(owner_client, organisation)).rows
    assert [row[5] for row in rows] == ["2026-03-01 09:30 · out of date", "2026-03-02 09:30"]


def test_a_cached_row_changes_as_soon_as_anything_it_shows_changes(
    trio: Partnership,
    organisation: Organisation,
    partner_organisation: Organisation,
    owner_client: Client,
    partner_owner: Any,
    partner_admin_client: Client,
    client_for: Callable[[Any], Client],
    third_owner: Any,
    fake_assess: Any,
) -> None:
    def row() -> list[str]:
        """Harbor's portfolio row of the partnership, read twice: the second time from the cache."""
        first = _table(_portfolio(owner_client, organisation)).rows
        assert _table(_portfolio(owner_client, organisation)).rows == first
        return first[0]

    everyone = "Harbor Health Alliance, Meadow Grocers, Third Sector Trust"
    assert row() == ["Healthy Lunches", everyone, "—", "not assessed", "—", "—", *UNTRACKED]

    # An assessment is run.
    owner_client.post(reverse("assessments:run", kwargs={"pk": trio.pk}))
    assessed = row()
    assert assessed[2] != "—"
    assert not assessed[5].endswith("out of date")

    # A partner renames itself and edits its profile: a new name, and the assessment is out of date.
    _edit_profile(
        partner_organisation,
        partner_owner,
        name="Meadow Grocers Co-op",
        mission="Sell affordable groceries, owned by the people who shop there.",
    )
    changed = row()
    assert changed[1] == "Harbor Health Alliance, Meadow Grocers Co-op, Third Sector Trust"
    assert changed[5] == f"{assessed[5]} · out of date"

    # Assessed again: up to date.
    owner_client.post(reverse("assessments:run", kwargs={"pk": trio.pk}))
    assert not row()[5].endswith("out of date")

    # A partner leaves: it is no longer listed, and the assessment (made with it) is out of date.
    client_for(third_owner).post(
        reverse("partnerships:leave", kwargs={"pk": trio.pk}), {"typed_confirmation": "Third Sector Trust"}
    )
    left = row()
    assert left[1] == "Harbor Health Alliance, Meadow Grocers Co-op"
    assert left[5].endswith("· out of date")

    # The partners agree on a new name.
    owner_client.post(
        reverse("partnerships:propose_rename", kwargs={"pk": trio.pk}),
        {"new_name": "Lunches for All", "reason": "Warmer."},
    )
    answer(
        partner_admin_client, Proposal.objects.get(), answer="confirm", typed_confirmation="Healthy Lunches"
    )
    assert row()[0] == "Lunches for All"


def test_an_organisation_without_partnerships_sees_the_empty_state(
    owner_client: Client, organisation: Organisation
) -> None:
    assert _table(_portfolio(owner_client, organisation)).rows == [["No partnerships yet."]]


def test_portfolio_pages_25_rows_at_a_time(
    owner_client: Client, organisation: Organisation, partner_organisation: Organisation
) -> None:
    for n in range(30):
        _shared(f"Partnership {n:02d}", organisation, partner_organisation)

    first = _portfolio(owner_client, organisation)
    second = _portfolio(owner_client, organisation, page=2)

    assert [row[0] for row in _table(first).rows] == [f"Partnership {n:02d}" for n in range(25)]
    assert [row[0] for row in _table(second).rows] == [f"Partnership {n:02d}" for n in range(25, 30)]
    assert "Partnerships 1–25 of 30" in first
    assert 'href="?page=2"' in first
    assert first.count("<tr>") == 26  # header and 25 rows
    # A page number out of range or not a number shows the last or first page rather than an error.
    assert _table(_portfolio(owner_client, organisation, page=9)).rows[0][0] == "Partnership 25"
    assert _table(_portfolio(owner_client, organisation, page="x")).rows[0][0] == "Partnership 00"


def test_the_page_costs_the_same_queries_for_one_row_as_for_a_full_page(
    owner_client: Client,
    organisation: Organisation,
    partner_organisation: Organisation,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    url = reverse("partnerships:portfolio", kwargs={"slug": organisation.slug})

    def add(first: int, last: int) -> None:
        for n in range(first, last):
            partnership = _shared(f"Partnership {n:02d}", organisation, partner_organisation)
            _snapshot(partnership, score=40.0, at=at)
            _snapshot(partnership, score=60.0, at=at + timedelta(hours=1))

    add(0, 1)
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        assert len(_table(owner_client.get(url).content.decode()).rows) == 1
    add(1, 30)
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        assert len(_table(owner_client.get(url).content.decode()).rows) == 25
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        assert len(_table(owner_client.get(url, {"page": 2}).content.decode()).rows) == 5


def test_rows_seen_before_come_from_the_cache_with_two_queries_fewer(
    owner_client: Client,
    organisation: Organisation,
    partner_organisation: Organisation,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    _assessed_partnerships(30, organisation, partner_organisation, at=datetime(2026, 3, 1, tzinfo=UTC))
    url = reverse("partnerships:portfolio", kwargs={"slug": organisation.slug})

    with django_assert_num_queries(PAGE_QUERIES_COLD):
        cold = owner_client.get(url).content.decode()
    with django_assert_num_queries(PAGE_QUERIES_WARM):
        warm = owner_client.get(url).content.decode()

    assert _table(warm).rows == _table(cold).rows
    assert len(_table(warm).rows) == 25
    # One row not yet seen (page 2 shares none with page 1) makes the page cold again.
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        owner_client.get(url, {"page": 2})
    with django_assert_num_queries(PAGE_QUERIES_WARM):
        owner_client.get(url, {"page": 2})
    # Rows without an assessment have no staleness to tell: cold or warm, the same queries.
    _shared("Unassessed", organisation)
    with django_assert_num_queries(PAGE_QUERIES_WARM):
        assert _table(owner_client.get(url, {"page": 2}).content.decode()).rows[-1][0] == "Unassessed"


def test_a_page_of_the_portfolio_is_read_in_three_queries(
    owner: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    _assessed_partnerships(30, organisation, partner_organisation, at=at)
    access = organisation_access(user=owner, slug=organisation.slug)

    with django_assert_num_queries(3):
        portfolio = portfolio_page(access=access, page_number=2)
        rows = portfolio.rows

    assert len(rows) == 5
    assert rows[0] == PortfolioRow(
        pk=Partnership.objects.get(name="Partnership 25").pk,
        name="Partnership 25",
        partners=["Harbor Health Alliance", "Meadow Grocers"],
        snapshot_id=AssessmentSnapshot.objects.get(partnership__name="Partnership 25").pk,
        score=75.0,
        verdict="workable",
        open_conflicts=25,
        assessed_at=at,
        partner_versions=((organisation.pk, organisation.version), (partner_organisation.pk, 1)),
        agreement_id=None,
        drift_alerts=0,
        conflicts_open=0,
        conflicts_escalated=0,
        updated_at=Partnership.objects.get(name="Partnership 25").updated_at,
    )


def test_hostile_partnership_and_organisation_names_are_shown_as_text(
    owner_client: Client, organisation: Organisation, outsider: Any
) -> None:
    organisation_name = """<script>alert("org")</script> & Sons 'Ltd'"""
    partnership_name = """<img src=x onerror=alert(1)> "Lunch" & 'Co'"""
    hostile = _org(outsider, organisation_name)
    _shared(partnership_name, organisation, hostile)

    html = _portfolio(owner_client, organisation)

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;org&quot;)&lt;/script&gt; &amp; Sons &#x27;Ltd&#x27;" in html
    assert _table(html).rows[0][:2] == [partnership_name, f"{organisation_name}, Harbor Health Alliance"]


@pytest.mark.parametrize("persona", ["owner_client", "member_client", "viewer_client"])
def test_rows_the_organisation_is_not_an_active_partner_of_never_appear(
    persona: str,
    request: pytest.FixtureRequest,
    organisation: Organisation,
    partner_organisation: Organisation,
    other_organisation: Organisation,
    partnership: Partnership,
    partner_owner: Any,
) -> None:
    client: Client = request.getfixturevalue(persona)
    for state in (MemberState.INVITED, MemberState.DECLINED, MemberState.LEFT):
        _partnership(
            f"Harbor {state.label.lower()}",
            (organisation, state),
            (partner_organisation, MemberState.ACTIVE),
        )
    _shared("Without Harbor", other_organisation, partner_organisation)
    # Organisations invited to, or gone from, Harbor's partnership are not its partners.
    PartnershipMember.objects.create(
        partnership=partnership, organisation=other_organisation, state=MemberState.INVITED
    )
    former = _org(partner_owner, "Former Partner Ltd")
    PartnershipMember.objects.create(partnership=partnership, organisation=former, state=MemberState.LEFT)
    _snapshot(
        _shared("Without Harbor, assessed", other_organisation),
        score=99.0,
        at=datetime(2026, 3, 1, tzinfo=UTC),
    )

    table = _table(_portfolio(client, organisation))

    partners = "Harbor Health Alliance, Meadow Grocers"
    assert table.rows == [["Healthy Lunches", partners, "—", "not assessed", "—", "—", *UNTRACKED]]
    assert table.links == [reverse("partnerships:detail", kwargs={"pk": partnership.pk})]


def test_the_portfolio_belongs_to_the_organisation_not_to_the_person(
    partner_admin_client: Client,
    partner_organisation: Organisation,
    organisation: Organisation,
    other_organisation: Organisation,
    partnership: Partnership,
) -> None:
    _shared("Without Harbor", other_organisation, partner_organisation)

    rows = _table(_portfolio(partner_admin_client, partner_organisation)).rows

    assert [row[:2] for row in rows] == [
        ["Healthy Lunches", "Harbor Health Alliance, Meadow Grocers"],
        ["Without Harbor", "Meadow Grocers, Outer Ventures"],
    ]
    portfolio_of_harbor = reverse("partnerships:portfolio", kwargs={"slug": organisation.slug})
    assert partner_admin_client.get(portfolio_of_harbor).status_code == 404


def test_each_row_shows_where_its_agreement_stands_and_changes_with_its_records(
    member_client: Client, organisation: Organisation, partner_organisation: Organisation
) -> None:
    from commonground.core.agreement.models import Agreement as AgreementDocument
    from commonground.web.agreements.models import Agreement, Signature

    partnership = _shared("Healthy Lunches", organisation, partner_organisation)
    assert member_client.post(reverse("agreements:start", kwargs={"pk": partnership.pk})).status_code == 302
    agreement = Agreement.objects.get(partnership=partnership)
    harbor, meadow = (p["id"] for p in agreement.document["who"]["partners"])
    what = {
        "commitments": [
            {"id": "vans", "by": harbor, "kind": "in_kind", "description": "Vans", "due": "2026-01-31"},
            {"id": "staff", "by": meadow, "kind": "staff_time", "description": "Cooks", "due": "2099-01-31"},
        ],
        "kpis": [
            {
                "id": "meals",
                "name": "Meals served",
                "category": "social",
                "unit": "meals",
                "owner": harbor,
                "baseline": {"value": 0, "date": "2025-01-01"},
                "targets": [{"value": 1000, "date": "2025-12-31"}],
            }
        ],
    }
    document = AgreementDocument.model_validate({**agreement.document, "what": what})
    Agreement.objects.filter(pk=agreement.pk).update(document=document.model_dump(mode="json"))

    def cells() -> list[str]:
        [row] = _table(_portfolio(member_client, organisation)).rows
        return row[6:9]

    assert cells() == ["draft", "1", "0"]  # one commitment overdue; the KPI has no reading yet
    kpi_url = reverse("agreements:measurement_add", kwargs={"pk": partnership.pk, "kpi_id": "meals"})
    assert member_client.post(kpi_url, {"date": "2025-12-31", "value": "100"}).status_code == 302
    assert cells() == ["draft", "1", "1"]  # 100 meals against 1,000 by the target date
    deliver = reverse("agreements:delivery_add", kwargs={"pk": partnership.pk, "commitment_id": "vans"})
    assert member_client.post(deliver, {"date": "2026-02-01", "met_in_full": "on"}).status_code == 302
    assert cells() == ["draft", "0", "1"]
    Signature.objects.create(
        agreement=agreement, organisation=organisation, organisation_name=organisation.name,
        signer_name="olga", version=Agreement.objects.get(pk=agreement.pk).version,
    )  # fmt: skip
    Partnership.objects.filter(pk=partnership.pk).update(updated_at=datetime.now(tz=UTC))  # as signing does
    assert cells() == ["awaiting sign-off", "0", "1"]


def test_the_alerts_column_counts_drift_alerts_and_open_conflicts_at_once(
    member_client: Client, member: Any, organisation: Organisation, partner_organisation: Organisation
) -> None:
    from commonground.web.checkins.models import ActionItem, ActionSource
    from commonground.web.conflicts.models import ConflictEntry, ConflictEvent, EventKind

    partnership = _shared("Healthy Lunches", organisation, partner_organisation)

    def alerts() -> str:
        [row] = _table(_portfolio(member_client, organisation)).rows
        return row[9]

    assert alerts() == "none"
    # A close of a check-in files drift alerts as action items; the row changes without a page write.
    drift = ActionItem.objects.create(
        partnership=partnership, source=ActionSource.DRIFT, key="drift:voice:meadow", text="Voice down 0.8"
    )
    assert alerts() == "1 drift alert"
    access = partnership_access_for(user=member, partnership_id=partnership.pk)
    entry = conflict_services.conflict_raise(
        access=access, user=member, organisation_id=organisation.pk, title="Fruit", description="Missing.",
        category="resources", severity="low",
    )  # fmt: skip
    assert alerts() == "1 drift alert · 1 open conflict"
    # Climbing a rung is an escalation on the entry's timeline.
    ConflictEntry.objects.filter(pk=entry.pk).update(rung="senior_leaders")
    ConflictEvent.objects.create(
        entry=entry, kind=EventKind.ESCALATED, rung="senior_leaders", escalation_key="t"
    )
    assert alerts() == "1 drift alert · 1 open conflict (1 escalated)"
    drift.status = "done"
    drift.save()
    ConflictEntry.objects.filter(pk=entry.pk).update(state="resolved")
    assert alerts() == "none"
