"""`commonground serve`: migrate, demo data only into an empty database, instructions, then serve."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import management
from waitress_thread import waitress_in_a_thread

from commonground.web import server
from commonground.web.organisations.models import Membership, Organisation


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...]]]:
    """Record management commands and the server start instead of running them."""
    called: list[tuple[str, tuple[Any, ...]]] = []
    monkeypatch.setattr(management, "call_command", lambda name, *args, **kw: called.append((name, args)))
    monkeypatch.setattr(server, "serve_wsgi", lambda *, host, port: called.append(("serve", (host, port))))
    return called


@pytest.mark.django_db
def test_demo_loads_into_an_empty_database(commands: Any, capsys: pytest.CaptureFixture[str]) -> None:
    server.run(host="127.0.0.1", port=8123, demo=True)
    out = capsys.readouterr().out
    assert "Demo data loaded" in out
    assert "demo / " in out
    assert Organisation.objects.count() == 3 + 29  # and the demo coalition's other organisations
    assert Membership.objects.filter(user__username="demo-viewer", role="viewer").count() == 1
    assert [name for name, _ in commands] == ["migrate", "collectstatic", "serve"]
    assert commands[-1][1] == ("127.0.0.1", 8123)


def test_demo_is_skipped_on_a_database_in_use(
    commands: Any, organisation: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    server.run(host="::1", port=8000, demo=True)
    out = capsys.readouterr().out
    assert "Demo data skipped" in out
    assert "Sign in at http://[::1]:8000/accounts/sign-in/" in out
    assert Organisation.objects.count() == 1
    assert commands[-1] == ("serve", ("::1", 8000))


@pytest.mark.django_db
def test_without_demo_an_empty_database_points_to_sign_up(
    commands: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    server.run(host="0.0.0.0", port=8000, demo=False)  # noqa: S104
    out = capsys.readouterr().out
    assert "accounts/sign-up/" in out
    assert "COMMONGROUND_ALLOWED_HOSTS" in out
    assert Organisation.objects.count() == 0


# Behind a TLS proxy (security review F4): waitress believes X-Forwarded-Proto only from the configured
# proxy, so HTTPS works without a redirect loop there and cannot be claimed by anyone else.
HTTPS_BEHIND_PROXY = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "ALLOWED_HOSTS": ["cg.example.org"],
    "SECURE_HSTS_SECONDS": 3600,
}


def _get_through_waitress(path: str, headers: dict[str, str]) -> Any:
    """One GET of ``path`` from 127.0.0.1 to the app served by ``server.make_server`` on a free port."""
    import http.client

    with waitress_in_a_thread(threads=2) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"Host": "cg.example.org", **headers})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response


@pytest.mark.django_db(transaction=True)
def test_https_behind_a_trusted_proxy_does_not_redirect_in_a_loop(settings: Any) -> None:
    for name, value in HTTPS_BEHIND_PROXY.items():
        setattr(settings, name, value)
    settings.TRUSTED_PROXY = "127.0.0.1"
    response = _get_through_waitress("/accounts/sign-in/", {"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert "Strict-Transport-Security" in response.headers  # sent only on a request seen as HTTPS


@pytest.mark.django_db(transaction=True)
def test_the_forwarded_protocol_is_ignored_from_an_untrusted_address(settings: Any) -> None:
    for name, value in HTTPS_BEHIND_PROXY.items():
        setattr(settings, name, value)
    settings.TRUSTED_PROXY = "192.0.2.10"  # a proxy elsewhere: 127.0.0.1 is not it
    response = _get_through_waitress("/accounts/sign-in/", {"X-Forwarded-Proto": "https"})
    assert response.status == 301
    assert response.headers["Location"] == "https://cg.example.org/accounts/sign-in/"
    assert "Strict-Transport-Security" not in response.headers


def test_without_a_configured_proxy_waitress_is_told_to_trust_no_one(settings: Any) -> None:
    settings.TRUSTED_PROXY = ""
    assert server.proxy_options() == {}
    settings.TRUSTED_PROXY = "10.0.0.2"
    assert server.proxy_options()["trusted_proxy_headers"] == {"x-forwarded-proto", "x-forwarded-for"}
