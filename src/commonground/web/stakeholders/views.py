"""Thin views for the stakeholder register: the page, and htmx row fragments to edit in place.

Without htmx every form still works: GET of an edit URL shows the page with that row open, and a
successful POST redirects back to the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.reports.charts import power_interest_grid
from commonground.web.access import Action, partnership_scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError
from commonground.web.stakeholders import selectors, services
from commonground.web.stakeholders.forms import EntryForm, initial_for
from commonground.web.stakeholders.selectors import Register, RegisterRow


def _page(
    request: HttpRequest, access: PartnershipAccess, register: Register, *, add_form: EntryForm | None = None,
    open_row: str = "", open_form: EntryForm | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    if add_form is None and access.can_edit:
        add_form = EntryForm(initial={"power": "3", "interest": "3", "version": 0})
    return render(
        request,
        "stakeholders/register.html",
        {
            "access": access, "partnership": access.partnership, "register": register,
            "grid": power_interest_grid(register.views, register.chart_parties),
            "items": [{"row": row, **_row_urls(access, row)} for row in register.rows],
            "add_form": add_form, "open_row": open_row, "open_form": open_form,
        },
        status=status,
    )  # fmt: skip


def _row_urls(access: PartnershipAccess, row: RegisterRow) -> dict[str, str]:
    pk = access.partnership.pk
    if row.entry is not None:
        kw = {"pk": pk, "entry_id": row.entry.pk}
        return {
            "row_url": reverse("stakeholders:entry_row", kwargs=kw),
            "edit_url": reverse("stakeholders:entry_edit", kwargs=kw),
            "delete_url": reverse("stakeholders:entry_delete", kwargs=kw),
        }
    query = f"?{_name_query(row.view.name)}"
    return {
        "row_url": reverse("stakeholders:partner_row", kwargs={"pk": pk}) + query,
        "edit_url": reverse("stakeholders:partner_edit", kwargs={"pk": pk}) + query,
        "delete_url": "",
    }


def _name_query(name: str) -> str:
    query = QueryDict(mutable=True)
    query["name"] = name
    return query.urlencode()


def _row(
    request: HttpRequest, access: PartnershipAccess, row: RegisterRow, *, form: EntryForm | None = None,
    message: str = "", status: int = 200,
) -> HttpResponse:  # fmt: skip
    """A table row fragment: shown, or open for editing when ``form`` is given."""
    context: dict[str, Any] = {
        "access": access, "partnership": access.partnership, "row": row, "form": form, "message": message,
        **_row_urls(access, row),
    }  # fmt: skip
    template = "stakeholders/_edit_row.html" if form is not None else "stakeholders/_row.html"
    return render(request, template, context, status=status)


def _entry_row(access: PartnershipAccess, register: Register, entry_id: int) -> RegisterRow:
    row = register.row_for_entry(entry_id)
    if row is None:
        raise Http404
    return row


def _merged_row(request: HttpRequest, register: Register) -> RegisterRow:
    row = register.row_for_merged(str(request.GET.get("name", "")))
    if row is None:
        raise Http404
    return row


def _open(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, register: Register, row: RegisterRow,
    form: EntryForm, *, message: str = "", status: int = 200,
) -> HttpResponse:  # fmt: skip
    """The row open for editing: a fragment for htmx, else the whole page with that row open."""
    if request.htmx:
        return _row(request, access, row, form=form, message=message, status=status)
    if message:
        messages.error(request, message)
    return _page(request, access, register, open_row=row.key, open_form=form, status=status)


def _fresh_form(register: Register, row: RegisterRow) -> EntryForm:
    entry_id = row.entry.pk if row.entry is not None else None
    fixed = row.view.name if row.merged is not None else ""
    return EntryForm(
        initial=initial_for(row), taken=register.taken_names(except_entry=entry_id), fixed_name=fixed
    )


@partnership_scoped(Action.VIEW)
@require_GET
def register_page(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The register: power–interest grid and the table of stakeholders."""
    return _page(request, access, selectors.register_build(access=access))


@partnership_scoped(Action.EDIT)
@require_POST
def entry_new(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Add a stakeholder no partner names."""
    register = selectors.register_build(access=access)
    form = EntryForm(request.POST, taken=register.taken_names())
    if form.is_valid():
        try:
            entry = services.entry_add(
                access=access, name=form.cleaned_data["name"], ratings=form.ratings(), user=request.user
            )
        except services.RegisterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{entry.name} is added to the register.")
            return redirect("stakeholders:register", pk=access.partnership.pk)
    # Shown again with the problems on their fields; nothing was saved.
    return _page(request, access, register, add_form=form, status=422)


@partnership_scoped(Action.VIEW)
@require_GET
def entry_row(request: AuthenticatedHttpRequest, access: PartnershipAccess, entry_id: int) -> HttpResponse:
    """One row as shown (htmx "cancel")."""
    register = selectors.register_build(access=access)
    return _row(request, access, _entry_row(access, register, entry_id))


@partnership_scoped(Action.VIEW)
@require_GET
def partner_row(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """One partners' stakeholder row as shown (htmx "cancel"); ``?name=`` names it."""
    register = selectors.register_build(access=access)
    return _row(request, access, _merged_row(request, register))


@partnership_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def entry_edit(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, entry_id: int
) -> HttpResponseBase:
    """Open a register entry for editing, or save it (refused when someone changed it meanwhile)."""
    entry = selectors.entry_get(access=access, entry_id=entry_id)
    register = selectors.register_build(access=access)
    row = _entry_row(access, register, entry.pk)
    if request.method == "GET":
        return _open(request, access, register, row, _fresh_form(register, row))
    fixed = row.view.name if row.merged is not None else (entry.merged_name or "")
    form = EntryForm(request.POST, taken=register.taken_names(except_entry=entry.pk), fixed_name=fixed)
    if not form.is_valid():
        return _open(request, access, register, row, form, status=422)
    try:
        services.entry_update(
            access=access, entry=entry, name=form.cleaned_data["name"], ratings=form.ratings(),
            expected_version=form.cleaned_data["version"], user=request.user,
        )  # fmt: skip
    except StaleEditError as exc:
        return _stale(request, access, _stale_message(entry.name, exc), entry_id=entry.pk)
    except services.RegisterError as exc:
        form.add_error(None, str(exc))
        return _open(request, access, register, row, form, status=422)
    return _saved(request, access, entry_id=entry.pk)


@partnership_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def partner_edit(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Re-rate a partners' stakeholder for this partnership (``?name=`` names it as the page shows it)."""
    register = selectors.register_build(access=access)
    row = _merged_row(request, register)
    if row.entry is not None:  # already re-rated: edit that entry
        if request.method == "POST":
            message = _stale_message(row.view.name, StaleEditError.about(row.entry))
            return _stale(request, access, message, entry_id=row.entry.pk)
        return _open(request, access, register, row, _fresh_form(register, row))
    if request.method == "GET":
        return _open(request, access, register, row, _fresh_form(register, row))
    form = EntryForm(request.POST, fixed_name=row.view.name)
    if not form.is_valid():
        return _open(request, access, register, row, form, status=422)
    if form.cleaned_data["version"] != 0:
        return _stale(
            request, access, "This row was reset meanwhile. Your changes were not saved.", name=row.view.name
        )
    try:
        entry = services.entry_adjust(
            access=access, merged_name=row.view.name, ratings=form.ratings(), user=request.user
        )
    except StaleEditError as exc:
        return _stale(request, access, _stale_message(row.view.name, exc), name=row.view.name)
    return _saved(request, access, entry_id=entry.pk)


@partnership_scoped(Action.EDIT)
@require_POST
def entry_delete(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, entry_id: int
) -> HttpResponseBase:
    """Remove an added stakeholder, or reset a re-rated one to the partners' ratings."""
    entry = selectors.entry_get(access=access, entry_id=entry_id)
    try:
        expected = int(request.POST.get("version", "0"))
    except ValueError:
        expected = 0
    try:
        services.entry_delete(access=access, entry=entry, expected_version=expected, user=request.user)
    except StaleEditError as exc:
        return _stale(request, access, _stale_message(entry.name, exc), entry_id=entry.pk)
    if not request.htmx:
        messages.success(request, f"{entry.name} is {'reset' if entry.is_adjustment else 'removed'}.")
        return redirect("stakeholders:register", pk=access.partnership.pk)
    if entry.is_adjustment:
        register = selectors.register_build(access=access)
        row = register.row_for_merged(entry.merged_name) or next(
            (r for r in register.rows if r.merged is not None and selectors.name_keys(r.view.name)
             & selectors.name_keys(entry.merged_name)), None,
        )  # fmt: skip
        if row is not None:
            return _row(request, access, row)
    return HttpResponse("")  # the row goes away


def _saved(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, *, entry_id: int
) -> HttpResponseBase:
    if not request.htmx:
        messages.success(request, "The stakeholder register is saved.")
        return redirect("stakeholders:register", pk=access.partnership.pk)
    register = selectors.register_build(access=access)
    return _row(request, access, _entry_row(access, register, entry_id))


def _stale_message(name: str, exc: StaleEditError) -> str:
    """What the register says when someone changed or removed the row ``name`` first."""
    happened = "removed" if exc.removed else "changed"
    return (
        f"{name} was {happened} by {exc.changed_by} meanwhile. Your changes were not saved: "
        "the current values are shown, apply your change again if it is still needed."
    )


def _stale(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, message: str, *,
    entry_id: int | None = None, name: str = "",
) -> HttpResponseBase:  # fmt: skip
    """409: the row reopened with the values saved now and the message; nothing was overwritten."""
    register = selectors.register_build(access=access)
    row = register.row_for_entry(entry_id) if entry_id is not None else None
    if row is None and name:
        row = register.row_for_merged(name)
    if row is None:  # removed meanwhile
        if request.htmx:
            return HttpResponse(
                f'<tr><td colspan="8" class="form-errors" role="alert">{escape(message)}</td></tr>',
                status=409,
            )
        messages.error(request, message)
        return redirect("stakeholders:register", pk=access.partnership.pk)
    return _open(request, access, register, row, _fresh_form(register, row), message=message, status=409)
