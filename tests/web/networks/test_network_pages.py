"""The network tab as people use it: answering for one's organisation, closing, the results and downloads."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.web.networks import services
from commonground.web.networks.models import NetworkAnswer, NetworkRound, RoundState
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import partnership_access_for

pytestmark = pytest.mark.django_db

ANSWER = {
    "works_with": "yes",
    "level": "3",
    "frequency": "",
    "power": "4",
    "involvement": "3",
    "resources": "2",
    "reliable": "4",
    "mission": "4",
    "open": "1",
}


def _url(name: str, survey_round: NetworkRound, **kwargs: Any) -> str:
    return reverse(
        f"networks:{name}", kwargs={"pk": survey_round.partnership_id, "round_id": survey_round.pk, **kwargs}
    )


def test_an_admin_opens_a_round_from_the_tab(
    org_admin: Any, client_for: Callable[[Any], Client], partnership: Partnership
) -> None:
    client = client_for(org_admin)
    url = reverse("networks:open", kwargs={"pk": partnership.pk})
    refused = client.post(url, {"label": "spring 2026!", "date": "2026-04-01"})
    assert refused.status_code == 400
    assert "Letters, digits" in refused.content.decode()
    response = client.post(url, {"label": "2026-spring", "date": "2026-04-01"}, follow=True)
    assert "Answers of Harbor Health Alliance" in response.content.decode()
    assert NetworkRound.objects.get().label == "2026-spring"


def test_a_member_answers_for_their_organisation_through_the_form(
    member_client: Client,
    open_round: NetworkRound,
    organisation: Organisation,
    partner_organisation: Organisation,
) -> None:
    url = _url("answer", open_round, by_id=organisation.pk, about_id=partner_organisation.pk)
    page = member_client.get(url).content.decode()
    assert "We plan some of our activities together" in page  # the core's wording of level 3
    assert "Do they do what they say they will" in page
    incomplete = member_client.post(url, {"works_with": "yes", "level": "3"})
    assert incomplete.status_code == 400
    assert not NetworkAnswer.objects.exists()
    response = member_client.post(url, ANSWER, follow=True)
    assert "Work together: level 3, trust 4/4/1, value 4/3/2" in response.content.decode()
    saved = NetworkAnswer.objects.get()
    assert (saved.by, saved.about, saved.frequency, saved.open) == (
        organisation,
        partner_organisation,
        None,
        1,
    )
    member_client.post(url, {"works_with": "no", "version": "1"})
    assert NetworkAnswer.objects.get().works_with is False


def test_while_open_an_organisation_sees_only_its_own_answers_and_no_results(
    open_round: NetworkRound,
    member_client: Client,
    partner_admin: Any,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
) -> None:
    services.answer_save(
        access=partnership_access_for(user=partner_admin, partnership_id=open_round.partnership_id),
        user=partner_admin,
        survey_round=open_round,
        by_id=partner_organisation.pk,
        about_id=organisation.pk,
        rating=rating(level=1),
        expected_version=None,
    )
    page = member_client.get(_url("round", open_round)).content.decode()
    assert "Answers of Harbor Health Alliance" in page
    assert "Answers of Meadow Grocers" not in page
    assert "level 1" not in page
    assert "1 has started" in page or "1 has started" in page.replace("\n", " ")
    assert member_client.get(_url("export", open_round, fmt="csv")).status_code == 404


def test_closing_shows_the_network_to_the_partnership(
    open_round: NetworkRound,
    org_admin: Any,
    member: Any,
    partner_admin: Any,
    client_for: Callable[[Any], Client],
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
) -> None:
    for user, by, about in (
        (member, organisation, partner_organisation),
        (partner_admin, partner_organisation, organisation),
    ):
        services.answer_save(
            access=partnership_access_for(user=user, partnership_id=open_round.partnership_id),
            user=user, survey_round=open_round, by_id=by.pk, about_id=about.pk,
            rating=rating(reliable=4, mission=4, open=4), expected_version=None,
        )  # fmt: skip
    client = client_for(org_admin)
    response = client.post(_url("close", open_round), follow=True)
    page = response.content.decode()
    assert "The round is closed" in page
    assert "<svg" in page
    assert "density" in page
    assert "1.00" in page  # two organisations, one tie: density 1
    value = client.get(_url("round", open_round), {"colour": "value"}).content.decode()
    assert "<strong>value</strong>" in value


def test_the_rounds_list_costs_the_same_queries_for_any_number_of_rounds(
    partnership: Partnership,
    organisation: Organisation,
    partner_organisation: Organisation,
    member_client: Client,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    asked = [{"id": str(o.pk), "name": o.name} for o in (organisation, partner_organisation)]
    url = reverse("networks:index", kwargs={"pk": partnership.pk})
    counts = []
    for n in range(1, 7):
        NetworkRound.objects.create(
            partnership=partnership, label=f"r{n}", date=datetime.date(2026, 1, n), organisations=asked,
            state=RoundState.CLOSED,
        )  # fmt: skip
        member_client.get(url)
        if n in (1, 6):
            # Session, user, scope (partnership, memberships), the rounds, the site menu's organisations.
            with django_assert_num_queries(6):
                response = member_client.get(url)
            counts.append(response.content.decode().count("Closed: results"))
    assert counts == [1, 6]


def test_the_answer_sheet_costs_the_same_queries_for_any_number_of_answers(
    open_round: NetworkRound,
    member: Any,
    member_client: Client,
    organisation: Organisation,
    partner_organisation: Organisation,
    rating: Callable[..., services.Rating],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    url = _url("round", open_round)
    member_client.get(url)
    # Session, user, scope (partnership, memberships), the round, progress, Harbor's answers, the menu.
    with django_assert_num_queries(8):
        member_client.get(url)
    services.answer_save(
        access=partnership_access_for(user=member, partnership_id=open_round.partnership_id),
        user=member, survey_round=open_round, by_id=organisation.pk, about_id=partner_organisation.pk,
        rating=rating(), expected_version=None,
    )  # fmt: skip
    with django_assert_num_queries(8):
        member_client.get(url)


def test_an_answer_that_is_not_a_choice_gets_one_plain_message(
    member_client: Client,
    open_round: NetworkRound,
    organisation: Organisation,
    partner_organisation: Organisation,
) -> None:
    url = _url("answer", open_round, by_id=organisation.pk, about_id=partner_organisation.pk)
    response = member_client.post(url, {**ANSWER, "level": "9"})
    assert response.status_code == 400
    page = response.content.decode()
    # Not Django's "Select a valid choice. 9 is not one …" followed by "Choose one (you said …)".
    assert "Select a valid choice" not in page
    assert page.count("Choose one of the answers shown.") == 1
    assert "you said you work with them" not in page
    assert response.context["form"].errors["level"] == ["Choose one of the answers shown."]
    assert not NetworkAnswer.objects.exists()


def test_closing_a_round_few_have_answered_asks_for_a_confirmation_naming_how_many(
    open_round: NetworkRound, org_admin: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(org_admin)
    page = client.get(_url("round", open_round)).content.decode()
    assert "Only 0 of 2 organisations have answered so far" in page
    assert 'name="confirm"' in page
    refused = client.post(_url("close", open_round), follow=True)
    assert "The round is still open: only 0 of 2 organisations have answered" in refused.content.decode()
    open_round.refresh_from_db()
    assert open_round.state == RoundState.OPEN
    closed = client.post(_url("close", open_round), {"confirm": "yes"}, follow=True)
    assert "The round is closed" in closed.content.decode()
    open_round.refresh_from_db()
    assert open_round.state == RoundState.CLOSED
