"""The profile editor: every part, errors on the named field, optimistic locking, SDG hints, "add another"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.web.organisations.models import Organisation
from commonground.web.organisations.profile_forms import PARTS
from commonground.web.organisations.profile_rows import max_rows


def form_data(client: Client, organisation: Organisation) -> dict[str, Any]:
    """What the editor would post back unchanged, as a mutable dict."""
    response = client.get(reverse("organisations:profile_edit", kwargs={"slug": organisation.slug}))
    assert response.status_code == 200
    editor = response.context["editor"]
    data: dict[str, Any] = {}
    for form in [
        editor.main,
        *(f for fs in editor.formsets.values() for f in [fs.management_form, *fs.forms]),
    ]:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value
    return data


def edit_url(organisation: Organisation) -> str:
    return reverse("organisations:profile_edit", kwargs={"slug": organisation.slug})


def test_unchanged_round_trip_keeps_the_profile(member_client: Client, organisation: Organisation) -> None:
    before = organisation.get_profile()
    response = member_client.post(edit_url(organisation), form_data(member_client, organisation))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.get_profile() == before
    assert organisation.version == 2


def test_member_edits_every_part(member_client: Client, organisation: Organisation, member: Any) -> None:
    data = form_data(member_client, organisation)
    data |= {
        "mission": "A new mission for healthier families.",
        "sector": "Health",
        "country": " ke ",
        "profit_purpose": "0.2",
        "clan": "25", "adhocracy": "25", "market": "25", "hierarchy": "25",
        # A new value (extra row 2), ordered first.
        "values-2-name": "Courage", "values-2-weight": "4", "values-2-ORDER": "0",
        "goals-2-text": "Cut air pollution near schools", "goals-2-priority": "low",
        "goals-2-id": "air", "goals-2-sdgs": "3, 11",
        "activities-0-DELETE": "on",
        "red_lines-1-text": "No alcohol sponsorship", "red_lines-1-severity": "strong",
        "stakeholders-1-name": "Teachers", "stakeholders-1-power": "3", "stakeholders-1-interest": "4",
        "stakeholders-1-urgency": "yes", "stakeholders-1-stance": "neutral",
        "comment": "Spring review",
    }  # fmt: skip
    response = member_client.post(edit_url(organisation), data)
    assert response.status_code == 302, response.context["editor"].main.errors
    organisation.refresh_from_db()
    profile = organisation.get_profile()
    assert profile.mission.startswith("A new mission")
    assert profile.country == "KE"  # stored as the code, as a directory reads it
    assert [v.name for v in profile.values] == ["Courage", "Health equity", "Openness"]
    assert profile.goals[-1].id == "air"
    assert profile.goals[-1].sdgs == [3, 11]
    assert profile.activities == []
    assert profile.red_lines[1].severity.value == "strong"
    assert profile.stakeholders[1].urgency is True
    assert profile.stakeholders[1].legitimacy is None
    assert profile.orientation is not None
    assert profile.orientation.profit_purpose == 0.2
    assert profile.culture is not None
    assert profile.culture.clan == 25
    assert organisation.updated_by == member


@pytest.mark.parametrize(
    ("changes", "anchor", "words"),
    [
        ({"mission": ""}, "id_mission", "The mission is required."),
        ({"clan": "90"}, "culture", "must add up to 100 points (they add up to 150)"),
        ({"stakeholders-0-power": ""}, "id_stakeholders-0-power", "This is required."),
        ({"goals-1-id": "obesity"}, "part-goals", "more than once"),
        ({"goals-0-sdgs": "3, eighteen"}, "id_goals-0-sdgs", "separated by commas"),
        ({"goals-0-sdgs": "3, 18"}, "id_goals-0-sdgs", "no higher than 17"),
        ({"goals-0-id": "has space"}, "part-goals", "may use only letters, digits"),
        ({"profit_purpose": "1.5"}, "id_profit_purpose", "Use a number no higher than 1."),
        ({"country": "ZZ"}, "id_country", "'ZZ' is two letters but no country's ISO 3166-1 alpha-2 code"),
        ({"country": "GBR"}, "id_country", "'GBR' is not a two-letter country code"),
        (
            {"goals-0-text": "x" * 2001},
            "id_goals-0-text",
            "Shorten this to 2,000 characters or fewer (it has 2,001).",
        ),
    ],
)
def test_each_problem_is_named_in_plain_words_with_a_link_to_its_field(
    member_client: Client, organisation: Organisation, changes: dict[str, str], anchor: str, words: str
) -> None:
    data = form_data(member_client, organisation) | changes
    response = member_client.post(edit_url(organisation), data)
    assert response.status_code == 400
    problems = response.context["problems"]
    assert [(p.anchor, words in p.message) for p in problems] == [(anchor, True)], problems
    page = response.content.decode()
    assert f'<a href="#{anchor}">' in page
    for library_words in ("Input should", "String should", "Ensure this value"):
        assert library_words not in page  # never the library's wording
    organisation.refresh_from_db()
    assert organisation.version == 1


def test_every_problem_comes_at_once_in_one_submit(member_client: Client, organisation: Organisation) -> None:
    """A person fixes everything in one round, not mission first, then numbers, then the culture sum."""
    data = form_data(member_client, organisation) | {
        "mission": "",
        "profit_purpose": "1.5",
        "clan": "90", "adhocracy": "90", "market": "90", "hierarchy": "90",
        "goals-0-text": "x" * 2001,
        "goals-0-sdgs": "3, eighteen",
    }  # fmt: skip
    response = member_client.post(edit_url(organisation), data)
    assert response.status_code == 400
    problems = response.context["problems"]
    assert [p.anchor for p in problems] == [
        "id_mission", "id_profit_purpose", "culture", "id_goals-0-text", "id_goals-0-sdgs"
    ]  # fmt: skip
    assert problems[2].message == "The four culture types must add up to 100 points (they add up to 360)"
    assert problems[3].where == "Goal 1, goal"
    page = response.content.decode()
    assert "5 things stop the profile from being saved" in page


def test_stale_save_names_who_changed_it_and_does_not_overwrite(
    member_client: Client, owner_client: Client, organisation: Organisation
) -> None:
    mine = form_data(member_client, organisation) | {"mission": "Member's mission"}
    theirs = form_data(owner_client, organisation) | {"mission": "Owner's mission"}
    assert owner_client.post(edit_url(organisation), theirs).status_code == 302
    response = member_client.post(edit_url(organisation), mine)
    assert response.status_code == 409
    assert (
        "This profile was changed by olivia-owner meanwhile (it is now at version 2). Your changes were "
        "not saved: open the current version and apply them again."
    ) in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.get_profile().mission == "Owner's mission"
    assert organisation.version == 2


def test_sdg_suggestions_fragment(member_client: Client, organisation: Organisation) -> None:
    url = reverse("organisations:suggest_sdgs", kwargs={"slug": organisation.slug})
    response = member_client.get(
        url, {"goals-0-text": "Better health for every child"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Good health and well-being" in response.content.decode()
    assert "<html" not in response.content.decode()  # a fragment, not a page
    assert (
        "No SDG suggestion"
        in member_client.get(url, {"text": "Something unrelated entirely"}).content.decode()
    )


def test_editor_wires_goal_text_to_suggestions(member_client: Client, organisation: Organisation) -> None:
    page = member_client.get(edit_url(organisation)).content.decode()
    assert 'hx-trigger="keyup changed delay:500ms"' in page
    assert reverse("organisations:suggest_sdgs", kwargs={"slug": organisation.slug}) in page


# --- "add another" row -----------------------------------------------------------------------------


def test_editor_offers_add_another_for_every_repeating_part(
    member_client: Client, organisation: Organisation
) -> None:
    page = member_client.get(edit_url(organisation)).content.decode()
    for part in ("values", "goals", "activities", "red_lines", "stakeholders"):
        assert f'name="add_row" value="{part}"' in page
        assert reverse("organisations:profile_row", kwargs={"slug": organisation.slug, "part": part}) in page
    assert "<script>" not in page
    assert "onclick" not in page


def test_htmx_add_another_returns_an_empty_row_and_the_new_count(
    member_client: Client, organisation: Organisation
) -> None:
    url = reverse("organisations:profile_row", kwargs={"slug": organisation.slug, "part": "stakeholders"})
    response = member_client.get(url, {"stakeholders-TOTAL_FORMS": "3"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="stakeholders-3-name"' in body
    assert 'name="stakeholders-3-DELETE"' in body
    assert re.search(r'name="stakeholders-TOTAL_FORMS" value="4"[^>]*hx-swap-oob="true"', body)
    goals = member_client.get(
        reverse("organisations:profile_row", kwargs={"slug": organisation.slug, "part": "goals"}),
        {"goals-TOTAL_FORMS": "4"},
    ).content.decode()
    assert 'name="goals-4-text"' in goals
    assert "hx-get" in goals
    bad = reverse("organisations:profile_row", kwargs={"slug": organisation.slug, "part": "secrets"})
    assert member_client.get(bad, {"secrets-TOTAL_FORMS": "1"}).status_code == 404


def test_row_fragment_needs_edit_rights(viewer_client: Client, organisation: Organisation) -> None:
    url = reverse("organisations:profile_row", kwargs={"slug": organisation.slug, "part": "values"})
    assert viewer_client.get(url, {"values-TOTAL_FORMS": "1"}).status_code == 403


def test_add_another_without_htmx_keeps_typed_input_and_saves_nothing(
    member_client: Client, organisation: Organisation
) -> None:
    data = form_data(member_client, organisation)
    total = int(data["red_lines-TOTAL_FORMS"])
    data |= {"mission": "Typed but not saved yet.", "add_row": "red_lines"}
    response = member_client.post(edit_url(organisation), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'name="red_lines-{total}-text"' in body  # one more row than before
    assert "Typed but not saved yet." in body
    organisation.refresh_from_db()
    assert organisation.version == 1
    # The added row filled in and saved normally.
    data.pop("add_row")
    data |= {
        "red_lines-TOTAL_FORMS": str(total + 1),
        f"red_lines-{total}-text": "No arms trade money",
        f"red_lines-{total}-severity": "strong",
    }
    assert member_client.post(edit_url(organisation), data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.get_profile().red_lines[-1].text == "No arms trade money"


@pytest.mark.slow
@pytest.mark.real_sdgs
def test_real_suggester_finds_climate_goal() -> None:
    from commonground.web.organisations import suggestions

    found = suggestions.suggest_sdgs("Cut our greenhouse gas emissions to net zero by 2040")
    assert found
    assert 13 in [s.number for s in found]


def test_the_editor_shows_no_internal_ids_or_order_numbers(
    member_client: Client, organisation: Organisation
) -> None:
    page = member_client.get(edit_url(organisation)).content.decode()
    assert ">Id:<" not in page
    assert ">Order:<" not in page
    # The order and a goal's id (from an imported file) travel as hidden fields.
    assert '<input type="hidden" name="values-0-ORDER" value="1"' in page
    assert '<input type="hidden" name="goals-0-id" value="obesity"' in page
    assert 'aria-label="Move value 2 up"' in page


def test_rows_move_up_and_down_without_javascript_and_the_order_is_saved(
    member_client: Client, organisation: Organisation
) -> None:
    data = form_data(member_client, organisation)
    response = member_client.post(edit_url(organisation), data | {"move": "values-1-up"})
    assert response.status_code == 200  # shown again, re-ordered, not saved
    rows = response.context["editor"].formsets["values"].rows_in_order()
    assert [row["name"].value() for row in rows][:2] == ["Openness", "Health equity"]
    organisation.refresh_from_db()
    assert organisation.version == 1
    # What the page now carries (each row's hidden order) is what a save keeps.
    moved = data | {"values-0-ORDER": "2", "values-1-ORDER": "1"}
    assert member_client.post(edit_url(organisation), moved).status_code == 302
    organisation.refresh_from_db()
    assert [value.name for value in organisation.get_profile().values] == ["Openness", "Health equity"]


def test_limits_are_shown_before_submitting(member_client: Client, organisation: Organisation) -> None:
    page = member_client.get(edit_url(organisation)).content.decode()
    assert re.search(r'<textarea name="mission"[^>]*maxlength="10000"', page)
    assert re.search(r'<textarea name="goals-0-text"[^>]*maxlength="2000"', page)
    assert re.search(r'<input type="text" name="values-0-name"[^>]*maxlength="200"', page)
    assert "Up to 100 entries of at most 2,000 characters each." in page


def test_text_boxes_take_their_direction_from_their_text(
    member_client: Client, organisation: Organisation
) -> None:
    page = member_client.get(edit_url(organisation)).content.decode()
    boxes = re.findall(r"<(?:textarea|input type=\"text\")[^>]*>", page)
    assert boxes
    assert all('dir="auto"' in box for box in boxes), [box for box in boxes if 'dir="auto"' not in box]


def test_profit_purpose_is_a_slider_labelled_at_both_ends(
    member_client: Client, organisation: Organisation
) -> None:
    page = member_client.get(edit_url(organisation)).content.decode()
    assert re.search(r'<input type="range" name="profit_purpose"[^>]*min="0"[^>]*max="1"', page)
    assert "Purpose first" in page
    assert "Profit first" in page
    profit = round(organisation.get_profile().orientation.profit_purpose * 100)  # type: ignore[union-attr]
    assert f">{profit}% profit, {100 - profit}% purpose</output>" in page
    # "Not stated" leaves it out of the profile (a slider always has some value).
    data = form_data(member_client, organisation) | {"profit_purpose_unstated": "on"}
    assert member_client.post(edit_url(organisation), data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.get_profile().orientation is None


def test_the_culture_types_are_explained_with_an_example(
    member_client: Client, organisation: Organisation
) -> None:
    page = member_client.get(edit_url(organisation)).content.decode()
    for words in (
        "Clan (collaborate)",
        "A friendly place like an extended family",
        "Adhocracy (create)",
        "Market (compete)",
        "Hierarchy (control)",
        "a volunteer-run food bank might give clan 55",
        "Total: 100 of 100 points",
    ):
        assert words in page


def test_suggested_sdgs_in_the_editor_can_be_added_to_the_goal(
    member_client: Client, organisation: Organisation
) -> None:
    url = reverse("organisations:suggest_sdgs", kwargs={"slug": organisation.slug})
    page = member_client.get(url, {"goals-1-text": "Better health for every child"}).content.decode()
    assert 'data-add-sdg="3"' in page
    assert "Add SDG 3" in page


# The formsets take a bounded number of rows (security review F1): a post claiming 10^12 rows is refused
# with a message before its rows are built, and nothing is saved.
A_TRILLION = str(10**12)


@pytest.mark.parametrize("part", list(PARTS))
def test_a_post_claiming_a_trillion_rows_is_refused_and_saves_nothing(
    member_client: Client, organisation: Organisation, part: str
) -> None:
    before = (organisation.version, organisation.get_profile())
    data = form_data(member_client, organisation) | {f"{part}-TOTAL_FORMS": A_TRILLION, "mission": "Changed"}
    response = member_client.post(edit_url(organisation), data)
    assert response.status_code == 400
    assert "more rows than the editor takes" in response.content.decode()
    # Only the rows the editor was opened with were built, not Django's 2,000.
    assert len(response.context["editor"].formsets[part].forms) <= len(before[1].model_dump()[part])
    organisation.refresh_from_db()
    assert (organisation.version, organisation.get_profile()) == before


def test_add_another_stops_at_the_parts_limit(member_client: Client, organisation: Organisation) -> None:
    data = form_data(member_client, organisation) | {"goals-TOTAL_FORMS": A_TRILLION, "add_row": "goals"}
    response = member_client.post(edit_url(organisation), data)
    assert len(response.context["editor"].formsets["goals"].forms) == max_rows("goals")
    row_url = reverse("organisations:profile_row", kwargs={"slug": organisation.slug, "part": "goals"})
    assert member_client.get(row_url, {"goals-TOTAL_FORMS": A_TRILLION}).status_code == 404
    assert member_client.get(row_url, {"goals-TOTAL_FORMS": max_rows("goals") - 1}).status_code == 200
