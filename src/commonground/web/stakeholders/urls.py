"""URLs of the stakeholder register (namespace ``stakeholders``), under the partnership's URL."""

from __future__ import annotations

from django.urls import path

from commonground.web.stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("partnerships/<int:pk>/stakeholders/", views.register_page, name="register"),
    path("partnerships/<int:pk>/stakeholders/new/", views.entry_new, name="entry_new"),
    path("partnerships/<int:pk>/stakeholders/partners/", views.partner_row, name="partner_row"),
    path("partnerships/<int:pk>/stakeholders/partners/edit/", views.partner_edit, name="partner_edit"),
    path("partnerships/<int:pk>/stakeholders/<int:entry_id>/", views.entry_row, name="entry_row"),
    path("partnerships/<int:pk>/stakeholders/<int:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path(
        "partnerships/<int:pk>/stakeholders/<int:entry_id>/delete/", views.entry_delete, name="entry_delete"
    ),
]
