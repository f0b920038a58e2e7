"""Writes for two-factor sign-in: an authenticator app (TOTP, django-otp's device) and recovery codes.

- Setting up: the secret is kept in the session (``mfa_views``) until a code from the app proves it
  was scanned; only then is a confirmed device stored, with ten fresh recovery codes (``mfa_enable``).
- Each code works once: django-otp keeps the time step of the last accepted code (``last_t``) and
  accepts only later ones, and a recovery code is marked used in the same update that accepts it. The
  device row is locked while a code is checked, so two requests cannot both spend the same code.
- Guessing: after n wrong codes in a row the device refuses every code for 2^(n-1) seconds
  (``OTP_TOTP_THROTTLE_FACTOR``), wherever the guesses come from; the sign-in view also counts each
  wrong code as a failed sign-in for django-axes' lock-out (``mfa_sign_in``).
- Turning it on or off re-hashes the password (same password, new salt): Django's session check is
  derived from the password hash, so every other session of the account ends, as after a password
  change. The caller keeps its own session with ``update_session_auth_hash``.
- Every change is mailed to the account's verified address, like a password change.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from commonground.web.accounts.models import RecoveryCode
from commonground.web.accounts.selectors import email_is_verified
from commonground.web.accounts.typing import User
from commonground.web.mail import mail_on_commit

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are copied from paper. 31 letters, 28 of them: 138 bits, over the 128 that
# ASVS 5.0 asks of any secret nobody may guess (V11.5.1), so a plain SHA-256 stores them safely (V6.5.2).
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_RECOVERY_LENGTH = 28
# What a device's defaults are (django-otp's): 6 digits, 30-second steps, one step early or late.
_DIGITS, _STEP, _TOLERANCE = 6, 30, 1
# Wrong authenticator codes counted towards the device's wait: 2**(10 - 1) = 512 seconds at most.
MAX_COUNTED_FAILURES = 10


class MfaError(Exception):
    """A code or password that does not fit; the message is shown to the user."""


@dataclass(frozen=True)
class CodeCheck:
    """The answer to a code typed at sign-in: accepted or not, and what to tell the person."""

    accepted: bool
    message: str = ""
    recovery_codes_left: int | None = None  # set when a recovery code was used


def setup_key_new() -> str:
    """A fresh authenticator secret (20 random bytes, hex, as django-otp stores it)."""
    return str(random_hex(20))


def recovery_code_new() -> str:
    """One random recovery code, written in seven groups of four (``abcd-efgh-jkmn-pqrs-…``)."""
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


def _recovery_hash(code: str) -> str:
    """The stored form of a code; spaces, dashes and capitals typed around it do not matter."""
    normalised = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normalised.encode()).hexdigest()


def _recovery_codes_replace(user: User) -> list[str]:
    """Delete the account's recovery codes and store ten new ones; return them (shown once)."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_recovery_hash(c)) for c in codes)
    return codes


def _digits(code: str) -> str | None:
    """The code as six digits when it is an authenticator code (spaces allowed), else None."""
    compact = "".join(code.split())
    return compact if len(compact) == _DIGITS and compact.isdigit() else None


def _notify(user: User, *, subject: str, what: str) -> None:
    """Tell the account's verified address about a change to its sign-in (an unverified one may be
    someone else's mailbox, typed)."""
    if not email_is_verified(user=user):
        return
    mail_on_commit(
        to=user.email.strip().lower(),
        subject=subject,
        message=(
            f"{what}\n\nAccount: {user.get_username()}\n\n"
            "If you did not do this, someone may be using your account: sign in, change your password "
            "and check two-factor sign-in on your account page, or ask the site's operator for help.\n"
        ),
    )


def _sessions_end_elsewhere(user: User, password: str) -> None:
    """Re-hash the same password with a new salt: every other session of the account ends."""
    user.set_password(password)
    user.save(update_fields=["password"])


def mfa_enable(*, user: User, key: str, code: str, password: str) -> list[str]:
    """Turn two-factor sign-in on with the authenticator whose secret is ``key``, once ``code`` proves
    the app has it; return ten new recovery codes. Other sessions end; the verified address is told."""
    digits = _digits(code)
    totp = TOTP(bytes.fromhex(key), step=_STEP, digits=_DIGITS)
    totp.time = time.time()
    if digits is None or not totp.verify(int(digits), tolerance=_TOLERANCE):
        raise MfaError("That code does not match: type the 6-digit code your app shows now.")
    with transaction.atomic():
        if _device_locked(user) is not None:
            # Replacing a working authenticator needs its code, as turning it off does.
            raise MfaError("Two-factor sign-in is already on: turn it off first (that asks for a code).")
        TOTPDevice.objects.filter(user=user).delete()
        # last_t: the code just typed is spent, so it cannot also sign in.
        TOTPDevice.objects.create(
            user=user, name="Authenticator app", key=key, confirmed=True, last_t=totp.t(),
            step=_STEP, digits=_DIGITS, tolerance=_TOLERANCE,
        )  # fmt: skip
        codes = _recovery_codes_replace(user)
        _sessions_end_elsewhere(user, password)
        _notify(
            user,
            subject="Two-factor sign-in is on for your Common Ground account",
            what=(
                "Two-factor sign-in was turned on: signing in now asks for a code from your authenticator "
                "app (or one of your recovery codes) after your password. Every other place the account "
                "was signed in was signed out."
            ),
        )
    return codes


def _device_locked(user: User) -> TOTPDevice | None:
    """The account's confirmed device, locked until the transaction ends (codes are spent one at a time)."""
    device: TOTPDevice | None = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    )
    return device


def _wait_message(info: dict[str, Any] | None) -> str:
    locked_until = (info or {}).get("locked_until")
    seconds = 1
    if isinstance(locked_until, datetime):
        seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    return f"Too many wrong codes: wait {seconds} seconds, then type the code your app shows then."


def _wait_capped(device: TOTPDevice) -> None:
    """Keep the device's wait after wrong codes at most 2**(MAX_COUNTED_FAILURES - 1) seconds.

    django-otp doubles the wait with each wrong code up to a century, so someone who knows the password
    could keep the owner out for days by typing one wrong code whenever the wait ends (the lock-out
    per address never sees more than one try at a time). Holding the count keeps the wait under nine
    minutes, which still makes guessing six digits hopeless.
    """
    if device.throttling_failure_count > MAX_COUNTED_FAILURES:
        device.throttling_failure_count = MAX_COUNTED_FAILURES
        device.save(update_fields=["throttling_failure_count"])


def _code_spend(device: TOTPDevice, user: User, code: str) -> CodeCheck:
    """Check ``code`` against the (locked) device or the unused recovery codes; spend it if it fits.

    Recovery codes (80 random bits each, every wrong one counted by the sign-in lock-out) are checked
    outside the device's wait, so wrong authenticator codes typed by someone else never lock the
    owner out of the codes kept for exactly that."""
    digits = _digits(code)
    if digits is None:
        check = _recovery_spend(user, code)
        if check.accepted:
            device.throttle_reset(commit=True)
        return check
    _wait_capped(device)
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(accepted=False, message=_wait_message(info))
    if device.verify_token(digits):  # also moves last_t on, and counts a failure on the device
        return CodeCheck(accepted=True)
    return CodeCheck(
        accepted=False,
        message="That code does not match (or was used already): type the code your app shows now.",
    )


def _recovery_spend(user: User, code: str) -> CodeCheck:
    """Spend an unused recovery code of ``user`` once, if ``code`` is one."""
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not spent:
        return CodeCheck(accepted=False, message="That recovery code does not match, or it was used already.")
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    return CodeCheck(accepted=True, recovery_codes_left=left)


def mfa_code_check(*, user: User, code: str) -> CodeCheck:
    """Accept ``code`` (an authenticator code or an unused recovery code) for the second sign-in step,
    once; a wrong one counts towards the device's waiting time."""
    with transaction.atomic():
        device = _device_locked(user)
        if device is None:
            return CodeCheck(accepted=False, message="Two-factor sign-in is not on for this account.")
        return _code_spend(device, user, code)


def mfa_recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones (the old ones stop working); the verified
    address is told. The view asked for the password."""
    with transaction.atomic():
        if _device_locked(user) is None:
            raise MfaError("Turn on two-factor sign-in first.")
        codes = _recovery_codes_replace(user)
        _notify(
            user,
            subject="New recovery codes for your Common Ground account",
            what="New recovery codes were made for two-factor sign-in; the earlier ones no longer work.",
        )
    return codes


def mfa_disable(*, user: User, password: str, code: str) -> CodeCheck:
    """Turn two-factor sign-in off when ``code`` (authenticator or recovery code) is current; other
    sessions end and the verified address is told. A wrong code changes nothing but the device's count
    of wrong codes (the answer says why). The view checked the password."""
    with transaction.atomic():
        device = _device_locked(user)
        if device is None:
            return CodeCheck(accepted=False, message="Two-factor sign-in is not on.")
        check = _code_spend(device, user, code)
        if not check.accepted:
            return check
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        _sessions_end_elsewhere(user, password)
        _notify(
            user,
            subject="Two-factor sign-in is off for your Common Ground account",
            what=(
                "Two-factor sign-in was turned off: signing in now needs only the password. Every other "
                "place the account was signed in was signed out."
            ),
        )
    return check
