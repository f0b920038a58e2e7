"""Home-page invitations, htmx requests after the session expired, and "add another" profile rows."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from commonground.web.organisations.models import Invitation, Membership, Organisation


def edit_url(organisation: Organisation) -> str:
    return reverse("organisations:profile_edit", kwargs={"slug": organisation.slug})


def form_data(client: Client, organisation: Organisation) -> dict[str, Any]:
    """What the editor would post back unchanged (as in test_profile_editing)."""
    editor = client.get(edit_url(organisation)).context["editor"]
    data: dict[str, Any] = {}
    for form in [
        editor.main,
        *(f for fs in editor.formsets.values() for f in [fs.management_form, *fs.forms]),
    ]:
        for field in form:
            value = field.value()
            if value is not None and value is not False:
                data[field.html_name] = value
    return data


def _invite(client: Client, organisation: Organisation, email: str) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("organisations:invitation_new", kwargs={"slug": organisation.slug}),
            {"email": email, "role": "member"},
        )
    return mail.outbox[-1].body


# --- pending invitations on the home page ------------------------------------------------------------


def test_home_lists_my_open_invitations_with_accept(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    _invite(owner_client, organisation, "nina@example.org")
    _invite(owner_client, organisation, "someone-else@example.org")
    nina_client = client_for(make_user("nina", email="Nina@Example.org"))
    page = nina_client.get("/").content.decode()
    assert "Waiting for your answer" in page
    assert page.count("Harbor Health Alliance") >= 1
    invitation = Invitation.objects.get(email="nina@example.org")
    assert reverse("organisations:invitation_send_link", kwargs={"invitation_id": invitation.pk}) in page
    assert "someone-else@example.org" not in page
    # Expired, revoked or used invitations are not listed.
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "Waiting for your answer" not in nina_client.get("/").content.decode()


def test_accept_from_home_emails_a_fresh_link_that_joins(
    owner_client: Client, organisation: Organisation, make_user: Any, client_for: Any
) -> None:
    first_mail = _invite(owner_client, organisation, "nina@example.org")
    old_path = re.search(r"https?://testserver(\S+)", first_mail).group(1)  # type: ignore[union-attr]
    nina = make_user("nina", email="nina@example.org")
    nina_client = client_for(nina)
    invitation = Invitation.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = nina_client.post(
            reverse("organisations:invitation_send_link", kwargs={"invitation_id": invitation.pk}),
            follow=True,
        )
    assert "We have emailed a link to nina@example.org" in response.content.decode()
    assert mail.outbox[-1].to == ["nina@example.org"]
    new_path = re.search(r"https?://testserver(\S+)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    assert new_path != old_path
    # Accepting by itself needs the emailed link: emails on accounts are not verified.
    assert not Membership.objects.filter(user=nina).exists()
    assert nina_client.post(new_path).status_code == 302
    assert Membership.objects.filter(user=nina, organisation=organisation).exists()
    assert "Waiting for your answer" not in nina_client.get("/").content.decode()


def test_cannot_ask_for_the_link_of_someone_elses_invitation(
    owner_client: Client, organisation: Organisation, outsider_client: Client
) -> None:
    _invite(owner_client, organisation, "nina@example.org")
    invitation = Invitation.objects.get()
    sent = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = outsider_client.post(
            reverse("organisations:invitation_send_link", kwargs={"invitation_id": invitation.pk}),
            follow=True,
        )
    assert "no longer open" in response.content.decode()
    assert len(mail.outbox) == sent
    assert Invitation.objects.get().token_hash == invitation.token_hash


# --- htmx requests after the session has expired --------------------------------------------------------


def test_expired_session_hint_request_gets_a_short_401_not_the_sign_in_page(
    anonymous_client: Client, organisation: Organisation
) -> None:
    edit_page = f"http://testserver{edit_url(organisation)}"
    url = reverse("organisations:suggest_sdgs", kwargs={"slug": organisation.slug})
    response = anonymous_client.get(
        url, {"goals-0-text": "Child health"}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=edit_page
    )
    assert response.status_code == 401
    body = response.content.decode()
    assert "session has expired" in body
    assert "<form" not in body
    assert "<html" not in body.lower()
    assert response["HX-Retarget"] == "#session-notice"
    # The sign-in link brings the user back to the editor page, not to the fragment URL.
    assert f"next=%2Fo%2F{organisation.slug}%2Fprofile%2Fedit%2F" in body
    # Without htmx, the usual redirect to the sign-in page.
    plain = anonymous_client.get(url)
    assert plain.status_code == 302
    assert reverse("accounts:sign_in") in plain["Location"]


def test_foreign_current_url_is_not_used_as_next(
    anonymous_client: Client, organisation: Organisation
) -> None:
    url = reverse("organisations:suggest_sdgs", kwargs={"slug": organisation.slug})
    response = anonymous_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/x")
    assert response.status_code == 401
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize(
    "current", ["http://testserver//evil.example/x", "http://testserver/\\evil.example/x"]
)
def test_own_host_url_whose_path_leaves_the_site_is_not_used_as_next(
    anonymous_client: Client, organisation: Organisation, current: str
) -> None:
    # The host is ours, but the path alone ("//evil.example/x") is a link to another site.
    url = reverse("organisations:suggest_sdgs", kwargs={"slug": organisation.slug})
    response = anonymous_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=current)
    assert response.status_code == 401
    assert "evil.example" not in response.content.decode()
    assert 'next=%2F"' in response.content.decode()


def test_pages_have_the_notice_region_and_htmx_swaps_401(member_client: Client) -> None:
    page = member_client.get("/").content.decode()
    assert 'id="session-notice"' in page
    assert '{"code": "401", "swap": true, "error": false}' in page


# --- "add another" row in the profile editor -------------------------------------------------------------


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
    data |= {"red_lines-TOTAL_FORMS": str(total + 1), f"red_lines-{total}-text": "No arms trade money",
             f"red_lines-{total}-severity": "strong"}  # fmt: skip
    assert member_client.post(edit_url(organisation), data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.get_profile().red_lines[-1].text == "No arms trade money"
