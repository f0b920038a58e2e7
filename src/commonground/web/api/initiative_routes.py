"""/api/v1/partnerships/{id}/initiatives: a partnership's joint initiatives (read, propose, edit,
withdraw) and each partner's score of them, through the partnerships app's selectors, forms and services,
as its initiatives page does."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from commonground.web.access import Action
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError, valid_form
from commonground.web.api.locking import LockedRecords, view_etag
from commonground.web.api.schemas import (
    Id,
    InitiativeIn,
    InitiativeList,
    InitiativeOut,
    ScoreIn,
    errors,
)
from commonground.web.api.scopes import partnership_scope
from commonground.web.partnerships import selectors, services
from commonground.web.partnerships.forms import InitiativeForm, ScoreForm
from commonground.web.partnerships.models import Initiative, InitiativeScore
from commonground.web.partnerships.selectors import PartnershipAccess

router = Router(tags=["initiatives"])


def _out(initiative: Initiative, scores: Iterable[InitiativeScore]) -> InitiativeOut:
    return InitiativeOut.model_validate(
        {
            "id": initiative.pk, "version": initiative.version, "name": initiative.name,
            "description": initiative.description, "level": initiative.level,
            "social_value": initiative.social_value, "updated_at": initiative.updated_at,
            "scores": [
                {"organisation": score.organisation.slug, "name": score.organisation.name,
                 "economic_value": score.economic_value}
                for score in scores
            ],
        }
    )  # fmt: skip


def _form(payload: InitiativeIn, *, version: int = 0) -> InitiativeForm:
    """The initiatives page's own form, bound to the body: its rules decide; problems are 422."""
    data = payload.model_dump() | {"level": payload.level or "", "version": version}
    return valid_form(InitiativeForm(data), what="initiative")


def _shown(access: PartnershipAccess, initiative: Initiative) -> InitiativeOut:
    """The initiative as answered, with the partners' scores (which move its ETag too)."""
    return _out(initiative, initiative.scores.select_related("organisation").order_by("organisation__name"))


# Its ETag: "initiative-<id>-v<version>-<digest>".
LOCK = LockedRecords("initiative", "initiative", _shown)


def _current(response: HttpResponse, access: PartnershipAccess, initiative_id: int) -> InitiativeOut:
    return LOCK.answer(response, access, selectors.initiative_get(access=access, initiative_id=initiative_id))


@router.get(
    "/{partnership_id}/initiatives",
    response={200: InitiativeList, **errors()},
    summary="A partnership's joint initiatives",
)
def initiative_list(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> InitiativeList:
    """The proposed initiatives by name, each with the partners' economic values of it."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    initiatives = selectors.initiative_list(access=access)  # with their scores and organisations
    items = [_out(initiative, initiative.scores.all()) for initiative in initiatives]
    out = InitiativeList(items=items, count=len(items))
    response["ETag"] = view_etag("initiatives", partnership_id, out)
    return out


@router.post(
    "/{partnership_id}/initiatives",
    response={201: InitiativeOut, **errors(400, 403)},
    summary="Propose a joint initiative",
)
def initiative_create(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, payload: InitiativeIn
) -> Status[InitiativeOut]:
    """Propose an initiative (write token, a role that may edit); its ETag and Location come back."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    data = _form(payload).cleaned_data
    initiative = services.initiative_create(
        access=access, name=data["name"], description=data["description"], level=data["level"],
        social_value=data["social_value"], user=request_token(request).user,
    )  # fmt: skip
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{initiative.pk}")
    return Status(201, _current(response, access, initiative.pk))


@router.get(
    "/{partnership_id}/initiatives/{initiative_id}",
    response={200: InitiativeOut, **errors()},
    summary="One joint initiative",
)
def initiative_get(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, initiative_id: Id
) -> InitiativeOut:
    """The initiative with the partners' scores; its ETag goes into If-Match of a later change."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    return _current(response, access, initiative_id)


@router.put(
    "/{partnership_id}/initiatives/{initiative_id}",
    response={200: InitiativeOut, **errors(400, 403, 412, 428)},
    openapi_extra=LOCK.if_match,
    summary="Change a joint initiative",
)
def initiative_update(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, initiative_id: Id,
    payload: InitiativeIn,
) -> InitiativeOut:  # fmt: skip
    """Replace the initiative's name, description, level and social value, if If-Match is still current."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    initiative = selectors.initiative_get(access=access, initiative_id=initiative_id)

    def change(version: int) -> None:
        data = _form(payload, version=version).cleaned_data
        services.initiative_update(
            access=access, initiative=initiative, name=data["name"], description=data["description"],
            level=data["level"], social_value=data["social_value"], expected_version=version,
            user=request_token(request).user,
        )  # fmt: skip

    LOCK.guarded(request, access, initiative, change)
    return _current(response, access, initiative.pk)


@router.delete(
    "/{partnership_id}/initiatives/{initiative_id}",
    response={204: None, **errors(403, 412, 428)},
    openapi_extra=LOCK.if_match,
    summary="Withdraw a joint initiative",
)
def initiative_delete(request: HttpRequest, partnership_id: Id, initiative_id: Id) -> Status[None]:
    """Withdraw the initiative if If-Match is still current (the partnership's history can restore it)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    initiative = selectors.initiative_get(access=access, initiative_id=initiative_id)
    LOCK.guarded(
        request, access, initiative,
        lambda version: services.initiative_delete(
            access=access, initiative=initiative, user=request_token(request).user, expected_version=version
        ),
    )  # fmt: skip
    return Status(204, None)


@router.put(
    "/{partnership_id}/initiatives/{initiative_id}/score",
    response={200: InitiativeOut, **errors(400, 403)},
    summary="Set one partner's economic value of an initiative",
)
def initiative_score(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, initiative_id: Id, payload: ScoreIn
) -> InitiativeOut:
    """Set the economic value (1–5) of the initiative to one partner organisation (by its slug); only that
    organisation's members who may edit can (each partner keeps its own score: no If-Match)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    initiative = selectors.initiative_get(access=access, initiative_id=initiative_id)
    partner = next(
        (
            o
            for o in selectors.active_organisations(partnership=access.partnership)
            if o.slug == payload.organisation
        ),
        None,
    )
    if partner is None:
        raise ApiError(
            422, "No active partner of this partnership has this slug; nothing was saved.",
            problems=[("body.payload.organisation", "Name an active partner by its slug.")],
        )  # fmt: skip
    form = valid_form(
        ScoreForm({"organisation": partner.pk, "economic_value": payload.economic_value}), what="score"
    )
    try:
        services.initiative_score_set(
            access=access, initiative=initiative, organisation_id=partner.pk,
            economic_value=form.cleaned_data["economic_value"], user=request_token(request).user,
        )  # fmt: skip
    except services.PartnershipError as exc:
        raise ApiError(403, str(exc)) from None
    return _current(response, access, initiative.pk)
