"""Thin views for the profile: edit (with "add another" rows), SDG hints, import, export, history, restore."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.loading import LoadError, Problem, dump_profile, parse_profile, problems_shown
from commonground.web.access import Action, org_scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.downloads import attachment_header
from commonground.web.organisations import selectors, services, suggestions
from commonground.web.organisations.forms import ProfileImportForm, SdgAcceptForm
from commonground.web.organisations.history import history_entries
from commonground.web.organisations.profile_editor import SECTIONS, ProfileEditor
from commonground.web.organisations.profile_forms import PARTS
from commonground.web.organisations.profile_rows import blank_row, with_added_row, with_moved_row
from commonground.web.organisations.profile_words import CULTURE
from commonground.web.organisations.selectors import OrgAccess
from commonground.web.records import StaleEditError

EXPORT_TYPES = {"yaml": "application/yaml; charset=utf-8", "json": "application/json; charset=utf-8"}


def _stale_message(exc: StaleEditError) -> str:
    """What the profile pages say when someone saved the profile first (nothing of this save was kept)."""
    return exc.changed_meanwhile("profile", then="open the current version and apply them again")


@org_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponse:
    """Edit every part of the profile; a save from an out-of-date version is refused."""
    organisation = access.organisation
    suggest_url = reverse("organisations:suggest_sdgs", kwargs={"slug": organisation.slug})
    data = request.POST if request.method == "POST" else None
    # "Add another" and the up/down buttons without JavaScript: show the form again changed; save nothing.
    add_row = request.POST.get("add_row", "") if data else ""
    move = request.POST.get("move", "") if data else ""
    if add_row in PARTS:
        data = with_added_row(request.POST, add_row)
    elif move:
        data = with_moved_row(request.POST, move)
    editor = ProfileEditor(
        profile=organisation.get_profile(),
        version=organisation.version,
        location=organisation.location,
        data=data,
        suggest_url=suggest_url,
    )
    status = 200
    if request.method == "POST" and add_row not in PARTS and not move:
        if editor.is_valid():
            assert editor.profile is not None
            try:
                services.profile_update(
                    organisation=organisation,
                    profile=editor.profile,
                    expected_version=editor.expected_version,
                    user=request.user,
                    comment=editor.comment,
                    location=editor.location,
                )
            except StaleEditError as exc:
                messages.error(request, _stale_message(exc))
                status = 409
            else:
                messages.success(request, "The profile is saved.")
                return redirect("organisations:detail", slug=organisation.slug)
        else:
            status = 400
    context = {
        "access": access,
        "organisation": organisation,
        "editor": editor,
        "problems": editor.problems() if status == 400 else [],
        "page_sections": SECTIONS,
        "culture_types": CULTURE,
    }
    return render(request, "organisations/profile_edit.html", context, status=status)


@org_scoped(Action.EDIT)
@require_GET
def profile_row(request: AuthenticatedHttpRequest, access: OrgAccess, part: str) -> HttpResponse:
    """htmx fragment for "add another": an empty row of ``part`` plus the formset's new row count."""
    try:
        index = int(request.GET.get(f"{part}-TOTAL_FORMS", ""))
        form = blank_row(
            part,
            index,
            suggest_url=reverse("organisations:suggest_sdgs", kwargs={"slug": access.organisation.slug}),
        )
    except ValueError:
        raise Http404("No such row.") from None
    return render(
        request,
        "organisations/_profile_row.html",
        {"form": form, "part": part, "spec": PARTS[part], "number": index + 1, "total": index + 1},
    )


@org_scoped(Action.EDIT)
@require_GET
def suggest_sdgs(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponse:
    """htmx fragment: SDG suggestions for the goal text being typed."""
    # The goal box sends its own form name (goals-3-text), so take whichever text field came.
    text = str(
        request.GET.get("text")
        or next((value for key, value in request.GET.items() if key.endswith("-text")), "")
    )
    found = suggestions.suggest_sdgs(text[:2000])
    return render(request, "organisations/_sdg_suggestions.html", {"suggestions": found, "text": text})


@org_scoped(Action.VIEW)
@require_GET
def goal_sdg_suggestions(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponse:
    """htmx fragment for the profile page: SDGs suggested for each goal that names none, to accept."""
    goals = [(number, goal) for number, goal in enumerate(access.organisation.get_profile().goals, start=1)]
    open_goals = [(number, goal) for number, goal in goals if not goal.sdgs]
    found = suggestions.suggest_sdgs_many([goal.text for _, goal in open_goals])
    items = [
        {
            "number": number,
            "goal": goal,
            "suggestions": suggested,
            "all": " ".join(str(s.number) for s in suggested),
        }
        for (number, goal), suggested in zip(open_goals, found, strict=True)
        if suggested
    ]
    return render(
        request,
        "organisations/_goal_sdg_suggestions.html",
        {"access": access, "organisation": access.organisation, "items": items},
    )


@org_scoped(Action.EDIT)
@require_POST
def goal_sdgs_accept(
    request: AuthenticatedHttpRequest, access: OrgAccess, goal_number: int
) -> HttpResponseBase:
    """Accept suggested SDGs for one goal: they are added to the goal as a new profile version."""
    form = SdgAcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the suggested SDGs.")
    else:
        try:
            services.profile_goal_sdgs_add(
                organisation=access.organisation,
                goal_number=goal_number,
                sdgs=form.cleaned_data["sdgs"],
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except StaleEditError as exc:
            messages.error(request, _stale_message(exc))
        except services.OrganisationError as exc:
            messages.error(request, str(exc))
        else:
            numbers = ", ".join(str(number) for number in form.cleaned_data["sdgs"])
            messages.success(request, f"SDG {numbers} added to goal {goal_number}.")
    return redirect(reverse("organisations:detail", kwargs={"slug": access.organisation.slug}) + "#goals")


@org_scoped(Action.VIEW)
@require_GET
def profile_export(request: AuthenticatedHttpRequest, access: OrgAccess, fmt: str) -> HttpResponse:
    """Download the profile in the CLI's file format (YAML or JSON)."""
    if fmt not in EXPORT_TYPES:
        raise Http404("Export as .yaml or .json.")
    organisation = access.organisation
    response = HttpResponse(dump_profile(organisation.get_profile(), fmt=fmt), content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = attachment_header(f"{organisation.slug}.{fmt}")
    return response


@org_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def profile_import(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponse:
    """Replace the profile with an uploaded file; on any problem nothing is saved."""
    organisation = access.organisation
    form = ProfileImportForm(
        request.POST or None, request.FILES or None, initial={"version": organisation.version}
    )
    problems: list[Problem] = []
    more_problems = 0
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                profile = parse_profile(upload.read(), source=upload.name)
                services.profile_update(
                    organisation=organisation,
                    profile=profile,
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                    comment=f"Imported {upload.name}",
                )
            except LoadError as exc:
                problems, more_problems = problems_shown(exc.problems)
            except StaleEditError as exc:
                messages.error(request, _stale_message(exc))
                status = 409
            else:
                messages.success(request, f"The profile is replaced by {upload.name}.")
                return redirect("organisations:detail", slug=organisation.slug)
    return render(
        request,
        "organisations/profile_import.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "problems": problems,
            "more_problems": more_problems,
            "problem_count": len(problems) + more_problems,
        },
        status=status,
    )


@org_scoped(Action.VIEW)
@require_GET
def profile_history(request: AuthenticatedHttpRequest, access: OrgAccess) -> HttpResponse:
    """Every recorded version: who, when, what changed."""
    entries = history_entries(list(selectors.profile_versions(access=access)))
    return render(
        request,
        "organisations/history.html",
        {"access": access, "organisation": access.organisation, "entries": entries},
    )


@org_scoped(Action.EDIT)
@require_POST
def profile_restore(
    request: AuthenticatedHttpRequest, access: OrgAccess, version_id: int
) -> HttpResponseBase:
    """Make an earlier version current again (recorded as a new version)."""
    version = selectors.profile_version_get(access=access, version_id=version_id)
    try:
        services.profile_restore(
            organisation=access.organisation,
            version=version,
            expected_version=int(request.POST.get("version", "0") or 0),
            user=request.user,
        )
    except StaleEditError as exc:
        messages.error(request, _stale_message(exc))
    else:
        messages.success(request, "The earlier version is restored.")
    return redirect("organisations:history", slug=access.organisation.slug)
