"""The workspace's outgoing email: plain text, sent once the write that caused it has committed.

Which backend sends it is a setting (``EMAIL_BACKEND``: the console by default, SMTP once ``EMAIL_HOST``
is set; see settings.py). Tests read ``django.core.mail.outbox``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
from django.db import transaction

logger = logging.getLogger("commonground.mail")
_muted: ContextVar[bool] = ContextVar("commonground_mail_muted", default=False)


@contextmanager
def mail_muted() -> Iterator[None]:
    """Send no mail from the writes inside (the demo's: it writes as its people, who read no mail)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def mail_is_muted() -> bool:
    """Whether the current code runs inside ``mail_muted``."""
    return _muted.get()


@dataclass(frozen=True)
class Mail:
    """One plain-text message to one address."""

    to: str
    subject: str
    message: str


def one_line(text: str) -> str:
    """``text`` on one line: a subject holds names people typed, and a line break in a mail header would
    make Django refuse the whole mail (header injection), after the write it reports had committed."""
    return " ".join(text.split())


# Web and mail addresses in text people typed: mail programs turn them into links, so an organisation
# named "Claim your grant at evil.example" would put a link in our own invitation (phishing).
_ADDRESS = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://\S*|\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b")


def defanged(text: str) -> str:
    """``text`` with every web or mail address written so that mail programs show it without a link
    (``evil[.]example``, ``https[:]//``): the only links in our mail are the site's own."""
    return _ADDRESS.sub(lambda found: found.group(0).replace("://", "[:]//").replace(".", "[.]"), text)


def quoted(name: str) -> str:
    """A name someone typed, shown in a mail as data: on one line, addresses defanged, in quotes."""
    return f"“{defanged(one_line(name))}”"


def mail_on_commit(*, to: str, subject: str, message: str) -> None:
    """Send a plain-text mail to ``to`` once the current transaction commits (a rolled-back write sends
    nothing); the subject is put on one line."""
    mails_on_commit([Mail(to=to, subject=subject, message=message)])


def mails_on_commit(mails: Iterable[Mail]) -> None:
    """Send each mail (one person each, so no one sees the others' addresses) over one connection once
    the current transaction commits; subjects are put on one line, and a message that cannot be built
    raises here, before the commit. Nothing inside ``mail_muted``."""
    if mail_is_muted():
        return
    messages = [
        EmailMessage(subject=one_line(mail.subject), body=mail.message, to=[mail.to]) for mail in mails
    ]
    for message in messages:
        # Build each message now, inside the write's transaction: a header Django refuses
        # (BadHeaderError) then rolls the write back, instead of failing after it has committed.
        message.message()
    if messages:
        transaction.on_commit(lambda: _deliver(messages))


def _deliver(messages: list[EmailMessage]) -> None:
    """Send; a mail server that fails is logged, never turned into an error page for a change that is
    already made (and the same for every address, so the page tells nothing about them)."""
    try:
        get_connection().send_messages(messages)
    except OSError:  # smtplib's errors and socket timeouts
        logger.exception("could not send %d email(s)", len(messages))
