"""Thin views of the health page and its report: authorise, read the selector, render."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from commonground.core.alignment.health import STAGE_WORDS, STATUS_WORDS
from commonground.reports.board import PdfUnavailable
from commonground.reports.health import render_health, render_health_pdf
from commonground.web.access import Action, partnership_scoped
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.downloads import attachment_header
from commonground.web.health.selectors import partnership_health
from commonground.web.partnerships.selectors import PartnershipAccess


@partnership_scoped(Action.VIEW)
@require_GET
def health_page(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """Every part of the partnership's health with its figures, the stage of the cycle and trends."""
    page = partnership_health(access=access, today=timezone.localdate())
    context = {
        "access": access,
        "partnership": access.partnership,
        "page": page,
        "health": page.health,
        "parts": [{"part": part, "status_word": STATUS_WORDS[part.status]} for part in page.health.parts],
        "stage_words": STAGE_WORDS[page.health.stage],
    }
    return render(request, "health/page.html", context)


@partnership_scoped(Action.VIEW)
@require_GET
def health_report(request: AuthenticatedHttpRequest, access: PartnershipAccess, fmt: str) -> HttpResponse:
    """The health report for a board, as HTML or A4 PDF."""
    if fmt not in {"html", "pdf"}:
        raise Http404("Health reports come as html or pdf")
    today = timezone.localdate()
    page = partnership_health(access=access, today=today)
    name = f"health-{slugify(access.partnership.name) or 'partnership'}-{today.isoformat()}.{fmt}"
    if fmt == "html":
        response = HttpResponse(
            render_health(
                page.health,
                partnership=access.partnership.name,
                partners=page.partners,
                as_of=today,
                charts=page.charts,
            ),
            content_type="text/html; charset=utf-8",
        )
    else:
        try:
            pdf = render_health_pdf(
                page.health,
                partnership=access.partnership.name,
                partners=page.partners,
                as_of=today,
                charts=page.charts,
            )
        except PdfUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(name)
    return response
