"""/api/v1/partnerships/{id}/action-items: a partnership's action items from its check-ins (read, add by
hand, mark done or open again), through the check-ins app's selectors, forms and services, as its
check-ins tab does."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from commonground.web.access import Action
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError, valid_form
from commonground.web.api.locking import LockedRecords, view_etag
from commonground.web.api.schemas import (
    ActionItemIn,
    ActionItemList,
    ActionItemOut,
    ActionStatusIn,
    Id,
    errors,
)
from commonground.web.api.scopes import partnership_scope
from commonground.web.checkins import selectors, services
from commonground.web.checkins.forms import ActionItemForm, ActionStatusForm
from commonground.web.checkins.models import ActionItem
from commonground.web.partnerships.selectors import PartnershipAccess

router = Router(tags=["action items"])


def _out(action: ActionItem) -> ActionItemOut:
    return ActionItemOut.model_validate(
        {
            "id": action.pk, "version": action.version, "text": action.text, "status": action.status,
            "source": action.source, "item": action.item, "checkin": action.checkin_id,
            "created_at": action.created_at, "updated_at": action.updated_at, "done_at": action.done_at,
        }
    )  # fmt: skip


# Its ETag: "action-<id>-v<version>-<digest>".
LOCK: LockedRecords[ActionItem, ActionItemOut] = LockedRecords(
    "action", "action item", lambda access, action: _out(action)
)


def _current(response: HttpResponse, access: PartnershipAccess, action_id: int) -> ActionItemOut:
    return LOCK.answer(response, access, selectors.action_item_get(access=access, action_id=action_id))


def _refused(exc: services.CheckinError) -> ApiError:
    """The service's refusal: only the partners' members keep the action items (a facilitator cannot)."""
    return ApiError(403, str(exc))


@router.get(
    "/{partnership_id}/action-items",
    response={200: ActionItemList, **errors()},
    summary="A partnership's action items",
)
def action_item_list(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> ActionItemList:
    """Every action item, open ones first, each group newest first, as the check-ins tab lists them."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    actions = selectors.action_items_all(access=access)
    items = [_out(action) for action in [*actions.open, *actions.done]]
    out = ActionItemList(items=items, count=len(items))
    response["ETag"] = view_etag("actions", partnership_id, out)
    return out


@router.post(
    "/{partnership_id}/action-items",
    response={201: ActionItemOut, **errors(400, 403)},
    summary="Add an action item by hand",
)
def action_item_add(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, payload: ActionItemIn
) -> Status[ActionItemOut]:
    """Add an action item (write token, a partner's member); it is reviewed at the next check-in."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    form = valid_form(ActionItemForm(payload.model_dump()), what="action item")
    try:
        action = services.action_item_add(
            access=access, user=request_token(request).user, text=form.cleaned_data["text"]
        )
    except services.CheckinError as exc:
        raise _refused(exc) from None
    response["Location"] = request.build_absolute_uri(f"{request.path.rstrip('/')}/{action.pk}")
    return Status(201, _current(response, access, action.pk))


@router.get(
    "/{partnership_id}/action-items/{action_id}",
    response={200: ActionItemOut, **errors()},
    summary="One action item",
)
def action_item_get(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, action_id: Id
) -> ActionItemOut:
    """The action item; its ETag goes into If-Match of a change of its status."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    return _current(response, access, action_id)


@router.put(
    "/{partnership_id}/action-items/{action_id}/status",
    response={200: ActionItemOut, **errors(400, 403, 412, 428)},
    openapi_extra=LOCK.if_match,
    summary="Mark an action item done, or open again",
)
def action_item_status(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, action_id: Id, payload: ActionStatusIn
) -> ActionItemOut:
    """Set the action item's status if If-Match is still current (a partner's member)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.EDIT)
    action = selectors.action_item_get(access=access, action_id=action_id)

    def change(version: int) -> None:
        form = valid_form(ActionStatusForm({"status": payload.status, "version": version}), what="status")
        try:
            services.action_item_set_status(
                access=access, user=request_token(request).user, action=action,
                status=form.cleaned_data["status"], expected_version=version,
            )  # fmt: skip
        except services.CheckinError as exc:
            raise _refused(exc) from None

    LOCK.guarded(request, access, action, change)
    return _current(response, access, action.pk)
