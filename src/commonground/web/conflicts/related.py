"""Which earlier entries count as the same trouble coming back (a repeat within 90 days)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from commonground.core.alignment.escalation import REPEAT_WINDOW_DAYS
from commonground.web.conflicts.models import ConflictEntry


def related_earlier(entry: ConflictEntry) -> QuerySet[ConflictEntry]:
    """Entries of the same partnership raised up to 90 days before ``entry`` that touch the same thing
    (same kind and reference) or, where ``entry`` names nothing it touches, share its category."""
    window = entry.created_at - datetime.timedelta(days=REPEAT_WINDOW_DAYS)
    if entry.touches_kind:
        same = Q(touches_kind=entry.touches_kind, touches_ref__iexact=entry.touches_ref)
    else:
        same = Q(category=entry.category)
    return ConflictEntry.objects.filter(
        same, partnership_id=entry.partnership_id, created_at__gte=window, created_at__lte=entry.created_at
    ).exclude(pk=entry.pk)
