"""Organisations, their stored profile (format v1), memberships and invitations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from pydantic import ValidationError as PydanticValidationError

from commonground.core.profiles import Profile
from commonground.web.access import Role
from commonground.web.organisations.naming import descriptor
from commonground.web.records import EditTracked

LOCATION_LENGTH = 120


def validate_profile_document(document: Any) -> Profile:
    """Parse a stored profile document; raise Django's ValidationError naming each bad field."""
    try:
        return Profile.model_validate(document)
    except PydanticValidationError as exc:
        messages = [
            f"{'.'.join(str(part) for part in error['loc']) or 'profile'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise ValidationError({"profile": messages}) from None


class Organisation(EditTracked):
    """An organisation in the workspace; its profile is a v1 profile document validated on save."""

    name = models.CharField(max_length=200)
    # Unicode letters are kept, so a name in Arabic or Chinese gets a readable URL (naming.readable_slug).
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    profile = models.JSONField()
    # Where it is based (town, country): not in the profile; it tells same-named organisations apart.
    location = models.CharField(max_length=LOCATION_LENGTH, blank=True, default="")
    # Set by an owner: owners must use two-factor sign-in to reach the organisation's pages
    # (access.scoped). Not in its history (apps.py), so restoring an old version never turns it off.
    owners_need_mfa = models.BooleanField(default=False)

    class Meta:
        ordering = ("name", "pk")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Validate the profile document (and normalise it to file form) before every save."""
        profile = validate_profile_document(self.profile)
        self.profile = profile.to_document()
        self.name = profile.name
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Report an invalid profile as a form error (the admin's edit form calls this)."""
        validate_profile_document(self.profile)

    def get_profile(self) -> Profile:
        """The stored profile as a validated model."""
        return validate_profile_document(self.profile)

    @property
    def descriptor(self) -> str:
        """Where it is based, else its kind in words (tells organisations of the same name apart)."""
        return descriptor(location=self.location, kind=str(self.profile.get("kind", "")))


class Membership(models.Model):
    """A user's role in an organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices())
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_user_and_org"),
        )
        ordering = ("organisation__name", "user__username")

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.role})"


class Invitation(models.Model):
    """An emailed, expiring, single-use invitation to join an organisation with a role."""

    email = models.EmailField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=16, choices=Role.choices())
    # Only a SHA-256 of the emailed token is stored, so a database leak reveals no usable link.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organisation} as {self.role}"

    @property
    def is_open(self) -> bool:
        """Not used, not revoked and not expired."""
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()
