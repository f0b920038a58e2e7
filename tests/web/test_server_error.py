"""Security finding F14: a failure on our side (a full disk, a lost database) says nothing was saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_failing_write_answers_with_our_page_saying_nothing_was_saved(
    owner_client: Client, organisation: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonground.web.organisations import views

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(views, "render", disk_full)
    owner_client.raise_request_exception = False
    response = owner_client.get(f"/o/{organisation.slug}/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Nothing from this request was saved." in page
    assert "Server Error (500)" not in page  # not Django's bare page
