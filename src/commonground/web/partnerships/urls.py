"""URLs of the partnerships app (namespace ``partnerships``)."""

from __future__ import annotations

from django.urls import path

from commonground.web.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("o/<org_slug:slug>/portfolio/", views.portfolio, name="portfolio"),
    path("o/<org_slug:slug>/partnerships/new/", views.partnership_new, name="new"),
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/invitations/<int:invite_id>/", views.invitation_answer, name="invitation"),
    path("partnerships/facilitations/<int:facilitation_id>/", views.facilitation_answer, name="facilitation"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("partnerships/<int:pk>/members/invite/", views.member_invite, name="member_invite"),
    path("partnerships/<int:pk>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("partnerships/<int:pk>/leave/", views.member_leave, name="leave"),
    path("partnerships/<int:pk>/facilitators/invite/", views.facilitator_invite, name="facilitator_invite"),
    path(
        "partnerships/<int:pk>/facilitators/<int:facilitator_id>/remove/",
        views.facilitator_remove,
        name="facilitator_remove",
    ),
    path("partnerships/<int:pk>/initiatives/", views.initiative_list, name="initiatives"),
    path("partnerships/<int:pk>/initiatives/new/", views.initiative_new, name="initiative_new"),
    path(
        "partnerships/<int:pk>/initiatives/<int:initiative_id>/edit/",
        views.initiative_edit,
        name="initiative_edit",
    ),
    path(
        "partnerships/<int:pk>/initiatives/<int:initiative_id>/delete/",
        views.initiative_delete,
        name="initiative_delete",
    ),
    path(
        "partnerships/<int:pk>/initiatives/<int:initiative_id>/score/",
        views.initiative_score,
        name="initiative_score",
    ),
    path("partnerships/<int:pk>/history/", views.history, name="history"),
    path("partnerships/<int:pk>/history/<int:version_id>/restore/", views.history_restore, name="restore"),
]
