"""/api/v1/partnerships/{id}/checkin-schedule: how often a partnership's check-ins open, read by anyone
who sees its check-ins tab and set by its partners' admins and owners with If-Match, through the
check-ins app's form and service as the schedule page does. Before anyone starts check-ins there is no
schedule row: the answer shows the page's defaults at version 0, and a PUT from that answer starts them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router

from commonground.web.access import Action
from commonground.web.api.auth import request_token
from commonground.web.api.errors import ApiError, valid_form
from commonground.web.api.locking import LockedRecords, expected_version, record_etag
from commonground.web.api.schemas import Id, ScheduleIn, ScheduleOut, ScheduleTermsOut, errors
from commonground.web.api.scopes import partnership_scope
from commonground.web.checkins import selectors, services
from commonground.web.checkins.forms import ScheduleForm
from commonground.web.checkins.models import CheckinSchedule
from commonground.web.partnerships.models import Partnership
from commonground.web.partnerships.selectors import PartnershipAccess

router = Router(tags=["checkins"])

WHAT = "check-in schedule"


def _out(partnership: Partnership, schedule: CheckinSchedule | None) -> ScheduleOut:
    terms = selectors.schedule_terms(partnership=partnership, schedule=schedule)
    last = selectors.last_scheduled_opening(partnership=partnership)
    # The schedule page's defaults until someone starts check-ins.
    saved = {
        "follow_agreement": True, "frequency": "monthly", "starts_on": timezone.localdate(),
        "window_days": 10, "factors_every": 6,
    }  # fmt: skip
    if schedule is not None:
        saved = {name: getattr(schedule, name) for name in saved}
    return ScheduleOut.model_validate(
        saved | {
            "started": schedule is not None, "version": schedule.version if schedule is not None else 0,
            "in_force": ScheduleTermsOut(
                frequency=terms.frequency, first=terms.first, window_days=terms.window_days,
                factors_every=terms.factors_every, from_agreement=terms.from_agreement,
            ),
            "next_opening": selectors.next_opening(terms=terms, last_scheduled=last),
        }
    )  # fmt: skip


# Its ETag: "schedule-<schedule id>-v<version>-<digest>"; before check-ins start, "schedule-<partnership
# id>-v0-<digest>", which a started schedule never matches (412), its digest without the suggested
# ``starts_on`` (today's date: a read before midnight stays current after it).
LOCK: LockedRecords[CheckinSchedule, ScheduleOut] = LockedRecords(
    "schedule", WHAT, lambda access, schedule: _out(access.partnership, schedule)
)


class _Unstarted:
    """The schedule not started yet, as If-Match names it: version 0 of the partnership's."""

    def __init__(self, partnership: Partnership) -> None:
        self.pk = partnership.pk
        self.version = 0

    def etag(self, out: ScheduleOut) -> str:
        """The ETag of ``out``, the unstarted answer: what it shows but today's date as ``starts_on``,
        which only suggests a first date and is no one's change."""
        return record_etag("schedule", self, out.model_copy(update={"starts_on": None}))


def _answer(response: HttpResponse, access: PartnershipAccess) -> ScheduleOut:
    schedule = selectors.schedule_find(partnership=access.partnership)
    if schedule is not None:
        return LOCK.answer(response, access, schedule)
    out = _out(access.partnership, None)
    response["ETag"] = _Unstarted(access.partnership).etag(out)
    return out


def _start_guarded(request: HttpRequest, access: PartnershipAccess, start: Callable[[], None]) -> None:
    """``start()`` if If-Match names the unstarted schedule as answered now (428 without one, 412 when it
    does not); 412 too when someone started check-ins meanwhile."""
    unstarted = _Unstarted(access.partnership)
    current = unstarted.etag(_out(access.partnership, None))
    if expected_version(request, unstarted, current=current, kind="schedule", what=WHAT) != 0:
        raise ApiError(412, f"If-Match is not of this {WHAT}; GET it again.", headers={"ETag": current})
    try:
        start()
    except services.CheckinError as exc:  # someone started them between the check and the save
        raise ApiError(412, str(exc)) from None


@router.get(
    "/{partnership_id}/checkin-schedule",
    response={200: ScheduleOut, **errors()},
    summary="How often a partnership's check-ins open",
)
def schedule_get(request: HttpRequest, response: HttpResponse, partnership_id: Id) -> ScheduleOut:
    """The schedule as saved, the terms in force (the signed agreement's clause when followed) and the
    next scheduled opening, as the check-ins tab shows them; its ETag goes into If-Match of a change."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.VIEW)
    return _answer(response, access)


@router.put(
    "/{partnership_id}/checkin-schedule",
    response={200: ScheduleOut, **errors(400, 403, 412, 428)},
    openapi_extra=LOCK.if_match,
    summary="Start check-ins or change how often they open",
)
def schedule_update(
    request: HttpRequest, response: HttpResponse, partnership_id: Id, payload: ScheduleIn
) -> ScheduleOut:
    """Save the schedule if If-Match is still current (a partner's admin or owner), as the schedule page
    does; the first save starts check-ins. The page's form decides what is valid (422 naming the field)."""
    access = partnership_scope(request, partnership_id=partnership_id, action=Action.MANAGE)
    schedule = selectors.schedule_find(partnership=access.partnership)

    def save(version: int | None) -> None:
        form = valid_form(
            ScheduleForm(
                payload.model_dump() | {"version": version},
                saved_starts_on=schedule.starts_on if schedule is not None else None,
            ),
            what=WHAT,
        )
        data = form.cleaned_data
        try:
            services.schedule_save(
                access=access, user=request_token(request).user, expected_version=version,
                frequency=data["frequency"], follow_agreement=data["follow_agreement"],
                window_days=data["window_days"], factors_every=data["factors_every"],
                starts_on=data["starts_on"],
            )  # fmt: skip
        except services.CheckinError as exc:
            if version is None:
                raise  # started meanwhile: _start_guarded answers 412
            raise ApiError(403, str(exc)) from None

    if schedule is None:
        _start_guarded(request, access, lambda: save(None))
    else:
        LOCK.guarded(request, access, schedule, save)
    return _answer(response, access)
