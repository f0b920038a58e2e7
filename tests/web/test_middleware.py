"""Our middleware: htmx after a session expired gets a short 401; signed-in responses are not cached."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commonground.web.organisations.models import Organisation


def _hint_url(organisation: Organisation) -> str:
    """An htmx fragment behind the sign-in requirement: the SDG hint of the profile editor."""
    return reverse("organisations:suggest_sdgs", kwargs={"slug": organisation.slug})


def test_expired_session_hint_request_gets_a_short_401_not_the_sign_in_page(
    anonymous_client: Client, organisation: Organisation
) -> None:
    editor = reverse("organisations:profile_edit", kwargs={"slug": organisation.slug})
    edit_page = f"http://testserver{editor}"
    url = _hint_url(organisation)
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
    response = anonymous_client.get(
        _hint_url(organisation), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/x"
    )
    assert response.status_code == 401
    assert "evil.example" not in response.content.decode()


@pytest.mark.parametrize(
    "current", ["http://testserver//evil.example/x", "http://testserver/\\evil.example/x"]
)
def test_own_host_url_whose_path_leaves_the_site_is_not_used_as_next(
    anonymous_client: Client, organisation: Organisation, current: str
) -> None:
    # The host is ours, but the path alone ("//evil.example/x") is a link to another site.
    url = _hint_url(organisation)
    response = anonymous_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=current)
    assert response.status_code == 401
    assert "evil.example" not in response.content.decode()
    assert 'next=%2F"' in response.content.decode()


def test_pages_have_the_notice_region_and_htmx_swaps_401(member_client: Client) -> None:
    page = member_client.get("/").content.decode()
    assert 'id="session-notice"' in page
    assert '{"code": "401", "swap": true, "error": false}' in page


def test_what_a_signed_in_person_is_sent_is_never_stored_by_a_cache(
    member_client: Client, organisation: Organisation, client: Client
) -> None:
    """Security review F13: pages and exports stayed in browser and disk caches after sign-out."""
    for url in (
        reverse("organisations:members", kwargs={"slug": organisation.slug}),
        reverse("organisations:profile_export", kwargs={"slug": organisation.slug, "fmt": "yaml"}),
        reverse("accounts:account"),
    ):
        response = member_client.get(url)
        assert response.status_code == 200, url
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control, url
        assert "private" in cache_control, url
    # A visitor's landing page and the static files may be cached as before.
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
