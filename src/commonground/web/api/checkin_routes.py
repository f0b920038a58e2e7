"""/api/v1/partnerships/{id}/checkins: a partnership's check-ins (the alignment stage's pulse and factor
surveys), read only, with the same access as its check-ins pages and only what their exports show: the
released figures of a closed check-in, never a cell of fewer than 5 answers, a comment or who answered."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from commonground.web.access import Action
from commonground.web.api.locking import view_etag
from commonground.web.api.schemas import (
    DEFAULT_LIMIT,
    CheckinList,
    CheckinOut,
    Id,
    Limit,
    Offset,
    errors,
)
from commonground.web.api.scopes import partnership_scope
from commonground.web.checkins import selectors
from commonground.web.checkins.models import Checkin
from commonground.web.checkins.results import export_rows

router = Router(tags=["checkins"])


def _summary(checkin: Checkin) -> dict[str, Any]:
    return {
        "id": checkin.pk, "item_set": checkin.item_set, "opens_on": checkin.opens_on,
        "closes_on": checkin.closes_on, "state": checkin.state, "scheduled": checkin.scheduled,
        "respondents": None if checkin.is_open else checkin.respondents,
    }  # fmt: skip


def _released(checkin: Checkin) -> list[dict[str, Any]]:
    """The export's rows (suppressed cells already left out), typed."""
    if checkin.is_open:
        return []
    return [
        row | {"n": int(row["n"]) if row["n"] else None, "mean": float(row["mean"])}
        for row in export_rows(checkin)
    ]


@router.get(
    "/{partnership_id}/checkins",
    response={200: CheckinList, **errors()},
    summary="A partnership's check-ins",
)
def checkin_list(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> CheckinList:  # fmt: skip
    """Its check-ins, newest first, as the check-ins tab lists them (paged)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    checkins = selectors.checkin_list(access=access).defer("results")
    page = [_summary(checkin) for checkin in checkins[offset : offset + limit]]
    out = CheckinList.model_validate(
        {"items": page, "count": checkins.count(), "limit": limit, "offset": offset}
    )
    response["ETag"] = view_etag("checkins", partnership_id, out)
    return out


@router.get(
    "/{partnership_id}/checkins/{checkin_id}",
    response={200: CheckinOut, **errors()},
    summary="One check-in and its released figures",
)
def checkin_get(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, checkin_id: Id
) -> CheckinOut:
    """The check-in; once closed, its released figures (as its CSV export), with an ETag."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    checkin = selectors.checkin_get(access=access, checkin_id=checkin_id)
    out = CheckinOut.model_validate(_summary(checkin) | {"results": _released(checkin)})
    response["ETag"] = view_etag("checkin", checkin.pk, out)
    return out
