"""Thin views of the agreement: authorise (the access layer), bind a form, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.web.access import Action, partnership_scoped, refuse
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.agreements import reminder_services, selectors, services
from commonground.web.agreements.cached_sections import agreement_sections
from commonground.web.agreements.forms import CommentForm, ContributionForm, PartForm, SignForm
from commonground.web.agreements.sections import PARTS, Part
from commonground.web.downloads import attachment_header
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError


def _page(access: PartnershipAccess) -> HttpResponseBase:
    return redirect("agreements:detail", pk=access.partnership.pk)


@partnership_scoped(Action.VIEW)
@require_GET
def agreement_detail(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The agreement: each part in words with its status, open items, who signed which version."""
    agreement = selectors.agreement_find(access=access)
    context: dict[str, Any] = {"access": access, "partnership": access.partnership, "agreement": agreement}
    if agreement is not None:
        context |= {
            "page": selectors.agreement_page(access=access, agreement=agreement),
            "sections": agreement_sections(partnership=access.partnership, agreement=agreement),
            "may_comment": selectors.may_comment(access=access),
        }
    return render(request, "agreements/detail.html", context)


@partnership_scoped(Action.EDIT)
@require_POST
def agreement_start(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Start the agreement from the latest assessment (or the partners only, when there is none)."""
    try:
        agreement = services.agreement_start(access=access, user=request.user)
    except services.AgreementError as exc:
        messages.error(request, str(exc))
    else:
        if agreement.assessment_id is None:
            messages.success(request, "The agreement is started with WHO only: there is no assessment yet.")
        else:
            messages.success(request, "The first draft is written from the latest assessment. Edit it below.")
    return _page(access)


def _part(part_key: str) -> Part:
    part = PARTS.get(part_key)
    if part is None:
        raise Http404
    return part


@partnership_scoped(Action.EDIT)
@require_http_methods(["GET", "POST"])
def part_edit(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, part_key: str
) -> HttpResponseBase:
    """Edit one part; every problem is named with its field (and line in the YAML box); a stale save
    keeps the text typed and shows what the other person changed."""
    part = _part(part_key)
    agreement = selectors.agreement_get(access=access)
    initial = {**part.initial(agreement.document), "version": agreement.version}
    form = PartForm(request.POST or None, initial=initial, part=part)
    changes: list[Any] = []
    if request.method == "POST" and form.is_valid():
        merged, problems = part.merged(agreement.document, form.cleaned_data)
        for problem in problems:
            field = part.field_for(problem)
            where = f"line {problem.line}: " if problem.line is not None else ""
            path = f"{problem.path}: " if problem.path else ""
            form.add_error(field if field in form.fields else None, f"{where}{path}{problem.message}")
        if not problems:
            try:
                saved = services.agreement_part_update(
                    access=access, agreement=agreement, part_key=part.key, merged=merged,
                    expected_version=form.cleaned_data["version"], user=request.user,
                )  # fmt: skip
            except StaleEditError as exc:
                form, changes = _stale_form(request, access, part, form.cleaned_data["version"], exc)
            except services.AgreementError as exc:
                form.add_error(None, str(exc))
            else:
                if saved.version == form.cleaned_data["version"]:
                    messages.info(request, f"Nothing changed in {part.title}: no new version.")
                else:
                    messages.success(
                        request, f"Saved: {part.title}. Every partner signs the new version again."
                    )
                return _page(access)
    return render(
        request,
        "agreements/part_edit.html",
        {"access": access, "partnership": access.partnership, "agreement": agreement, "part": part,
         "form": form, "changes": changes},
    )  # fmt: skip


def _stale_form(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, part: Part, loaded: int, exc: StaleEditError
) -> tuple[PartForm, list[Any]]:
    """The form again with the person's text, now against the version in force, and what changed since
    the version they loaded."""
    current = selectors.agreement_get(access=access)
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = PartForm(data, part=part)
    form.is_valid()
    then = "what changed is shown below and your text is kept in the form: merge the two and save again"
    form.add_error(None, exc.changed_meanwhile("agreement", then=then))
    return form, selectors.agreement_diff(agreement=current, old=loaded, new=current.version)


@partnership_scoped(Action.EDIT)
@require_POST
def contribution(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """A partner states what it brings, in its own words (that partner's members only)."""
    agreement = selectors.agreement_get(access=access)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The contribution could not be read; write it again.")
        return _page(access)
    try:
        saved = services.agreement_contribution_update(
            access=access, agreement=agreement, partner_id=form.cleaned_data["partner"],
            text=form.cleaned_data["contribution"], expected_version=form.cleaned_data["version"],
            user=request.user,
        )  # fmt: skip
    except StaleEditError as exc:
        messages.error(
            request, exc.changed_meanwhile("agreement", then="read it again and write yours again")
        )
    except services.AgreementError as exc:
        messages.error(request, str(exc))
    else:
        if saved.version == form.cleaned_data["version"]:
            messages.info(request, "Your contribution already says that: nothing changed.")
        else:
            messages.success(request, "Your contribution is saved, in your words.")
    return _page(access)


@partnership_scoped(Action.MANAGE)
@require_POST
def sign(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Sign the version shown for one's partner organisation (its admins and owners)."""
    agreement = selectors.agreement_get(access=access)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the organisation to sign for, on the agreement page.")
        return _page(access)
    try:
        signature = services.agreement_sign(
            access=access, agreement=agreement, organisation_id=form.cleaned_data["organisation"],
            version=form.cleaned_data["version"], user=request.user,
        )  # fmt: skip
    except services.AgreementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{signature.organisation_name} signed version {signature.version}.")
    return _page(access)


@partnership_scoped(Action.EDIT)
@require_POST
def signoff_request(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """A partner's member asks the partners that have not signed the version in force to sign it."""
    agreement = selectors.agreement_get(access=access)
    try:
        reminder_services.signoff_request(access=access, agreement=agreement, user=request.user)
    except services.AgreementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "The admins and owners of each partner that has not signed are asked to sign, by email."
        )
    return _page(access)


@partnership_scoped(Action.VIEW)
@require_POST
def comment(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """A remark on one part, by a partner's member or a facilitator."""
    if not selectors.may_comment(access=access):
        raise refuse(request, access, Action.EDIT)
    agreement = selectors.agreement_get(access=access)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the comment first.")
        return _page(access)
    try:
        services.agreement_comment_add(
            access=access, agreement=agreement, part_key=form.cleaned_data["section"],
            text=form.cleaned_data["text"], user=request.user,
        )  # fmt: skip
    except services.AgreementError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Comment added.")
    return _page(access)


@partnership_scoped(Action.VIEW)
@require_GET
def versions(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Every version of the agreement: number, who, when, what; and a form to compare two."""
    agreement = selectors.agreement_get(access=access)
    rows = list(selectors.agreement_versions(agreement=agreement)[:500])
    return render(
        request,
        "agreements/versions.html",
        {"access": access, "partnership": access.partnership, "agreement": agreement, "rows": rows},
    )


def _number(request: HttpRequest, key: str, default: int) -> int:
    try:
        return max(1, int(request.GET.get(key, default)))
    except (TypeError, ValueError):
        return default


@partnership_scoped(Action.VIEW)
@require_GET
def diff(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """What changed between two versions (by default the one before the version in force and it)."""
    agreement = selectors.agreement_get(access=access)
    new = _number(request, "new", agreement.version)
    old = _number(request, "old", max(1, new - 1))
    rows = selectors.agreement_diff(agreement=agreement, old=old, new=new)
    return render(
        request,
        "agreements/diff.html",
        {"access": access, "partnership": access.partnership, "agreement": agreement, "old": old, "new": new,
         "rows": rows},
    )  # fmt: skip


@partnership_scoped(Action.VIEW)
@require_GET
def download(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The agreement as a file in the agreement format (YAML)."""
    agreement = selectors.agreement_get(access=access)
    response = HttpResponse(
        selectors.document_yaml(agreement.document, comments=True),
        content_type="application/yaml; charset=utf-8",
    )
    name = slugify(access.partnership.name) or "partnership"
    response["Content-Disposition"] = attachment_header(f"agreement-{name}-v{agreement.version}.yaml")
    return response
