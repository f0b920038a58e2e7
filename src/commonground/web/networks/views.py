"""Thin views of the network tab: authorise (the access layer), bind a form, call a service, render.

Everyone who reaches the partnership sees the rounds (facilitators too). While a round is open, the
people of each partner organisation see that organisation's own answers and nobody else's; its
members and admins enter them. Results (figures, picture, downloads) are shown only once a round is
closed, so that no organisation answers with the others' view in front of it. Admins and owners of a
partner open and close rounds.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.agreement.spreadsheets import FORMATS
from commonground.core.network import EDGE_COLUMNS
from commonground.reports.board import PdfUnavailable
from commonground.reports.charts.network import Colouring
from commonground.reports.network import headline, network_tables, render_network_pdf, weak_points
from commonground.web.access import Action, partnership_scoped, refuse
from commonground.web.accounts.typing import AuthenticatedHttpRequest
from commonground.web.downloads import attachment_header
from commonground.web.networks import selectors, services
from commonground.web.networks.forms import AnswerForm, RoundOpenForm
from commonground.web.networks.models import SURVEY_MAX_ORGANISATIONS, NetworkRound
from commonground.web.networks.results import round_picture, round_results, tie_rows
from commonground.web.partnerships.selectors import PartnershipAccess
from commonground.web.records import StaleEditError


def _context(access: PartnershipAccess, **extra: Any) -> dict[str, Any]:
    return {"access": access, "partnership": access.partnership, **extra}


@partnership_scoped(Action.VIEW)
@require_GET
def index(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponse:
    """The tab: the rounds, newest first, and the form that opens one (admins and owners)."""
    return _index(request, access, RoundOpenForm())


def _index(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, form: RoundOpenForm, status: int = 200
) -> HttpResponse:
    rounds = list(selectors.round_list(access=access))
    can_open = access.can_manage and not access.facilitator and not access.closed
    context = _context(
        access, rounds=rounds, open_form=form if can_open else None, most=SURVEY_MAX_ORGANISATIONS
    )
    return render(request, "networks/index.html", context, status=status)


@partnership_scoped(Action.MANAGE)
@require_POST
def open_round(request: AuthenticatedHttpRequest, access: PartnershipAccess) -> HttpResponseBase:
    """Open a round asking every active partner organisation about the others."""
    form = RoundOpenForm(request.POST)
    if not form.is_valid():
        return _index(request, access, form, status=400)
    try:
        survey_round = services.round_open(
            access=access, user=request.user, label=form.cleaned_data["label"], date=form.cleaned_data["date"]
        )
    except services.NetworkError as exc:
        form.add_error(None, str(exc))
        return _index(request, access, form, status=400)
    messages.success(request, "The round is open: each partner organisation can now answer.")
    return redirect("networks:round", pk=access.partnership.pk, round_id=survey_round.pk)


def _colour(request: AuthenticatedHttpRequest) -> Colouring:
    return "value" if request.GET.get("colour") == "value" else "trust"


@partnership_scoped(Action.VIEW)
@require_GET
def round_page(request: AuthenticatedHttpRequest, access: PartnershipAccess, round_id: int) -> HttpResponse:
    """An open round: your organisations' own answers and how far the partners are; a closed one: results."""
    survey_round = selectors.round_get(access=access, round_id=round_id)
    context = _context(access, survey_round=survey_round)
    if survey_round.is_open:
        context["page"] = selectors.open_round_page(access=access, survey_round=survey_round)
        context["can_close"] = access.can_manage and not access.facilitator and not access.closed
        return render(request, "networks/round_open.html", context)
    colour = _colour(request)
    previous = selectors.round_previous(survey_round=survey_round)
    results = round_results(
        partnership_name=access.partnership.name, survey_round=survey_round, previous=previous
    )
    context.update(
        colour=colour,
        headline=headline(results.analysis),
        weak=weak_points(results.analysis),
        # The chart escapes every name itself (reports/charts/network.py).
        chart=mark_safe(  # noqa: S308
            round_picture(survey_round=survey_round, analysis=results.analysis, colour=colour)
        ),
        tables=network_tables(results.analysis, results.change),
        change=results.change,
    )
    return render(request, "networks/round_results.html", context)


@partnership_scoped(Action.VIEW)
@require_http_methods(["GET", "POST"])
def answer(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, round_id: int, by_id: int, about_id: int
) -> HttpResponseBase:
    """One organisation's answer about another: its members and admins only, while the round is open."""
    survey_round = selectors.round_get(access=access, round_id=round_id)
    names = survey_round.names()
    if by_id not in names or about_id not in names or by_id == about_id:
        raise Http404
    if not access.can_in(by_id, Action.EDIT):
        raise refuse(request, access, Action.EDIT)
    back = redirect("networks:round", pk=access.partnership.pk, round_id=survey_round.pk)
    if not survey_round.is_open:
        messages.info(request, "This round is closed: its answers can no longer change.")
        return back
    current = selectors.answer_find(survey_round=survey_round, by_id=by_id, about_id=about_id)
    form = AnswerForm(request.POST or None, initial=AnswerForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_save(
                access=access,
                user=request.user,
                survey_round=survey_round,
                by_id=by_id,
                about_id=about_id,
                rating=form.rating(),
                expected_version=form.cleaned_data["version"],
            )
        except StaleEditError as exc:
            form.add_error(None, exc.changed_meanwhile("answer", then="load this page again to see it"))
        except services.NetworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {names[by_id]}'s answer about {names[about_id]}.")
            return back
    return render(
        request,
        "networks/answer.html",
        _context(
            access, survey_round=survey_round, form=form, by_name=names[by_id], about_name=names[about_id]
        ),
        status=400 if request.method == "POST" else 200,
    )


@partnership_scoped(Action.MANAGE)
@require_POST
def close(request: AuthenticatedHttpRequest, access: PartnershipAccess, round_id: int) -> HttpResponseBase:
    """Close an open round: answers are frozen and the results shown to the partnership."""
    survey_round = selectors.round_get(access=access, round_id=round_id)
    try:
        services.round_close(
            access=access,
            user=request.user,
            survey_round=survey_round,
            confirmed=request.POST.get("confirm") == "yes",
        )
    except services.FewAnswered as exc:
        # Nothing is closed: the round page shows the warning again with the box to tick.
        messages.warning(request, str(exc))
    except services.NetworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The round is closed: its results are below.")
    return redirect("networks:round", pk=access.partnership.pk, round_id=survey_round.pk)


@partnership_scoped(Action.VIEW)
@require_GET
def export(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, round_id: int, fmt: str
) -> HttpResponse:
    """A closed round's ties as CSV or XLSX (``core.network.edges``); nothing while it is open."""
    if fmt not in FORMATS:
        raise Http404
    survey_round: NetworkRound = selectors.round_get(access=access, round_id=round_id)
    if survey_round.is_open:
        raise Http404
    results = round_results(
        partnership_name=access.partnership.name, survey_round=survey_round, previous=None
    )
    kind = FORMATS[fmt]
    response = HttpResponse(
        kind.write(EDGE_COLUMNS, tie_rows(results.analysis)), content_type=kind.media_type
    )
    name = slugify(access.partnership.name) or "partnership"
    response["Content-Disposition"] = attachment_header(f"network-{name}-{survey_round.label}.{fmt}")
    return response


@partnership_scoped(Action.VIEW)
@require_GET
def report_pdf(
    request: AuthenticatedHttpRequest, access: PartnershipAccess, round_id: int
) -> HttpResponseBase:
    """A closed round's results as a PDF: the picture, the weak points and every table, as on its page."""
    survey_round: NetworkRound = selectors.round_get(access=access, round_id=round_id)
    if survey_round.is_open:
        raise Http404
    previous = selectors.round_previous(survey_round=survey_round)
    results = round_results(
        partnership_name=access.partnership.name, survey_round=survey_round, previous=previous
    )
    try:
        body = render_network_pdf(results.analysis, results.change, _colour(request))
    except PdfUnavailable as exc:
        messages.error(request, f"The PDF cannot be made on this server: {exc}")
        return redirect("networks:round", pk=access.partnership.pk, round_id=survey_round.pk)
    response = HttpResponse(body, content_type="application/pdf")
    name = slugify(access.partnership.name) or "partnership"
    response["Content-Disposition"] = attachment_header(f"network-{name}-{survey_round.label}.pdf")
    return response
