"""/api/v1/partnerships/{id}/network/rounds: a partnership's network survey rounds, with the same access
as its Network tab: anyone who reaches the partnership lists them (counts of who has answered, never an
answer); a partner's admins and owners close an open one, with the page's confirmation when fewer than
half the organisations have answered. Every write goes through ``networks.services``, as the page's."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from commonground.web.access import Action
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError
from commonground.web.api.locking import view_etag
from commonground.web.api.schemas import (
    DEFAULT_LIMIT,
    Id,
    Limit,
    NetworkRoundCloseIn,
    NetworkRoundList,
    NetworkRoundOut,
    Offset,
    errors,
)
from commonground.web.api.scopes import partnership_scope
from commonground.web.networks import selectors, services
from commonground.web.networks.models import NetworkRound

router = Router(tags=["network"])


def _round(survey_round: NetworkRound) -> dict[str, Any]:
    progress = selectors.round_progress(survey_round=survey_round) if survey_round.is_open else None
    return {
        "id": survey_round.pk, "label": survey_round.label, "date": survey_round.date,
        "state": survey_round.state, "organisations": len(survey_round.organisation_ids()),
        "answered": None if progress is None else progress.started,
        "complete": None if progress is None else progress.complete,
        "few_answered": progress is not None and progress.few_answered, "closed_at": survey_round.closed_at,
    }  # fmt: skip


@router.get(
    "/{partnership_id}/network/rounds",
    response={200: NetworkRoundList, **errors()},
    summary="A partnership's network survey rounds",
)
def network_round_list(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> NetworkRoundList:  # fmt: skip
    """Its rounds, newest first, as the Network tab lists them (paged); an open round with its progress."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    rounds = selectors.round_list(access=access)
    page = [_round(survey_round) for survey_round in rounds[offset : offset + limit]]
    out = NetworkRoundList.model_validate(
        {"items": page, "count": rounds.count(), "limit": limit, "offset": offset}
    )
    response["ETag"] = view_etag("network-rounds", partnership_id, out)
    return out


@router.post(
    "/{partnership_id}/network/rounds/{round_id}/close",
    response={200: NetworkRoundOut, **errors(400, 403, 409)},
    summary="Close an open network survey round and freeze its results",
)
def network_round_close(
    request: HttpRequest, partnership_id: Id, round_id: Id, payload: NetworkRoundCloseIn | None = None
) -> NetworkRoundOut:
    """Close the round (a partner's admin or owner, as on its page): its answers are frozen and its results
    shown to the partnership. Fewer than half the organisations answered: 409 saying how many, and nothing
    closes, unless the body says ``"confirm": true``. 409 too when it is closed already."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.MANAGE)
    survey_round = selectors.round_get(access=access, round_id=round_id)
    try:
        services.round_close(
            access=access,
            user=request_token(request).user,
            survey_round=survey_round,
            # No body is no confirmation, as an unticked box on the page.
            confirmed=payload is not None and payload.confirm,
        )
    except services.FewAnswered as exc:
        verb = "has" if exc.started == 1 else "have"
        raise ApiError(
            409,
            f"The round is still open: only {exc.started} of {exc.asked} organisations {verb} answered. "
            "Closing it freezes the results on their answers alone; send "
            '{"confirm": true} to close it anyway.',
        ) from None
    except services.NetworkError as exc:
        raise ApiError(409, str(exc)) from None
    return NetworkRoundOut.model_validate(_round(selectors.round_get(access=access, round_id=round_id)))
