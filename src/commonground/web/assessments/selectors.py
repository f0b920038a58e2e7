"""Permission-scoped reads for assessment snapshots: always inside a ``PartnershipAccess``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commonground.web.assessments.models import AssessmentSnapshot
from commonground.web.partnerships.selectors import PartnershipAccess


def snapshot_list(*, access: PartnershipAccess) -> QuerySet[AssessmentSnapshot]:
    """The partnership's snapshots, newest first, without their (large) result documents (one query)."""
    return (
        AssessmentSnapshot.objects.filter(partnership=access.partnership)
        .select_related("created_by")
        .defer("result", "initiatives")
        .order_by("-created_at", "-pk")
    )


def snapshot_get(*, access: PartnershipAccess, snapshot_id: int) -> AssessmentSnapshot:
    """One snapshot of the caller's partnership; 404 for another partnership's."""
    snapshot = (
        AssessmentSnapshot.objects.select_related("created_by")
        .filter(pk=snapshot_id, partnership=access.partnership)
        .first()
    )
    if snapshot is None:
        raise Http404
    return snapshot


def snapshot_page_get(*, access: PartnershipAccess, snapshot_id: int) -> AssessmentSnapshot:
    """Like ``snapshot_get`` for the snapshot page: without the result, which its stored body replaces.

    Reading a deferred ``result`` (a snapshot stored without a current body) costs one more query.
    """
    snapshot = (
        AssessmentSnapshot.objects.select_related("created_by")
        .defer("result", "initiatives")
        .filter(pk=snapshot_id, partnership=access.partnership)
        .first()
    )
    if snapshot is None:
        raise Http404
    return snapshot


def snapshot_latest(*, access: PartnershipAccess) -> AssessmentSnapshot | None:
    """The most recent snapshot of the caller's partnership, if any (without its result)."""
    return snapshot_list(access=access).first()
