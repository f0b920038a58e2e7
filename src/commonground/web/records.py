"""The bookkeeping every editable shared record carries: optimistic-locking version and who/when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class EditTracked(models.Model):
    """Abstract base: ``version`` for ``UPDATE ... WHERE version = <expected>``, and the last edit."""

    # Optimistic locking: every edit is ``UPDATE ... WHERE version = <expected>``; a stale save
    # is refused with "changed by <updated_by> meanwhile" rather than overwriting.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
