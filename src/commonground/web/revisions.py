"""Reading django-reversion history: the recorded versions of one object, for history pages."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from reversion.models import Version


def versions_newest_first(obj: Model) -> QuerySet[Version]:
    """Recorded versions of ``obj``, newest first, with their revisions and who made them (one query)."""
    versions: QuerySet[Version] = (
        Version.objects.get_for_object(obj)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )
    return versions
