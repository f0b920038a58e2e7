"""Writes for accounts, including the proof that an email address belongs to its account, and which
optional emails it wants.

Verification link: ``django.core.signing`` (a ``TimestampSigner`` under the hood, keyed by
``SECRET_KEY``) signs the account id, the address the link was mailed to and when it was mailed.
It expires after ``EMAIL_VERIFICATION_VALID_DAYS``; it works once (a verified address refuses it);
and only the latest link for the current address works, so a link for an old address, or one
superseded by "send the link again", is refused.

Squatting: anyone may type any address, so several accounts may hold the same address *unverified*,
and sign-up or an email change never says whether an address is in use. The link goes to the
mailbox, so only its owner can verify; the first account to do so keeps the address and every other
account loses its claim (address cleared, told at sign-in). When the address already belongs to a
verified account, the mailbox gets a notice instead of a link (its owner learns; the typist does not).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from commonground.web.accounts.models import EmailVerification, MailGroup, MailPreference
from commonground.web.accounts.selectors import email_is_verified, verified_users_with_email
from commonground.web.accounts.typing import User
from commonground.web.mail import mail_on_commit
from commonground.web.throttles import (
    EMAIL_CHANGE_PER_ACCOUNT,
    VERIFICATION_PER_ADDRESS,
    throttle_allows,
    throttle_take,
)

_SALT = "commonground.accounts.email-verification"
# "Send the link again" must not turn the site into a mail cannon aimed at someone's inbox.
RESEND_INTERVAL = timedelta(minutes=2)


class AccountError(Exception):
    """A write the rules do not allow; the message is shown to the user."""


def _verification_send(*, user: User, link_for: Callable[[str], str]) -> None:
    """Reset the account's verification to its current email and mail a fresh link (inside a transaction)."""
    email = user.email.strip().lower()
    now = timezone.now()
    # Over the address's hourly share nothing is mailed; the account page can send the link later.
    send = throttle_take((VERIFICATION_PER_ADDRESS, email)) is None
    record, _ = EmailVerification.objects.select_for_update().get_or_create(
        user=user, defaults={"email": email}
    )
    record.email, record.email_verified_at, record.link_sent_at = email, None, now
    record.claim_lost_at = None
    record.save(update_fields=["email", "email_verified_at", "link_sent_at", "claim_lost_at"])
    if not send:
        return
    if verified_users_with_email(email).exclude(pk=user.pk).exists():
        # Same answer on screen either way; only the mailbox's owner learns that the address is taken.
        mail_on_commit(
            to=email,
            subject="Your email address was entered on another Common Ground account",
            message=(
                f"Someone entered {email} as the email address of the Common Ground account "
                f"{user.get_username()}. This address already belongs to another Common Ground account "
                "whose address is verified, so it cannot be verified for a second one.\n\n"
                'If you have forgotten the password of your account, use "Forgot your password?" on '
                "the sign-in page. If this was not you, ignore this email: nothing has changed for you.\n"
            ),
        )
        return
    token = signing.dumps({"u": user.pk, "e": email, "s": now.timestamp()}, salt=_SALT)
    link = link_for(token)
    days = settings.EMAIL_VERIFICATION_VALID_DAYS
    message = (
        f"Confirm that {email} is the email address of the Common Ground account "
        f"{user.get_username()} by opening this link within {days} days (it works once; "
        f"earlier links no longer work):\n{link}\n\n"
        "Until then, no one can invite this account to a partnership by email.\n"
        "If you did not sign up or change your email on Common Ground, ignore this email.\n"
    )
    mail_on_commit(to=email, subject="Confirm your email address for Common Ground", message=message)


def _lock_holders(email: str) -> None:
    """Lock every account holding ``email`` (by id, so concurrent verifications queue, not deadlock)."""
    list(User.objects.select_for_update().filter(email__iexact=email).order_by("pk").values_list("pk"))


def _claims_release(*, email: str, keeper: User) -> None:
    """Take ``email`` from every account but ``keeper``: clear it and note the loss for their next sign-in."""
    now = timezone.now()
    # A record left verified for an address its account no longer has would block the constraint.
    EmailVerification.objects.filter(email__iexact=email, email_verified_at__isnull=False).exclude(
        user=keeper
    ).update(email_verified_at=None)
    for other in User.objects.filter(email__iexact=email).exclude(pk=keeper.pk).order_by("pk"):
        EmailVerification.objects.update_or_create(
            user=other,
            defaults={"email": email, "email_verified_at": None, "link_sent_at": None, "claim_lost_at": now},
        )
        other.email = ""
        other.save(update_fields=["email"])


def account_create(*, username: str, email: str, password: str, link_for: Callable[[str], str]) -> User:
    """Create a user account (password hashed with Argon2) and mail the link that verifies its email."""
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email.strip().lower(), password=password)
        _verification_send(user=user, link_for=link_for)
    return user


def account_update(
    *, user: User, first_name: str, last_name: str, email: str, link_for: Callable[[str], str]
) -> User:
    """Change the account's name and email; a new email is unverified until its mailed link is followed,
    and the old address, when it was verified, is told of the change (the view asked for the password)."""
    email = email.strip().lower()
    with transaction.atomic():
        previous = (user.email or "").strip().lower()
        changed = email != previous
        if changed and throttle_take((EMAIL_CHANGE_PER_ACCOUNT, str(user.pk))) is not None:
            raise AccountError(
                f"You changed your email address {EMAIL_CHANGE_PER_ACCOUNT.count} times in the last hour: "
                "try again later."
            )
        previous_verified = changed and email_is_verified(user=user)
        user.first_name, user.last_name, user.email = first_name, last_name, email
        user.save(update_fields=["first_name", "last_name", "email"])
        if changed:
            _verification_send(user=user, link_for=link_for)
        if previous_verified:
            # Only a verified old address: an unverified one may be someone else's mailbox, typed.
            mail_on_commit(
                to=previous,
                subject="The email address of your Common Ground account was changed",
                message=(
                    f"The email address of the Common Ground account {user.get_username()} was changed "
                    f"from {previous} to {email}. Invitations and password-reset links now go to the new "
                    "address once it is verified.\n\n"
                    "If you did not do this, someone may be using your account: sign in, change your "
                    "password and put your address back on your account page, or ask the site's "
                    "operator for help.\n"
                ),
            )
    return user


def password_change_notify(*, user: User) -> None:
    """Tell the account's verified address that its password was changed (by the user or a reset link)."""
    if not email_is_verified(user=user):
        return
    mail_on_commit(
        to=user.email.strip().lower(),
        subject="The password of your Common Ground account was changed",
        message=(
            f"The password of the Common Ground account {user.get_username()} was changed, and every "
            "other place it was signed in was signed out.\n\n"
            'If you did not do this, use "Forgot your password?" on the sign-in page to set a new one '
            "now, or ask the site's operator for help.\n"
        ),
    )


def email_verification_resend(*, user: User, link_for: Callable[[str], str]) -> None:
    """Mail a fresh verification link for the account's current email (earlier links stop working)."""
    with transaction.atomic():
        record = EmailVerification.objects.filter(user=user).first()
        if (
            record is not None
            and record.email_verified_at is not None
            and record.email == (user.email or "").strip().lower()
        ):
            raise AccountError("Your email address is already verified.")
        if not (user.email or "").strip():
            raise AccountError("Add an email address first.")
        if record is not None and record.link_sent_at is not None:
            wait = record.link_sent_at + RESEND_INTERVAL - timezone.now()
            if wait > timedelta(0):
                seconds = int(wait.total_seconds()) + 1
                raise AccountError(f"A link was sent moments ago; you can ask again in {seconds} seconds.")
        if not throttle_allows(VERIFICATION_PER_ADDRESS, user.email):
            raise AccountError("Several links went to this address in the last hour: ask again later.")
        _verification_send(user=user, link_for=link_for)


def email_verify(*, token: str) -> User:
    """Mark the address a link was mailed to as verified; refuse expired, used or superseded links."""
    try:
        payload = signing.loads(
            token, salt=_SALT, max_age=timedelta(days=settings.EMAIL_VERIFICATION_VALID_DAYS)
        )
    except signing.SignatureExpired as exc:
        raise AccountError("This link has expired: send a new one from your account page.") from exc
    except signing.BadSignature as exc:
        raise AccountError("This link is not valid: check that you copied all of it.") from exc
    stale = AccountError(
        "This link no longer works: it was used already, the email address changed since, or a newer "
        "link was sent. Your account page shows whether your address is verified and sends a new link."
    )
    with transaction.atomic():
        _lock_holders(str(payload["e"]))
        record = (
            EmailVerification.objects.select_for_update()
            .select_related("user")
            .filter(user_id=payload["u"])
            .first()
        )
        if (
            record is None
            or record.email_verified_at is not None
            or record.link_sent_at is None
            or record.link_sent_at.timestamp() != payload["s"]
            or record.email != payload["e"]
            or (record.user.email or "").strip().lower() != payload["e"]
        ):
            raise stale
        if verified_users_with_email(record.email).exclude(pk=record.user_id).exists():
            raise AccountError("Another account has already verified this email address.")
        _claims_release(email=record.email, keeper=record.user)
        record.email_verified_at = timezone.now()
        record.save(update_fields=["email_verified_at"])
    return record.user


def email_mark_verified(*, user: User) -> None:
    """Record the account's current email as verified without a link (demo accounts, operators); any
    other account holding the address loses it."""
    email = user.email.strip().lower()
    with transaction.atomic():
        _lock_holders(email)
        _claims_release(email=email, keeper=user)
        EmailVerification.objects.update_or_create(
            user=user, defaults={"email": email, "email_verified_at": timezone.now(), "claim_lost_at": None}
        )


def email_prove(*, user: User) -> None:
    """Record the account's current address as verified because the user followed another link mailed to
    it (a partnership invitation's): holding that link proves the mailbox as the verification link does.
    Refused (``AccountError``) when another account has already verified the address."""
    email = (user.email or "").strip().lower()
    if not email:
        raise AccountError("Add an email address first.")
    with transaction.atomic():
        _lock_holders(email)
        if verified_users_with_email(email).exclude(pk=user.pk).exists():
            raise AccountError("Another account has already verified this email address.")
        email_mark_verified(user=user)


# --- optional emails: a setting per person, and a one-click unsubscribe link in each email ----------
# The link signs the account and the group (keyed by SECRET_KEY) and does not expire: an old email's
# link still stops the mail. It can only turn a group off, so someone forwarded an email can do no harm
# beyond what its recipient could. The page it opens asks for a click (a POST): mail scanners fetch
# links, and a GET never changes anything.
_UNSUBSCRIBE_SALT = "commonground.accounts.unsubscribe"


def mail_preference_set(*, user: User, reminders: bool, decisions: bool) -> MailPreference:
    """Turn each group of optional agreement emails on or off for ``user``."""
    with transaction.atomic():
        preference, _ = MailPreference.objects.update_or_create(
            user=user, defaults={"reminders": reminders, "decisions": decisions}
        )
    return preference


def unsubscribe_token(*, user: User, group: MailGroup) -> str:
    """The token of the link that turns ``group`` off for ``user`` (put in each such email)."""
    return signing.dumps({"u": user.pk, "g": group.value}, salt=_UNSUBSCRIBE_SALT)


def unsubscribe_read(*, token: str) -> tuple[User, MailGroup]:
    """Whose emails and which group an unsubscribe link is about; ``AccountError`` if it is not valid."""
    invalid = AccountError("This link is not valid: check that you copied all of it.")
    try:
        payload = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
        group = MailGroup(payload["g"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None:
        raise invalid
    return user, group


def mail_unsubscribe(*, token: str) -> tuple[User, MailGroup]:
    """Turn off the group of emails an unsubscribe link names, for the account it names."""
    user, group = unsubscribe_read(token=token)
    with transaction.atomic():
        preference, _ = MailPreference.objects.select_for_update().get_or_create(user=user)
        setattr(preference, group.value, False)
        preference.save(update_fields=[group.value, "updated_at"])
    return user, group
