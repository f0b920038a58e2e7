"""Outgoing email: sent once the write commits, one line of subject, and a failing mail server is logged
rather than shown as an error. (Which backend and server: tests/web/test_settings.py.)"""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import BadHeaderError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import TestCase, override_settings

from commonground.web.mail import Mail, mail_on_commit, mails_on_commit, one_line


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({"kai@club.example": (550, b"no such mailbox")})


def _refused_write() -> None:
    """A write that queues a mail, then fails (so its transaction rolls back)."""
    with transaction.atomic():
        mails_on_commit([Mail(to="ben@example.org", subject="Hi", message="Hello.")])
        raise RuntimeError("the write is refused")


def test_a_subject_is_one_line_whatever_names_it_holds() -> None:
    assert (
        one_line("Harbor\r\nBcc: victim@example.org\tinvites  you")
        == "Harbor Bcc: victim@example.org invites you"
    )


@pytest.mark.django_db
def test_mail_goes_once_the_write_commits_and_never_for_a_rolled_back_one() -> None:
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        mail_on_commit(to="ana@example.org", subject="Harbor\ninvites you", message="Hello.")
        assert mail.outbox == []  # not before the commit
    assert [(m.to, m.subject) for m in mail.outbox] == [(["ana@example.org"], "Harbor invites you")]
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError):
        _refused_write()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_mail_that_cannot_be_built_rolls_its_write_back() -> None:
    """Security finding F10: nothing is left half-saved (a write kept, its mail refused after the commit)."""
    user_model = get_user_model()

    def write_with_a_bad_mail() -> None:
        with transaction.atomic():
            user_model.objects.create_user(username="half")
            mail_on_commit(to="ana@example.org\nBcc: victim@example.org", subject="Hi", message="Hello.")

    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(BadHeaderError):
        write_with_a_bad_mail()
    assert not user_model.objects.filter(username="half").exists()
    assert mail.outbox == []


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend")
def test_a_mail_server_that_fails_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        mails_on_commit(
            Mail(to=to, subject="Hi", message="Hello.") for to in ("a@example.org", "b@example.org")
        )
    assert "could not send 2 email(s)" in caplog.text
    assert [record.name for record in caplog.records] == ["commonground.mail"]
