"""URLs of the health page and its report (namespace ``health``), under the partnership's URL."""

from __future__ import annotations

from django.urls import path

from commonground.web.health import views

app_name = "health"

urlpatterns = [
    path("partnerships/<int:pk>/health/", views.health_page, name="page"),
    path("partnerships/<int:pk>/health/report.<str:fmt>", views.health_report, name="report"),
]
