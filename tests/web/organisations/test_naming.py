"""Organisation names people can read and tell apart: readable URLs in any script, a descriptor (where it
is based, else its kind) wherever two organisations of the same name could meet."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonground.core.profiles import Profile
from commonground.web.organisations import services
from commonground.web.organisations.models import Organisation
from commonground.web.organisations.naming import distinct_labels, readable_slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Harbor Health Alliance", "harbor-health-alliance"),
        ("Café Ünïon des Écoles", "cafe-union-des-ecoles"),  # Latin letters lose their accents only
        ("جمعية الأمل الخيرية", "جمعية-الأمل-الخيرية"),
        ("北区青少年体育协会", "北区青少年体育协会"),
        ("Общество помощи", "общество-помощи"),
        ("🌱🌍", "organisation"),  # nothing readable: never an empty slug
    ],
)
def test_slugs_keep_letters_of_every_script_and_are_never_empty(name: str, slug: str) -> None:
    assert readable_slug(name) == slug


def test_an_arabic_name_gets_a_readable_address_that_works(owner_client: Client, owner: Any) -> None:
    response = owner_client.post(
        reverse("organisations:new"),
        {"name": "جمعية الأمل الخيرية", "kind": "nonprofit", "mission": "مساعدة الأسر المحتاجة."},
    )
    organisation = Organisation.objects.get(name="جمعية الأمل الخيرية")
    assert organisation.slug == "جمعية-الأمل-الخيرية"
    assert response["Location"] == reverse("organisations:profile_edit", kwargs={"slug": organisation.slug})
    page = owner_client.get(reverse("organisations:detail", kwargs={"slug": organisation.slug}))
    assert page.status_code == 200
    assert '<h1 dir="auto">جمعية الأمل الخيرية</h1>' in page.content.decode()
    # Two with the same name stay distinct.
    second = services.organisation_create(
        user=owner, profile=organisation.get_profile(), location="Amman, Jordan"
    )
    assert second.slug == "جمعية-الأمل-الخيرية-2"


def test_labels_add_a_descriptor_only_where_names_are_shared() -> None:
    labels = distinct_labels(
        [
            (1, "Northfield Youth Trust", "Leeds"),
            (2, "Northfield Youth Trust", "Birmingham"),
            (3, "Kai's Football Club", "Company"),
            (4, "Same Name", "Charity or non-profit"),
            (5, "same name", "Charity or non-profit"),
        ]
    )
    assert labels == {
        1: "Northfield Youth Trust (Leeds)",
        2: "Northfield Youth Trust (Birmingham)",
        3: "Kai's Football Club",
        4: "Same Name (Charity or non-profit, no. 1)",
        5: "same name (Charity or non-profit, no. 2)",
    }


def test_a_second_organisation_of_the_same_name_asks_where_it_is_based(
    owner_client: Client, organisation: Organisation
) -> None:
    url = reverse("organisations:new")
    data = {"name": "harbor health alliance", "kind": "nonprofit", "mission": "Another harbour."}
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert "You already have an organisation called Harbor Health Alliance (Charity or non-profit)" in (
        response.content.decode()
    )
    assert Organisation.objects.filter(name__iexact="harbor health alliance").count() == 1
    response = owner_client.post(url, data | {"location": "Portsmouth, UK"})
    assert response.status_code == 302
    created = Organisation.objects.get(location="Portsmouth, UK")
    assert created.descriptor == "Portsmouth, UK"
    assert organisation.descriptor == "Charity or non-profit"


def test_the_location_is_edited_with_the_profile_and_recorded_in_history(
    owner_client: Client, organisation: Organisation
) -> None:
    from test_profile_editing import edit_url, form_data  # the editor's own round trip

    data = form_data(owner_client, organisation) | {"location": "Leith, Scotland"}
    assert owner_client.post(edit_url(organisation), data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.location == "Leith, Scotland"
    history = owner_client.get(reverse("organisations:history", kwargs={"slug": organisation.slug}))
    assert "location changed" in history.content.decode()


def test_profile_import_keeps_the_location(
    owner_client: Client, owner: Any, organisation: Organisation
) -> None:
    services.profile_update(
        organisation=organisation,
        profile=Profile.model_validate(organisation.profile),
        expected_version=organisation.version,
        user=owner,
        location="Leith",
    )
    services.profile_update(
        organisation=organisation,
        profile=Profile.model_validate(organisation.profile),
        expected_version=organisation.version,
        user=owner,
    )
    organisation.refresh_from_db()
    assert organisation.location == "Leith"
