"""Error pages in our own layout (the access layer has already logged the refusal)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: signed in and a member, but the role does not allow this."""
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the page does not exist, or the user may not know that it does."""
    return render(request, "errors/404.html", status=404)
