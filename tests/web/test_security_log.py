"""The security log: written only to standard error, and a crafted path cannot forge a line."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.test import RequestFactory

from commonground.web.audit import security_event


def test_security_events_go_only_to_standard_error() -> None:
    handlers = settings.LOGGING["handlers"]
    assert {spec["class"] for spec in handlers.values()} == {"logging.StreamHandler"}
    assert settings.LOGGING["loggers"]["commonground.security"]["handlers"] == ["console"]


@pytest.mark.django_db
def test_a_line_break_in_a_path_cannot_forge_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    request = RequestFactory().get("/o/x%0A2026-01-01T00:00:00Z INFO event=sign_in user=admin/")
    with caplog.at_level(logging.INFO, logger="commonground.security"):
        security_event("refused", request=request, reason="not_in_scope", answer=404)
    (line,) = [record.getMessage() for record in caplog.records]
    assert "\n" not in line
    assert "path=/o/x\\n2026-01-01T00:00:00Z INFO event=sign_in user=admin/" in line
