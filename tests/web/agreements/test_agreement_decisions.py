"""Decisions: proposing, each partner voting through its representatives, the outcome under the rule,
the log with outcome statements, Banzhaf power under a weighted rule, and races on votes and proposals."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from agreement_terms import days, put_terms
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from commonground.web.access import Role
from commonground.web.agreements import decision_services, services
from commonground.web.agreements.models import Agreement, Decision, Vote
from commonground.web.agreements.record_services import RecordError
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for


def _url(name: str, partnership: Partnership, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"pk": partnership.pk, **kwargs})


@pytest.fixture
def agreement(partnership: Partnership, member: Any) -> Agreement:
    """The partnership's agreement with the default test terms (consensus, the format's default rule)."""
    started = services.agreement_start(
        access=partnership_access_for(user=member, partnership_id=partnership.pk), user=member
    )
    return put_terms(started)


def _partners(agreement: Agreement) -> tuple[str, str]:
    harbor, meadow = (p["id"] for p in agreement.document["who"]["partners"])
    return harbor, meadow


def _propose(client: Client, partnership: Partnership, for_partner: str, **extra: str) -> Any:
    data = {"partner": for_partner, "title": "Fund a cook", "proposal": "Share the cost.", "closes": days(7)}
    return client.post(_url("propose", partnership), data | extra)


def test_two_partners_vote_and_see_the_outcome_then_the_log_keeps_the_statement(
    member_client: Client, org_admin_client: Client, partner_admin_client: Client, agreement: Agreement,
    partnership: Partnership,
) -> None:  # fmt: skip
    harbor, meadow = _partners(agreement)
    response = _propose(member_client, partnership, harbor)
    assert response.status_code == 302
    url = _url("decision", partnership, decision_id="fund-a-cook")
    page = member_client.get(url).content.decode()
    assert '<span class="verdict verdict-workable">Pending</span>' in page
    assert "Vote for" not in page  # a member is not a representative
    assert org_admin_client.post(_url("vote", partnership, decision_id="fund-a-cook"),
                                 {"partner": harbor, "position": "yes"}).status_code == 302  # fmt: skip
    assert "Pending" in member_client.get(url).content.decode()
    partner_admin_client.post(
        _url("vote", partnership, decision_id="fund-a-cook"), {"partner": meadow, "position": "yes"}
    )
    page = member_client.get(url).content.decode()
    assert '<span class="verdict verdict-aligned">Passed</span>' in page
    assert "2 of 2 partners have taken part" in page
    # A representative votes only for its own partner.
    response = partner_admin_client.post(
        _url("vote", partnership, decision_id="fund-a-cook"), {"partner": harbor, "position": "no"}
    )
    assert "Only the representatives of Harbor Health Alliance" in response.content.decode()
    assert Vote.objects.get(partner_id=harbor).position == "yes"
    # The outcome statement goes into the log; voting ends.
    response = member_client.post(
        _url("decision_outcome", partnership, decision_id="fund-a-cook"),
        {"outcome": "Harbor hires a cook; Meadow pays half.", "review_date": days(180)},
    )
    assert response.status_code == 302
    log = member_client.get(_url("decisions", partnership)).content.decode()
    assert "Harbor hires a cook; Meadow pays half." in log
    assert days(180) in log
    response = org_admin_client.post(
        _url("vote", partnership, decision_id="fund-a-cook"), {"partner": harbor, "position": "no"}
    )
    assert "voting has ended" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.version == 1  # decisions are records, not a change of terms


def test_under_consent_an_objection_needs_a_reason_and_holds_the_proposal_until_resolved(
    member_client: Client, org_admin_client: Client, partner_admin_client: Client, agreement: Agreement,
    partnership: Partnership,
) -> None:  # fmt: skip
    harbor, meadow = _partners(agreement)
    put_terms(agreement, rule={"kind": "consent"})
    _propose(member_client, partnership, harbor)
    vote = _url("vote", partnership, decision_id="fund-a-cook")
    response = partner_admin_client.post(vote, {"partner": meadow, "position": "object", "reason": "  "})
    assert response.status_code == 200
    assert "Reason: Say why: an objection or a block gives its reason" in response.content.decode()
    assert Vote.objects.count() == 0
    partner_admin_client.post(
        vote, {"partner": meadow, "position": "object", "reason": "Costs too much now."}
    )
    org_admin_client.post(vote, {"partner": harbor, "position": "yes"})
    page = member_client.get(_url("decision", partnership, decision_id="fund-a-cook")).content.decode()
    assert "Pending" in page
    assert "objection not yet resolved" in page
    # "block" is not a position under consent.
    response = partner_admin_client.post(vote, {"partner": meadow, "position": "block", "reason": "x"})
    assert "Select a valid choice" in response.content.decode()
    resolve = _url("objection_resolve", partnership, decision_id="fund-a-cook")
    assert "has no open objection" in org_admin_client.post(resolve, {"partner": harbor}).content.decode()
    assert partner_admin_client.post(resolve, {"partner": meadow}).status_code == 302
    page = member_client.get(_url("decision", partnership, decision_id="fund-a-cook")).content.decode()
    assert '<span class="verdict verdict-aligned">Passed</span>' in page
    assert "(resolved or withdrawn)" in page


def test_a_facilitator_proposes_with_a_partner_but_never_votes(
    facilitator_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    harbor, _ = _partners(agreement)
    assert _propose(facilitator_client, partnership, harbor).status_code == 302
    decision = Decision.objects.get()
    assert decision.by_facilitator
    page = facilitator_client.get(_url("decisions", partnership)).content.decode()
    assert "fay-facilitator (facilitator), with Harbor Health Alliance" in page
    response = facilitator_client.post(
        _url("vote", partnership, decision_id=decision.slug), {"partner": harbor, "position": "yes"}
    )
    assert response.status_code == 403
    assert Vote.objects.count() == 0


def test_a_weighted_rule_shows_each_partners_banzhaf_power_next_to_its_weight(
    member_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    harbor, meadow = _partners(agreement)
    response = _propose(
        member_client, partnership, harbor, rule_kind="weighted", quota="51",
        **{f"weight_{harbor}": "60", f"weight_{meadow}": "40"},
    )  # fmt: skip
    assert response.status_code == 302
    page = member_client.get(_url("decision", partnership, decision_id="fund-a-cook")).content.decode()
    assert "Voting power (Banzhaf)" in page
    # 60/40 with a 51% quota: Harbor alone decides, so it holds all the power.
    assert '<th scope="row">Harbor Health Alliance</th><td>60%</td><td>100%</td>' in page
    assert '<th scope="row">Meadow Grocers</th><td>40%</td><td>0%</td>' in page


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"closes": days(-1)}, "closes", "The closing date has passed"),
        ({"closes": "soon"}, "closes", "Enter a valid date."),
        ({"rule_kind": "supermajority", "share": "40"}, "share", "greater than or equal to 51"),
        ({"rule_kind": "weighted"}, "rule_kind", "a weighted rule needs weights"),
        (
            {"rule_kind": "consensus", "quota": "60"},
            "rule_kind",
            "weights and quota belong to a weighted rule",
        ),
        ({"partner": "nobody"}, "partner", "Select a valid choice"),
    ],
)
def test_a_bad_proposal_is_named_on_its_field_and_nothing_is_saved(
    member_client: Client, agreement: Agreement, partnership: Partnership, extra: dict[str, str], field: str,
    message: str,
) -> None:  # fmt: skip
    harbor, _ = _partners(agreement)
    response = _propose(member_client, partnership, harbor, **extra)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field]), response.context["form"].errors
    assert Decision.objects.count() == 0


def test_a_member_proposes_only_for_its_own_partner(
    member_client: Client, agreement: Agreement, partnership: Partnership
) -> None:
    _, meadow = _partners(agreement)
    response = _propose(member_client, partnership, meadow)
    assert "Select a valid choice" in " ".join(response.context["form"].errors["partner"])
    assert Decision.objects.count() == 0


def _representatives(
    make_user: Callable[..., Any], organisation: Organisation, prefix: str, n: int
) -> list[Any]:
    users = [make_user(f"{prefix}-{i:02d}") for i in range(n)]
    for user in users:
        Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
    return users


def _run(writers: int, write: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


@pytest.mark.django_db(transaction=True)
def test_twenty_representatives_voting_at_once_count_each_partner_once_and_the_last_vote_wins(
    make_user: Callable[..., Any], partnership: Partnership, organisation: Organisation,
    partner_organisation: Organisation, member: Any,
) -> None:  # fmt: skip
    agreement = put_terms(
        services.agreement_start(
            access=partnership_access_for(user=member, partnership_id=partnership.pk), user=member
        )
    )
    harbor, meadow = _partners(agreement)
    decision = decision_services.decision_propose(
        access=partnership_access_for(user=member, partnership_id=partnership.pk), agreement=agreement,
        partner_id=harbor, title="Fund a cook", proposal="", closes=datetime.date.fromisoformat(days(7)),
        rule=None, user=member,
    )  # fmt: skip
    voters = _representatives(make_user, organisation, "harbor-rep", 10)
    voters += _representatives(make_user, partner_organisation, "meadow-rep", 10)
    barrier = threading.Barrier(len(voters))
    outcomes: dict[int, str] = {}

    def write(n: int) -> None:
        try:
            access = partnership_access_for(user=voters[n], partnership_id=partnership.pk)
            barrier.wait()
            decision_services.vote_cast(
                access=access, agreement=agreement, decision=decision,
                partner_id=harbor if n < 10 else meadow, position=("yes", "no", "abstain")[n % 3], reason="",
                user=voters[n],
            )  # fmt: skip
            outcomes[n] = "cast"
        except Exception as exc:  # any failure is a failure of the locking
            outcomes[n] = f"error:{exc!r}"
        finally:
            connection.close()

    _run(len(voters), write)
    assert sorted(outcomes.values()) == ["cast"] * 20, outcomes
    votes = {v.partner_id: v for v in Vote.objects.filter(decision=decision)}
    assert sorted(votes) == sorted([harbor, meadow])  # one row per partner: never counted twice
    for vote in votes.values():
        history = Version.objects.get_for_object(vote).order_by("revision__date_created", "pk")
        assert history.count() == 10  # every vote is in the history, none lost
        last = history.last()
        assert last is not None
        # The row holds the vote recorded last: the last one to commit is the one that counts.
        assert (last.field_dict["position"], last.field_dict["voter_name"]) == (
            vote.position,
            vote.voter_name,
        )


@pytest.mark.django_db(transaction=True)
def test_twenty_proposals_at_once_give_each_decision_one_id_and_refuse_the_repeated_title(
    make_user: Callable[..., Any], partnership: Partnership, organisation: Organisation, member: Any
) -> None:
    agreement = put_terms(
        services.agreement_start(
            access=partnership_access_for(user=member, partnership_id=partnership.pk), user=member
        )
    )
    harbor, _ = _partners(agreement)
    writers = [make_user(f"proposer-{n:02d}") for n in range(20)]
    for writer in writers:
        Membership.objects.create(user=writer, organisation=organisation, role=Role.MEMBER)
    barrier = threading.Barrier(len(writers))
    outcomes: dict[int, str] = {}
    closes = datetime.date.fromisoformat(days(7))

    def write(n: int) -> None:
        title = "Buy an oven" if n < 10 else f"Idea {n}"
        try:
            access = partnership_access_for(user=writers[n], partnership_id=partnership.pk)
            barrier.wait()
            decision_services.decision_propose(
                access=access, agreement=agreement, partner_id=harbor, title=title, proposal="",
                closes=closes, rule=None, user=writers[n],
            )  # fmt: skip
            outcomes[n] = "proposed"
        except RecordError as exc:
            outcomes[n] = f"refused:{exc.field}"
        except Exception as exc:  # anything else is a failure of the locking
            outcomes[n] = f"error:{exc!r}"
        finally:
            connection.close()

    _run(len(writers), write)
    assert sorted(outcomes.values()) == ["proposed"] * 11 + ["refused:title"] * 9, outcomes
    slugs = sorted(Decision.objects.values_list("slug", flat=True))
    assert slugs == sorted(["buy-an-oven", *(f"idea-{n}" for n in range(10, 20))])
