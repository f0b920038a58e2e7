"""URLs of the network tab (namespace ``networks``), under the partnership's URL."""

from __future__ import annotations

from django.urls import path

from commonground.web.networks import views

app_name = "networks"

urlpatterns = [
    path("partnerships/<int:pk>/network/", views.index, name="index"),
    path("partnerships/<int:pk>/network/open/", views.open_round, name="open"),
    path("partnerships/<int:pk>/network/<int:round_id>/", views.round_page, name="round"),
    path(
        "partnerships/<int:pk>/network/<int:round_id>/answers/<int:by_id>/<int:about_id>/",
        views.answer,
        name="answer",
    ),
    path("partnerships/<int:pk>/network/<int:round_id>/close/", views.close, name="close"),
    path("partnerships/<int:pk>/network/<int:round_id>/ties.<str:fmt>", views.export, name="export"),
    path("partnerships/<int:pk>/network/<int:round_id>/network.pdf", views.report_pdf, name="report_pdf"),
]
