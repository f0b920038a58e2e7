"""Helpers for the partnership-invitation tests: send one through the partnership page, find the emailed
link, answer it. Emails go out when the transaction commits, so each request runs the commit callbacks."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from commonground.web.partnerships.models import Partnership

JOIN_LINK = re.compile(r"https?://testserver(/partnerships/join/[^/\s]+/)")


def send(client: Client, partnership: Partnership, email: str, *, kind: str = "partner", **extra: Any) -> Any:
    """POST the partnership page's invitation form for ``kind`` (partner or facilitator)."""
    prefix, name = (
        ("facilitator", "facilitator_invite") if kind == "facilitator" else ("invite", "member_invite")
    )
    data = {f"{prefix}-email": email} | {f"{prefix}-{key}": value for key, value in extra.items()}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse(f"partnerships:{name}", kwargs={"pk": partnership.pk}), data)


def mails_to(email: str) -> list[Any]:
    """The emails sent to ``email`` so far, oldest first."""
    return [message for message in mail.outbox if message.to == [email]]


def invite(client: Client, partnership: Partnership, email: str, *, kind: str = "partner") -> str:
    """Send an invitation and return the path of the link emailed to ``email``."""
    response = send(client, partnership, email, kind=kind)
    assert response.status_code == 302
    found = JOIN_LINK.search(mails_to(email)[-1].body)
    assert found is not None, mails_to(email)[-1].body
    return found.group(1)


def post(client: Client, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """POST to an invitation page (accept or decline), running the commit callbacks (the emails)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data, **kwargs)
