"""Security finding F5: where two-factor sign-in is required (access.admin_gate, access.scoped with the
scope's ``needs_mfa``): /admin/ for site administrators, an organisation's pages for its owners when the
organisation asks for it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from mfa_steps import code_for, code_step, password_step, signed_in

from commonground.web.access import Role
from commonground.web.demo import demo_load
from commonground.web.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _to_set_up(response: Any) -> str:
    """The page a redirect to the set-up page will come back to."""
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:mfa_setup")
    return parse_qs(location.query).get("next", [""])[0]


def test_a_site_administrator_without_two_factor_is_sent_to_set_it_up(
    pia: Any, client_for: Any, with_mfa: Any
) -> None:
    pia.is_staff = pia.is_superuser = True
    pia.save()
    client = client_for(pia)
    assert _to_set_up(client.get("/admin/")) == "/admin/"
    assert _to_set_up(client.get("/admin/auth/user/")) == "/admin/auth/user/"
    assert client.get(reverse("accounts:account")).status_code == 200  # the rest of the site is open
    with_mfa(pia)
    assert client.get("/admin/").status_code == 200


def test_the_admin_signs_in_through_the_two_steps(pia: Any, pia_device: Any) -> None:
    pia.is_staff = pia.is_superuser = True
    pia.save()
    client = Client()
    # The admin's own sign-in form would take the password alone: it sends to ours.
    login = client.get("/admin/login/?next=/admin/")
    assert login["Location"] == f"{reverse('accounts:sign_in')}?next=%2Fadmin%2F"
    assert client.post("/admin/login/", {"username": "pia", "password": "x"}).status_code == 302
    assert not signed_in(client)
    password_step(client, "pia", next="/admin/")
    response = code_step(client, code_for(pia_device))
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_are_asked_only_for_the_admin(client_for: Any, member: Any, organisation: Organisation) -> None:
    assert client_for(member).get("/admin/")["Location"].startswith("/admin/login/")  # not staff: Django's


def test_someone_signed_in_who_is_not_staff_gets_no_redirect_loop_at_the_admin(
    client_for: Any, member: Any, organisation: Organisation
) -> None:
    client = client_for(member)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 404
    assert len(response.redirect_chain) == 1  # /admin/ -> /admin/login/, which answers, not a loop


def _require(owner_client: Client, organisation: Organisation, on: bool) -> Any:
    url = reverse("organisations:mfa_requirement", kwargs={"slug": organisation.slug})
    return owner_client.post(url, {"owners_need_mfa": "on"} if on else {})


def test_an_owner_turns_the_requirement_on_only_with_two_factor_of_their_own(
    owner: Any, owner_client: Client, organisation: Organisation, with_mfa: Any
) -> None:
    members = reverse("organisations:members", kwargs={"slug": organisation.slug})
    assert "Two-factor sign-in for owners" in owner_client.get(members).content.decode()
    _require(owner_client, organisation, on=True)
    organisation.refresh_from_db()
    assert not organisation.owners_need_mfa
    assert "Set up two-factor sign-in for yourself first" in owner_client.get(members).content.decode()
    with_mfa(owner)
    _require(owner_client, organisation, on=True)
    organisation.refresh_from_db()
    assert organisation.owners_need_mfa
    assert organisation.version == 1  # a setting, not a profile edit
    _require(owner_client, organisation, on=False)
    organisation.refresh_from_db()
    assert not organisation.owners_need_mfa


def test_owners_without_two_factor_are_sent_to_set_it_up_before_the_organisation_pages(
    make_user: Any, client_for: Any, organisation: Organisation, member: Any
) -> None:
    second_owner = make_user("otto-owner")
    Membership.objects.create(user=second_owner, organisation=organisation, role=Role.OWNER)
    Organisation.objects.filter(pk=organisation.pk).update(owners_need_mfa=True)
    client = client_for(second_owner)
    detail = reverse("organisations:detail", kwargs={"slug": organisation.slug})
    assert _to_set_up(client.get(detail)) == detail
    export = reverse("organisations:profile_export", kwargs={"slug": organisation.slug, "fmt": "yaml"})
    assert _to_set_up(client.get(export)) == export
    row = client.get(
        reverse("organisations:profile_row", kwargs={"slug": organisation.slug, "part": "goals"}),
        {"goals-TOTAL_FORMS": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 204
    assert row["HX-Redirect"].startswith(reverse("accounts:mfa_setup"))
    # Other roles are not asked; the owner's own account pages stay open to set it up.
    assert client_for(member).get(detail).status_code == 200
    assert client.get(reverse("accounts:mfa_setup")).status_code == 200


def test_an_owner_with_two_factor_reaches_the_pages(
    owner: Any, owner_client: Client, organisation: Organisation, with_mfa: Any
) -> None:
    with_mfa(owner)
    Organisation.objects.filter(pk=organisation.pk).update(owners_need_mfa=True)
    detail = reverse("organisations:detail", kwargs={"slug": organisation.slug})
    assert owner_client.get(detail).status_code == 200


def test_the_demo_signs_in_with_its_password_alone(db: None) -> None:
    accounts = demo_load()
    assert accounts is not None
    assert not Organisation.objects.filter(owners_need_mfa=True).exists()
    for account in accounts:
        client = Client()
        response = password_step(client, account.username, account.password)
        assert response["Location"] == reverse("home:index"), account.username
        assert signed_in(client)
