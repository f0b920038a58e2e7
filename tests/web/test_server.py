"""`commonground serve`: migrate, demo data only into an empty database, instructions, then serve."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import management

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
    assert Organisation.objects.count() == 3
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
