"""The profile page: the profile in people's words, what is still empty, and SDGs to accept for goals."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from commonground.core.profiles import Profile
from commonground.web.organisations import services
from commonground.web.organisations.models import Organisation


def _detail(client: Client, organisation: Organisation) -> str:
    response = client.get(reverse("organisations:detail", kwargs={"slug": organisation.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_profile_reads_in_words_not_codes(viewer_client: Client, organisation: Organisation) -> None:
    page = _detail(viewer_client, organisation)
    assert "Charity or non-profit" in page
    assert "Mainly purpose-driven" in page
    assert "<strong>Clan</strong> (collaborate): 40 points" in page
    assert "high priority" in page
    assert "Absolute: crossing it rules the partnership out" in page
    assert "nonprofit" not in page
    assert "id obesity" not in page
    assert '<p dir="auto">Improve the health of families' in page


def test_an_incomplete_profile_says_what_is_missing_with_a_link_to_fill_it(
    owner_client: Client, owner: Any
) -> None:
    sparse = services.organisation_create(
        user=owner,
        profile=Profile.model_validate({"name": "Sparse Trust", "kind": "funder", "mission": "Fund things."}),
    )
    page = _detail(owner_client, sparse)
    assert "This profile is still without values, goals, activities, red lines, stakeholders" in page
    edit = reverse("organisations:profile_edit", kwargs={"slug": sparse.slug})
    assert f'href="{edit}#part-values">Complete the profile</a>' in page


def test_goals_without_sdgs_get_suggestions_to_accept(
    member_client: Client, viewer_client: Client, organisation: Organisation
) -> None:
    page = _detail(member_client, organisation)
    url = reverse("organisations:goal_sdg_suggestions", kwargs={"slug": organisation.slug})
    assert f'hx-get="{url}" hx-trigger="load"' in page  # fetched after the page, which stays fast
    fragment = member_client.get(url).content.decode()
    # Only the second goal ("Every school serves a healthy lunch") names no SDG.
    assert "Every school serves a healthy lunch" in fragment
    assert "Halve childhood obesity" not in fragment
    assert "Good health and well-being" in fragment
    accept = reverse("organisations:goal_sdgs_accept", kwargs={"slug": organisation.slug, "goal_number": 2})
    assert f'action="{accept}"' in fragment
    # A viewer sees the suggestions but cannot accept them.
    fragment = viewer_client.get(url).content.decode()
    assert "Good health and well-being" in fragment
    assert "Accept" not in fragment


def test_accepting_a_suggested_sdg_adds_it_to_the_goal_as_a_new_version(
    member_client: Client, organisation: Organisation
) -> None:
    accept = reverse("organisations:goal_sdgs_accept", kwargs={"slug": organisation.slug, "goal_number": 2})
    response = member_client.post(accept, {"version": "1", "sdgs": "3"}, follow=True)
    assert "SDG 3 added to goal 2." in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.version == 2
    assert organisation.get_profile().goals[1].sdgs == [3]
    assert organisation.get_profile().goals[0].sdgs == [3]  # the other goal untouched
    history = member_client.get(reverse("organisations:history", kwargs={"slug": organisation.slug}))
    assert "Accepted SDG 3 for goal 2" in history.content.decode()


def test_accepting_from_an_out_of_date_page_changes_nothing(
    member_client: Client, organisation: Organisation
) -> None:
    accept = reverse("organisations:goal_sdgs_accept", kwargs={"slug": organisation.slug, "goal_number": 2})
    assert member_client.post(accept, {"version": "1", "sdgs": "3"}).status_code == 302
    response = member_client.post(accept, {"version": "1", "sdgs": "4"}, follow=True)
    assert "changed by mia-member meanwhile" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.get_profile().goals[1].sdgs == [3]


def test_only_real_sdg_numbers_are_accepted(member_client: Client, organisation: Organisation) -> None:
    accept = reverse("organisations:goal_sdgs_accept", kwargs={"slug": organisation.slug, "goal_number": 2})
    for bad in ("18", "three", ""):
        response = member_client.post(accept, {"version": "1", "sdgs": bad}, follow=True)
        assert "Choose one of the suggested SDGs." in response.content.decode()
    missing = reverse("organisations:goal_sdgs_accept", kwargs={"slug": organisation.slug, "goal_number": 9})
    response = member_client.post(missing, {"version": "1", "sdgs": "3"}, follow=True)
    assert "That goal is no longer in the profile" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.version == 1
