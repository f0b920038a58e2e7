"""Personal access tokens: the secret is shown once and only its SHA-256 is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TokenScope(models.TextChoices):
    """What a token may do: read only, or also write (within what its user's role allows)."""

    READ = "read", "Read"
    WRITE = "write", "Read and write"


class AccessToken(models.Model):
    """A personal token for the API: its user's access, optionally narrowed to one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    # When set, the token reaches this organisation and the partnerships it is an active partner of, with
    # the user's role in it; nothing else. A membership that ends leaves the token reaching nothing.
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    # The token's first characters ("cg_Ab3dE9"), so people can tell their tokens apart in lists and logs.
    prefix = models.CharField(max_length=16)
    # SHA-256 of the whole token: a database leak reveals no usable token (it has 256 random bits, so a
    # plain hash is enough; a slow password hash would only slow every API request).
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The account's session fingerprint when the token was made (Django's session auth hash, which
    # changes with the password hash). A password change or reset, or turning two-factor sign-in on
    # or off, changes it and so ends every token, as it ends every other session: a stolen session
    # cannot leave behind a token that outlives the owner's recovery.
    credential_hash = models.CharField(max_length=128, default="", editable=False)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def is_active(self) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def can_write(self) -> bool:
        """Whether the token's scope allows writes (the user's role still decides each one)."""
        return self.scope == TokenScope.WRITE
