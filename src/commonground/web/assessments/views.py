"""Thin views for assessments: every page renders a stored snapshot; only POST /run/ runs the engine."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commonground import reports
from commonground.reports.board import PdfUnavailable
from commonground.web.access import Action, partnership_scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.assessments import selectors, services
from commonground.web.assessments.presentation import (
    DOWNLOAD_FORMATS,
    snapshot_about,
    snapshot_body,
    snapshot_comparison,
    snapshot_downloads,
    stored_result,
)
from commonground.web.downloads import attachment_header
from commonground.web.partnerships.selectors import PartnershipAccess


@partnership_scoped(Action.VIEW)
def snapshot_list(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Every assessment taken of the partnership, newest first, with a compare form."""
    return _list_page(request, access)


def _list_page(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, status: int = 200
) -> HttpResponse:
    snapshots = list(selectors.snapshot_list(access=access))
    return render(
        request,
        "assessments/list.html",
        {"access": access, "partnership": access.partnership, "snapshots": snapshots},
        status=status,
    )


@partnership_scoped(Action.EDIT)
@require_POST
def snapshot_run(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Run the engine on the partners' current profiles and initiatives; keep the result."""
    try:
        snapshot = services.snapshot_create(access=access, user=request.user)
    except services.AssessmentThrottled as exc:
        # 429 with the list and the message saying when to try again; the engine did not run.
        messages.error(request, str(exc))
        response = _list_page(request, access, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:list", pk=access.partnership.pk)
    messages.success(request, "A new assessment is taken.")
    return redirect("assessments:detail", pk=access.partnership.pk, snapshot_id=snapshot.pk)


@partnership_scoped(Action.VIEW)
def snapshot_detail(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, snapshot_id: int
) -> HttpResponse:
    """One stored assessment: the verdict in a sentence, questions, then the details folded; a banner with
    a re-run when a partner's profile changed since."""
    snapshot = selectors.snapshot_page_get(access=access, snapshot_id=snapshot_id)
    return render(
        request,
        "assessments/detail.html",
        {
            "access": access,
            "partnership": access.partnership,
            "snapshot": snapshot,
            "about": snapshot_about(snapshot),
            "staleness": selectors.snapshot_staleness(access=access, snapshot=snapshot),
            "downloads": snapshot_downloads(snapshot),
            "body": snapshot_body(snapshot),
        },
    )


@partnership_scoped(Action.VIEW)
def snapshot_download(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, snapshot_id: int, fmt: str
) -> HttpResponseBase:
    """The stored assessment as a file: the HTML report, the board summary (HTML or PDF), or the JSON
    contract; named for the partners and the date, and dated inside (all but the JSON)."""
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    snapshot = selectors.snapshot_get(access=access, snapshot_id=snapshot_id)
    try:
        body = reports.render(stored_result(snapshot), fmt, about=snapshot_about(snapshot))
    except PdfUnavailable as exc:
        messages.error(request, f"The PDF cannot be made on this server: {exc}")
        return redirect("assessments:detail", pk=access.partnership.pk, snapshot_id=snapshot.pk)
    download = next(d for d in snapshot_downloads(snapshot) if d.fmt == fmt)
    response = HttpResponse(body, content_type=reports.format_info(fmt).media_type)
    response["Content-Disposition"] = attachment_header(download.filename)
    return response


@partnership_scoped(Action.VIEW)
def snapshot_compare(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Two snapshots side by side (``?a=&b=``; by default the latest two)."""
    snapshots = list(selectors.snapshot_list(access=access).values_list("pk", flat=True)[:2])
    try:
        first_id = int(request.GET.get("a") or (snapshots[1] if len(snapshots) > 1 else 0))
        second_id = int(request.GET.get("b") or (snapshots[0] if snapshots else 0))
    except ValueError:
        raise Http404 from None
    if not first_id or not second_id:
        messages.info(request, "Take at least two assessments to compare them.")
        return redirect("assessments:list", pk=access.partnership.pk)
    first = selectors.snapshot_get(access=access, snapshot_id=first_id)
    second = selectors.snapshot_get(access=access, snapshot_id=second_id)
    return render(
        request,
        "assessments/compare.html",
        {
            "access": access,
            "partnership": access.partnership,
            "comparison": snapshot_comparison(first, second),
        },
    )
