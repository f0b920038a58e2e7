"""URLs of the check-ins tab (namespace ``checkins``), under the partnership's URL."""

from __future__ import annotations

from django.urls import path

from commonground.web.checkins import views

app_name = "checkins"

urlpatterns = [
    path("partnerships/<int:pk>/checkins/", views.index, name="index"),
    path("partnerships/<int:pk>/checkins/schedule/", views.schedule, name="schedule"),
    path("partnerships/<int:pk>/checkins/open/", views.open_now, name="open"),
    path("partnerships/<int:pk>/checkins/calendar.ics", views.calendar, name="calendar"),
    path("partnerships/<int:pk>/checkins/actions/", views.action_add, name="action_add"),
    path(
        "partnerships/<int:pk>/checkins/actions/<int:action_id>/", views.action_status, name="action_status"
    ),
    path("partnerships/<int:pk>/checkins/<int:checkin_id>/", views.detail, name="detail"),
    path("partnerships/<int:pk>/checkins/<int:checkin_id>/answer/", views.answer, name="answer"),
    path("partnerships/<int:pk>/checkins/<int:checkin_id>/close/", views.close, name="close"),
    path("partnerships/<int:pk>/checkins/<int:checkin_id>/results.<str:fmt>", views.export, name="export"),
]
