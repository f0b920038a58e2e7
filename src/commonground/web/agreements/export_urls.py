"""URLs of the agreement's downloads and table imports (namespace ``agreements``, included by urls.py)."""

from __future__ import annotations

from django.urls import path

from commonground.web.agreements import export_views

urlpatterns = [
    path("partnerships/<int:pk>/agreement/downloads/", export_views.exports, name="exports"),
    path("partnerships/<int:pk>/agreement/document.<slug:fmt>", export_views.document, name="document"),
    path(
        "partnerships/<int:pk>/agreement/tables/<slug:table>.<slug:fmt>",
        export_views.table_download,
        name="table_download",
    ),
    path("partnerships/<int:pk>/agreement/deadlines.ics", export_views.calendar, name="calendar"),
    path(
        "partnerships/<int:pk>/agreement/tables/<slug:table>/import/",
        export_views.table_import,
        name="table_import",
    ),
    path(
        "partnerships/<int:pk>/agreement/tables/<slug:table>/import/confirm/",
        export_views.table_import_confirm,
        name="table_import_confirm",
    ),
]
