"""The home page: what Common Ground does, for visitors; what needs you, for people signed in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.web.access import public, signed_in_user
from commonground.web.home.selectors import dashboard


@public
def index(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; the signed-in person's invitations, partnerships and profiles."""
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    return render(request, "home/dashboard.html", {"dashboard": dashboard(user=signed_in_user(request))})
