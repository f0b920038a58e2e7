"""What any client sees at the HTTP level: TRACE refused, no listings or source-control files, a
declared content type, a strict Content-Security-Policy, and no internals on a server error."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_trace_is_refused_on_every_kind_of_page(member_client: Client) -> None:
    for url in ("/", "/accounts/sign-in/", "/api/v1/openapi.json"):
        response = member_client.generic("TRACE", url)
        assert response.status_code == 405, url
        assert "TRACE" not in response["Allow"]


@pytest.mark.django_db
def test_no_folder_listing_or_source_control_file_is_served(member_client: Client) -> None:
    for url in ("/static/", "/static/vendor/", "/.git/config", "/.git/HEAD", "/.env", "/pyproject.toml"):
        response = member_client.get(url)
        assert response.status_code == 404, url
        assert b"[core]" not in response.content
        assert b"Index of" not in response.content


@pytest.mark.django_db
def test_pages_and_api_answers_declare_their_type_and_utf8(member_client: Client) -> None:
    assert member_client.get("/")["Content-Type"] == "text/html; charset=utf-8"
    assert member_client.get("/api/v1/openapi.json")["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_the_policy_forbids_plugins_base_changes_and_framing() -> None:
    csp = Client().get("/accounts/sign-in/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp


@pytest.mark.django_db
def test_a_server_error_shows_a_generic_page_and_is_logged(
    member_client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals: SELECT * FROM accounts_user")

    monkeypatch.setattr("commonground.web.home.views.dashboard", broken)
    member_client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = member_client.get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret internals" not in body
    assert "Traceback" not in body
    assert "RuntimeError" not in body
    assert any("secret internals" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


@pytest.mark.django_db
def test_only_the_openapi_document_is_public_and_no_other_origin_may_read_answers(client: Client) -> None:
    for url in ("/api/v1/docs", "/api/v1/redoc", "/admin/doc/", "/metrics", "/status"):
        assert client.get(url).status_code in (302, 404), url
    answer = client.get("/api/v1/openapi.json", HTTP_ORIGIN="https://evil.example")
    assert answer.status_code == 200
    assert not [name for name in answer.headers if name.lower().startswith("access-control-")]


@pytest.mark.django_db
def test_a_form_posted_without_the_csrf_token_is_refused(make_user: Any) -> None:
    user = make_user("carol")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    data = {"first_name": "Mallory", "last_name": "", "email": user.email}
    assert browser.post("/accounts/", data).status_code == 403
    user.refresh_from_db()
    assert user.first_name != "Mallory"


@pytest.mark.django_db
def test_a_query_string_cannot_stand_in_for_a_form_field(member_client: Client, member: Any) -> None:
    # Views read the form body only: a parameter added to the address (a crafted link) changes nothing.
    url = "/accounts/?first_name=Mallory&email=mallory@evil.example&current_password=x"
    member_client.post(url, {"first_name": "Mo", "last_name": "", "email": member.email})
    member.refresh_from_db()
    assert member.first_name == "Mo"
    assert member.email != "mallory@evil.example"


@pytest.mark.django_db
def test_a_download_named_in_any_script_stays_an_attachment(owner_client: Client) -> None:
    owner_client.post("/o/new/", {"name": "جمعية الأمل", "kind": "nonprofit", "mission": "مساعدة الأسر."})
    response = owner_client.get("/o/جمعية-الأمل/profile/export.yaml")
    assert response.status_code == 200
    # RFC 6266: the name percent-encoded in filename*, never the whole header MIME-encoded.
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D8%AC%D9%85%D8%B9%D9%8A%D8%A9-%D8%A7%D9%84%D8%A3%D9%85%D9%84.yaml"
    )


@pytest.mark.django_db
def test_over_plain_http_pages_are_redirected_and_the_api_refused(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/"]  # as settings.py sets them with COMMONGROUND_HTTPS
    page = Client().get("/accounts/sign-in/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")
    api = Client().get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer cg_secret")
    assert api.status_code == 403
    assert "Use HTTPS" in api.json()["detail"]
    assert Client().get("/api/v1/openapi.json", secure=True).status_code == 200
