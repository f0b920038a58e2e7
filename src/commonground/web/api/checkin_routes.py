"""/api/v1/partnerships/{id}/checkins: a partnership's check-ins (the alignment stage's pulse and factor
surveys) with the same access as its check-ins pages and only what their exports show: the released
figures of a closed check-in, never a cell of fewer than 5 answers, a comment or who answered. Admins
and owners open and close check-ins; the people of a partner organisation answer an open one, once.
Every write goes through the check-ins app's forms and services, as its pages do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from commonground.core.alignment.items import item_set
from commonground.web.access import Action
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError, problems_from_form, valid_form
from commonground.web.api.locking import view_etag
from commonground.web.api.schemas import (
    DEFAULT_LIMIT,
    CheckinList,
    CheckinOpenIn,
    CheckinOut,
    Id,
    Limit,
    Offset,
    ResponseIn,
    ResponseOut,
    errors,
)
from commonground.web.api.scopes import partnership_scope
from commonground.web.checkins import answer_services, selectors, services
from commonground.web.checkins.forms import AnswerForm, OpenForm
from commonground.web.checkins.models import Checkin
from commonground.web.checkins.results import export_rows
from commonground.web.organisations.models import Organisation

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
    return _answer(response, selectors.checkin_get(access=access, checkin_id=checkin_id))


def _answer(response: HttpResponse, checkin: Checkin) -> CheckinOut:
    out = CheckinOut.model_validate(_summary(checkin) | {"results": _released(checkin)})
    response["ETag"] = view_etag("checkin", checkin.pk, out)
    return out


@router.post(
    "/{partnership_id}/checkins",
    response={201: CheckinOut, **errors(400, 403, 409)},
    summary="Open a check-in now",
)
def checkin_open(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, payload: CheckinOpenIn
) -> Status[CheckinOut]:
    """Open a check-in of an item set today for ``window_days`` and invite everyone (a partner's admin or
    owner); 409 while one of that set is open, or one opened today."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.MANAGE)
    form = valid_form(OpenForm(payload.model_dump()), what="check-in to open")
    try:
        checkin = services.checkin_open_by_hand(
            access=access, user=request_token(request).user, name=form.cleaned_data["item_set"],
            window_days=form.cleaned_data["window_days"],
        )  # fmt: skip
    except services.CheckinError as exc:
        raise ApiError(409, str(exc)) from None
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{checkin.pk}")
    return Status(201, _answer(response, selectors.checkin_get(access=access, checkin_id=checkin.pk)))


@router.post(
    "/{partnership_id}/checkins/{checkin_id}/close",
    response={200: CheckinOut, **errors(403, 409)},
    summary="Close an open check-in now and freeze its results",
)
def checkin_close(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, checkin_id: Id
) -> CheckinOut:
    """Close the check-in before its last day (a partner's admin or owner); its results are frozen and
    released as its page shows them. 409 when it is closed already."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.MANAGE)
    checkin = selectors.checkin_get(access=access, checkin_id=checkin_id)
    try:
        services.checkin_close_by_hand(access=access, user=request_token(request).user, checkin=checkin)
    except services.CheckinError as exc:
        raise ApiError(409, str(exc)) from None
    return _answer(response, selectors.checkin_get(access=access, checkin_id=checkin.pk))


def _body_path(path: str) -> str:
    """A path of the answer form's field as the body names it: ``score_trust`` is ``scores.trust``."""
    head, _, field = path.rpartition(".")
    for old, new in (("score_", "scores."), ("guess_", "predictions.")):
        if field.startswith(old):
            return f"{head}.{new}{field.removeprefix(old)}"
    return path


def _answer_form(payload: ResponseIn, checkin: Checkin, organisations: list[Organisation]) -> AnswerForm:
    """The answer page's own form bound to the body; its problems, an item the check-in does not ask and
    an organisation not the user's are 422, each with its path in the body."""
    asked = item_set(checkin.item_set)
    guessed = [item.id for item in asked.items if item.about_others]
    problems = [
        (f"body.payload.{where}.{key}", f"Not asked here; this check-in asks: {', '.join(ids) or 'none'}.")
        for where, given, ids in (
            ("scores", payload.scores, asked.ids),
            ("predictions", payload.predictions, guessed),
        )
        for key in given
        if key not in ids
    ]
    chosen = next((org for org in organisations if org.slug == payload.organisation), None)
    if payload.organisation is not None and chosen is None:
        problems.append(
            ("body.payload.organisation", "Name a partner organisation you belong to, by its slug.")
        )
    data: dict[str, Any] = {f"score_{key}": value for key, value in payload.scores.items()}
    data |= {f"guess_{key}": value for key, value in payload.predictions.items()}
    data |= {"comment": payload.comment, "organisation": chosen.pk if chosen is not None else ""}
    form = AnswerForm(data, asked=asked, organisations=organisations)
    if not form.is_valid() or problems:
        problems += [
            (_body_path(path), text) for path, text in problems_from_form(form, prefix="body.payload")
        ]
        raise ApiError(422, "The answer is not valid; nothing was saved.", problems=problems)
    return form


@router.post(
    "/{partnership_id}/checkins/{checkin_id}/responses",
    response={201: ResponseOut, **errors(400, 403, 409)},
    summary="Answer an open check-in",
)
def response_submit(
    request: HttpRequest, partnership_id: Id, checkin_id: Id, payload: ResponseIn
) -> Status[ResponseOut]:
    """Answer the check-in once (a write token; the people of a partner organisation, any role, as on
    its page); 409 once it is closed or when you answered already. Nobody can read an answer back."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW, writes=True)
    checkin = selectors.checkin_get(access=access, checkin_id=checkin_id)
    organisations = selectors.answering_organisations(access=access)
    if not organisations:
        raise ApiError(403, "Only the people of a partner organisation answer its check-ins.")
    user = request_token(request).user
    if not checkin.takes_answers(timezone.localdate()):
        raise ApiError(409, "This check-in is closed: answers can no longer be given.")
    if selectors.has_answered(checkin=checkin, user=user):
        raise ApiError(409, "You have answered this check-in already: answers cannot be changed.")
    form = _answer_form(payload, checkin, organisations)
    try:
        saved = answer_services.response_submit(
            access=access, user=user, checkin=checkin, organisation_id=form.chosen_organisation(),
            scores=form.scores(), predictions=form.predictions(), comment=form.cleaned_data["comment"],
        )  # fmt: skip
    except services.CheckinError as exc:  # closed or answered meanwhile
        raise ApiError(409, str(exc)) from None
    organisation = next(org for org in organisations if org.pk == saved.organisation_id)
    out = ResponseOut(checkin=checkin.pk, organisation=organisation.slug, submitted_at=saved.submitted_at)
    return Status(201, out)
