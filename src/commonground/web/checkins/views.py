"""Thin views of the check-ins tab: authorise (the access layer), bind a form, call a service, render.

Everyone who reaches the partnership sees the schedule and the frozen results (facilitators too);
the people of a partner organisation answer (any role: a check-in asks everyone's view); admins and
owners set the schedule and open or close a check-in by hand; members keep the action items. No view
reads an answer: results come from what was frozen at close.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.agreement.spreadsheets import FORMATS
from commonground.core.alignment.items import item_set
from commonground.web.access import Action, partnership_scoped, refuse
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.checkins import answer_services, selectors, services
from commonground.web.checkins.calendar import checkin_calendar
from commonground.web.checkins.forms import (
    ActionItemForm,
    ActionStatusForm,
    AnswerForm,
    OpenForm,
    ScheduleForm,
)
from commonground.web.checkins.models import Checkin
from commonground.web.checkins.results import EXPORT_COLUMNS, checkin_results, export_rows
from commonground.web.downloads import attachment_header
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError


def _context(access: PartnershipAccess, **extra: Any) -> dict[str, Any]:
    return {"access": access, "partnership": access.partnership, **extra}


@partnership_scoped(Action.VIEW)
@require_GET
def index(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The tab: schedule, open check-ins (answer now / answered), past ones with results, action items."""
    page = selectors.checkins_page(access=access, user=request.user)
    results = checkin_results(page.latest) if page.latest is not None else None
    return render(
        request,
        "checkins/index.html",
        _context(access, page=page, results=results, open_form=OpenForm(), action_form=ActionItemForm()),
    )


@partnership_scoped(Action.MANAGE)
@require_http_methods(["GET", "POST"])
def schedule(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Start check-ins or change how often they open; a stale save is refused with who changed it."""
    current = selectors.schedule_find(partnership=access.partnership)
    initial: dict[str, Any] = {"starts_on": timezone.localdate()}
    if current is not None:
        initial = {
            "follow_agreement": current.follow_agreement,
            "frequency": current.frequency,
            "starts_on": current.starts_on,
            "window_days": current.window_days,
            "factors_every": current.factors_every,
            "version": current.version,
        }
    form = ScheduleForm(
        request.POST or None,
        initial=initial,
        saved_starts_on=current.starts_on if current else None,
        saved_version=current.version if current else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.schedule_save(
                access=access,
                user=request.user,
                expected_version=None if current is None else (data["version"] or 0),
                frequency=data["frequency"],
                follow_agreement=data["follow_agreement"],
                window_days=data["window_days"],
                factors_every=data["factors_every"],
                starts_on=data["starts_on"],
            )
        except StaleEditError as exc:
            form.add_error(None, exc.changed_meanwhile("schedule", then="load the page again and redo them"))
        except services.CheckinError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Schedule saved.")
            return redirect("checkins:index", pk=access.partnership.pk)
    return render(request, "checkins/schedule.html", _context(access, form=form, schedule=current))


@partnership_scoped(Action.MANAGE)
@require_POST
def open_now(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Open a check-in now (an admin or owner): the factors on demand, or an extra pulse."""
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to ask and for how many days (1 to 60).")
    else:
        try:
            checkin = services.checkin_open_by_hand(
                access=access,
                user=request.user,
                name=form.cleaned_data["item_set"],
                window_days=form.cleaned_data["window_days"],
            )
        except services.CheckinError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"The check-in is open until {checkin.closes_on.isoformat()}; everyone is invited."
            )
    return redirect("checkins:index", pk=access.partnership.pk)


@partnership_scoped(Action.VIEW)
@require_GET
def detail(request: AuthenticatedHttpRequest, access: PartnershipAccess, checkin_id: int) -> HttpResponse:
    """One check-in: while open, who may answer and whether you did; once closed, its frozen results."""
    checkin = selectors.checkin_get(access=access, checkin_id=checkin_id)
    answered = selectors.has_answered(checkin=checkin, user=request.user)
    return render(
        request,
        "checkins/detail.html",
        _context(
            access,
            checkin=checkin,
            asked=item_set(checkin.item_set),
            results=checkin_results(checkin),
            answered=answered,
            can_answer=selectors.may_answer(access=access, checkin=checkin, today=timezone.localdate()),
            actions=selectors.action_items_open(access=access) if checkin.is_open else [],
        ),
    )


@partnership_scoped(Action.VIEW)
@require_http_methods(["GET", "POST"])
def answer(request: AuthenticatedHttpRequest, access: PartnershipAccess, checkin_id: int) -> HttpResponseBase:
    """The answer form (people of a partner organisation only; each person once, until it closes)."""
    checkin = selectors.checkin_get(access=access, checkin_id=checkin_id)
    organisations = selectors.answering_organisations(access=access)
    if not organisations:
        raise refuse(request, access, Action.EDIT)
    if not checkin.is_open:
        messages.info(request, "This check-in is closed: its results are below.")
        return redirect("checkins:detail", pk=access.partnership.pk, checkin_id=checkin.pk)
    if selectors.has_answered(checkin=checkin, user=request.user):
        messages.info(request, "You have answered this check-in. Thank you: answers cannot be changed.")
        return redirect("checkins:detail", pk=access.partnership.pk, checkin_id=checkin.pk)
    asked = item_set(checkin.item_set)
    form = AnswerForm(request.POST or None, asked=asked, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            answer_services.response_submit(
                access=access,
                user=request.user,
                checkin=checkin,
                organisation_id=form.chosen_organisation(),
                scores=form.scores(),
                predictions=form.predictions(),
                comment=form.cleaned_data["comment"],
            )
        except services.CheckinError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Thank you: your answer is saved. Nobody sees what you answered.")
            return redirect("checkins:detail", pk=access.partnership.pk, checkin_id=checkin.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "checkins/answer.html",
        _context(
            access,
            checkin=checkin,
            asked=asked,
            form=form,
            actions=selectors.action_items_open(access=access),
        ),
        status=status,
    )


@partnership_scoped(Action.MANAGE)
@require_POST
def close(request: AuthenticatedHttpRequest, access: PartnershipAccess, checkin_id: int) -> HttpResponseBase:
    """Close an open check-in now and freeze its results (an admin or owner)."""
    checkin = selectors.checkin_get(access=access, checkin_id=checkin_id)
    try:
        services.checkin_close_by_hand(access=access, user=request.user, checkin=checkin)
    except services.CheckinError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The check-in is closed and its results are frozen.")
    return redirect("checkins:detail", pk=access.partnership.pk, checkin_id=checkin.pk)


def _attachment(content: bytes, media_type: str, access: PartnershipAccess, what: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    name = slugify(access.partnership.name) or "partnership"
    response["Content-Disposition"] = attachment_header(f"checkins-{name}-{what}")
    return response


@partnership_scoped(Action.VIEW)
@require_GET
def export(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, checkin_id: int, fmt: str
) -> HttpResponse:
    """A closed check-in's released cells (the frozen results, suppressed cells left out) as CSV or XLSX."""
    if fmt not in FORMATS:
        raise Http404
    checkin: Checkin = selectors.checkin_get(access=access, checkin_id=checkin_id)
    if checkin.is_open or not checkin.results:
        raise Http404
    kind = FORMATS[fmt]
    return _attachment(
        kind.write(EXPORT_COLUMNS, export_rows(checkin)),
        kind.media_type,
        access,
        f"{checkin.item_set}-{checkin.label}.{fmt}",
    )


@partnership_scoped(Action.VIEW)
@require_GET
def calendar(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The partnership's check-in dates, past, open and planned for a year, as an .ics calendar."""
    schedule = selectors.schedule_find(partnership=access.partnership)
    terms = selectors.schedule_terms(partnership=access.partnership, schedule=schedule)
    last = selectors.last_scheduled_opening(partnership=access.partnership)
    ics = checkin_calendar(
        partnership_id=access.partnership.pk,
        title=access.partnership.name,
        checkins=selectors.checkin_list(access=access).defer("results"),
        terms=terms if schedule else None,
        next_opens=selectors.next_opening(terms=terms, last_scheduled=last),
        stamp=timezone.now().replace(microsecond=0),
    )
    return _attachment(ics, "text/calendar; charset=utf-8", access, "dates.ics")


def _after_action(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, notice: str
) -> HttpResponseBase:
    """htmx: the action items section again, with what happened; else back to the tab with a message."""
    if request.htmx:
        actions = selectors.action_items_all(access=access)
        return render(
            request, "checkins/_actions.html",
            _context(access, notice=notice, action_form=ActionItemForm(), actions_open=actions.open,
                     actions_done=actions.done),
        )  # fmt: skip
    messages.info(request, notice)
    return redirect("checkins:index", pk=access.partnership.pk)


@partnership_scoped(Action.EDIT)
@require_POST
def action_add(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Add an action item by hand (a partner's member)."""
    form = ActionItemForm(request.POST)
    if not form.is_valid():
        return _after_action(request, access, "Write what is to be done (at most 2,000 characters).")
    try:
        services.action_item_add(access=access, user=request.user, text=form.cleaned_data["text"])
    except services.CheckinError as exc:
        return _after_action(request, access, str(exc))
    return _after_action(request, access, "Action item added: it is reviewed at the next check-in.")


@partnership_scoped(Action.EDIT)
@require_POST
def action_status(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, action_id: int
) -> HttpResponseBase:
    """Mark an action item done or open again; a stale change is refused with who changed it."""
    action = selectors.action_item_get(access=access, action_id=action_id)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return _after_action(request, access, "Choose open or done.")
    try:
        services.action_item_set_status(
            access=access, user=request.user, action=action, status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"],
        )  # fmt: skip
    except StaleEditError as exc:
        return _after_action(request, access, exc.changed_meanwhile("action item", then="look at it again"))
    except services.CheckinError as exc:
        return _after_action(request, access, str(exc))
    return _after_action(request, access, "Action item updated.")
