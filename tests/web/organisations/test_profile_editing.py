"""The profile editor: every part, errors on the named field, optimistic locking, SDG hints, "add another"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.web.organisations.models import Organisation


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
    ("changes", "form_name", "field", "words"),
    [
        ({"mission": ""}, "main", "mission", "required"),
        ({"clan": "90"}, "main", None, "100"),
        ({"stakeholders-0-power": ""}, "stakeholders", "power", "required"),
        ({"goals-1-id": "obesity"}, "goals", None, "more than once"),
        ({"goals-0-sdgs": "3, eighteen"}, "goals", "sdgs", "separated by commas"),
        ({"goals-0-sdgs": "3, 18"}, "goals", "sdgs", "17"),
        ({"goals-0-id": "has space"}, "goals", "id", "pattern"),
        ({"profit_purpose": "1.5"}, "main", "profit_purpose", "1"),
    ],
)
def test_errors_are_shown_on_the_field_and_nothing_is_saved(
    member_client: Client,
    organisation: Organisation,
    changes: dict[str, str],
    form_name: str,
    field: str | None,
    words: str,
) -> None:
    data = form_data(member_client, organisation) | changes
    response = member_client.post(edit_url(organisation), data)
    assert response.status_code == 400
    editor = response.context["editor"]
    if form_name == "main":
        errors = editor.main.errors.get(field or "__all__", [])
    elif field is None:
        errors = editor.part_errors[form_name]
    else:
        errors = [e for form in editor.formsets[form_name].forms for e in form.errors.get(field, [])]
    assert any(words in str(error) for error in errors), (errors, editor.main.errors)
    organisation.refresh_from_db()
    assert organisation.version == 1


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
