"""The navigation menu (``web/context.py``): the organisations the user belongs to now, by their names now."""

from __future__ import annotations

from typing import Any

from django.test import Client

from commonground.core.profiles import Profile
from commonground.web.access import Role
from commonground.web.organisations import services
from commonground.web.organisations.models import Membership, Organisation
from commonground.web.organisations.selectors import organisation_access


def _menu(client: Client) -> str:
    """The Organisations dropdown of a plain signed-in page."""
    page = client.get("/accounts/").content.decode()
    return page.split('<details class="nav-dropdown">', 1)[1].split("</details>", 1)[0]


def test_the_menu_follows_a_rename_a_new_membership_and_leaving_at_once(
    owner: Any,
    owner_client: Client,
    organisation: Organisation,
    other_organisation: Organisation,
    harbor_profile: Profile,
) -> None:
    assert "Harbor Health Alliance" in _menu(owner_client)
    assert "Outer Ventures" not in _menu(owner_client)

    services.profile_update(
        organisation=organisation,
        profile=harbor_profile.model_copy(update={"name": "Harbour Health Alliance"}),
        expected_version=organisation.version,
        user=owner,
    )
    renamed = _menu(owner_client)
    assert "Harbour Health Alliance" in renamed
    assert "Harbor Health Alliance" not in renamed

    Membership.objects.create(user=owner, organisation=other_organisation, role=Role.VIEWER)
    assert "Outer Ventures" in _menu(owner_client)

    services.membership_leave(access=organisation_access(user=owner, slug=other_organisation.slug))
    assert "Outer Ventures" not in _menu(owner_client)
