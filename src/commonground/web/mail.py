"""The workspace's outgoing email: plain text, sent once the write that caused it has committed.

Which backend sends it is a setting (``EMAIL_BACKEND``: the console by default, SMTP once ``EMAIL_HOST``
is set; see settings.py). Tests read ``django.core.mail.outbox``.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction


def one_line(text: str) -> str:
    """``text`` on one line: a subject holds names people typed, and a line break in a mail header would
    make Django refuse the whole mail (header injection), after the write it reports had committed."""
    return " ".join(text.split())


def mail_on_commit(*, to: str, subject: str, message: str) -> None:
    """Send a plain-text mail to ``to`` once the current transaction commits (a rolled-back write sends
    nothing); the subject is put on one line."""
    subject = one_line(subject)
    transaction.on_commit(
        lambda: send_mail(subject=subject, message=message, from_email=None, recipient_list=[to])
    )
