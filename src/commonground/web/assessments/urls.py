"""URLs of the assessments app (namespace ``assessments``)."""

from __future__ import annotations

from django.urls import path

from commonground.web.assessments import views

app_name = "assessments"

urlpatterns = [
    path("partnerships/<int:pk>/assessments/", views.snapshot_list, name="list"),
    path("partnerships/<int:pk>/assessments/run/", views.snapshot_run, name="run"),
    path("partnerships/<int:pk>/assessments/compare/", views.snapshot_compare, name="compare"),
    path("partnerships/<int:pk>/assessments/<int:snapshot_id>/", views.snapshot_detail, name="detail"),
    path(
        "partnerships/<int:pk>/assessments/<int:snapshot_id>/report.<str:fmt>",
        views.snapshot_download,
        name="download",
    ),
]
