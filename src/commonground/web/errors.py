"""Error pages in our own layout (the access layer has already logged the refusal)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: signed in and a member, but the role does not allow this."""
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the page does not exist, or the user may not know that it does."""
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: something failed on our side (a full disk, a lost database); nothing half-written was kept.

    Rendered without the request's context (no menu, no session, no database query): whatever broke
    the request may break those too, and the person most needs to know that nothing was saved."""
    return HttpResponse(get_template("errors/500.html").render(), status=500)
