"""Reads for two-factor sign-in: whether an account has it, and what its account page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django_otp.plugins.otp_totp.models import TOTPDevice

from commonground.web.accounts.models import RecoveryCode
from commonground.web.accounts.typing import User


@dataclass(frozen=True)
class MfaStatus:
    """What the account page says about two-factor sign-in."""

    enabled: bool
    since: datetime | None
    recovery_codes_left: int


def mfa_enabled(*, user: User) -> bool:
    """True when the account has a confirmed authenticator, so signing in asks for a code (one query)."""
    return bool(user.pk) and TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def mfa_status(*, user: User) -> MfaStatus:
    """Whether two-factor sign-in is on, since when, and how many unused recovery codes are left."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None:
        return MfaStatus(enabled=False, since=None, recovery_codes_left=0)
    left = RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True).count()
    return MfaStatus(enabled=True, since=device.created_at, recovery_codes_left=left)
