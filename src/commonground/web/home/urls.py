"""URLs of the home app (namespace ``home``)."""

from __future__ import annotations

from django.urls import path

from commonground.web.home import views

app_name = "home"

urlpatterns = [
    path("", views.index, name="index"),
]
