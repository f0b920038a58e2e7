"""URLs of the conflict log (namespace ``conflicts``), under the partnership's URL."""

from __future__ import annotations

from django.urls import path

from commonground.web.conflicts import views

app_name = "conflicts"

_ENTRY = "partnerships/<int:pk>/conflicts/<int:conflict_id>/"

urlpatterns = [
    path("partnerships/<int:pk>/conflicts/", views.conflict_log, name="list"),
    path("partnerships/<int:pk>/conflicts/new/", views.conflict_new, name="new"),
    path(_ENTRY, views.conflict_detail, name="detail"),
    path(f"{_ENTRY}acknowledge/", views.acknowledge, name="acknowledge"),
    path(f"{_ENTRY}messages/", views.message, name="message"),
    path(f"{_ENTRY}propose/", views.propose, name="propose"),
    path(f"{_ENTRY}answer/", views.answer, name="answer"),
    path(f"{_ENTRY}notes/", views.note, name="note"),
]
