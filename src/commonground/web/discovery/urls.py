"""URLs of the discovery app (namespace ``discovery``)."""

from __future__ import annotations

from django.urls import path

from commonground.web.discovery import views

app_name = "discovery"

urlpatterns = [
    path("o/<org_slug:slug>/find-partners/", views.find_partners, name="find_partners"),
]
