"""The Django admin for operators: profile edits there are validated, recorded and bump the lock."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.forms import MultiWidget
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from commonground.web.organisations.models import Organisation


def _change(client: Client, organisation: Organisation, profile: dict[str, Any]) -> Any:
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    return client.post(
        url,
        {
            "name": organisation.name,
            "slug": organisation.slug,
            "profile": json.dumps(profile),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )


def test_admin_edit_is_validated_recorded_and_bumps_the_version(
    client_for: Any, make_user: Any, with_mfa: Any, organisation: Organisation
) -> None:
    operator = make_user("sam-staff", is_staff=True, is_superuser=True)
    with_mfa(operator)  # the admin needs two-factor sign-in
    staff = client_for(operator)
    bad = organisation.profile | {"kind": "charity"}
    response = _change(staff, organisation, bad)
    assert response.status_code == 200  # the form again, with the error
    assert "kind" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.version == 1
    good = organisation.profile | {"sector": "Community health"}
    assert _change(staff, organisation, good).status_code == 302
    organisation.refresh_from_db()
    assert organisation.version == 2
    assert organisation.get_profile().sector == "Community health"
    assert Version.objects.get_for_object(organisation).count() == 2


def _posted_back(page: Any) -> dict[str, Any]:
    """What the admin's change (or revert) page posts when the operator just presses Save."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for field in form:
            if field.field.disabled:
                continue
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(field.field.widget, MultiWidget):  # the date and time boxes of a datetime
                for n, part in enumerate(field.field.widget.decompress(value)):
                    data[f"{field.html_name}_{n}"] = part
            else:
                data[field.html_name] = json.dumps(value) if isinstance(value, dict) else value
    return data


def test_admin_revert_keeps_removed_members_out_and_refuses_a_form_opened_before(
    client_for: Any, make_user: Any, with_mfa: Any, organisation: Organisation, owner: Any
) -> None:
    """Security review F3: a revert restores the profile only, as a new edit (the version grows)."""
    from commonground.core.profiles import Profile
    from commonground.web.access import Role
    from commonground.web.organisations import services
    from commonground.web.organisations.models import Membership
    from commonground.web.records import StaleEditError

    removed = make_user("revm")
    Membership.objects.create(user=removed, organisation=organisation, role=Role.ADMIN)
    old = organisation.get_profile().model_copy(update={"mission": "The old mission"})
    services.profile_update(organisation=organisation, profile=old, expected_version=1, user=owner)
    wanted = Version.objects.get_for_object(organisation).first()  # newest first: the old mission
    assert wanted is not None
    Membership.objects.filter(user=removed).delete()
    for n in range(3):
        newer = old.model_copy(update={"mission": f"Edit {n}"})
        services.profile_update(
            organisation=organisation, profile=newer, expected_version=organisation.version, user=owner
        )
    assert organisation.version == 5
    opened_before: Profile = organisation.get_profile()  # an editor's form, loaded at version 5

    operator = make_user("sam-staff", is_staff=True, is_superuser=True)
    with_mfa(operator)
    staff = client_for(operator)
    url = reverse("admin:organisations_organisation_revision", args=[organisation.pk, wanted.pk])
    page = staff.get(url)
    assert page.status_code == 200
    assert "revert to this version" in page.content.decode()
    assert staff.post(url, _posted_back(page)).status_code == 302

    organisation.refresh_from_db()
    assert organisation.get_profile().mission == "The old mission"
    assert organisation.version == 6  # a new edit, never back to 2
    assert not Membership.objects.filter(user=removed).exists()
    assert Membership.objects.get(organisation=organisation).user == owner
    with pytest.raises(StaleEditError):
        services.profile_update(
            organisation=organisation, profile=opened_before, expected_version=5, user=owner
        )
    assert organisation.get_profile().mission == "The old mission"


def test_history_records_only_the_apps_fields_never_memberships_or_the_counter(
    organisation: Organisation,
) -> None:
    """Registered once with the app's rules, though the admin's VersionAdmin loads first (F3)."""
    from reversion.revisions import _get_options

    options = _get_options(Organisation)
    assert tuple(options.fields) == ("name", "profile", "location")
    assert tuple(options.follow) == ()
    version = Version.objects.get_for_object(organisation).get()
    assert {v.content_type.model for v in version.revision.version_set.all()} == {"organisation"}
