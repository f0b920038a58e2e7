"""The Django admin for operators: profile edits there are validated, recorded and bump the lock."""

from __future__ import annotations

import json
from typing import Any

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
