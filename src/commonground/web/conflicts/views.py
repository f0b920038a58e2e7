"""Thin views of the conflict log: authorise (the access layer, then the entry's sides), bind the form,
call a service, render or redirect. The dialogue form answers htmx with the dialogue fragment; without
JavaScript every form posts and redirects back to the entry's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.alignment.escalation import RUNG_WORDS
from commonground.web.access import Action, partnership_scoped, refuse
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.conflicts import selectors, services
from commonground.web.conflicts.forms import (
    AcknowledgeForm,
    AnswerForm,
    MessageForm,
    NoteForm,
    ProposeForm,
    RaiseForm,
)
from commonground.web.conflicts.models import ConflictEntry
from commonground.web.conflicts.sides import sides_of
from commonground.web.conflicts.terms import partnership_terms
from commonground.web.organisations.models import Organisation
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError


def _entry_page(access: PartnershipAccess, entry: ConflictEntry) -> HttpResponseBase:
    return redirect("conflicts:detail", pk=access.partnership.pk, conflict_id=entry.pk)


def _form_errors(request: AuthenticatedHttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = "" if field == "__all__" else f"{form.fields[field].label or field.capitalize()}: "
        messages.error(request, f"{label}{' '.join(errors)}")


@partnership_scoped(Action.VIEW)
@require_GET
def conflict_log(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The log: open entries first with state, severity, rung and age; the partnership's medians."""
    entries = selectors.conflict_list(access=access)
    context = {
        "access": access, "partnership": access.partnership, "entries": entries,
        "summary": selectors.summarise(entries, today=timezone.localdate()),
        "may_raise": access.can_edit and not access.facilitator and not access.closed,
    }  # fmt: skip
    return render(request, "conflicts/list.html", context)


def _organisations(access: PartnershipAccess) -> list[tuple[int, str]]:
    editable = [org for org in access.organisation_ids if access.can_in(org, Action.EDIT)]
    return list(Organisation.objects.filter(pk__in=editable).order_by("name", "pk").values_list("pk", "name"))


@partnership_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def conflict_new(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Raise an issue with the other partners."""
    form = RaiseForm(request.POST or None, organisations=_organisations(access))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.conflict_raise(
                access=access, user=request.user, organisation_id=data["organisation"], title=data["title"],
                description=data["description"], category=data["category"], severity=data["severity"],
                touches_kind=data["touches_kind"], touches_ref=data["touches_ref"], approach=data["approach"],
            )  # fmt: skip
        except services.ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"“{entry.title}” is in the log; the other side is asked to acknowledge it by "
                f"{entry.acknowledge_by:%Y-%m-%d}.",
            )
            return _entry_page(access, entry)
    context = {
        "access": access, "partnership": access.partnership, "form": form,
        "touch_options": partnership_terms(access.partnership).touch_options(),
    }  # fmt: skip
    return render(request, "conflicts/new.html", context, status=422 if form.errors else 200)


def _detail(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, entry: ConflictEntry, *,
    message_form: MessageForm | None = None, fragment: bool = False,
) -> HttpResponse:  # fmt: skip
    """The entry's page, or only its dialogue section (``fragment``, for htmx)."""
    page = selectors.conflict_page(access=access, entry=entry, user=request.user)
    context = {
        "access": access, "partnership": access.partnership, "page": page, "entry": entry,
        "acknowledge_form": AcknowledgeForm(initial={"version": entry.version}),
        "message_form": message_form or MessageForm(),
        "answer_form": AnswerForm(initial={"version": entry.version}),
        "note_form": NoteForm(),
    }  # fmt: skip
    template = "conflicts/_dialogue.html" if fragment else "conflicts/detail.html"
    return render(request, template, context)


@partnership_scoped(Action.VIEW)
@require_GET
def conflict_detail(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, conflict_id: int
) -> HttpResponse:
    """One entry: its timeline, the estimated stage and the help it needs, the rung and who handles it,
    the deadline, and the actions this person may take."""
    return _detail(request, access, selectors.conflict_get(access=access, conflict_id=conflict_id))


def _act(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, entry: ConflictEntry, form: Any,
    write: Callable[[dict[str, Any]], str], *, then: str,
) -> HttpResponseBase:  # fmt: skip
    """Bind ``form``, call ``write`` (which returns the success message) and go back to the entry's
    page; a stale version or a refused write is said there, nothing saved."""
    if not form.is_valid():
        _form_errors(request, form)
        return _entry_page(access, entry)
    try:
        done = write(form.cleaned_data)
    except StaleEditError as exc:
        messages.error(request, exc.changed_meanwhile("issue", then=then))
    except services.ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _entry_page(access, entry)


@partnership_scoped(Action.EDIT)
@require_POST
def acknowledge(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, conflict_id: int
) -> HttpResponseBase:
    """The other side acknowledges the issue."""
    entry = selectors.conflict_get(access=access, conflict_id=conflict_id)
    if not sides_of(access, entry, request.user).is_other_side:
        raise refuse(request, access, Action.EDIT)

    def write(data: dict[str, Any]) -> str:
        services.conflict_acknowledge(
            access=access, user=request.user, entry=entry, expected_version=data["version"],
            approach=data["approach"],
        )  # fmt: skip
        return "Acknowledged: the partners can now talk it through and propose a resolution."

    return _act(request, access, entry, AcknowledgeForm(request.POST), write, then="read it again below")


@partnership_scoped(Action.VIEW)
@require_POST
def message(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, conflict_id: int
) -> HttpResponseBase:
    """Add a message to the dialogue (partners' members and facilitators)."""
    if not (access.facilitator or access.can_edit):
        raise refuse(request, access, Action.EDIT)
    entry = selectors.conflict_get(access=access, conflict_id=conflict_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_message(
                access=access, user=request.user, entry=entry, text=form.cleaned_data["text"],
                exit_threatened=form.cleaned_data["exit_threatened"],
            )  # fmt: skip
        except services.ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            form = MessageForm()
    if request.htmx:
        entry = selectors.conflict_get(access=access, conflict_id=conflict_id)
        return _detail(request, access, entry, message_form=form, fragment=True)
    if form.errors:
        _form_errors(request, form)
    return _entry_page(access, entry)


@partnership_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def propose(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, conflict_id: int
) -> HttpResponseBase:
    """Propose a resolution, with interest-based prompts; a stale form keeps what was typed."""
    entry = selectors.conflict_get(access=access, conflict_id=conflict_id)
    sides = sides_of(access, entry, request.user)
    if not (sides.on_raising_side or sides.is_other_side):
        raise refuse(request, access, Action.EDIT)
    form = ProposeForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conflict_propose(
                access=access, user=request.user, entry=entry, expected_version=data["version"],
                resolution=data["resolution"], interests=data["interests"], options=data["options"],
                criteria=data["criteria"],
            )  # fmt: skip
        except StaleEditError as exc:
            form.add_error(
                None, exc.changed_meanwhile("issue", then="read the latest proposal, then propose again")
            )
        except services.ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Your resolution is proposed; the person who raised the issue accepts or rejects it."
            )
            return _entry_page(access, entry)
    context = {
        "access": access,
        "partnership": access.partnership,
        "entry": entry,
        "form": form,
        "may_propose": sides.may_propose,
    }
    return render(request, "conflicts/propose.html", context, status=409 if form.errors else 200)


@partnership_scoped(Action.EDIT)
@require_POST
def answer(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, conflict_id: int
) -> HttpResponseBase:
    """The raiser accepts or rejects the resolution on the table; a rejection climbs one rung."""
    entry = selectors.conflict_get(access=access, conflict_id=conflict_id)
    if not sides_of(access, entry, request.user).is_raiser:
        raise refuse(request, access, Action.EDIT)

    def write(data: dict[str, Any]) -> str:
        accept = data["answer"] == "accept"
        step = services.conflict_answer(
            access=access, user=request.user, entry=entry, expected_version=data["version"], accept=accept,
            reason=data["reason"],
        )  # fmt: skip
        if accept:
            return "Resolved: thank you for settling it."
        if step is not None:
            return f"Rejected: the issue moves up to {RUNG_WORDS[step.to.step].lower()}."
        return "Rejected at the top rung of the ladder: arbitration or exit stands."

    return _act(
        request, access, entry, AnswerForm(request.POST), write,
        then="read the resolution on the table, then answer",
    )  # fmt: skip


@partnership_scoped(Action.VIEW)
@require_POST
def note(request: AuthenticatedHttpRequest, access: PartnershipAccess, conflict_id: int) -> HttpResponseBase:
    """A facilitator's private note (never shown to the partners)."""
    if not access.facilitator:
        raise refuse(request, access, Action.VIEW)
    entry = selectors.conflict_get(access=access, conflict_id=conflict_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _entry_page(access, entry)
    try:
        services.facilitator_note_add(
            access=access, user=request.user, entry=entry, text=form.cleaned_data["text"]
        )
    except services.ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Note kept; only the partnership's facilitators read it.")
    return _entry_page(access, entry)
